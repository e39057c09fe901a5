"""The ``zhaoshang`` command (also ``python -m helpers``).

Expected bad input (no workbook, a missing column, a bad parameter, a folder that cannot be
written) exits with status 2 and one clear line on stderr, never a traceback — also when the
bad input is found inside a notebook's kernel. A report that could not be produced exits 1. A
bug exits 1 with one line naming the log file that keeps its traceback. A closed pipe
(``zhaoshang metrics | head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import logging
import os
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.cli.arguments import ChineseArgumentParser, absolute_path, integer
from helpers.errors import EXIT_BAD_INPUT, EXIT_REPORT_FAILED, InputError, ReportError, ReportFailure, UsageError, os_reason
from helpers.normalize import display_width
from helpers.paths import default_data_dir, reference_dir_for
from helpers.progress import shows_progress

if TYPE_CHECKING:
    from helpers.reference import Reference

#: Exit status after a closed pipe (128 + SIGPIPE), as a command killed by SIGPIPE reports it.
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler's time limit, a service stopping): unwound like Ctrl-C, so that the
    run's kernel and helper processes end with it and nothing half-written is published."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated()


def _signal_again(previous: Callable[[Any], Any]) -> Callable[[Any], None]:
    """A ``sys.unraisablehook`` for a run: a signal's exception raised while Python ran a finalizer
    (a weakref callback, a ``__del__``) is dropped there with "Exception ignored in …" and the run
    went on as if no signal had come; the signal is sent again instead, to be raised where the
    run can unwind. Anything else goes to ``previous``."""

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            import threading

            number = signal.SIGTERM if isinstance(unraisable.exc_value, Terminated) else signal.SIGINT
            # from another thread, a moment later: sent from here, it would be raised in this hook and dropped again
            resend = threading.Timer(0.05, os.kill, args=(os.getpid(), number))
            resend.daemon = True
            resend.start()
            return
        previous(unraisable)

    return hook
# errors of the file system that come from where the user pointed the kit, not from a bug
ENVIRONMENT_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENOTDIR, errno.EISDIR, errno.EEXIST}


def _add_dirs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", type=absolute_path, default=None, metavar="目录", help="数据目录（默认：项目的 data/；相对路径以当前目录为准）"
    )
    parser.add_argument(
        "--reference-dir", type=absolute_path, default=None, metavar="目录",
        help="参考数据目录（默认：数据目录下的 reference/，否则项目的 data/reference/）",
    )


def _year_data(args: argparse.Namespace) -> tuple[Path, Reference]:
    from helpers.reference import load_reference

    data_dir = args.data_dir or default_data_dir()
    return data_dir, load_reference(reference_dir_for(data_dir, args.reference_dir))


def _cell(text: object, width: int, *, left: bool = False) -> str:
    text = str(text)
    padding = " " * max(width - display_width(text), 0)
    return text + padding if left else padding + text


def format_counts_table(
    year: int, counts: dict[str, dict[str, int]], quarantine_rows: int, warning_rows: int, labels: dict[str, str]
) -> str:
    """The readable summary of ``zhaoshang clean`` (CJK-aware column widths); ``labels``: sheet names."""
    headers = ["读取行", "有效", "隔离", "合计行", "空行", "重复合并"]
    lines = [f"{year} 年台账清洗结果", _cell("工作表", 12, left=True) + "".join(_cell(h, 10) for h in headers)]
    for table, row in counts.items():
        values = [row[k] for k in ("rows_read", "clean", "quarantined", "subtotal", "blank", "duplicates_merged")]
        lines.append(_cell(labels.get(table, table), 12, left=True) + "".join(_cell(v, 10) for v in values))
    lines.append(f"隔离 {quarantine_rows} 行（见 quarantine.csv），警告 {warning_rows} 条（见 warnings.csv）")
    return "\n".join(lines)


def command_clean(args: argparse.Namespace) -> int:
    from helpers.ingest.cache import load_year
    from helpers.paths import processed_dir

    data_dir, reference = _year_data(args)
    year = args.year if args.year is not None else reference.default_year
    result = load_year(year, data_dir, reference, progress=not args.json)
    counts = result.counts()
    if args.json:
        print(json.dumps({"year": year, "sheets": counts}, ensure_ascii=False))
    else:
        labels = {table: spec["sheet"] for table, spec in reference.ledger_format.items()}
        print(format_counts_table(year, counts, len(result.quarantine), len(result.warnings), labels))
        print(f"清洗结果：{processed_dir(data_dir, year)}")
    return 0


def year_metrics(
    year: int, data_dir: Path, reference: Reference, *, month: int | None = None, force: bool = False, progress: bool = False
) -> dict:
    """Clean (or read from the cache) ``year`` and the previous year, then compute the metrics of
    the whole year or, with ``month``, of January to the end of that month (same keys, plus ``month``).

    A month beyond the year's latest month with data is a UsageError unless ``force``.
    """
    from helpers.indicators.metrics import compute_metrics
    from helpers.indicators.period import Period
    from helpers.indicators.year_to_date import check_month, latest_month_with_data
    from helpers.ingest.cache import load_year, load_year_if_available

    current = load_year(year, data_dir, reference, progress=progress)
    previous = load_year_if_available(year - 1, data_dir, reference)
    if month is None:
        return {"year": year, **compute_metrics(current, previous, reference)}
    check_month(year, month, latest_month_with_data(current), force=force)
    return {"year": year, "month": month, **compute_metrics(current, previous, reference, period=Period.year_to_date(year, month))}


def command_metrics(args: argparse.Namespace) -> int:
    data_dir, reference = _year_data(args)
    year = args.year if args.year is not None else reference.default_year
    figures = year_metrics(year, data_dir, reference, month=args.month, force=args.force)
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


def _agree(option: str, value: Any, parameters: dict[str, Any]) -> None:
    """``--year 2022 -p year=2023`` is a contradiction, not a silent choice."""
    if value is not None and option in parameters and parameters[option] != value:
        raise UsageError(f"--{option} {value} 与 -p {option}={parameters[option]} 矛盾，请只给出一个")


def _unit(name: Any, reference: Reference) -> str:
    """The canonical unit of a county name, or the name as given when it names none (the
    report's own check then says so)."""
    from helpers.indicators.trends import unit_name

    try:
        return unit_name(str(name), reference)
    except UsageError:
        return str(name)


def _county_reports() -> str:
    from helpers.products.registry import REPORTS

    names = [name for name, spec in REPORTS.items() if "county" in spec.identity]
    return "、".join(names) if names else "（暂无）"


def _check_county_options(args: argparse.Namespace, spec: Any, parameters: dict[str, Any], declared: dict[str, Any]) -> None:
    if args.county is None and not args.all_counties and "county" not in parameters:
        return
    option = "--county" if args.county is not None else "--all-counties" if args.all_counties else "-p county"
    if "county" not in spec.identity or "county" not in declared:
        raise UsageError(f"报告 {spec.name}（{spec.title}）不按县区生成，不能使用 {option}；按县区生成的报告：{_county_reports()}")
    if args.all_counties and (args.county is not None or "county" in parameters):
        raise UsageError("--all-counties 生成该年度每个县区的报告，不能再用 --county 或 -p county 指定县区")
    if args.all_counties and args.all:
        raise UsageError("--all 与 --all-counties 不能同时使用（--all 已包含每个年度的每个县区）")
    if args.all and (args.county is not None or "county" in parameters):
        raise UsageError("--all 与 --county 不能同时使用（--all 生成每个县区）")


def _run_label(spec: Any, identity: dict[str, Any]) -> str:
    from helpers.output.catalogue import period_text

    year = identity.get("year")
    period = period_text(identity)
    return f"{year}年{'' if period == '全年' else period} {spec.title}"


def _print_batch(spec: Any, results: list[Any], data_dir: Path, reference: Reference, catalogue: Path | None) -> None:
    """One line per run (done with the HTML's path and the year's data quality, or the failure),
    then the catalogue."""
    from helpers.ingest.cache import load_year

    quality: dict[int, str] = {}
    for result in results:
        year = result.identity["year"]
        if year not in quality:
            clean = load_year(year, data_dir, reference)
            quality[year] = f"隔离 {len(clean.quarantine)} 行，警告 {len(clean.warnings)} 条"
        label = _run_label(spec, result.identity)
        if result.error:
            print(f"{label}：失败 — {result.error}")
        else:
            print(f"{label}：完成 — {result.folder / spec.outputs()[0]}（台账{quality[year]}）")
    _print_catalogue(catalogue)


def _print_catalogue(catalogue: Path | None) -> None:
    if catalogue is not None:
        print(f"报告目录：{catalogue}")


def command_report(args: argparse.Namespace) -> int:
    from helpers.cli import report as reporting

    spec, notebook = reporting.resolve_report(args.notebook)
    if args.all or args.all_counties:
        return _report(args, reporting, spec, notebook, None)
    # a single run: its kernel starts up (and imports the notebook's modules) while the checks run
    with reporting.start_kernel(notebook) as kernel:
        return _report(args, reporting, spec, notebook, kernel)


def _report(args: argparse.Namespace, reporting: Any, spec: Any, notebook: Path, kernel: Any) -> int:
    from helpers.output.publish import check_output_folder

    data_dir, reference = _year_data(args)
    declared = reporting.notebook_parameters(notebook)
    parameters = reporting.parse_parameters(args.parameter or [], declared)
    # Paths reach the notebook only when given, so default reports carry no machine paths.
    path_parameters = {}
    if args.data_dir is not None and "data_dir" in declared:
        path_parameters["data_dir"] = str(Path(args.data_dir).resolve())
    if (args.reference_dir is not None or args.data_dir is not None) and "reference_dir" in declared:
        path_parameters["reference_dir"] = str(Path(reference.directory).resolve())
    for name in path_parameters:
        if name in parameters:
            raise UsageError(f"参数 {name} 已由 --{name.replace('_', '-')} 给出，不能再用 -p {name}=… 指定")
    for option in ("year", "month"):
        _agree(option, getattr(args, option), parameters)
    if args.county is not None and "county" in parameters and _unit(args.county, reference) != _unit(parameters["county"], reference):
        _agree("county", args.county, parameters)  # two names of one unit (修水, 修水县) say the same
    _check_county_options(args, spec, parameters, declared)
    if args.county is not None:
        parameters = {**parameters, "county": args.county}
    if spec.check is not None:  # the report's checks of what its runs share (as the notebook will see it), before any kernel starts
        checked = spec.check({**reporting.notebook_defaults(declared), **parameters}, data_dir, reference.directory)
        parameters = {name: checked[name] for name in parameters}
    if args.all:
        if args.year is not None or "year" in parameters:
            raise UsageError("--all 与 --year 不能同时使用")
        if args.month is not None or "month" in parameters:
            raise UsageError("--all 与 --month 不能同时使用（--all 生成每个有数据的月份）")
        reporting.validate({k: v for k, v in parameters.items() if k != "year"}, data_dir)
        return _run_batch(args, reporting, spec, notebook, parameters, path_parameters, data_dir, reference, None)
    year = args.year if args.year is not None else parameters.get("year", reference.default_year)
    if args.all_counties:
        if args.year is None and "year" not in parameters:
            raise UsageError("--all-counties 须与 --year 同用（生成该年度每个县区的报告）")
        reporting.validate({**parameters, "year": year}, data_dir)
        instances = [i for i in spec.instances(data_dir, reference.directory) if i["year"] == year]
        if not instances:
            raise UsageError(f"{year} 年没有可生成的{spec.title}（没有县区的台账数据）")
        base = {k: v for k, v in parameters.items() if k != "year"}
        return _run_batch(args, reporting, spec, notebook, base, path_parameters, data_dir, reference, instances)
    parameters = {**parameters, "year": year, **reporting.month_parameter(args.month, parameters, declared)}
    reporting.validate(parameters, data_dir)
    if spec.prepare is not None:  # the report's own checks (a bulletin's month), before any kernel starts
        parameters = spec.prepare(parameters, data_dir, reference.directory)
    missing = [key for key in spec.identity if key not in parameters]
    if missing:
        raise UsageError(f"报告 {spec.name} 须给出 {'、'.join('--' + key for key in missing)}")
    out_dir = args.out or reporting.report_folder(spec, parameters, reference.city)
    owner = reporting.report_owner(spec, parameters, reference.city)  # whose folder --out may be
    check_output_folder(out_dir, reporting.protected_folders(data_dir, reference.directory), owner=owner)
    years = reporting.clean_years(parameters, data_dir, reference)  # bad ledgers: one line and exit 2 before a kernel starts
    record = reporting.run_record(spec, parameters, reference.city, years, reference.directory)
    root = reporting.catalogue_root(spec, parameters, reference.city, args.out)
    ignored = [key for key in spec.identity if key not in declared]
    if ignored:  # an analyst's notebook that takes no year: run as it is, filed under the year all the same
        cell = "没有标记为 parameters 的单元格" if not declared else f"的 parameters 单元格没有 {'、'.join(ignored)}"
        given = "、".join(f"{key}={parameters[key]}" for key in ignored)
        print(f"注意：笔记本 {notebook.name} {cell}，不接收 {given}，按笔记本本身运行", file=sys.stderr)
    try:
        reporting.run_report(
            spec, notebook, {**parameters, **path_parameters}, data_dir=data_dir, reference_dir=reference.directory, out_dir=out_dir,
            record=record, progress=shows_progress(), kernel=kernel,
        )
    except ReportError as error:
        print(str(error), file=sys.stderr)
        _print_catalogue(_catalogue(reporting, root))
        return 1
    print(f"报告已生成：{Path(out_dir).resolve() / spec.outputs()[0]}")
    print(f"请先阅读：{reporting.year_summary(years[0], data_dir)}")
    _print_catalogue(_catalogue(reporting, root))
    return 0


def _catalogue(reporting: Any, root: Path | None) -> Path | None:
    """Rebuild the catalogue of ``root``; a foreign ``index.html`` there is left alone, with a note."""
    from helpers.output.catalogue import CATALOGUE

    written = reporting.update_catalogue(root)
    if written is None and root is not None and (Path(root) / CATALOGUE).exists():
        print(f"注意：{Path(root) / CATALOGUE} 不是本工具生成的，未更新报告目录", file=sys.stderr)
    return written


def _run_batch(
    args: argparse.Namespace, reporting: Any, spec: Any, notebook: Path, parameters: dict[str, Any], path_parameters: dict[str, Any],
    data_dir: Path, reference: Reference, instances: list[dict[str, Any]] | None,
) -> int:
    """``--all`` / ``--all-counties``: the runs in parallel, one progress bar, one line per run,
    then the catalogue of the reports root (rebuilt whether runs failed or not)."""
    if args.out is not None:
        reporting.check_reports_root(args.out)
    try:
        results = reporting.run_all(
            spec, notebook, parameters, data_dir=data_dir, reference_dir=reference.directory, city=reference.city,
            out_root=args.out, notebook_data_params=path_parameters, instances=instances,
        )
    finally:
        catalogue = _catalogue(reporting, args.out or reporting.reports_dir())
    _print_batch(spec, results, data_dir, reference, catalogue)
    return max((result.status for result in results), default=0)


def command_sample(args: argparse.Namespace) -> int:
    from helpers.sample.generate import YEARS, write_sample_files

    unknown = [year for year in args.years if year not in YEARS]
    if unknown:  # the sample's figures are those of these years (2022: the published ones)
        raise UsageError(f"样例数据只有 {'、'.join(map(str, YEARS))} 年；没有 {'、'.join(map(str, unknown))} 年的样例")
    if args.scale < 1:
        raise UsageError(f"--scale 须是正整数（1 为随附的样例），不能是 {args.scale}")
    data_dir = args.data_dir or default_data_dir()
    outcome = write_sample_files(data_dir, years=args.years, scale=args.scale, force=args.force)
    written = sum(state != "unchanged" for state in outcome.values())
    unchanged = len(outcome) - written
    print(f"已写入 {written} 个样例工作簿到 {data_dir / 'raw'}" + (f"（{unchanged} 个内容相同，未改动）" if unchanged else ""))
    return 0


def command_refresh_notebooks(args: argparse.Namespace) -> int:
    from helpers.output.notebook import refresh_stored_notebook
    from helpers.paths import notebooks_dir

    for notebook in sorted(notebooks_dir().glob("*.ipynb")):
        refresh_stored_notebook(notebook, progress=True)
        print(f"已更新：{notebook.name}")
    return 0


IDENTITY_WORDS = {"year": "年度", "month": "月份", "county": "县区"}


def registered_reports_help() -> str:
    """The registered reports and their notebook parameters (``report --help``)."""
    from helpers.cli import report as reporting
    from helpers.paths import notebooks_dir
    from helpers.products.registry import REPORTS

    lines = ["已登记的报告（REPORTS）及其笔记本参数（-p 名称=值）："]
    for name, spec in REPORTS.items():
        identity = "、".join(IDENTITY_WORDS.get(key, key) for key in spec.identity)
        lines.append(f"  {name}　{spec.title}（每份报告按{identity}区分；notebooks/{spec.notebook}）")
        notebook = notebooks_dir() / spec.notebook
        if not notebook.is_file():
            lines.append("      （笔记本缺失）")
            continue
        for parameter, info in reporting.notebook_parameters(notebook).items():
            kind = info.get("inferred_type_name") or "str"
            default = info.get("default")
            explanation = info.get("help") or ""
            lines.append(f"      {parameter}: {kind} = {default}　{explanation}".rstrip())
    lines.append(
        "其他 .ipynb 笔记本（如 notebooks/scratch/ 中自己的笔记本）按年度作为临时报告运行，"
        "生成网页、Word 文档与执行后的笔记本（没有 metrics.json 与 tables.xlsx）。"
    )
    return "\n".join(lines)


EXAMPLES = {
    "clean": """\
示例：
  zhaoshang clean --year 2022
  zhaoshang clean --year 2023 --data-dir ../县区台账 --json""",
    "metrics": """\
示例：
  zhaoshang metrics --year 2022 > 2022指标.json
  zhaoshang metrics --year 2023 --month 6""",
    "report": """\
示例：
  zhaoshang report annual_review --year 2022
  zhaoshang report monthly_bulletin --year 2023 --month 6
  zhaoshang report annual_review --all                      每个有台账的年度，并行生成
  zhaoshang report annual_review --year 2022 -p campaign_start=2022-06-01 -p campaign_end=2022-09-30
  zhaoshang report county_profile --year 2022 --county 修水县
  zhaoshang report county_profile --year 2022 --all-counties
  zhaoshang report notebooks/scratch/我的分析.ipynb --year 2022
生成后打印报告网页的路径、该年度台账的读取与隔离情况，报告目录见 reports/index.html。""",
    "sample": """\
示例：
  zhaoshang sample                                  重新生成 data/raw/ 下的样例台账
  zhaoshang sample --years 2022 --data-dir /tmp/样例
  zhaoshang sample --force                          覆盖内容不同的同名工作簿""",
    "refresh-notebooks": """\
示例：
  zhaoshang refresh-notebooks                       改动 helpers 后，更新 nbval 的比对基准""",
}


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="zhaoshang",
        description="招商引资分析工具包：清洗台账、计算指标、生成报告。",
        epilog="示例：\n  zhaoshang report annual_review --year 2022\n  zhaoshang report --help      查看可生成的报告及其参数",
    )
    commands = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令")

    def command(name: str, summary: str, description: str, **kwargs: Any) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=description, epilog=EXAMPLES[name], **kwargs)

    clean = command(
        "clean",
        "清洗一个年度的台账并打印汇总",
        "清洗 <数据目录>/raw/<年度>/ 下的台账，打印每个工作表的读取、有效、隔离等行数，\n"
        "清洗结果写入 <数据目录>/processed/<年度>/。",
    )
    clean.add_argument("--year", type=integer, default=None, metavar="年度", help="年度（默认：settings.yaml 中的 default_year）")
    clean.add_argument("--json", action="store_true", help="以 JSON 输出各工作表的行数统计")
    _add_dirs(clean)
    clean.set_defaults(handler=command_clean)

    metrics = command(
        "metrics",
        "计算一个年度的全部指标并以 JSON 输出（键名同 data/published/）",
        "计算一个年度（或 1 月至某月末）的全部指标，以 JSON 打印，键名与 data/published/ 相同。",
    )
    metrics.add_argument("--year", type=integer, default=None, metavar="年度", help="年度（默认：settings.yaml 中的 default_year）")
    metrics.add_argument("--month", type=integer, default=None, metavar="月份", help="月份 1–12：计算 1 月至该月末的累计数（月度通报口径）")
    metrics.add_argument("--force", action="store_true", help="月份超出台账最新月份时仍然计算")
    _add_dirs(metrics)
    metrics.set_defaults(handler=command_metrics)

    report = command(
        "report",
        "用 papermill 运行笔记本并生成报告（HTML、Word、ipynb、metrics.json、tables.xlsx）",
        "运行已登记的报告（或任一 .ipynb 笔记本）并发布到 reports/<城市>/<年度>/<报告>/…\n"
        "发布是原子的：失败时保留上一次的报告，失败的笔记本存入该报告的 failed/。\n"
        "每次发布后（成功或失败）更新报告目录 reports/index.html。",
        more_help=registered_reports_help,
    )
    report.add_argument("notebook", metavar="报告", help="报告名称（如 annual_review）或笔记本 .ipynb 的路径")
    report.add_argument("--year", type=integer, default=None, metavar="年度", help="年度（默认：settings.yaml 中的 default_year）")
    report.add_argument("--month", type=integer, default=None, metavar="月份", help="月份 1–12（月度通报；默认：台账最新月份）")
    report.add_argument("--county", default=None, metavar="县区", help="县区名称（按县区生成的报告，如 county_profile）")
    report.add_argument("--all", action="store_true", help="为每个有台账的年度（月度通报：每个月份；县区报告：每个县区）并行生成报告")
    report.add_argument("--all-counties", action="store_true", help="与 --year 同用：为该年度每个县区并行生成报告")
    report.add_argument("-p", "--parameter", action="append", metavar="名称=值", help="笔记本参数，可重复（参数表见下）")
    report.add_argument(
        "--out",
        type=absolute_path,
        default=None,
        metavar="目录",
        help="输出目录：须为新的或空的文件夹，或本工具以前生成的报告目录（默认：reports/<城市>/<年度>/<报告>/；与 --all 同用时为根目录）",
    )
    _add_dirs(report)
    report.set_defaults(handler=command_report)

    sample = command(
        "sample", "生成合成样例台账（固定随机种子）",
        "按固定随机种子生成 2020–2023 年的合成样例台账（<数据目录>/raw/<年度>/*.xlsx）。\n"
        "不覆盖内容不同的已有文件（除非 --force），内容相同的文件不改动，其他文件一概不碰。",
    )
    sample.add_argument("--years", type=integer, nargs="+", default=[2020, 2021, 2022, 2023], metavar="年度", help="年度")
    sample.add_argument("--scale", type=integer, default=1, metavar="倍数", help="项目、外出与项目信息的倍数（基准测试用，勿提交）")
    sample.add_argument(
        "--data-dir", type=absolute_path, default=None, metavar="目录", help="输出数据目录（默认：项目的 data/；相对路径以当前目录为准）"
    )
    sample.add_argument("--force", action="store_true", help="覆盖内容不同的同名工作簿")
    sample.set_defaults(handler=command_sample)

    refresh = command(
        "refresh-notebooks", "用默认参数重新运行 notebooks/ 中的笔记本并保存输出（nbval 的比对基准）",
        "用默认参数重新运行 notebooks/*.ipynb 并保存输出，作为 nbval 的新比对基准（notebooks/scratch/ 中的个人笔记本不在内）。",
    )
    refresh.set_defaults(handler=command_refresh_notebooks)
    return parser


