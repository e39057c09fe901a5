"""Raw sheets → clean, typed tables, with nothing lost.

Each raw row ends up exactly once as clean, quarantined (with every reason), subtotal,
blank (empty rows and the notes below a table) or a duplicate merged into an identical
clean row. A required value that cannot be parsed quarantines the row; an optional value
that cannot be parsed becomes empty (never its default) and is logged as a warning with its
raw text. A cell whose value is unknown (an uncalculated formula, an Excel error) is such a
failure, a placeholder (``-``, ``/``) in an amount cell is blank with a warning, a date far
from the ledger's year is kept with a warning, and every file of the year folder that is not
read is reported.
"""

from __future__ import annotations

import datetime
import json
import re
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers.errors import InputError
from helpers.ingest.cells import (
    ParsedDate,
    ParseFailure,
    parse_amount,
    parse_date,
    parse_integer,
    parse_yes_no,
    unknowable_cell,
)
from helpers.ingest.lanes import CHILD_PATIENCE_SECONDS, ChildLane, LanePlan, plan_lanes
from helpers.ingest.schema import validate_tables
from helpers.ingest.workbooks import (
    USD_MONTH,
    Column,
    RawSheet,
    ReadingPlace,
    iter_workbooks,
    labelled_sheets,
    no_ledger_sheet,
    relabelled,
    unread_files,
    workbook_label,
    workbook_paths,
)
from helpers.memory import release_freed_memory
from helpers.normalize import is_blank, is_placeholder, name_key, normalize_text, suggest_names
from helpers.reference import Reference

TABLES = ("projects", "trips", "leads", "chain_map", "province_peers", "targets")
OUTPUT_TABLES = ("projects", "monthly_funds", "trips", "leads", "chain_map", "province_peers", "targets")
COUNT_KEYS = ("rows_read", "clean", "quarantined", "subtotal", "blank", "duplicates_merged")
PROVENANCE = ("source_file", "source_sheet", "source_row")
SUBTOTAL_WORDS = ("合计", "小计", "总计")
# a subtotal label: a name (a unit, a zone: "赣州高新技术产业开发区小计") ending in 合计/小计/总计 —
# not a sentence (a note "…数据合计" has punctuation) and not longer than any unit's name
SUBTOTAL_LABEL = re.compile(r"^[^,，。;；:：!！?？]{0,28}(合计|小计|总计)$")
ID_FIELDS = ("project_id", "lead_id")
NOTE_ROW = re.compile(r"^(注|说明|填报说明|填表说明|填表人|填报人|制表|制表人|审核|审核人|联系人|联系电话|备注|数据来源)\s*\d*\s*[:：.、]")
FLAG_SEPARATORS = re.compile(r"[、;；，,/／\s]+")
AMOUNT_TOLERANCE_WAN = 0.5  # subtotal check: half a 万元 absorbs rounding of 亿元 cells to 4 decimals
AMOUNT_KINDS = ("amount", "measure")

TYPE_LABELS = {
    "county": "所属地区",
    "industry": "产业类别",
    "chain": "产业链",
    "event": "签约活动",
    "city": "设区市",
    "indicator": "指标",
}
DATE_ORDER = (("entered_on", "signed_on"), ("signed_on", "started_on"), ("started_on", "producing_on"))
# a status past a stage implies that stage's date (a blank one is reported: indicators cannot time it);
# the statuses of each stage are the status roles of roles.yaml
STAGE_DATES = (("signed", "signed_on"), ("started", "started_on"), ("producing", "producing_on"))


@dataclass
class CleanYear:
    """The clean tables of one year and the account of what happened to every raw row."""

    year: int
    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    warnings: pd.DataFrame
    sheet_counts: pd.DataFrame  # one row per (file, sheet) with the COUNT_KEYS
    inputs: pd.DataFrame = field(default_factory=pd.DataFrame)  # file, size, sha256

    def has_sheet(self, table: str) -> bool:
        """Whether the year's workbooks have this sheet at all (an absent sheet is "not
        available", not a sheet of zeros)."""
        return "table" in self.sheet_counts.columns and table in set(self.sheet_counts["table"])

    def counts(self) -> dict[str, dict[str, int]]:
        """Per table: rows_read = clean + quarantined + subtotal + blank + duplicates_merged."""
        summed = self.sheet_counts.groupby("table", sort=False)[list(COUNT_KEYS)].sum()
        return {t: {k: int(summed.at[t, k]) for k in COUNT_KEYS} for t in TABLES if t in summed.index}


@dataclass
class _RowOutcome:
    values: dict[str, Any]
    reasons: list[str]
    warnings: list[dict[str, Any]]
    months: dict[int, float]
    defaulted: set[str] = field(default_factory=set)  # fields whose cell was blank (default used)
    unreadable: set[str] = field(default_factory=set)  # fields whose cell could not be parsed (left empty)
    failed_months: list[int] = field(default_factory=list)  # months whose cell could not be parsed


CITY_WORDS = ("全市",)  # how a target sheet names the city as a whole, besides its name and aliases


def city_names(reference: Reference) -> dict[str, str]:
    """name_key of the city's name, its aliases (cities.csv) and 全市 → the city."""
    names = [alias for alias, city in reference.lookups["city"].items() if city == reference.city]
    return {name_key(name): reference.city for name in [*names, *CITY_WORDS]}


def _cell(values: tuple[Any, ...], column: Column) -> Any:
    return values[column.index] if column.index < len(values) else None


def _raw_text(value: Any) -> str:
    return "" if is_blank(value) else str(value)


def column_letter(index: int) -> str:
    """Excel's letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def is_subtotal_row(values: tuple[Any, ...], id_cells: tuple[Any, ...] = ()) -> bool:
    """A 合计/小计/总计 row: one of its first non-blank cells is such a label (``合 计``,
    ``瑞昌市小计``, ``赣州高新技术产业开发区小计``) — never a row that carries a record id
    (项目编号, 信息编号), never a name that merely starts with the word (``合计科技有限公司``,
    ``总计算中心``) and never a sentence that ends with it.

    >>> is_subtotal_row((None, "瑞昌市小计", None, 12.5)), is_subtotal_row(("合 计",)), is_subtotal_row(("赣州高新技术产业开发区小计",))
    (True, True, True)
    >>> is_subtotal_row((1, "JJ-001", "合计科技有限公司")), is_subtotal_row(("小计", "P9"), id_cells=("P9",))
    (False, False)
    >>> is_subtotal_row(("总计", None, 27.7), id_cells=("总计",))
    True
    """
    def is_label(value: Any) -> bool:
        return isinstance(value, str) and SUBTOTAL_LABEL.match(name_key(value)) is not None

    if any(not is_blank(v) and not is_label(v) for v in id_cells):
        return False  # a real record id (the label itself may stand in the id column: "总计")
    return any(is_label(v) for v in [v for v in values if not is_blank(v)][:4])


def is_note_row(values: tuple[Any, ...]) -> bool:
    """A note below the table (``填报说明：…``, ``填表人：…``): a single text cell with such a prefix."""
    filled = [v for v in values if not is_blank(v)]
    return len(filled) == 1 and isinstance(filled[0], str) and bool(NOTE_ROW.match(normalize_text(filled[0]) or ""))


class _CellMemo:
    """Per-sheet memo of a function of one cell value, keyed by the value and its type (``1``,
    ``1.0`` and ``True`` are equal keys otherwise): ledger cells repeat (names, categories, dates,
    empty cells), so each distinct value is worked out once per sheet."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        self.function = function
        self.memo: dict[tuple[type, Any], Any] = {}

    def __call__(self, raw: Any) -> Any:
        key = (type(raw), raw)
        try:
            return self.memo[key]
        except KeyError:
            result = self.memo[key] = self.function(raw)
            return result
        except TypeError:  # an unhashable value
            return self.function(raw)


