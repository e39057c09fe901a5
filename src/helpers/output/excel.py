"""Deterministic Excel export of report tables.

``write_tables_xlsx`` writes one formatted sheet per table and produces
byte-identical files for identical input: workbook properties are fixed and
the zip container is rewritten with fixed timestamps, order and compression.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from helpers.normalize import display_width
from helpers.output.ooxml import normalized_xlsx_bytes
from helpers.paths import write_atomic

__all__ = [
    "AMOUNT_FORMAT",
    "PERCENT_FORMAT",
    "INTEGER_FORMAT",
    "DATE_FORMAT",
    "WORKBOOK_CREATOR",
    "write_tables_xlsx",
    "safe_sheet_names",
    "column_number_format",
]

AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"
INTEGER_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
WORKBOOK_CREATOR = "招商引资分析工具包"
HEADER_UNIT = re.compile(r"[（(]([^（）()]*)[）)]\s*$")
COUNT_UNITS = {"个", "次", "家", "项", "人", "天", "位"}
AMOUNT_UNITS = {"亿元", "万元", "元"}
PERCENT_UNITS = {"%", "％", "百分点"}

_FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_WRAP = Alignment(wrap_text=True)
_SHEET_NAME_MAX = 31
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_MIN_WIDTH, _MAX_WIDTH = 6, 60
_HEADER_WRAP_WIDTH = 16  # display columns; wider headers wrap onto more lines
_HEADER_WRAP_NUMBER = 10  # the header of a number column wraps sooner
_TEXT_WRAP_WIDTH = 40  # a longer text cell wraps in a column this wide
#: Column-width units that fit across A4 portrait between the margins at 100 % (landscape above).
_PORTRAIT_WIDTH = 95
_LANDSCAPE_ABOVE = 1.2  # landscape when a portrait page would print below ~83 %


def safe_sheet_names(names: Iterable[object]) -> list[str]:
    """Excel-valid, unique (case-insensitively) sheet names, ≤31 characters each."""
    result: list[str] = []
    seen: set[str] = set()
    for raw in names:
        base = _INVALID_SHEET_CHARS.sub("", str(raw)).strip().strip("'").strip()
        base = base[:_SHEET_NAME_MAX] or "Sheet"
        if base.lower() == "history":  # reserved by Excel
            base = "history_"
        candidate, counter = base, 2
        while candidate.lower() in seen:
            suffix = f"_{counter}"
            candidate = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
            counter += 1
        seen.add(candidate.lower())
        result.append(candidate)
    return result


def column_number_format(header: str, dtype: object, *, is_amount: bool = False) -> str | None:
    """Number format for a column, from the unit in the header's last bracket — ``（亿元）``
    amounts, ``（%）`` percentages, ``（个）``/``（次）`` counts — else from the dtype; None
    leaves the choice to each cell (``cell_number_format``).

    >>> column_number_format("新认定省外亿元以上项目（个）", object), column_number_format("实际进资（亿元）", object)
    ('#,##0', '#,##0.00')
    """
    unit = HEADER_UNIT.search(header)
    unit_text = unit.group(1) if unit else ""  # a bracket such as （100亿元以上） is no unit
    if is_amount or unit_text in AMOUNT_UNITS:
        return AMOUNT_FORMAT
    if unit_text in PERCENT_UNITS or "%" in header or "％" in header:
        return PERCENT_FORMAT
    if unit_text in COUNT_UNITS:
        return INTEGER_FORMAT
    if pd.api.types.is_bool_dtype(dtype):
        return None
    if pd.api.types.is_integer_dtype(dtype):
        return INTEGER_FORMAT
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return DATE_FORMAT
    return None


def unit_number_format(unit: object, value: object) -> str | None:
    """Number format of a value by its unit (a row's 单位, or the bracket of a row label):
    amounts ``#,##0.00``, percentages ``0.00``, counts ``#,##0`` (only for whole numbers)."""
    text = str(unit).strip() if isinstance(unit, str) else ""
    if text in AMOUNT_UNITS:
        return AMOUNT_FORMAT
    if text in PERCENT_UNITS:
        return PERCENT_FORMAT
    if text in COUNT_UNITS and isinstance(value, (int, float)) and float(value).is_integer():
        return INTEGER_FORMAT
    return None


def _row_units(df: pd.DataFrame) -> tuple[list[str | None], list[str | None]]:
    """Per row: the unit of its label (first column ends in ``（%）``), which overrides the
    column's unit, and the value of a ``单位`` column, which does not."""
    label_units: list[str | None] = [None] * len(df)
    unit_column: list[str | None] = [None] * len(df)
    if len(df.columns):
        for i, label in enumerate(df.iloc[:, 0].tolist()):
            match = HEADER_UNIT.search(label) if isinstance(label, str) else None
            label_units[i] = match.group(1) if match else None
    if "单位" in df.columns:
        unit_column = [u if isinstance(u, str) else None for u in df["单位"].tolist()]
    return label_units, unit_column


def _neutralise_text(cell) -> None:
    """Ledger text stays text: a string starting with = + - @ is stored as a string with a
    quote prefix, never as a formula (openpyxl would write '=…' as one)."""
    if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
        cell.quotePrefix = True


def cell_number_format(value: object) -> str | None:
    """For columns without a unit (e.g. a year column mixing counts and amounts): by value."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, float):
        return AMOUNT_FORMAT
    return None


def _header_text(column: object) -> str:
    """Flatten a (possibly MultiIndex) column label to text."""
    if isinstance(column, tuple):
        return " / ".join(str(part) for part in column if str(part) != "")
    return str(column)


def _cell_value(value: object) -> object:
    """Convert a pandas/numpy scalar to something openpyxl writes deterministically."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        return value.tz_localize(None).to_pydatetime() if value.tzinfo else value.to_pydatetime()
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _shown_text(value: object, number_format: str | None) -> str:
    """Approximate text Excel shows for ``value`` (used for column widths)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if number_format == AMOUNT_FORMAT:
            return f"{value:,.2f}"
        if number_format == PERCENT_FORMAT:
            return f"{value:.2f}"
        if number_format == INTEGER_FORMAT:
            return f"{value:,.0f}"
        return f"{value:.10g}" if isinstance(value, float) else str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return "0000-00-00"
    return str(value)


def _write_sheet(ws, df: pd.DataFrame, amount_columns: set[str]) -> None:
    """Fill one worksheet with a header row and formatted values."""
    headers = [_header_text(c) for c in df.columns]
    bold = Font(bold=True)
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    label_units, unit_column = _row_units(df)
    widths: list[int] = []
    for j, (column, header) in enumerate(zip(df.columns, headers, strict=True), start=1):
        cell = ws.cell(row=1, column=j, value=header)
        cell.font = bold
        cell.alignment = header_alignment
        _neutralise_text(cell)
        fmt = column_number_format(header, df[column].dtype,
                                   is_amount=header in amount_columns or str(column) in amount_columns)
        numeric_column = fmt is not None or pd.api.types.is_numeric_dtype(df[column].dtype) or all(
            isinstance(v, (int, float)) for v in df[column].dropna().tolist())
        width = min(display_width(header), _HEADER_WRAP_NUMBER if numeric_column else _HEADER_WRAP_WIDTH)  # long headers wrap
        for i, raw in enumerate(df[column].tolist(), start=2):
            value = _cell_value(raw)  # ledger text is never a formula: _neutralise_text keeps it text
            cell = ws.cell(row=i, column=j, value=value)
            _neutralise_text(cell)
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            chosen = (unit_number_format(label_units[i - 2], value) if number else None) or fmt
            if chosen is None and number:
                chosen = unit_number_format(unit_column[i - 2], value)
            if isinstance(value, (dt.datetime, dt.date)):
                cell.number_format = DATE_FORMAT
            elif chosen is not None and number:
                cell.number_format = chosen
            elif chosen is None and cell_number_format(value) is not None:
                cell.number_format = cell_number_format(value)
            text = _shown_text(value, chosen or cell_number_format(value))
            shown = max((display_width(line) for line in text.split("\n")), default=0)
            if isinstance(value, str) and (shown > _TEXT_WRAP_WIDTH or "\n" in value):
                cell.alignment = _WRAP
                shown = min(shown, _TEXT_WRAP_WIDTH)
            width = max(width, shown)
        widths.append(width)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = float(min(_MAX_WIDTH, max(_MIN_WIDTH, width + 2)))
    _fit_row_heights(ws, [min(_MAX_WIDTH, max(_MIN_WIDTH, w + 2)) for w in widths])
    ws.freeze_panes = "A2"
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(df) + 1)}"


def page_setup(ws, width: float, *, title: str | None = None, period: str | None = None) -> None:
    """Print setup of a sheet: A4, landscape when ``width`` (column-width units) is well over what
    a portrait page holds, fitted to one page wide, the header row repeated on every page,
    the title and period in the page header and page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # a little too wide for portrait prints slightly smaller instead (long lists stay portrait)
    ws.page_setup.orientation = "landscape" if width > _PORTRAIT_WIDTH * _LANDSCAPE_ABOVE else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = "1:1"
    if title is not None:
        ws.oddHeader.center.text = title.replace("&", "&&")
        ws.oddHeader.center.size = 12
        ws.oddHeader.center.font = "黑体,常规"
    if period is not None:
        ws.oddHeader.right.text = period.replace("&", "&&")
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _sheet_width(ws) -> float:
    """Sum of the column widths set on ``ws``."""
    return sum(d.width or 0 for d in ws.column_dimensions.values())


def _fit_row_heights(ws, widths: list[int]) -> None:
    """Heights of the rows with wrapped text (Excel and LibreOffice do not grow a row written
    by openpyxl): lines needed in the narrowest fit × 15 pt."""
    for row in ws.iter_rows():
        lines = 1
        for cell, width in zip(row, widths, strict=True):
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                per_line = max(1, width - 2)
                lines = max(lines, sum(-(-max(1, display_width(part)) // per_line) for part in cell.value.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = 15.0 * lines


def write_tables_xlsx(
    tables: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    amount_columns: Mapping[str, Iterable[str]] | None = None,
    period: str | None = None,
) -> Path:
    """Write each DataFrame of ``tables`` to its own sheet of a deterministic xlsx file.

    Sheet names come from the mapping keys (made Excel-valid and unique);
    headers are written as given, bold, with the header row frozen and column
    widths fitted to the content. Number formats: amount columns (listed in
    ``amount_columns[table_name]`` or with "亿元" in the header) ``#,##0.00``,
    percentage columns ("%" / "％" in the header) ``0.00``, integer columns
    ``#,##0``; a row whose label ends in a unit (``新兴产业占比（%）``) or that has a ``单位``
    column follows its unit. Every sheet prints on A4, one page wide, with the header row
    repeated and the sheet name and ``period`` in the page header. Text starting with
    ``=`` stays text. The index is not written: ``reset_index()`` first if needed.
    The file is written atomically; identical input gives identical bytes.
    """
    if not tables:
        raise ValueError("没有可写入的表格（tables 为空）")
    amount_columns = amount_columns or {}
    wb = Workbook()
    wb.remove(wb.active)
    for (name, df), sheet_name in zip(tables.items(), safe_sheet_names(tables.keys()), strict=True):
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"表格“{name}”不是 pandas.DataFrame")
        ws = wb.create_sheet(title=sheet_name)
        _write_sheet(ws, df, {str(c) for c in amount_columns.get(name, ())})
        page_setup(ws, _sheet_width(ws), title=str(name), period=period)
    props = wb.properties
    props.creator = WORKBOOK_CREATOR
    props.lastModifiedBy = WORKBOOK_CREATOR
    props.created = _FIXED_TIME
    props.modified = _FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    data = normalized_xlsx_bytes(buffer.getvalue())

    return write_atomic(path, data)