def write_bug_log(error: BaseException, argv: Sequence[str] | None) -> Path:
    """Keep the traceback of a bug in ``<temp>/zhaoshang-logs/``; returns the file."""
    from importlib.metadata import version

    folder = Path(tempfile.gettempdir()) / "zhaoshang-logs"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"zhaoshang-{stamp}-{os.getpid()}.log"
    command = " ".join(["zhaoshang", *(sys.argv[1:] if argv is None else argv)])
    lines = [f"command: {command}", f"helpers: {version('zhaoshang-helpers')}  python: {sys.version.split()[0]}", ""]
    path.write_text("\n".join(lines) + "".join(traceback.format_exception(error)), encoding="utf-8")
    return path


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the final flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run one sub-command; bad input → one line and exit 2, a failed report → 1,
    a bug → 1 with one line naming the log file that keeps the traceback."""

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help (0) or an argument error (2, one line already printed)
        return stop.code if isinstance(stop.code, int) else EXIT_BAD_INPUT
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (main called from a thread): the caller's signals
        previous = None
    unraisable = sys.unraisablehook
    if previous is not None:
        sys.unraisablehook = _signal_again(unraisable)
    try:
        return _run(handler, args, argv)
    finally:
        sys.unraisablehook = unraisable
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    # papermill's and nbclient's English log lines ("Kernel died while waiting for execute reply.") say what the
    # kit's own Chinese error then says; a command's output is the kit's lines only
    quiet = logging.NullHandler()
    logging.getLogger("papermill").addHandler(quiet)
    try:
        return _handled(handler, args, argv)
    finally:
        logging.getLogger("papermill").removeHandler(quiet)


def _handled(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    try:
        status = handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except InputError as error:
        print(f"错误：{_one_line(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # zhaoshang metrics | head
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except ReportFailure as error:
        print(str(error), file=sys.stderr)
        return EXIT_REPORT_FAILED
    except Terminated:
        print("已终止。", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:
        if error.errno not in ENVIRONMENT_ERRNOS:
            return _bug(error, argv)
        where = f"：{error.filename}" if error.filename else ""
        print(f"错误：无法读写文件或文件夹{where}（{os_reason(error)}）", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - anything else is a bug in the kit
        return _bug(error, argv)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split("\n"))


def _bug(error: BaseException, argv: Sequence[str] | None) -> int:
    try:
        log = f"详细信息已写入 {write_bug_log(error, argv)}"
    except OSError:
        log = "（日志文件无法写入）"
    first = _one_line(error)[:300]
    print(f"内部错误（本工具的缺陷，不是输入的问题）：{type(error).__name__}: {first}；{log}，请附上该文件报告问题", file=sys.stderr)
    return EXIT_REPORT_FAILED