# how a column of a sheet is read (see _RowParser.plan)
SKIP, MONTH, MEASURE, VALUE = "skip", "month", "measure", "value"


class _RowParser:
    """Parses the cells of one row according to the sheet's column specs."""

    def __init__(self, sheet: RawSheet, spec: dict[str, Any], reference: Reference, year: int | None = None) -> None:
        self.sheet = sheet
        self.reference = reference
        self.specs = {column["field"]: column for column in spec["columns"]}
        self.default_unit = spec.get("default_unit", "万元")
        self.year = year
        self.window = reference.date_window(year) if year is not None else None
        self.blank = _CellMemo(is_blank)
        self.placeholder = _CellMemo(is_placeholder)
        # (column, mode, spec, memo of the cell's reading, month) per column of the sheet, worked out once
        self.plan: list[tuple[Column, str, dict[str, Any] | None, _CellMemo | None, int]] = []
        readings: dict[tuple[str, str, bool], _CellMemo] = {}
        for column in sheet.columns:
            if column.field == "sequence" or column.field.startswith(USD_MONTH):
                self.plan.append((column, SKIP, None, None, 0))  # dollar months are never added to 元 funds
            elif column.field.startswith("month:"):
                unit = self.unit_for(column)
                memo = _CellMemo(partial(parse_amount, default_unit=unit))
                self.plan.append((column, MONTH, None, memo, int(column.field.split(":")[1])))
            elif self.specs[column.field]["type"] == "measure":
                self.plan.append((column, MEASURE, self.specs[column.field], None, 0))
            else:  # columns read alike share one memo (the dates of a row often repeat across its columns)
                column_spec = self.specs[column.field]
                kind = column_spec["type"]
                reading = (kind, self.unit_for(column) if kind == "amount" else "", bool(column_spec.get("city_allowed")))
                if reading not in readings:
                    readings[reading] = _CellMemo(partial(self.read_cell, column, column_spec))
                self.plan.append((column, VALUE, column_spec, readings[reading], 0))
        self.is_label = _CellMemo(lambda value: isinstance(value, str) and SUBTOTAL_LABEL.match(name_key(value)) is not None)
        self.is_note = _CellMemo(lambda value: isinstance(value, str) and bool(NOTE_ROW.match(normalize_text(value) or "")))

    def read_cell(self, column: Column, spec: dict[str, Any], raw: Any) -> tuple[Any, bool, tuple[str, ...]]:
        """(value or ParseFailure, month precision, unknown flag tokens) of one cell of ``column``."""
        unknown = unknowable_cell(raw)
        if unknown is not None:  # an uncalculated formula or an Excel error, whatever the column's type
            return unknown, False, ()
        kind = spec["type"]
        if kind == "text":
            return normalize_text(raw), False, ()
        if kind == "amount":
            return parse_amount(raw, self.unit_for(column)), False, ()
        if kind == "date":
            value = parse_date(raw)
            if isinstance(value, ParsedDate):
                return pd.Timestamp(value.value), value.month_only, ()
            return value, False, ()
        if kind == "yes_no":
            return parse_yes_no(raw), False, ()
        if kind == "integer":
            return parse_integer(raw), False, ()
        if kind == "flags":
            flags, tokens = self.flags(raw)
            return flags, False, tuple(tokens)
        if spec.get("city_allowed"):  # a unit, or the city itself (目标任务: the city's own target)
            return self.lookup_unit_or_city(kind, raw), False, ()
        return self.lookup(kind, raw), False, ()  # county, industry, chain, event, city, indicator, category:<vocabulary>

    def row_kind(self, values: tuple[Any, ...], mapped: list[int], id_columns: list[int]) -> str:
        """``blank`` (every mapped cell blank, or a note below the table: :func:`is_note_row`),
        ``subtotal`` (:func:`is_subtotal_row`) or ``data``, with each distinct cell value judged
        once per sheet."""
        blank = self.blank
        filled = [v for v in values if v is not None and not blank(v)]
        width = len(values)
        if not filled or all(i >= width or blank(values[i]) for i in mapped) or (len(filled) == 1 and self.is_note(filled[0])):
            return "blank"
        is_label = self.is_label
        for i in id_columns:
            value = values[i] if i < width else None
            if value is not None and not blank(value) and not is_label(value):
                return "data"  # a real record id (the label itself may stand in the id column: "总计")
        return "subtotal" if any(is_label(v) for v in filled[:4]) else "data"

    def unit_for(self, column: Column) -> str:
        return column.unit or self.sheet.unit or self.default_unit

    def lookup(self, kind: str, raw: Any) -> str | ParseFailure | None:
        if is_blank(raw):
            return None
        found = self.reference.name_indexes[kind].match(raw)
        if found is not None:
            return found
        aliases = self.reference.lookups[kind]
        label = TYPE_LABELS.get(kind, "取值")
        canonical = sorted(set(aliases.values()), key=list(aliases.values()).index)
        suggestions = suggest_names(raw, canonical)
        hint = f"（最接近：{'、'.join(suggestions)}）" if suggestions else f"（可选：{'、'.join(canonical[:8])}…）"
        return ParseFailure(reason=f"未知的{label}「{normalize_text(raw)}」{hint}", raw=str(raw))

    def lookup_unit_or_city(self, kind: str, raw: Any) -> str | ParseFailure | None:
        """The city itself (its name, an alias of it, or ``全市``), else a reporting unit. The city
        comes first: ``九江市`` must not match a unit through an old name (九江县 → 柴桑区)."""
        if not is_blank(raw) and name_key(str(raw)) in city_names(self.reference):
            return self.reference.city
        return self.lookup(kind, raw)

    def flags(self, raw: Any) -> tuple[str | None, list[str]]:
        """Investor flags in canonical order, and the tokens that were not recognized."""
        if is_blank(raw):
            return None, []
        index = self.reference.name_indexes["category:investor_flag"]
        order = list(self.reference.categories["investor_flag"])
        found, unknown = set(), []
        for token in FLAG_SEPARATORS.split(normalize_text(raw) or ""):
            if not token:
                continue
            canonical = index.match(token)
            if canonical is None:
                unknown.append(token)
            else:
                found.add(canonical)
        return ("、".join(f for f in order if f in found) or None), unknown

    def parse(self, values: tuple[Any, ...], row: int = 0) -> _RowOutcome:
        outcome = _RowOutcome(values={}, reasons=[], warnings=[], months={})
        month_only: list[str] = []
        measure_columns: list[Column] = []

        def warn(column: Column, raw: Any, reason: str) -> None:
            outcome.warnings.append({"column": column.header, "field": column.field, "raw": _raw_text(raw), "reason": reason})

        width = len(values)
        for column, mode, spec, memo, month in self.plan:
            if mode is SKIP:
                continue
            raw = values[column.index] if column.index < width else None
            if mode is MONTH:
                parsed = memo(raw)  # type: ignore[misc]
                if isinstance(parsed, ParseFailure):
                    warn(column, raw, parsed.reason)
                    outcome.failed_months.append(month)
                elif parsed is not None:
                    outcome.months[month] = parsed
                elif raw is not None and self.placeholder(raw):
                    warn(column, raw, placeholder_reason(raw))
                continue
            if mode is MEASURE:
                measure_columns.append(column)
                continue
            value, month_precision, unknown_tokens = memo(raw)  # type: ignore[misc]
            if month_precision:
                month_only.append(column.field)
            if isinstance(value, pd.Timestamp):
                self._check_window(value, column, row, warn, raw)
            for token in unknown_tokens:
                warn(column, raw, f"未识别的企业性质「{token}」")
            self._store(outcome, column, spec, raw, value, warn)  # type: ignore[arg-type]

        for column in measure_columns:  # a measure's unit depends on the row's indicator
            raw = _cell(values, column)
            kind = self.reference.indicator_kinds.get(outcome.values.get("indicator") or "", "count")
            value = parse_amount(raw, self.unit_for(column)) if kind == "amount" else parse_amount(raw, "万元")
            self._store(outcome, column, self.specs[column.field], raw, value, warn)

        for spec in self.specs.values():  # optional columns this sheet lacks (required ones: ingest checks)
            if spec["field"] not in outcome.values:
                outcome.values[spec["field"]] = spec.get("default")
                if "default" in spec:
                    outcome.defaulted.add(spec["field"])
        outcome.values["month_precision"] = "、".join(month_only) or None
        return outcome

    def _check_window(self, value: pd.Timestamp, column: Column, row: int, warn: Callable[..., None], raw: Any) -> None:
        """A date far from the ledger's year (``签约日期`` 2099 in 2022) is kept, with a warning naming the cell."""
        if self.window is None or self.window[0] <= value <= self.window[1]:
            return
        first, last = self.window[0].year, self.window[1].year
        warn(
            column, raw,
            f"日期 {value.date().isoformat()} 超出 {self.year} 年台账的合理范围（{first}–{last} 年，见 thresholds.yaml），"
            f"请核对单元格 {column_letter(column.index)}{row}",
        )

    @staticmethod
    def _store(outcome: _RowOutcome, column: Column, spec: dict[str, Any], raw: Any, value: Any, warn: Callable[..., None]) -> None:
        required = bool(spec.get("required", False))
        if isinstance(value, ParseFailure):
            if required:
                shown = normalize_text(raw)
                quoted = f"「{shown}」" in value.reason or f"（{shown}）" in value.reason
                outcome.reasons.append(f"{column.header}：{value.reason}" + ("" if quoted else f"（原值「{_raw_text(raw)}」）"))
            else:
                warn(column, raw, value.reason)
            outcome.unreadable.add(spec["field"])
            outcome.values[spec["field"]] = None  # unknown: left empty, never the default of a blank cell
            return
        if value is None and required:
            hint = f"（占位符「{str(raw).strip()}」）" if is_placeholder(raw) else ""
            outcome.reasons.append(f"{column.header}：必填项为空{hint}")
        elif value is None and spec["type"] in AMOUNT_KINDS and is_placeholder(raw):
            warn(column, raw, placeholder_reason(raw))
        if value is None and "default" in spec:
            value = spec["default"]
            outcome.defaulted.add(spec["field"])
        outcome.values[spec["field"]] = value


