"""``zhaoshang report``: validate parameters, run a notebook with papermill, publish the report.

Parameters are checked before any kernel starts (unknown name, malformed value, a year with no
ledgers → ``UsageError``, exit 2). The report folder gets the rendered HTML, the executed
notebook, ``metrics.json`` and ``tables.xlsx``; it is replaced in one step or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from helpers.paths import available_years, notebooks_dir, reports_dir

ANNUAL_REVIEW = "annual_review"
TRUE_WORDS = {"true", "1", "yes", "是"}
FALSE_WORDS = {"false", "0", "no", "否"}


class UsageError(Exception):
    """A bad parameter: reported in one line, exit status 2."""


def resolve_notebook(name: str) -> Path:
    """``annual_review`` or a path → the notebook file."""
    candidate = Path(name)
    if candidate.suffix == ".ipynb" and candidate.is_file():
        return candidate.resolve()
    path = notebooks_dir() / f"{candidate.stem}.ipynb"
    if not path.is_file():
        known = "、".join(sorted(p.stem for p in notebooks_dir().glob("*.ipynb")))
        raise UsageError(f"没有名为 {name} 的笔记本；可用：{known}")
    return path


def notebook_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    """The parameters declared in the notebook's ``parameters`` cell (papermill's inspection)."""
    import papermill

    return dict(papermill.inspect_notebook(str(notebook)))


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
    if compare_year and compare_year not in years:
        raise UsageError(f"对比年度 {compare_year} 没有台账数据；已有年度：{listed}")
    start = _check_date("campaign_start", parameters.get("campaign_start"))
    end = _check_date("campaign_end", parameters.get("campaign_end"))
    if (start is None) != (end is None):
        raise UsageError("campaign_start 与 campaign_end 须同时给出")
    if start and end and start > end:
        raise UsageError(f"攻坚行动开始日期 {start} 晚于结束日期 {end}")


def write_outputs(out_dir: Path, parameters: dict[str, Any], data_dir: Path, reference_dir: Path) -> None:
    """metrics.json and tables.xlsx of the review (computed in this process, from the cache)."""
    from helpers import review as rv
    from helpers.excel_out import write_tables_xlsx

    review = rv.build_review(
        parameters["year"],
        data_dir,
        reference_dir,
        compare_year=parameters.get("compare_year") or None,
        campaign_start=parameters.get("campaign_start", ""),
        campaign_end=parameters.get("campaign_end", ""),
    )
    metrics = {"year": review.year, **review.metrics}
    (out_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_tables_xlsx(rv.report_tables(review), out_dir / "tables.xlsx", period=f"{review.reference.city}　{review.year}年度")


def run_report(
    notebook: Path,
    parameters: dict[str, Any],
    *,
    data_dir: Path,
    reference_dir: Path,
    out_dir: Path,
    progress: bool = True,
) -> Path:
    """Execute and publish one report (the notebook gets ``parameters`` as given).

    The annual review also gets ``metrics.json`` and ``tables.xlsx``; other notebooks (such as
    ``explore``) publish their HTML and executed notebook only.
    """
    from helpers.render import run_notebook_report

    def annual_review_outputs(folder: Path) -> None:
        write_outputs(folder, parameters, data_dir, reference_dir)

    return run_notebook_report(
        notebook,
        out_dir,
        parameters,
        extra_files=annual_review_outputs if notebook.stem == ANNUAL_REVIEW else None,
        progress=progress,
    )


def _run_year(notebook: Path, parameters: dict[str, Any], data_dir: Path, reference_dir: Path, out_dir: Path) -> tuple[int, str | None]:
    from helpers.render import ReportError

    try:
        run_report(notebook, parameters, data_dir=data_dir, reference_dir=reference_dir, out_dir=out_dir, progress=False)
        return parameters["year"], None
    except ReportError as error:
        return parameters["year"], str(error).splitlines()[0]


def run_all(
    notebook: Path,
    base_parameters: dict[str, Any],
    *,
    data_dir: Path,
    reference_dir: Path,
    out_root: Path | None,
    notebook_data_params: dict[str, Any],
    workers: int = 2,
) -> list[tuple[int, str | None]]:
    """Every year of ``data/raw`` in parallel worker processes, each year cleaned once beforehand."""
    from tqdm.auto import tqdm

    from helpers.cache import load_year
    from helpers.reference import load_reference

    reference = load_reference(reference_dir)
    years = available_years(data_dir)
    for year in years:  # warm the cache once, so workers never clean the same year concurrently
        load_year(year, data_dir, reference)
    results = []
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(years)))) as pool:
        futures = [
            pool.submit(
                _run_year,
                notebook,
                {**base_parameters, **notebook_data_params, "year": year},
                data_dir,
                reference_dir,
                (out_root or reports_dir()) / str(year),
            )
            for year in years
        ]
        with tqdm(total=len(futures), desc="生成年度报告", unit="年") as bar:
            for future in as_completed(futures):
                results.append(future.result())
                bar.update(1)
    return sorted(results)
