"""``zhaoshang report``: validate parameters, run a registered report's notebook, publish it.

Parameters are checked before any kernel starts (unknown name, malformed value, a year with no
ledgers → ``UsageError``, exit 2). The report folder gets the rendered HTML, the executed
notebook, ``metrics.json`` and ``tables.xlsx``; it is replaced in one step or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers.errors import ReportError, UsageError
from helpers.paths import available_years, notebooks_dir, processed_dir, reports_dir
from helpers.products.registry import REPORTS, ReportSpec, adhoc_report, report_spec

ANNUAL_REVIEW = "annual_review"
TRUE_WORDS = {"true", "1", "yes", "是"}
FALSE_WORDS = {"false", "0", "no", "否"}


@dataclass(frozen=True)
class RunResult:
    """One run of a batch: its identity, the folder, the first error line (None: done) and the
    exit status (0, 2 for bad input, 1 otherwise)."""

    identity: dict[str, Any]
    folder: Path
    error: str | None = None
    status: int = 0
    record: dict[str, Any] = field(default_factory=dict)


def resolve_report(name: str) -> tuple[ReportSpec, Path]:
    """A registered report's name (``annual_review``) or a notebook's path → (spec, notebook file).

    A notebook outside the registry (an analyst's own) is run as an ad-hoc report of a year.
    """
    candidate = Path(name)
    if candidate.suffix == ".ipynb":
        from helpers.output.notebook import read_notebook

        read_notebook(candidate)  # no such file, or not a notebook: one line, exit 2
        notebook = candidate.resolve()
        spec = report_spec(notebook.name)
        if spec is not None and notebook == (notebooks_dir() / spec.notebook).resolve():
            return spec, notebook
        return adhoc_report(notebook), notebook
    spec = report_spec(name)
    if spec is None or not (notebooks_dir() / spec.notebook).is_file():
        raise UsageError(f"没有名为 {name} 的报告；可用：{'、'.join(REPORTS)}（或给出笔记本 .ipynb 的路径）")
    return spec, notebooks_dir() / spec.notebook


def notebook_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    """The parameters declared in the notebook's ``parameters`` cell (papermill's inspection)."""
    from helpers.output.notebook import inspect_parameters

    return inspect_parameters(notebook)


def notebook_defaults(declared: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The literal defaults of the notebook's parameters (:func:`notebook_parameters`); a default
    that is not a literal is left out.

    >>> notebook_defaults({"rows": {"default": '"county"'}, "year": {"default": "2022"}, "x": {"default": "f()"}})
    {'rows': 'county', 'year': 2022}
    """
    import ast

    defaults = {}
    for name, parameter in declared.items():
        try:
            defaults[name] = ast.literal_eval(str(parameter.get("default")))
        except (ValueError, SyntaxError):
            continue
    return defaults


def _convert(name: str, text: str, type_name: str) -> Any:
    try:
        if type_name == "int":
            return int(text)
        if type_name == "float":
            return float(text)
        if type_name == "bool":
            lowered = text.strip().lower()
            if lowered in TRUE_WORDS | FALSE_WORDS:
                return lowered in TRUE_WORDS
            raise ValueError(text)
    except ValueError:
        raise UsageError(f"参数 {name} 的值 {text!r} 不是有效的 {type_name}") from None
    return text