def placeholder_reason(raw: Any) -> str:
    """The warning for a placeholder in an amount cell: it means "none", so the cell is blank."""
    return f"金额为占位符「{str(raw).strip()}」，按空值处理"


def _check_project(outcome: _RowOutcome, headers: dict[str, str], reference: Reference) -> None:
    """Business rules of a project row: positive sizes, monthly funds vs the year, date order."""
    values = outcome.values
    total = values.get("total_investment")
    if total is not None and total <= 0:
        outcome.reasons.append(f"{headers.get('total_investment', '总投资')}：须大于0（原值 {total:g}）")
    blank_year = "funds_year" in outcome.defaulted  # an unreadable year total stays empty: not taken from the months
    funds_header = headers.get("funds_year", "本年实际进资")
    if outcome.failed_months:  # an incomplete sum of the months is no year total
        if blank_year:
            values["funds_year"] = None
            months = "、".join(f"{m}月" for m in outcome.failed_months)
            outcome.warnings.append(
                {"column": funds_header, "field": "funds_year", "raw": "",
                 "reason": f"{funds_header}未填写，且{months}进资无法读取：无法由月度数据推算，已留空"}
            )
    elif outcome.months and "funds_year" not in outcome.unreadable:
        month_sum = round(sum(outcome.months.values()), 6)
        if blank_year and month_sum:  # blank year total: the months say it
            values["funds_year"] = month_sum
        elif not blank_year and abs(month_sum - (values.get("funds_year") or 0)) > 0.005:
            outcome.warnings.append(
                {
                    "column": "1月…12月",
                    "field": "monthly_funds",
                    "raw": f"{month_sum:g}",
                    "reason": f"1–12月进资合计 {month_sum:g} 万元与本年实际进资 {values.get('funds_year') or 0:g} 万元不一致",
                }
            )
    if (values.get("funds_year") or 0) < 0:
        outcome.reasons.append(f"{headers.get('funds_year', '本年实际进资')}：不能为负数")
    status = values.get("status")
    for stage, date_field in STAGE_DATES:
        if status in reference.values_with_role("status", stage) and values.get(date_field) is None:
            outcome.warnings.append(
                {
                    "column": headers.get(date_field, date_field),
                    "field": date_field,
                    "raw": "",
                    "reason": f"项目状态为{status}，但{headers.get(date_field, date_field)}为空",
                }
            )
    for earlier, later in DATE_ORDER:
        first, second = values.get(earlier), values.get(later)
        if first is not None and second is not None and second < first:
            outcome.warnings.append(
                {
                    "column": headers.get(later, later),
                    "field": later,
                    "raw": second.date().isoformat(),
                    "reason": f"日期先后矛盾：{headers.get(later, later)}早于{headers.get(earlier, earlier)}",
                }
            )


