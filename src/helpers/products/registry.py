"""The report registry: every report the kit publishes, declared once.

A report declares its notebook, the parameters that identify one run (``year``; ``year`` and
``month``; ``year`` and ``county``), the folder a run publishes into (under
``reports/<city>/``) and the files it adds beside the HTML and the executed notebook. The CLI,
``--all`` and publishing work from this table; nothing elsewhere names a report.

>>> spec = REPORTS["annual_review"]
>>> spec.identity, spec.folder({"year": 2022}).as_posix()
(('year',), '2022/annual_review')
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from helpers.paths import available_years

__all__ = ["REPORTS", "ReportSpec", "adhoc_report", "report_spec"]

#: Writes a report's extra files into the staging folder: (folder, parameters, data_dir, reference_dir).
ExtraFiles = Callable[[Path, Mapping[str, Any], Path, Path], None]
#: Code the report's kernel runs after the notebook's last cell to write its extra files into the
#: staging folder (folder → code), from what the notebook computed.
KernelFiles = Callable[[Path], str]
#: The runs of ``--all``: (data_dir, reference_dir) → the identity parameters of each run.
Runs = Callable[[Path, Path | None], list[dict[str, Any]]]
#: Checks and completes one run's parameters before a kernel starts: (parameters, data_dir, reference_dir) → parameters.
Prepare = Callable[[dict[str, Any], Path, Path], dict[str, Any]]


@dataclass(frozen=True)
class ReportSpec:
    """One kind of report: its notebook, identity, folder and extra outputs."""

    name: str
    title: str  # the kind of report in Chinese, for the catalogue and messages
    notebook: str  # file name in notebooks/
    identity: tuple[str, ...]  # the parameters that select one run
    extra_files: ExtraFiles | None = None
    kernel_files: KernelFiles | None = None  # the same, written by the kernel (no second computation)
    extra_outputs: tuple[str, ...] = ()  # the names extra_files or kernel_files write (for the catalogue and tests)
    runs: Runs | None = None  # the runs of --all (default: one per year with ledgers)
    prepare: Prepare | None = None  # the report's own checks of one run's parameters (default: none)
    check: Prepare | None = None  # its checks of what every run shares (-p), once, also before a batch (default: none)
    source: str = ""  # a notebook outside the registry: its path (two notebooks of one name are two reports)

    def folder(self, parameters: Mapping[str, Any]) -> PurePosixPath:
        """Where one run publishes, below ``reports/<city>/``: the path shows what the report is.

        The year comes first (an analyst looks for a year), then the kind of report, then the
        rest of the identity (``2023/monthly_bulletin/06``, ``2022/county_profile/修水县``).
        """
        year = parameters["year"]
        parts = [str(year), self.name]
        for key in self.identity:
            if key == "year":
                continue
            value = parameters[key]
            parts.append(f"{int(value):02d}" if key == "month" else str(value))
        return PurePosixPath(*parts)

    def outputs(self) -> tuple[str, ...]:
        """Every file one run publishes."""
        stem = Path(self.notebook).stem
        return (f"{stem}.html", f"{stem}.ipynb", *self.extra_outputs)

    def instances(self, data_dir: Path, reference_dir: Path | None = None) -> list[dict[str, Any]]:
        """The runs of ``--all``: the report's own ``runs``, else one per year with ledgers."""
        if self.runs is not None:
            return self.runs(data_dir, reference_dir)
        return [{"year": year} for year in available_years(data_dir)]


def _annual_review_kernel_files(folder: Path) -> str:
    """metrics.json and tables.xlsx of the annual review, written by its kernel from the notebook's
    ``review`` (the parent does not build the review a second time)."""
    return (
        "from helpers.products.annual_review import write_extra_files as _zhaoshang_write_extra_files\n"
        f"_zhaoshang_write_extra_files(review, {str(folder)!r})\n"
    )


@dataclass(frozen=True)
class _deferred:  # noqa: N801 - reads as a function in the table below
    """``helpers.products.<module>.<function>``, imported when called: every command reads the
    registry, while a report's own module (pandas, matplotlib, openpyxl) is needed only by its
    runs. A dataclass, not a closure, so that a spec still pickles into ``--all``'s workers."""

    module: str
    function: str

    def __call__(self, *args: Any) -> Any:
        return getattr(importlib.import_module(f"helpers.products.{self.module}"), self.function)(*args)


REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec(
            name="annual_review",
            title="年度分析报告",
            notebook="annual_review.ipynb",
            identity=("year",),
            kernel_files=_annual_review_kernel_files,
            extra_outputs=("metrics.json", "tables.xlsx"),
        ),
        ReportSpec(
            name="monthly_bulletin",
            title="月度通报",
            notebook="monthly_bulletin.ipynb",
            identity=("year", "month"),
            extra_files=_deferred("monthly_bulletin", "write_extra_files"),
            extra_outputs=("metrics.json", "tables.xlsx"),
            runs=_deferred("monthly_bulletin", "bulletin_runs"),
            prepare=_deferred("monthly_bulletin", "prepare_parameters"),
        ),
        ReportSpec(
            name="county_profile",
            title="县（市、区）招商引资分析报告",
            notebook="county_profile.ipynb",
            identity=("year", "county"),
            extra_files=_deferred("county_profile", "write_extra_files"),
            extra_outputs=("metrics.json", "tables.xlsx", "反馈_<county>.xlsx"),
            runs=_deferred("county_profile", "county_runs"),
            prepare=_deferred("county_profile", "prepare_parameters"),
        ),
        ReportSpec(
            name="explore", title="台账探索", notebook="explore.ipynb", identity=("year",), check=_deferred("explore", "check_parameters")
        ),
    )
}


def report_spec(name: str) -> ReportSpec | None:
    """The registered report called ``name`` (the notebook's stem), or None."""
    return REPORTS.get(Path(name).stem if name.endswith(".ipynb") else name)


def adhoc_report(notebook: Path) -> ReportSpec:
    """A notebook outside the registry (an analyst's own): identified by the year; the page, the
    Word document and the executed notebook, no extra files."""
    path = Path(notebook).resolve()
    return ReportSpec(name=path.stem, title=path.stem, notebook=path.name, identity=("year",), source=str(path))