def parse_parameters(pairs: list[str], declared: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``["year=2022", "campaign_start=2022-06-01"]`` → typed values, checked against the notebook."""
    values: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"参数 {pair!r} 应写成 名称=值")
        name, text = pair.split("=", 1)
        name = name.strip()
        if name not in declared:
            raise UsageError(f"未知参数 {name}；该笔记本的参数有：{'、'.join(declared)}")
        values[name] = _convert(name, text, declared[name].get("inferred_type_name", "str"))
    return values


def month_parameter(month: int | None, parameters: dict[str, Any], declared: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``--month`` as a notebook parameter (``{}`` when not given); only a notebook with a
    ``month`` parameter takes it, and ``-p month=…`` must agree."""
    if month is None:
        return {}
    if "month" not in declared:
        raise UsageError("该报告没有 month 参数（--month 用于月度通报 monthly_bulletin）")
    if "month" in parameters and parameters["month"] != month:
        raise UsageError(f"--month {month} 与 -p month={parameters['month']} 矛盾，请只给出一个")
    return {"month": month}


def _check_date(name: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"参数 {name} 的值 {value!r} 不是 YYYY-MM-DD 格式的日期") from None


def validate(parameters: dict[str, Any], data_dir: Path) -> None:
    """Domain checks of the parameters: years with ledgers, well-formed campaign window."""
    years = available_years(data_dir)
    listed = "、".join(map(str, years)) or "（无）"
    year = parameters.get("year")
    if year is not None and year not in years:
        raise UsageError(f"{year} 年没有台账数据（{data_dir / 'raw' / str(year)}）；已有年度：{listed}")
    compare_year = parameters.get("compare_year")
    if compare_year and year is not None and compare_year >= year:
        raise UsageError(f"对比年度 {compare_year} 须早于分析年度 {year}（0 表示上一年）")
    if compare_year and compare_year not in years:
        raise UsageError(f"对比年度 {compare_year} 没有台账数据；已有年度：{listed}")
    start = _check_date("campaign_start", parameters.get("campaign_start"))
    end = _check_date("campaign_end", parameters.get("campaign_end"))
    if (start is None) != (end is None):
        raise UsageError("campaign_start 与 campaign_end 须同时给出")
    if start and end and start > end:
        raise UsageError(f"攻坚行动开始日期 {start} 晚于结束日期 {end}")
    if start and end and year is not None and (end.year < year or start.year > year):  # the year's ledgers know nothing of it
        raise UsageError(f"攻坚行动窗口 {start} 至 {end} 与分析年度 {year} 没有重叠；请给出 {year} 年内的日期")


def report_folder(spec: ReportSpec, parameters: dict[str, Any], city: str, root: Path | None = None) -> Path:
    """``<root>/<city>/<year>/<report>/…`` (root: the project's ``reports/``): the path names the report."""
    return (root or reports_dir()) / city / Path(spec.folder(parameters))


def protected_folders(data_dir: Path, reference_dir: Path) -> list[Path]:
    """Folders no report may be written into or over: the data, the reference tables, the notebooks."""
    return [Path(data_dir), Path(reference_dir), notebooks_dir()]


def clean_years(parameters: dict[str, Any], data_dir: Path, reference: Any, loaded: dict[int, Any] | None = None) -> list[Any]:
    """Clean (or read from the cache) the report's year and its comparison year in this process,
    so that an unreadable workbook or a broken ledger is one line and exit 2 before a kernel
    starts — as from ``zhaoshang clean`` — and the kernel reads the cache. Returns the clean
    years (the report's year first; the comparison year when it has ledgers). ``loaded`` (year →
    clean year, or None for a year without ledgers) is shared by the runs of a batch, so that a
    year that is one run's and the next run's comparison year is read once."""
    from helpers.ingest.cache import load_year, load_year_if_available

    loaded = {} if loaded is None else loaded
    year = parameters["year"]
    if loaded.get(year) is None:
        loaded[year] = load_year(year, data_dir, reference)
    compare_year = parameters.get("compare_year") or year - 1
    if compare_year not in loaded:
        loaded[compare_year] = load_year_if_available(compare_year, data_dir, reference)
    current, previous = loaded[year], loaded[compare_year]
    return [current] + ([previous] if previous is not None else [])


def inputs_digest(years: Iterable[Any], reference_dir: Path) -> str:
    """SHA-256 over what a run reads: every workbook of its clean years (by name and content hash)
    and every reference table. The same ledgers and tables give the same digest on any machine."""
    from helpers.ingest.cache import file_sha256

    digest = hashlib.sha256()
    for clean in years:
        for name, sha in zip(clean.inputs["file"], clean.inputs["sha256"], strict=True):
            digest.update(f"raw/{clean.year}/{name}:{sha}\n".encode())
    for path in sorted(Path(reference_dir).glob("*")):
        if path.is_file():
            digest.update(f"reference/{path.name}:{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def report_owner(spec: ReportSpec, parameters: dict[str, Any], city: str, inputs: str = "") -> dict[str, Any]:
    """Which report one run publishes, as its marker says it (:func:`helpers.output.publish.run_record`):
    what ``--out`` is checked against before the inputs are read (``inputs`` empty)."""
    from helpers.output import publish

    identity = {key: parameters[key] for key in spec.identity}
    record = publish.run_record(Path(spec.notebook).stem, title=spec.title, city=city, parameters=identity, inputs=inputs)
    return {**record, "notebook": spec.source} if spec.source else record


def run_record(spec: ReportSpec, parameters: dict[str, Any], city: str, years: Iterable[Any], reference_dir: Path) -> dict[str, Any]:
    """The marker's account of one run: :func:`report_owner` with the digest of its inputs."""
    return report_owner(spec, parameters, city, inputs_digest(years, reference_dir))


def year_summary(clean: Any, data_dir: Path) -> str:
    """What to read first after a run: the year's rows read, clean, quarantined and warned about,
    and where the quarantined rows are."""
    counts = clean.counts()
    read = sum(row["rows_read"] for row in counts.values())
    valid = sum(row["clean"] for row in counts.values())
    quarantine = (processed_dir(Path(data_dir), clean.year) / "quarantine.csv").resolve()
    return (
        f"{clean.year}年台账：读取 {read} 行，有效 {valid} 行，隔离 {len(clean.quarantine)} 行，警告 {len(clean.warnings)} 条"
        f"；隔离明细：{quarantine}"
    )


def catalogue_root(spec: ReportSpec, parameters: dict[str, Any], city: str, out_dir: Path | None) -> Path | None:
    """The reports root whose catalogue a single run updates: the project's ``reports/``; with
    ``--out``, the root of the registry's layout when ``--out`` follows it
    (``<root>/<city>/<year>/<report>/…``), else the nearest folder above ``--out`` that holds
    the kit's catalogue, else none (a report published on its own)."""
    from helpers.output.catalogue import CATALOGUE, is_kit_catalogue

    if out_dir is None:
        return reports_dir()
    relative = Path(city) / Path(spec.folder(parameters))
    out = Path(out_dir).resolve()
    if out.parts[-len(relative.parts):] == relative.parts:
        return Path(*out.parts[: -len(relative.parts)])
    return next((parent for parent in out.parents if is_kit_catalogue(parent / CATALOGUE)), None)


def check_reports_root(root: Path) -> None:
    """A batch's ``--out`` is a reports root (``<root>/<city>/<year>/<report>/…`` and the catalogue
    ``index.html``): it must be new, empty or already the kit's (its catalogue, or a report the
    kit published below it); a user's folder is refused (:class:`UsageError`), as for a single run."""
    from helpers.output.catalogue import CATALOGUE, is_kit_catalogue
    from helpers.output.publish import MARKER, some_names

    root = Path(root)
    if not root.exists():
        return
    if not root.is_dir():
        raise UsageError(f"输出位置 {root} 是已有的文件，不是文件夹；为免覆盖，请指定新的文件夹")
    entries = sorted(path.name for path in root.iterdir())
    # the registry's layout only (a user's big folder is not walked): <city>/<year>/<report>/[<MM>|<county>/]
    published = any(next(root.glob(pattern), None) is not None for pattern in (f"*/*/*/{MARKER}", f"*/*/*/*/{MARKER}"))
    if not entries or is_kit_catalogue(root / CATALOGUE) or published:
        return
    shown = some_names(entries)
    raise UsageError(f"输出文件夹已有不是本工具生成的文件，为免写入其中拒绝运行：{root}（含 {shown}）；请指定新的或空的文件夹")


def update_catalogue(root: Path | None) -> Path | None:
    """Rebuild ``root/index.html`` (None: no root, or an ``index.html`` that is not the kit's)."""
    from helpers.output.catalogue import write_catalogue

    if root is None or not Path(root).is_dir():
        return None
    # kinds in the registry's order (annual review, bulletin, county profile, exploration)
    return write_catalogue(Path(root), {name: spec.title for name, spec in REPORTS.items()})


def start_kernel(notebook: Path) -> Any:
    """The kernel of a single run, started before the checks so that its start-up overlaps them
    (:class:`helpers.output.notebook.EarlyKernel`; None when it could not start). A context
    manager: shut down on exit unless :func:`run_report` used it."""
    from contextlib import nullcontext

    from helpers.output.notebook import EarlyKernel

    kernel = EarlyKernel.start(notebook)
    return kernel if kernel is not None else nullcontext()


def run_report(
    spec: ReportSpec,
    notebook: Path,
    parameters: dict[str, Any],
    *,
    data_dir: Path,
    reference_dir: Path,
    out_dir: Path,
    progress: bool = True,
    record: dict[str, Any] | None = None,
    kernel: Any = None,
) -> Path:
    """Execute and publish one report (the notebook gets ``parameters`` as given), with the
    extra files its registry entry declares. ``record`` (:func:`run_record`) goes into the
    folder's marker: published with the report, or, when a cell fails, noted as the failure kept
    in ``failed/`` beside the previous report. ``kernel``: one started early for this notebook
    (:func:`start_kernel`)."""
    from helpers.output import publish
    from helpers.output.notebook import run_notebook_report

    def extra_files(folder: Path) -> None:
        if spec.extra_files is not None:
            spec.extra_files(folder, parameters, data_dir, reference_dir)
        if record is not None:  # published with the report, in the same swap
            publish.write_marker(folder, record)

    declared = notebook_parameters(notebook)
    try:
        return run_notebook_report(
            notebook,
            out_dir,
            # what the notebook declares (an analyst's notebook may take no year, or no parameters at all)
            {name: value for name, value in parameters.items() if name in declared},
            report_name=Path(spec.notebook).stem,
            extra_files=extra_files,
            kernel_files=spec.kernel_files,
            progress=progress,
            protected=protected_folders(data_dir, reference_dir),
            kernel=kernel,
            # a single run (its kernel started early) has a core to spare for the Word document; a batch's workers have not
            word_process=kernel is not None,
            owner=record,
        )
    except ReportError as error:
        if record is not None:
            publish.record_failure(Path(out_dir), record, str(error), error.failed_notebook)
        raise


def _run_one(
    spec: ReportSpec, notebook: Path, parameters: dict[str, Any], data_dir: Path, reference_dir: Path, out_dir: Path,
    record: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], str | None, int]:
    """One run of a batch, in a worker process: (identity, first line of the error or None, exit
    status: 0, 2 for bad input, 1 otherwise)."""
    from helpers.errors import EXIT_BAD_INPUT, EXIT_REPORT_FAILED, InputError, KitError

    if _ENDING.is_set():  # asked to end: a run the executor had already queued for this worker does not start
        raise KeyboardInterrupt
    identity = {key: parameters[key] for key in spec.identity}
    try:
        run_report(
            spec, notebook, parameters, data_dir=data_dir, reference_dir=reference_dir, out_dir=out_dir, progress=False, record=record
        )
        return identity, None, 0
    except KitError as error:
        status = EXIT_BAD_INPUT if isinstance(error, InputError) else EXIT_REPORT_FAILED
        return identity, str(error).splitlines()[0], status


def run_all(
    spec: ReportSpec,
    notebook: Path,
    base_parameters: dict[str, Any],
    *,
    data_dir: Path,
    reference_dir: Path,
    city: str,
    out_root: Path | None,
    notebook_data_params: dict[str, Any],
    workers: int = 2,
    instances: list[dict[str, Any]] | None = None,
    show_progress: bool | None = None,
) -> list[RunResult]:
    """Every run of ``spec`` (``instances``; default: ``spec.instances``, e.g. every year with
    ledgers) in parallel worker processes, with one progress bar; each year is cleaned once
    beforehand so that workers never clean the same year concurrently, and every target folder
    is checked before any kernel starts. Results are sorted by identity."""
    from helpers.output.publish import check_output_folder
    from helpers.progress import progress
    from helpers.reference import load_reference

    reference = load_reference(reference_dir)
    if instances is None:
        instances = spec.instances(data_dir, reference_dir)
    targets = [report_folder(spec, instance, city, out_root) for instance in instances]
    owners = [report_owner(spec, {**base_parameters, **instance}, city) for instance in instances]
    for target, owner in zip(targets, owners, strict=True):  # every target is checked before any kernel starts
        check_output_folder(target, protected_folders(data_dir, reference_dir), owner=owner)
    records, cleaned = [], {}
    loaded: dict[int, Any] = {}
    for instance in instances:
        parameters = {**base_parameters, **instance}
        key = (parameters["year"], parameters.get("compare_year"))
        if key not in cleaned:
            cleaned[key] = clean_years(parameters, data_dir, reference, loaded)
        records.append(run_record(spec, parameters, city, cleaned[key], reference_dir))
    results = []
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(instances) or 1)), initializer=_batch_worker) as pool:
        futures = {
            pool.submit(
                _run_one, spec, notebook, {**base_parameters, **notebook_data_params, **instance}, data_dir, reference_dir, target, record
            ): (target, record)
            for instance, target, record in zip(instances, targets, records, strict=True)
        }
        try:
            bar = progress(as_completed(futures), total=len(futures), description=f"生成{spec.title}", enabled=show_progress, unit="份")
            for future in bar:
                identity, error, status = future.result()
                target, record = futures[future]
                results.append(RunResult(identity, Path(target), error, status, record))
        except BaseException:  # Ctrl-C, SIGTERM: no further run starts, the running ones end as a single run ends
            _stop_batch(pool)
            raise
    return sorted(results, key=lambda result: tuple(_identity_key(result.identity[key]) for key in spec.identity))


