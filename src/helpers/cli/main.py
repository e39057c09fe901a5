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
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.errors import EXIT_BAD_INPUT, EXIT_REPORT_FAILED, InputError, ReportError, ReportFailure, UsageError
from helpers.normalize import display_width
from helpers.paths import default_data_dir, default_reference_dir

if TYPE_CHECKING:
    from helpers.reference import Reference

#: Exit status after a closed pipe (128 + SIGPIPE), as a command killed by SIGPIPE reports it.
EXIT_BROKEN_PIPE = 141
EXIT_INTERRUPTED = 130
# errors of the file system that come from where the user pointed the kit, not from a bug
ENVIRONMENT_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.ENOTDIR, errno.EISDIR, errno.EEXIST}


def _add_dirs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=None, help="数据目录（默认：项目的 data/）")
    parser.add_argument(
        "--reference-dir", type=Path, default=None, help="参考数据目录（默认：数据目录下的 reference/，否则项目的 data/reference/）"
    )


def _year_data(args: argparse.Namespace) -> tuple[Path, Reference]:
    from helpers.reference import load_reference

    data_dir = args.data_dir or default_data_dir()
    reference_dir = args.reference_dir
    if reference_dir is None:  # a data folder may carry its own reference tables
        reference_dir = data_dir / "reference" if (data_dir / "reference").is_dir() else default_reference_dir()
    return data_dir, load_reference(reference_dir)


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


def command_report(args: argparse.Namespace) -> int:
    from helpers.cli import report as reporting
    from helpers.output.publish import check_output_folder

    data_dir, reference = _year_data(args)
    spec, notebook = reporting.resolve_report(args.notebook)
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
    if args.all:
        if args.year is not None or "year" in parameters:
            raise UsageError("--all 与 --year 不能同时使用")
        if args.month is not None or "month" in parameters:
            raise UsageError("--all 与 --month 不能同时使用（--all 生成每个有数据的月份）")
        reporting.validate({k: v for k, v in parameters.items() if k != "year"}, data_dir)
        results = reporting.run_all(
            spec, notebook, parameters, data_dir=data_dir, reference_dir=reference.directory, city=reference.city,
            out_root=args.out, notebook_data_params=path_parameters,
        )
        for identity, error, _status in results:
            label = " ".join(str(value) for value in identity.values())
            print(f"{label}: {'失败 — ' + error if error else '完成'}")
        return max((status for _, _, status in results), default=0)
    if args.year is not None and "year" in parameters and parameters["year"] != args.year:
        raise UsageError(f"--year {args.year} 与 -p year={parameters['year']} 矛盾，请只给出一个")
    year = args.year if args.year is not None else parameters.get("year", reference.default_year)
    parameters = {**parameters, "year": year, **reporting.month_parameter(args.month, parameters, declared)}
    reporting.validate(parameters, data_dir)
    if spec.prepare is not None:  # the report's own checks (a bulletin's month), before any kernel starts
        parameters = spec.prepare(parameters, data_dir, reference.directory)
    out_dir = args.out or reporting.report_folder(spec, parameters, reference.city)
    check_output_folder(out_dir, reporting.protected_folders(data_dir, reference.directory))
    reporting.clean_years(parameters, data_dir, reference)  # bad ledgers: one line and exit 2 before a kernel starts
    try:
        reporting.run_report(
            spec, notebook, {**parameters, **path_parameters}, data_dir=data_dir, reference_dir=reference.directory, out_dir=out_dir
        )
    except ReportError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"报告已生成：{Path(out_dir).resolve() / spec.outputs()[0]}")
    return 0


def command_sample(args: argparse.Namespace) -> int:
    from helpers.sample.generate import write_sample

    data_dir = args.data_dir or default_data_dir()
    written = write_sample(data_dir, years=args.years, scale=args.scale)
    print(f"已写入 {len(written)} 个样例工作簿到 {data_dir / 'raw'}")
    return 0


def command_refresh_notebooks(args: argparse.Namespace) -> int:
    from helpers.output.notebook import refresh_stored_notebook
    from helpers.paths import notebooks_dir

    for notebook in sorted(notebooks_dir().glob("*.ipynb")):
        refresh_stored_notebook(notebook, progress=True)
        print(f"已更新：{notebook.name}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhaoshang", description="招商引资分析工具包")
    commands = parser.add_subparsers(dest="command", required=True)

    clean = commands.add_parser("clean", help="清洗一个年度的台账并打印汇总")
    clean.add_argument("--year", type=int, default=None, help="年度（默认：settings.yaml 中的 default_year）")
    clean.add_argument("--json", action="store_true", help="以 JSON 输出各工作表的行数统计")
    _add_dirs(clean)
    clean.set_defaults(handler=command_clean)

    metrics = commands.add_parser("metrics", help="计算一个年度的全部指标并以 JSON 输出（键名同 data/published/）")
    metrics.add_argument("--year", type=int, default=None, help="年度（默认：settings.yaml 中的 default_year）")
    metrics.add_argument("--month", type=int, default=None, help="月份 1–12：计算 1 月至该月末的累计数（月度通报口径）")
    metrics.add_argument("--force", action="store_true", help="月份超出台账最新月份时仍然计算")
    _add_dirs(metrics)
    metrics.set_defaults(handler=command_metrics)

    report = commands.add_parser("report", help="用 papermill 运行笔记本并生成报告（HTML、ipynb、metrics.json、tables.xlsx）")
    report.add_argument("notebook", help="笔记本名称（如 annual_review）或路径")
    report.add_argument("--year", type=int, default=None, help="年度（默认：settings.yaml 中的 default_year）")
    report.add_argument("--month", type=int, default=None, help="月份 1–12（月度通报；默认：台账最新月份）")
    report.add_argument("--all", action="store_true", help="为 data/raw/ 下的每个年度并行生成报告")
    report.add_argument("-p", "--parameter", action="append", metavar="名称=值", help="笔记本参数，可重复")
    report.add_argument(
        "--out",
        type=Path,
        default=None,
        help="输出目录：须为新的或空的文件夹，或本工具以前生成的报告目录（默认：reports/<城市>/<年度>/<报告>/；与 --all 同用时为根目录）",
    )
    _add_dirs(report)
    report.set_defaults(handler=command_report)

    sample = commands.add_parser("sample", help="生成合成样例台账（固定随机种子）")
    sample.add_argument("--years", type=int, nargs="+", default=[2020, 2021, 2022, 2023], help="年度")
    sample.add_argument("--scale", type=int, default=1, help="项目、外出与项目信息的倍数（基准测试用，勿提交）")
    sample.add_argument("--data-dir", type=Path, default=None, help="输出数据目录（默认：项目的 data/）")
    sample.set_defaults(handler=command_sample)

    refresh = commands.add_parser("refresh-notebooks", help="用默认参数重新运行 notebooks/ 中的笔记本并保存输出（nbval 的比对基准）")
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
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
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
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:
        if error.errno not in ENVIRONMENT_ERRNOS:
            return _bug(error, argv)
        where = f"：{error.filename}" if error.filename else ""
        print(f"错误：无法读写文件或文件夹{where}（{error.strerror}）", file=sys.stderr)
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
