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
from helpers.safe_text import neutralise_formula

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
COUNT_UNITS = {"个", "次", "家", "项", "人", "天"}

_FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_SHEET_NAME_MAX = 31
_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_MIN_WIDTH, _MAX_WIDTH = 6, 60


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
    unit_text = unit.group(1) if unit else ""
    if is_amount or "亿元" in unit_text or "万元" in unit_text:
        return AMOUNT_FORMAT
    if "%" in unit_text or "％" in unit_text or "%" in header or "％" in header:
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
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=False)
    widths: list[int] = []
    for j, (column, header) in enumerate(zip(df.columns, headers, strict=True), start=1):
        cell = ws.cell(row=1, column=j, value=neutralise_formula(header))
        cell.font = bold
        cell.alignment = header_alignment
        fmt = column_number_format(header, df[column].dtype,
                                   is_amount=header in amount_columns or str(column) in amount_columns)
        width = display_width(header)
        for i, raw in enumerate(df[column].tolist(), start=2):
            value = neutralise_formula(_cell_value(raw))  # ledger text is never a formula
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, (dt.datetime, dt.date)):
                cell.number_format = DATE_FORMAT
            elif fmt is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.number_format = fmt
            elif fmt is None and cell_number_format(value) is not None:
                cell.number_format = cell_number_format(value)
            text = _shown_text(value, fmt or cell_number_format(value))
            width = max(width, max((display_width(line) for line in text.split("\n")), default=0))
        widths.append(width)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = float(min(_MAX_WIDTH, max(_MIN_WIDTH, width + 2)))
    ws.freeze_panes = "A2"
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(df) + 1)}"


def write_tables_xlsx(
    tables: Mapping[str, pd.DataFrame],
    path: str | Path,
    *,
    amount_columns: Mapping[str, Iterable[str]] | None = None,
) -> Path:
    """Write each DataFrame of ``tables`` to its own sheet of a deterministic xlsx file.

    Sheet names come from the mapping keys (made Excel-valid and unique);
    headers are written as given, bold, with the header row frozen and column
    widths fitted to the content. Number formats: amount columns (listed in
    ``amount_columns[table_name]`` or with "亿元" in the header) ``#,##0.00``,
    percentage columns ("%" / "％" in the header) ``0.00``, integer columns
    ``#,##0``. The index is not written: ``reset_index()`` first if needed.
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
    props = wb.properties
    props.creator = WORKBOOK_CREATOR
    props.lastModifiedBy = WORKBOOK_CREATOR
    props.created = _FIXED_TIME
    props.modified = _FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    data = normalized_xlsx_bytes(buffer.getvalue())

    return write_atomic(path, data)