#: Set in a batch worker that got SIGTERM (per process: the state of a signal, not of a run).
_ENDING = threading.Event()


def _interrupted(signum: int, frame: Any) -> None:
    """A batch worker asked to end: what its kernel client prints while unwinding (nbclient's tasks
    of a kernel that is gone) is noise, since the parent says that the batch was interrupted."""
    import os

    _ENDING.set()
    with open(os.devnull, "w") as devnull:  # noqa: PTH123
        os.dup2(devnull.fileno(), 2)
    raise KeyboardInterrupt


def _batch_worker() -> None:
    """A batch worker leaves Ctrl-C at a terminal (SIGINT to the whole process group) to the
    parent, which ends the batch, and ends its run on SIGTERM like a single run ends on Ctrl-C:
    its kernel shut down, its staging folder removed, the previous report kept."""
    import signal

    from helpers.processes import end_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupted)
    end_with_parent()


def _stop_batch(pool: ProcessPoolExecutor) -> None:
    """Cancel the runs not started and ask the running ones to end (SIGTERM), then wait for them."""
    import signal

    from helpers.output.notebook import stop_pool

    stop_pool(pool, signal.SIGTERM)


def _identity_key(value: Any) -> tuple[int, Any]:
    """Numbers in numeric order, names in text order."""
    return (0, value) if isinstance(value, int) and not isinstance(value, bool) else (1, str(value))