def _subtotal_warnings(sheet: RawSheet, parser: _RowParser, cells: _SheetMatrix, kinds: np.ndarray) -> list[dict[str, Any]]:
    """Check 小计 (rows since the last subtotal) and 合计/总计 (all rows) against the detail rows
    (``kinds``: 0 data, 1 blank, 2 subtotal, per row of ``cells``)."""
    amount_columns = [c for c in sheet.columns if c.field in ("total_investment", "funds_year")]
    found: list[dict[str, Any]] = []
    for column in amount_columns:
        since_last: list[float | None] = []
        everything: list[float | None] = []
        unit = parser.unit_for(column)
        # the column's own reading (its distinct values are parsed already), else a memo of its own
        reading = next((memo for c, mode, _, memo, _ in parser.plan if c is column and mode is VALUE), None)
        own = _CellMemo(partial(parse_amount, default_unit=unit))
        amount_of = (lambda raw, reading=reading: reading(raw)[0]) if reading is not None else own
        column_cells = cells.matrix[:, column.index]  # padded with None: _cell of each row
        for i, kind in enumerate(kinds.tolist()):
            if kind == 1:  # blank
                continue
            raw = column_cells[i]
            parsed = amount_of(raw)
            amount = None if isinstance(parsed, ParseFailure) else parsed
            if kind == 0:  # data
                since_last.append(amount if amount is not None else 0.0 if parser.blank(raw) else None)
                everything.append(since_last[-1])
                continue
            if amount is None:
                continue
            values = cells.row(i)
            number = int(cells.numbers[i])
            is_grand = any(word in name_key(" ".join(_raw_text(v) for v in values)) for word in ("合计", "总计"))
            covered = everything if is_grand else since_last
            if covered and all(v is not None for v in covered):
                expected = round(sum(v for v in covered if v is not None), 4)
                if abs(expected - amount) > AMOUNT_TOLERANCE_WAN:
                    found.append(
                        {
                            "file": sheet.file,
                            "sheet": sheet.sheet,
                            "row": number,
                            "column": column.header,
                            "field": column.field,
                            "raw": _raw_text(_cell(values, column)),
                            "reason": f"合计行与明细不符：明细合计 {expected:g} 万元，合计行 {amount:g} 万元",
                        }
                    )
            if not is_grand:
                since_last = []
    return found


@dataclass
class _SheetMatrix:
    """A sheet's rows as one object matrix (short rows padded with None), with each row's Excel
    number and length (so a row's tuple is rebuilt exactly as read)."""

    matrix: np.ndarray
    numbers: np.ndarray
    lengths: np.ndarray

    @classmethod
    def take(cls, sheet: RawSheet) -> _SheetMatrix:
        """The matrix of ``sheet``'s rows, which are consumed (``sheet.rows`` is emptied, each row
        released as it is copied: a big sheet's cells are never held twice)."""
        rows, sheet.rows = sheet.rows, []
        size = len(rows)
        width = max([len(cells) for _, cells in rows] + [c.index + 1 for c in sheet.columns] + [1])
        matrix = np.full((size, width), None, dtype=object)
        numbers = np.empty(size, dtype=np.int64)
        lengths = np.empty(size, dtype=np.int32)
        while rows:
            number, cells = rows.pop()
            i = len(rows)
            matrix[i, : len(cells)] = cells
            numbers[i] = number
            lengths[i] = len(cells)
        return cls(matrix, numbers, lengths)

    def row(self, i: int) -> tuple[Any, ...]:
        """Row ``i`` as read (its cells, without the padding)."""
        return tuple(self.matrix[i, : self.lengths[i]])


@dataclass
class _TableParts:
    chunks: list[_Chunk] = field(default_factory=list)  # the clean rows, sheet by sheet
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    counts: list[dict[str, Any]] = field(default_factory=list)


def _raw_record(sheet: RawSheet, values: tuple[Any, ...]) -> str:
    record = {column.header: _raw_text(_cell(values, column)) for column in sheet.columns}
    return json.dumps({k: v for k, v in record.items() if v}, ensure_ascii=False)


