"""The catalogue of published reports: ``reports/index.html``, one offline page for people.

:func:`write_catalogue` scans a reports root for the folders the kit published (their marker,
:data:`helpers.output.publish.MARKER`, names the city, the kind of report, the identity
parameters, the inputs' hash and the last run's status) and writes one table: city, kind, year,
period or county, a one-line status (``正常``, or the failure kept in the folder's ``failed/``
with its first error line) and relative links to the HTML, Word, Excel and JSON files present.

The page is deterministic (rows sorted by city, year, kind, month or county; no clock time: the
inputs' hash says what a report was made from), opens offline (no script, no external file) and
escapes every text, since city and county names come from data. An ``index.html`` the kit did
not write is never replaced.

>>> period_text({"year": 2023, "month": 6}), period_text({"year": 2022, "county": "修水县"}), period_text({"year": 2022})
('1—6月', '修水县', '全年')
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import nbformat

from helpers.output.publish import MARKER, STATUS_FAILED, read_marker
from helpers.paths import write_atomic

__all__ = ["CATALOGUE", "CatalogueEntry", "catalogue_html", "is_kit_catalogue", "period_text", "scan_reports", "write_catalogue"]

#: The catalogue's file name, at the reports root.
CATALOGUE = "index.html"
#: Marks a page as the kit's own catalogue (a page without it is never replaced).
GENERATOR = "zhaoshang-catalogue"
_FAILED_DIR = "failed"
_FAILED_PREFIX = "报告生成失败："  # how a failed run's message starts (the status cell says it already)
#: The files a row links to, in this order: (label, how the name ends).
_LINKS = (("网页", ".html"), ("Word", ".docx"), ("Excel", ".xlsx"), ("JSON", ".json"))

_CSS = """\
:root { color-scheme: light; }
body { margin: 0; background: #F4F6F9; color: #1F2933;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; font-size: 15px; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 24px 40px; }
h1 { font-size: 26px; margin: 0 0 6px; color: #12355B; }
p.summary { margin: 0 0 18px; color: #52606D; }
table { width: 100%; border-collapse: collapse; background: #FFFFFF; box-shadow: 0 1px 3px rgba(0, 0, 0, .08); }
th, td { padding: 9px 12px; border-bottom: 1px solid #E4E7EB; text-align: left; vertical-align: top; }
th { background: #12355B; color: #FFFFFF; font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) { background: #F9FAFB; }
tbody tr:hover { background: #EEF4FB; }
td.city, td.kind, td.year, td.period, td.links { white-space: nowrap; }
td.status.ok { color: #1E7B34; white-space: nowrap; }
td.status.failed { color: #B42318; }
td.status a { color: #B42318; }
td.links a { margin-right: 10px; color: #2F6EBA; text-decoration: none; white-space: nowrap; }
td.links a:hover { text-decoration: underline; }
td.inputs { font-family: "Noto Sans Mono CJK SC", monospace; font-size: 12px; color: #7B8794; white-space: nowrap; }
div.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
td.status.failed { min-width: 16em; }
@media (max-width: 700px) { main { padding: 16px 10px 28px; } th.inputs, td.inputs { display: none; } }
p.empty { padding: 24px; background: #FFFFFF; color: #52606D; }
p.note { margin-top: 14px; font-size: 13px; color: #7B8794; }
@media print { body { background: #FFFFFF; } table { box-shadow: none; } th { background: #FFFFFF; color: #000000; } }
"""


@dataclass(frozen=True)
class CatalogueEntry:
    """One published report folder as the catalogue shows it (paths relative to the root)."""

    folder: PurePosixPath
    city: str
    kind: str
    year: int | None
    parameters: dict[str, Any]
    inputs: str
    failed: bool
    error: str
    failed_notebook: PurePosixPath | None
    files: dict[str, PurePosixPath] = field(default_factory=dict)  # link label → file

    def sort_key(self, kind_order: Sequence[str] = ()) -> tuple:
        """City, year, kind (in ``kind_order``, the registry's order; others after, by name),
        then month (as a number) or county (as text)."""
        kind = (kind_order.index(self.kind), "") if self.kind in kind_order else (len(kind_order), self.kind)
        extra = []
        for key in sorted(self.parameters):
            if key == "year":
                continue
            value = self.parameters[key]
            extra.append((0, value, "") if isinstance(value, int) and not isinstance(value, bool) else (1, 0, str(value)))
        return (self.city, self.year if self.year is not None else 10**6, kind, tuple(extra), self.folder.as_posix())


def period_text(parameters: dict[str, Any]) -> str:
    """The period or county of a run: ``1—6月`` (a monthly bulletin counts January to month M),
    a county's name, or ``全年``."""
    parts = []
    for key, value in parameters.items():
        if key == "year":
            continue
        if key == "month":
            month = int(value)
            parts.append("1月" if month == 1 else f"1—{month}月")
        else:
            parts.append(str(value))
    return "　".join(parts) or "全年"


def _failed_error(notebook: Path) -> str:
    """The first line of the error kept in a failed notebook (``ValueError: …``), or ``""``."""
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:  # noqa: BLE001 - an unreadable failed notebook still means: failed
        return ""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                value = next((line.strip() for line in str(output.get("evalue", "")).splitlines() if line.strip()), "")
                return f"{output.get('ename', '')}: {value}".strip(": ")
    return ""


def _entry(root: Path, folder: Path, marker: dict[str, Any], kinds: Mapping[str, str]) -> CatalogueEntry:
    relative = PurePosixPath(folder.relative_to(root).as_posix())
    parts = relative.parts
    found = marker.get("parameters")
    parameters: dict[str, Any] = found if isinstance(found, dict) else {}
    year = parameters.get("year")
    if year is None and len(parts) > 1 and parts[1].isdigit():  # an older marker: the layout <city>/<year>/<report>/…
        year = int(parts[1])
        parameters = {"year": year, **parameters}
    report = str(marker.get("report") or folder.name)
    if not isinstance(found, dict) and len(parts) == 4 and parts[2] == report:
        # an older marker of a report with more identity than the year: …/<report>/<MM or county>
        parameters = {**parameters, ("month" if parts[3].isdigit() else "county"): int(parts[3]) if parts[3].isdigit() else parts[3]}
    files: dict[str, PurePosixPath] = {}
    for label, suffix in _LINKS:
        preferred = folder / f"{report}{suffix}"
        found = [preferred] if preferred.is_file() else sorted(p for p in folder.glob(f"*{suffix}") if p.is_file() and p.name != MARKER)
        if found:
            files[label] = relative / found[0].name
    failed_notebooks = sorted((folder / _FAILED_DIR).glob("*.ipynb")) if (folder / _FAILED_DIR).is_dir() else []
    failed = bool(failed_notebooks)
    failed_notebook = None
    error = ""
    if failed:
        named = folder / str(marker.get("failed_notebook") or "")
        notebook = named if marker.get("failed_notebook") and named.is_file() else failed_notebooks[0]
        failed_notebook = relative / notebook.relative_to(folder).as_posix()
        if marker.get("status") == STATUS_FAILED and marker.get("error"):
            error = str(marker["error"])
        else:
            error = _failed_error(notebook)
    return CatalogueEntry(
        folder=relative,
        city=str(marker.get("city") or (parts[0] if len(parts) > 2 else "")),
        kind=str(marker.get("title") or kinds.get(report, report)),
        year=int(year) if year is not None else None,
        parameters=dict(parameters),
        inputs=str(marker.get("inputs") or ""),
        failed=failed,
        error=error,
        failed_notebook=failed_notebook,
        files=files,
    )


def scan_reports(root: Path, kinds: Mapping[str, str] | None = None) -> list[CatalogueEntry]:
    """Every folder below ``root`` that carries the kit's marker, sorted for the catalogue.

    ``kinds`` (report name → Chinese kind, in the registry's order) orders the kinds and names
    those of older markers. Hidden folders (staging folders of runs in progress, ``.git``) are skipped.
    """
    root = Path(root)
    entries: list[CatalogueEntry] = []
    if not root.is_dir():
        return entries
    for current, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and f != _FAILED_DIR)
        folder = Path(current)
        if MARKER in names and folder != root:
            marker = read_marker(folder)
            if marker is not None:
                entries.append(_entry(root, folder, marker, kinds or {}))
    kind_order = tuple((kinds or {}).values())
    return sorted(entries, key=lambda entry: entry.sort_key(kind_order))


def _link(path: PurePosixPath, label: str) -> str:
    return f'<a href="{html.escape(quote(path.as_posix()))}">{html.escape(label)}</a>'


def _status_cell(entry: CatalogueEntry) -> str:
    if not entry.failed:
        return '<td class="status ok">正常</td>'
    reason = entry.error.removeprefix(_FAILED_PREFIX) or "原因见失败的笔记本"
    kept = "；上次成功的报告仍保留" if "网页" in entry.files else ""
    notebook = f"（{_link(entry.failed_notebook, '失败的笔记本')}）" if entry.failed_notebook else ""
    return f'<td class="status failed">最近一次运行失败：{html.escape(reason)}{notebook}{html.escape(kept)}</td>'


def catalogue_html(entries: list[CatalogueEntry]) -> str:
    """The catalogue page for ``entries`` (in the order given)."""
    failed = sum(entry.failed for entry in entries)
    summary = f"共 {len(entries)} 份报告" + (f"，其中 {failed} 份最近一次运行失败" if failed else "，均运行正常")
    rows = []
    for entry in entries:
        links = " ".join(_link(path, label) for label, path in entry.files.items()) or "—"
        year = f"{entry.year}年" if entry.year is not None else "—"
        fingerprint = entry.inputs[:12] or "—"
        rows.append(
            "<tr>"
            f'<td class="city">{html.escape(entry.city or "—")}</td>'
            f'<td class="kind">{html.escape(entry.kind)}</td>'
            f'<td class="year">{html.escape(year)}</td>'
            f'<td class="period">{html.escape(period_text(entry.parameters))}</td>'
            f"{_status_cell(entry)}"
            f'<td class="links">{links}</td>'
            f'<td class="inputs" title="{html.escape(entry.inputs)}">{html.escape(fingerprint)}</td>'
            "</tr>"
        )
    if rows:
        body = (
            '<div class="table-wrap">\n<table>\n<thead><tr><th>城市</th><th>报告</th><th>年度</th><th>期间／县区</th><th>状态</th>'
            '<th>文件</th><th class="inputs">输入指纹</th></tr></thead>\n'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</div>\n"
        )
    else:
        body = '<p class="empty">尚无已生成的报告。运行 <code>zhaoshang report annual_review --year 2022</code> 生成第一份。</p>\n'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        "<title>招商引资报告目录</title>\n"
        f"<style>\n{_CSS}</style>\n</head>\n<body>\n<main>\n"
        "<h1>招商引资报告目录</h1>\n"
        f'<p class="summary">{html.escape(summary)}</p>\n'
        f"{body}"
        '<p class="note">每次生成报告后自动更新。“输入指纹”为所用台账与参考数据的 SHA-256 摘要（前 12 位），'
        "相同指纹表示由相同的数据生成。</p>\n"
        "</main>\n</body>\n</html>\n"
    )


def is_kit_catalogue(path: Path) -> bool:
    """Whether ``path`` is a catalogue page the kit wrote."""
    try:
        with Path(path).open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(2000)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">' in head


def write_catalogue(root: Path, kinds: Mapping[str, str] | None = None) -> Path | None:
    """Write ``root/index.html`` listing every report below ``root``; returns its path, or None
    when ``root`` already holds an ``index.html`` the kit did not write (it is left alone)."""
    root = Path(root)
    target = root / CATALOGUE
    if target.exists() and not (target.is_file() and is_kit_catalogue(target)):
        return None
    write_atomic(target, catalogue_html(scan_reports(root, kinds)).encode("utf-8"))
    return target