def _distinct(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each cell, position of each code's first cell) of a column's distinct values, a
    value's type being part of it (``1``, ``1.0`` and ``True`` are equal otherwise), as ``_CellMemo``.

    >>> codes, first = _distinct(np.array(["a", 1, None, "a", True, 1.0], dtype=object))
    >>> codes.tolist(), first.tolist()  # "a" twice; 1, True and 1.0 apart
    ([0, 1, 4, 0, 2, 3], [0, 1, 4, 5, 2])
    """
    size = len(column)
    if size == 0:
        return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
    try:
        values = pd.factorize(column, use_na_sentinel=False)[0].astype(np.int64)
    except TypeError:  # an unhashable value: every cell on its own
        values = np.arange(size, dtype=np.int64)
    types = pd.factorize(np.fromiter(map(type, column), dtype=object, count=size))[0]
    _, first, codes = np.unique(values * (int(types.max()) + 1) + types, return_index=True, return_inverse=True)
    return codes.reshape(-1).astype(np.int32), first  # int32: a cell code per cell of a big sheet


def _mapped(function: Callable[[Any], Any], distinct: np.ndarray, dtype: Any = object) -> np.ndarray:
    """``function`` of each distinct value, as an array (tuples kept whole)."""
    out = np.empty(len(distinct), dtype=dtype)
    for i, value in enumerate(distinct):
        out[i] = function(value)
    return out


def _constant(value: Any, size: int) -> np.ndarray:
    out = np.empty(size, dtype=object)
    out.fill(value)
    return out


@dataclass
class _Chunk:
    """The clean rows of one sheet, column by column (object arrays, one per field)."""

    order: list[str]  # the fields in the order a row's record lists them (messages of merged duplicates)
    values: dict[str, np.ndarray]
    months: dict[int, np.ndarray]  # month → amount or None of each row
    file: str
    sheet: str
    rows: np.ndarray  # Excel row numbers

    def __len__(self) -> int:
        return len(self.rows)


def _filled_and_labels(distinct: np.ndarray, parser: _RowParser) -> tuple[np.ndarray, np.ndarray]:
    """(not blank, a subtotal label) of each of a column's distinct values, in one pass: the
    types a reader gives (text, whole numbers, floats, datetimes) are decided here, others by
    ``is_blank``."""
    filled = np.empty(len(distinct), dtype=bool)
    label = np.zeros(len(distinct), dtype=bool)
    for i, value in enumerate(distinct):
        kind = type(value)
        if kind is str:
            filled[i] = not is_blank(value)  # distinct already: a memo would only cost
            # a label's name_key ends with 计, which only 计 itself gives (NFKC, casefold)
            label[i] = "计" in value and bool(parser.is_label(value))
        elif kind is int or kind is datetime.datetime:
            filled[i] = True
        elif kind is float:
            filled[i] = value == value  # NaN is blank
        else:
            filled[i] = value is not None and not parser.blank(value)
    return filled, label


def _row_kinds(sheet: RawSheet, parser: _RowParser, matrix: np.ndarray, codes: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """``_RowParser.row_kind`` of every row at once: 0 data, 1 blank, 2 subtotal."""
    size, width = matrix.shape
    filled = np.zeros((size, width), dtype=bool)
    label = np.zeros((size, width), dtype=bool)
    for j, (code, first) in enumerate(codes):
        filled_values, label_values = _filled_and_labels(matrix[first, j], parser)
        filled[:, j] = filled_values[code]
        label[:, j] = label_values[code]
    mapped = sorted({c.index for c in sheet.columns if c.field != "sequence"})
    ids = sorted({c.index for c in sheet.columns if c.field in ID_FIELDS})
    count = filled.sum(axis=1)
    single = np.flatnonzero(count == 1)  # a note below the table is a row of one text cell
    note = np.zeros(size, dtype=bool)
    note[single] = [bool(parser.is_note(v)) for v in matrix[single, filled[single].argmax(axis=1)]]
    blank = (count == 0) | ~filled[:, mapped].any(axis=1) | note
    real_id = (filled[:, ids] & ~label[:, ids]).any(axis=1)
    subtotal = (filled & (np.cumsum(filled, axis=1, dtype=np.int16) <= 4) & label).any(axis=1)  # ≤ 16,384 columns
    return np.where(blank, 1, np.where(real_id, 0, np.where(subtotal, 2, 0)))


def _in_window(window: tuple[pd.Timestamp, pd.Timestamp] | None, value: Any) -> bool:
    return not isinstance(value, pd.Timestamp) or window is None or window[0] <= value <= window[1]


def clean_sheet(sheet: RawSheet, reference: Reference, parts: _TableParts, year: int | None = None) -> None:
    """Classify and parse every row of one sheet into ``parts`` (dates are checked against
    ``year``'s plausible window when given).

    Column by column: each column's distinct values are read once and mapped onto its cells; a
    row none of whose cells or rules has anything to say is stored from those columns, and only
    the other rows (a cell that cannot be read, a placeholder, a required blank, a date out of
    the window, a project rule to check) go through the row-by-row :meth:`_RowParser.parse`.
    The sheet's rows are consumed (``sheet.rows`` is empty afterwards).
    """
    spec = reference.ledger_format[sheet.table]
    parser = _RowParser(sheet, spec, reference, year)
    # headers as found, else the canonical one (for messages about a column the sheet lacks)
    headers = {**{c["field"]: c["header"] for c in spec["columns"]}, **{c.field: c.header for c in sheet.columns}}
    counts = dict.fromkeys(COUNT_KEYS, 0)
    cells = _SheetMatrix.take(sheet)
    matrix, numbers = cells.matrix, cells.numbers
    size, width = matrix.shape
    codes = [_distinct(matrix[:, j]) for j in range(width)]
    kinds = _row_kinds(sheet, parser, matrix, codes) if size else np.empty(0, dtype=np.int64)
    counts["rows_read"] = size
    counts["blank"] = int((kinds == 1).sum())
    counts["subtotal"] = int((kinds == 2).sum())
    data = np.flatnonzero(kinds == 0)
    rows = len(data)

    # the record's fields in the order _RowParser.parse fills them
    value_fields = [c.field for c, mode, *_ in parser.plan if mode is VALUE]
    measure_fields = [c.field for c, mode, *_ in parser.plan if mode is MEASURE]
    present = set(value_fields) | set(measure_fields)
    missing = [s["field"] for s in parser.specs.values() if s["field"] not in present]
    order = list(dict.fromkeys([*value_fields, *measure_fields, *missing, "month_precision"]))
    month_numbers = [month for _, mode, _, _, month in parser.plan if mode is MONTH]
    # a row-by-row sheet: measures (their unit depends on the row), a field or a month in two columns
    whole_sheet = bool(measure_fields) or len(set(value_fields)) < len(value_fields) or len(set(month_numbers)) < len(month_numbers)

    fast = np.full(rows, not whole_sheet, dtype=bool)
    values: dict[str, np.ndarray] = {}
    distinct_values: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # field → (row codes, stored value of each code)
    defaulted: dict[str, np.ndarray] = {}
    precision = np.zeros(rows, dtype=np.int64)  # bit i: the i-th date field was month-only
    precision_fields: list[str] = []
    months: dict[int, np.ndarray] = {}
    for column, mode, column_spec, memo, month in parser.plan:
        if mode is SKIP or mode is MEASURE or whole_sheet:
            continue
        code, first = codes[column.index]
        row_codes = code[data]
        distinct = matrix[first, column.index]
        if mode is MONTH:
            parsed = _mapped(memo, distinct)  # type: ignore[arg-type]
            simple = np.array(
                [not isinstance(p, ParseFailure) and not (p is None and raw is not None and parser.placeholder(raw))
                 for raw, p in zip(distinct, parsed, strict=True)],
                dtype=bool,
            )
            fast &= simple[row_codes]
            months[month] = np.where(simple, parsed, np.array(None, dtype=object))[row_codes]
            continue
        assert column_spec is not None
        readings = _mapped(memo, distinct)  # type: ignore[arg-type]
        required = bool(column_spec.get("required", False))
        has_default = "default" in column_spec
        amount = column_spec["type"] in AMOUNT_KINDS
        simple = np.empty(len(distinct), dtype=bool)
        stored = np.empty(len(distinct), dtype=object)
        blank = np.empty(len(distinct), dtype=bool)
        month_only = np.empty(len(distinct), dtype=bool)
        for i, (raw, (value, only_month, unknown_tokens)) in enumerate(zip(distinct, readings, strict=True)):
            simple[i] = not (
                isinstance(value, ParseFailure)
                or unknown_tokens
                or (value is None and (required or (amount and is_placeholder(raw))))
                or not _in_window(parser.window, value)
            )
            blank[i] = value is None and has_default
            stored[i] = column_spec["default"] if blank[i] else None if isinstance(value, ParseFailure) else value
            month_only[i] = bool(only_month)
        fast &= simple[row_codes]
        values[column.field] = stored[row_codes]
        distinct_values[column.field] = (row_codes, stored)
        defaulted[column.field] = blank[row_codes]
        if month_only.any():  # a date column read to the month somewhere
            precision |= month_only[row_codes].astype(np.int64) << len(precision_fields)
            precision_fields.append(column.field)
    for name in missing:
        column_spec = parser.specs[name]
        values[name] = _constant(column_spec.get("default"), rows)
        distinct_values[name] = (np.zeros(rows, dtype=np.intp), _constant(column_spec.get("default"), 1))
        defaulted[name] = np.full(rows, "default" in column_spec, dtype=bool)
    if sheet.table == "projects" and not whole_sheet and rows:
        fast &= ~_project_rules_apply(distinct_values, defaulted, months, reference)

    # the rows that need the row-by-row rules
    keep = fast.copy()
    slow_records: dict[int, _RowOutcome] = {}
    for position in np.flatnonzero(~fast):
        number, raw_values = int(numbers[data[position]]), cells.row(int(data[position]))
        outcome = parser.parse(raw_values, number)
        if sheet.table == "projects":
            _check_project(outcome, headers, reference)
        where = {"file": sheet.file, "sheet": sheet.sheet, "row": number, "table": sheet.table}
        parts.warnings.extend({**where, **w} for w in outcome.warnings)
        if outcome.reasons:
            counts["quarantined"] += 1
            parts.quarantine.append({**where, "reasons": "；".join(outcome.reasons), "raw": _raw_record(sheet, raw_values)})
            continue
        keep[position] = True
        slow_records[int(position)] = outcome
    counts["clean"] = int(keep.sum())

    labels = {}
    for code in np.unique(precision) if rows else []:
        labels[int(code)] = "、".join(f for i, f in enumerate(precision_fields) if int(code) >> i & 1) or None
    values["month_precision"] = _mapped(lambda code: labels.get(int(code)), precision) if rows else np.empty(0, dtype=object)
    all_months = sorted(set(month_numbers))
    for month in all_months:
        if month not in months:
            months[month] = _constant(None, rows)
    for name in order:
        if name not in values:
            values[name] = _constant(None, rows)
    for slow_position, outcome in slow_records.items():
        for name in order:
            values[name][slow_position] = outcome.values.get(name)
        for month in all_months:
            months[month][slow_position] = outcome.months.get(month)
    chosen = np.flatnonzero(keep)
    parts.chunks.append(
        _Chunk(
            order=order,
            values={name: values[name][chosen] for name in order},
            months={month: months[month][chosen] for month in all_months},
            file=sheet.file,
            sheet=sheet.sheet,
            rows=numbers[data[chosen]],
        )
    )
    if sheet.table == "projects":
        parts.warnings.extend({**w, "table": sheet.table} for w in _subtotal_warnings(sheet, parser, cells, kinds))
    for column in sheet.columns:
        if column.field.startswith(USD_MONTH):
            parts.warnings.append(
                {"file": sheet.file, "sheet": sheet.sheet, "row": sheet.header_row, "table": sheet.table, "column": column.header,
                 "field": "monthly_funds", "raw": "", "reason": "美元金额列，不计入人民币月度进资"}
            )
    for row, header in sheet.merged_amounts:
        parts.warnings.append(
            {"file": sheet.file, "sheet": sheet.sheet, "row": row, "table": sheet.table, "column": header, "field": "",
             "raw": "", "reason": "合并单元格跨多行：金额只计入第一行，本行按空值处理"}
        )
    parts.counts.append({"file": sheet.file, "sheet": sheet.sheet, "table": sheet.table, **counts})


def _project_rules_apply(
    columns: dict[str, tuple[np.ndarray, np.ndarray]], defaulted: dict[str, np.ndarray], months: dict[int, np.ndarray], reference: Reference
) -> np.ndarray:
    """Rows on which a rule of :func:`_check_project` may say something (a reason, a warning, a
    year total taken from the months): they go through it row by row. Generous at the edges (a
    months' sum near the year total is checked exactly there)."""

    def per_row(name: str, function: Callable[[Any], Any], dtype: Any = bool) -> np.ndarray:
        row_codes, stored = columns[name]
        return _mapped(function, stored, dtype)[row_codes]

    flagged = per_row("total_investment", lambda v: v is not None and v <= 0)
    flagged |= per_row("funds_year", lambda v: (v or 0) < 0)
    for stage, date_field in STAGE_DATES:
        statuses = reference.values_with_role("status", stage)
        flagged |= per_row("status", statuses.__contains__) & per_row(date_field, lambda v: v is None)
    for earlier, later in DATE_ORDER:
        first, second = (per_row(name, _microseconds, "datetime64[us]") for name in (earlier, later))
        flagged |= second < first  # NaT compares False
    if months:
        amounts = np.stack([np.where(_is_none(a), np.nan, a).astype(np.float64) for a in months.values()], axis=1)
        present = ~np.isnan(amounts).all(axis=1)
        total = np.nansum(amounts, axis=1)
        year_total = per_row("funds_year", lambda v: float(v or 0), np.float64)
        near = np.abs(total - year_total) <= 0.004
        flagged |= present & (defaulted["funds_year"] | ~near)
    return flagged


def _microseconds(value: Any) -> np.datetime64:
    return np.datetime64("NaT") if value is None else pd.Timestamp(value).to_datetime64().astype("datetime64[us]")


def _is_none(values: np.ndarray) -> np.ndarray:
    return np.fromiter((v is None for v in values), dtype=bool, count=len(values))


def _comparable(record: dict[str, Any], months: dict[int, float] | None) -> tuple[Any, ...]:
    items = sorted((k, None if pd.isna(v) else v) for k, v in record.items() if k not in PROVENANCE)
    return tuple(items) + (tuple(sorted((months or {}).items())),)


def _record(chunk: _Chunk, i: int) -> tuple[dict[str, Any], dict[int, float]]:
    """One clean row as the record (and months) of the row-by-row cleaner: for merged duplicates."""
    record = {name: chunk.values[name][i] for name in chunk.order}
    record.update(source_file=chunk.file, source_sheet=chunk.sheet, source_row=int(chunk.rows[i]))
    return record, {month: amounts[i] for month, amounts in chunk.months.items() if amounts[i] is not None}


def merge_duplicates(table: str, parts: _TableParts, spec: dict[str, Any]) -> np.ndarray:
    """Identical records with the same key → one kept; conflicting ones → all quarantined. The
    rows kept, over the sheets' clean rows one after another."""
    key = list(spec.get("key", []))
    headers = {column["field"]: column["header"] for column in spec["columns"]}
    sizes = [len(chunk) for chunk in parts.chunks]
    starts = np.cumsum([0, *sizes])
    kept = np.ones(int(starts[-1]), dtype=bool)
    if not len(kept):
        return kept
    if key:
        key_columns = {k: np.concatenate([chunk.values[k] for chunk in parts.chunks]) for k in key}
        candidates = np.flatnonzero(pd.DataFrame(key_columns).duplicated(keep=False).to_numpy())
        keys: Iterable[tuple[Any, ...]] = zip(*(key_columns[k][candidates] for k in key), strict=True)
    else:  # every record shares the empty key
        candidates = np.arange(len(kept))
        keys = (() for _ in candidates)
    groups: dict[tuple[Any, ...], list[int]] = {}
    for position, value in zip(candidates.tolist(), keys, strict=True):
        groups.setdefault(tuple(value), []).append(position)
    count_index = {(c["file"], c["sheet"]): c for c in parts.counts}
    for positions in groups.values():
        if len(positions) == 1:
            continue
        pairs = []
        for position in positions:
            chunk = int(np.searchsorted(starts, position, side="right")) - 1
            pairs.append(_record(parts.chunks[chunk], position - int(starts[chunk])))
        records = [record for record, _ in pairs]
        signatures = {_comparable(record, months) for record, months in pairs}
        if len(signatures) == 1:
            kept[positions[1:]] = False
            for duplicate in records[1:]:
                counts = count_index[(duplicate["source_file"], duplicate["source_sheet"])]
                counts["clean"] -= 1
                counts["duplicates_merged"] += 1
            continue
        kept[positions] = False
        places = "、".join(f"{r['source_file']}/{r['source_sheet']} 第{r['source_row']}行" for r in records)
        differing = [
            headers[k] for k in headers if any(str(r.get(k)) != str(o.get(k)) for r in records for o in records)
        ]
        key_text = "、".join(str(records[0].get(k)) for k in key)
        for record in records:
            counts = count_index[(record["source_file"], record["source_sheet"])]
            counts["clean"] -= 1
            counts["quarantined"] += 1
            parts.quarantine.append(
                {
                    "file": record["source_file"],
                    "sheet": record["source_sheet"],
                    "row": record["source_row"],
                    "table": table,
                    "reasons": f"重复记录「{key_text}」内容不一致（不同字段：{'、'.join(differing) or '月度进资'}，出现在 {places}）",
                    "raw": json.dumps({k: str(v) for k, v in record.items() if k not in PROVENANCE and v is not None}, ensure_ascii=False),
                }
            )
    return kept


def typed_frame(records: list[dict[str, Any]], spec: dict[str, Any], extra: Iterable[str] = ()) -> pd.DataFrame:
    """Records → a DataFrame with the column order and dtypes of the sheet spec."""
    fields = [c["field"] for c in spec["columns"]]
    return _typed(pd.DataFrame.from_records(records, columns=[*fields, *extra, *PROVENANCE]), spec, extra)


def _typed(frame: pd.DataFrame, spec: dict[str, Any], extra: Iterable[str] = ()) -> pd.DataFrame:
    """The dtypes of the sheet spec on a frame of its columns (object or inferred)."""
    kinds = _column_kinds(spec, extra)
    for name, kind in kinds.items():
        frame[name] = _typed_column(frame[name], kind)
    return frame


def _column_kinds(spec: dict[str, Any], extra: Iterable[str] = ()) -> dict[str, str]:
    """Column → its kind (the spec's type; ``text`` for provenance and extra columns, ``row``)."""
    kinds = {column["field"]: column["type"] for column in spec["columns"]}
    return {**kinds, "source_row": "row", **dict.fromkeys(("source_file", "source_sheet", *extra), "text")}


def _typed_column(values: pd.Series, kind: str) -> pd.Series:
    """One column in the dtype of its kind: dates datetime64[ns], amounts float64, yes/no
    boolean, integers Int64, source rows int64, anything else string."""
    if kind == "date":
        return pd.to_datetime(values).astype("datetime64[ns]")
    if kind in ("amount", "measure"):
        return pd.to_numeric(values).astype("float64")
    if kind == "yes_no":
        return values.astype("boolean")
    if kind == "integer":
        return values.astype("Int64")
    if kind == "row":
        return values.astype("int64")
    return values.astype("string")


def _concatenated(arrays: list[np.ndarray], kept: np.ndarray, dtype: Any = object) -> np.ndarray:
    return (np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype))[kept]


def _table_frame(parts: _TableParts, kept: np.ndarray, spec: dict[str, Any], extra: tuple[str, ...], order: list[str]) -> pd.DataFrame:
    """The kept clean rows of a table's sheets → its typed frame sorted by ``order`` (stable),
    built column by column: the order is worked out on the typed sort columns alone, and each
    column is put in that order and typed on its own (a big table is never held twice)."""
    chunks = parts.chunks
    fields = [c["field"] for c in spec["columns"]]
    columns = {name: _concatenated([chunk.values[name] for chunk in chunks], kept) for name in [*fields, *extra]}
    columns["source_file"] = _concatenated([_constant(chunk.file, len(chunk)) for chunk in chunks], kept)
    columns["source_sheet"] = _concatenated([_constant(chunk.sheet, len(chunk)) for chunk in chunks], kept)
    columns["source_row"] = _concatenated([chunk.rows for chunk in chunks], kept, np.int64)
    kinds = _column_kinds(spec, extra)
    keys = {name: _typed_column(pd.Series(columns[name], dtype=columns[name].dtype), kinds[name]) for name in order}
    sorted_positions = pd.DataFrame(keys).sort_values(order, kind="stable").index.to_numpy()
    typed = {}
    for name in columns:  # in the frame's column order
        if name in keys:  # typed already: only put in order
            typed[name] = keys.pop(name).take(sorted_positions).reset_index(drop=True)
        else:
            values = columns[name][sorted_positions]
            typed[name] = _typed_column(pd.Series(values, dtype=values.dtype), kinds[name])
        columns[name] = columns[name][:0]  # released: only the sorted, typed copy is kept
    return pd.DataFrame(typed, copy=False)


def _monthly_frame(parts: _TableParts, kept: np.ndarray) -> pd.DataFrame:
    """project_id, month, funds of every kept project's month with an amount, sorted by project
    (stable) and month. Built from one float matrix of the months, not a frame per month (memory
    of a big year: 400,000 projects)."""
    chunks = parts.chunks
    project_ids = pd.array(_concatenated([chunk.values["project_id"] for chunk in chunks], kept), dtype="string")
    months = sorted({month for chunk in chunks for month in chunk.months})
    if not months:
        return pd.DataFrame({"project_id": pd.array([], dtype="string"), "month": np.empty(0, dtype=np.int64),
                             "funds": np.empty(0, dtype=np.float64)})
    funds = np.zeros((len(project_ids), len(months)), dtype=np.float64)
    filled = np.zeros((len(project_ids), len(months)), dtype=bool)
    for j, month in enumerate(months):
        amounts = _concatenated([chunk.months.get(month, _constant(None, len(chunk))) for chunk in chunks], kept)
        filled[:, j] = ~_is_none(amounts)
        funds[filled[:, j], j] = amounts[filled[:, j]].astype(np.float64)
    order = np.asarray(project_ids.argsort(kind="stable"))  # as sort_values: stable, missing last
    rows, columns = np.nonzero(filled[order])  # row-major: by project, then by month
    return pd.DataFrame({
        "project_id": project_ids.take(order[rows]),
        "month": np.asarray(months, dtype=np.int64)[columns],
        "funds": funds[order[rows], columns],
    })


def clean_raw_sheets(
    year: int, sheets: Iterable[RawSheet], reference: Reference, file_warnings: Iterable[tuple[str, str]] = ()
) -> CleanYear:
    """Clean every recognized sheet of a year's workbooks into the year's tables; ``file_warnings``
    are (file, reason) of the files of the year folder that were not read."""
    parts = {table: _TableParts() for table in TABLES}
    for sheet in sheets:
        clean_sheet(sheet, reference, parts[sheet.table], year)
        release_freed_memory()  # the sheet's cells (a big sheet's would stay with the process)
    return _year_from_parts(year, parts, reference, file_warnings)


def _year_from_parts(year: int, parts: dict[str, _TableParts], reference: Reference, file_warnings: Iterable[tuple[str, str]]) -> CleanYear:
    """The year's tables from the clean parts of its sheets (in the order the sheets were read)."""
    tables: dict[str, pd.DataFrame] = {}
    monthly = pd.DataFrame()
    for table in TABLES:
        spec = reference.ledger_format[table]
        kept = merge_duplicates(table, parts[table], spec)
        extra = ("month_precision",) if table in ("projects", "trips", "leads") else ()
        order = [*spec.get("key", []), "source_file", "source_row"]
        tables[table] = _table_frame(parts[table], kept, spec, extra, order)
        if table == "projects":
            monthly = _monthly_frame(parts["projects"], kept)
        parts[table].chunks = []  # in the table now (memory of big ledgers)
        release_freed_memory()
    tables["monthly_funds"] = monthly
    quarantine = pd.DataFrame.from_records(
        [q for t in TABLES for q in parts[t].quarantine], columns=["file", "sheet", "row", "table", "reasons", "raw"]
    ).sort_values(["file", "sheet", "row"], kind="stable", ignore_index=True)
    unread = [
        {"file": file, "sheet": "", "row": 0, "table": "", "column": "", "field": "", "raw": "", "reason": reason}
        for file, reason in file_warnings
    ]
    warnings = pd.DataFrame.from_records(
        [w for t in TABLES for w in parts[t].warnings] + unread,
        columns=["file", "sheet", "row", "table", "column", "field", "raw", "reason"],
    ).sort_values(["file", "sheet", "row", "column"], kind="stable", ignore_index=True)
    sheet_counts = pd.DataFrame.from_records([c for t in TABLES for c in parts[t].counts], columns=["file", "sheet", "table", *COUNT_KEYS])
    validate_tables(tables, reference)  # guaranteed by construction; a failure is a bug, said loudly
    return CleanYear(year=year, tables=tables, quarantine=quarantine, warnings=warnings, sheet_counts=sheet_counts)


def empty_clean_year(year: int, reference: Reference) -> CleanYear:
    """A year whose every sheet is present and empty (the shape of every table, no rows): what
    the checks of templates against the figures' keys compute on."""
    empty = clean_raw_sheets(year, [], reference)
    counts = [{"file": "", "sheet": reference.ledger_format[t]["sheet"], "table": t, **dict.fromkeys(COUNT_KEYS, 0)} for t in TABLES]
    empty.sheet_counts = pd.DataFrame(counts)
    return empty


def clean_year(folder: Path, year: int, reference: Reference, *, progress: bool = False, lanes: int | None = None) -> CleanYear:
    """Read and clean every workbook of ``folder`` (``data/raw/<year>/``).

    On two cores and a year of some size the sheets are shared with a forked child
    (:mod:`helpers.ingest.lanes`): the same tables, quarantine, warnings, counts and errors as
    one process gives. ``lanes`` forces one process (1) or two (2, whatever the year's size).
    """
    if lanes is None or lanes == 2:
        paths = workbook_paths(folder)
        plan = plan_lanes(paths, cores=2, min_bytes=0) if lanes == 2 else plan_lanes(paths)
        if plan is not None:
            return _clean_in_lanes(folder, paths, plan, year, reference, progress=progress)
    workbooks = iter_workbooks(folder, reference.ledger_format)
    if progress:
        workbooks = _progress_bar(workbooks, len(workbook_paths(folder)), year)
    # one sheet at a time, each read when the one before is cleaned (clean_sheet consumes its rows)
    sheets = (sheet for _path, workbook_sheets in workbooks for sheet in workbook_sheets)
    return clean_raw_sheets(year, sheets, reference, unread_files(folder))


def _progress_bar(items: Iterable[Any] | None, total: int, year: int) -> Any:
    from tqdm.auto import tqdm

    return tqdm(items, total=total, desc=f"读取 {year} 年台账", unit="个工作簿", leave=False, disable=None)


@dataclass
class _Lane:
    """One process's share of a year: the clean parts of each sheet it read, by (workbook, sheet
    position); the ledger sheets it found in each workbook read partly by the other process, with
    the workbook's sheet titles; and the first error it met, with its place and traceback."""

    sheets: list[tuple[tuple[int, int], str, _TableParts]] = field(default_factory=list)
    found: dict[int, int] = field(default_factory=dict)
    titles: dict[int, list[str]] = field(default_factory=dict)
    error: tuple[tuple[int, int], Exception, str] | None = None


def _clean_lane(
    paths: list[Path],
    labels: list[str],
    plan: LanePlan,
    year: int,
    reference: Reference,
    *,
    child: bool,
    after_sheet: Callable[[int, str], None] | None = None,
    after_workbook: Callable[[int], None] | None = None,
    before: int | None = None,
) -> _Lane:
    """Read and clean the sheets of ``plan``'s child (``child``) or of this process; it stops at
    its first error, which is kept, not raised (the other lane may have met an earlier one).
    ``before``: only the workbooks up to this one (an error there stops the year anyway)."""
    lane = _Lane()
    for workbook, (path, label) in enumerate(zip(paths, labels, strict=True)):
        if before is not None and workbook > before:
            break
        if plan.split(workbook):
            take: Callable[[str], bool] | None = partial(_takes, plan, workbook, child)
        elif (workbook in plan.child_only) == child:
            take = None
        else:
            continue  # every sheet is the other process's
        place = ReadingPlace()
        try:
            found = 0
            # the child reads no sheet ahead: both cores are busy (it was 0.2 s slower at scale 50), and a
            # thread that cannot start (a child short of memory) would leave it waiting for ever
            for sheet in labelled_sheets(path, label, reference.ledger_format, take, place, read_ahead=not child):
                found += 1
                parts, table, title = _TableParts(), sheet.table, sheet.sheet
                clean_sheet(sheet, reference, parts, year)
                del sheet
                release_freed_memory()  # the sheet's cells (a big sheet's would stay with the process)
                lane.sheets.append(((workbook, place.position), table, parts))
                if after_sheet is not None:
                    after_sheet(workbook, title)
        except Exception as error:  # noqa: BLE001 — kept for clean_year, which raises the first of both lanes'
            lane.error = ((workbook, place.position), error, traceback.format_exc())
            return lane
        if take is not None:
            lane.found[workbook], lane.titles[workbook] = found, place.titles
        if after_workbook is not None:
            after_workbook(workbook)
    return lane


def _takes(plan: LanePlan, workbook: int, child: bool, title: str) -> bool:
    return plan.child_takes(workbook, title) == child


def _clean_in_lanes(folder: Path, paths: list[Path], plan: LanePlan, year: int, reference: Reference, *, progress: bool) -> CleanYear:
    """:func:`clean_year` on two cores: a forked child cleans its lane while this process cleans
    its own, then the parts are put together as one process would have made them."""
    labels = [workbook_label(path, folder) for path in paths]
    file_warnings = unread_files(folder)
    bar = _progress_bar(None, len(paths), year) if progress else None
    child: ChildLane | None = None
    try:
        child = ChildLane(partial(_clean_lane, paths, labels, plan, year, reference, child=True), wait=plan.wait)

        def after_sheet(workbook: int, title: str) -> None:
            if (workbook, title) == plan.largest and child is not None:
                child.open_gate()  # this process's largest sheet is cleaned: the child may start

        started = time.monotonic()
        own = _clean_lane(
            paths, labels, plan, year, reference, child=False, after_sheet=after_sheet,
            after_workbook=(lambda _: bar.update()) if bar is not None else None,
        )
        # its share is about as big as this one's: a child with nothing to say long after is stuck (a
        # lock it inherited, say) and is ended; its share is then done here
        theirs = child.result(patience=max(CHILD_PATIENCE_SECONDS, 4 * (time.monotonic() - started)))
    except BaseException:
        if child is not None:
            child.stop()
        raise
    if theirs is None:  # the child died (killed, out of memory) or was stuck: its share is done here
        before = own.error[0][0] if own.error is not None else None  # what comes later cannot change the error
        theirs = _clean_lane(paths, labels, plan, year, reference, child=True, before=before)
    if bar is not None:
        bar.update(len(paths) - bar.n)
        bar.close()
    _raise_first_error([own, theirs], paths, labels, reference)
    parts = {table: _TableParts() for table in TABLES}
    for _place, table, sheet_parts in sorted(own.sheets + theirs.sheets, key=lambda item: item[0]):
        parts[table].chunks.extend(sheet_parts.chunks)
        parts[table].quarantine.extend(sheet_parts.quarantine)
        parts[table].warnings.extend(sheet_parts.warnings)
        parts[table].counts.extend(sheet_parts.counts)
    del own, theirs
    return _year_from_parts(year, parts, reference, file_warnings)


def _raise_first_error(lanes: list[_Lane], paths: list[Path], labels: list[str], reference: Reference) -> None:
    """Raise the error one process reading the sheets in order would have met first: the earliest
    of the lanes' first errors, or a workbook read by both in which neither found a ledger sheet."""
    errors = [lane.error for lane in lanes if lane.error is not None]
    for workbook in sorted({w for lane in lanes for w in lane.found}):
        if sum(lane.found.get(workbook, 0) for lane in lanes) == 0:
            titles = next(lane.titles[workbook] for lane in lanes if workbook in lane.titles)
            path = paths[workbook]
            missing = relabelled(no_ledger_sheet(path, titles, reference.ledger_format), path, labels[workbook])
            errors.append(((workbook, len(titles)), missing, ""))
    if not errors:
        return
    _place, error, trace = min(errors, key=lambda item: item[0])
    if error.__traceback__ is None and not isinstance(error, InputError):  # the child's: say where it happened
        error.add_note(f"（在并行清洗的子进程中）\n{trace}")
    raise error
