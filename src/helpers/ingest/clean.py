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

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.ingest.cells import (
    ParsedDate,
    ParseFailure,
    parse_amount,
    parse_date,
    parse_integer,
    parse_yes_no,
    unknowable_cell,
)
from helpers.ingest.schema import validate_tables
from helpers.ingest.workbooks import USD_MONTH, Column, RawSheet, iter_workbooks, unread_files
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
                memo = _CellMemo(lambda raw, unit=unit: parse_amount(raw, unit))
                self.plan.append((column, MONTH, None, memo, int(column.field.split(":")[1])))
            elif self.specs[column.field]["type"] == "measure":
                self.plan.append((column, MEASURE, self.specs[column.field], None, 0))
            else:  # columns read alike share one memo (the dates of a row often repeat across its columns)
                column_spec = self.specs[column.field]
                kind = column_spec["type"]
                reading = (kind, self.unit_for(column) if kind == "amount" else "", bool(column_spec.get("city_allowed")))
                if reading not in readings:
                    readings[reading] = _CellMemo(lambda raw, column=column, spec=column_spec: self.read_cell(column, spec, raw))
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
            value, tokens = self.flags(raw)
            return value, False, tuple(tokens)
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


def _subtotal_warnings(sheet: RawSheet, parser: _RowParser, rows: list[tuple[int, tuple[Any, ...], str]]) -> list[dict[str, Any]]:
    """Check 小计 (rows since the last subtotal) and 合计/总计 (all rows) against the detail rows."""
    amount_columns = [c for c in sheet.columns if c.field in ("total_investment", "funds_year")]
    found: list[dict[str, Any]] = []
    for column in amount_columns:
        since_last: list[float | None] = []
        everything: list[float | None] = []
        unit = parser.unit_for(column)
        amount_of = _CellMemo(lambda raw, unit=unit: parse_amount(raw, unit))
        for number, values, kind in rows:
            parsed = amount_of(_cell(values, column))
            amount = None if isinstance(parsed, ParseFailure) else parsed
            if kind == "data":
                since_last.append(amount if amount is not None else 0.0 if is_blank(_cell(values, column)) else None)
                everything.append(since_last[-1])
                continue
            if kind != "subtotal" or amount is None:
                continue
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
class _TableParts:
    clean: list[dict[str, Any]] = field(default_factory=list)
    months: dict[tuple[str, str, int], dict[int, float]] = field(default_factory=dict)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    counts: list[dict[str, Any]] = field(default_factory=list)


def _raw_record(sheet: RawSheet, values: tuple[Any, ...]) -> str:
    record = {column.header: _raw_text(_cell(values, column)) for column in sheet.columns}
    return json.dumps({k: v for k, v in record.items() if v}, ensure_ascii=False)


def clean_sheet(sheet: RawSheet, reference: Reference, parts: _TableParts, year: int | None = None) -> None:
    """Classify and parse every row of one sheet into ``parts`` (dates are checked against
    ``year``'s plausible window when given)."""
    spec = reference.ledger_format[sheet.table]
    parser = _RowParser(sheet, spec, reference, year)
    # headers as found, else the canonical one (for messages about a column the sheet lacks)
    headers = {**{c["field"]: c["header"] for c in spec["columns"]}, **{c.field: c.header for c in sheet.columns}}
    counts = dict.fromkeys(COUNT_KEYS, 0)
    kinds: list[tuple[int, tuple[Any, ...], str]] = []
    id_columns = [c.index for c in sheet.columns if c.field in ID_FIELDS]
    mapped = [c.index for c in sheet.columns if c.field != "sequence"]
    for number, values in sheet.rows:
        counts["rows_read"] += 1
        kind = parser.row_kind(values, mapped, id_columns)
        if kind != "data":
            counts[kind] += 1
            kinds.append((number, values, kind))
            continue
        kinds.append((number, values, "data"))
        outcome = parser.parse(values, number)
        if sheet.table == "projects":
            _check_project(outcome, headers, reference)
        where = {"file": sheet.file, "sheet": sheet.sheet, "row": number, "table": sheet.table}
        parts.warnings.extend({**where, **w} for w in outcome.warnings)
        if outcome.reasons:
            counts["quarantined"] += 1
            parts.quarantine.append({**where, "reasons": "；".join(outcome.reasons), "raw": _raw_record(sheet, values)})
            continue
        counts["clean"] += 1
        record = {**outcome.values, "source_file": sheet.file, "source_sheet": sheet.sheet, "source_row": number}
        parts.clean.append(record)
        if outcome.months:
            parts.months[(sheet.file, sheet.sheet, number)] = outcome.months
    if sheet.table == "projects":
        parts.warnings.extend({**w, "table": sheet.table} for w in _subtotal_warnings(sheet, parser, kinds))
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


def _comparable(record: dict[str, Any], months: dict[int, float] | None) -> tuple[Any, ...]:
    items = sorted((k, None if pd.isna(v) else v) for k, v in record.items() if k not in PROVENANCE)
    return tuple(items) + (tuple(sorted((months or {}).items())),)


def merge_duplicates(table: str, parts: _TableParts, spec: dict[str, Any]) -> None:
    """Identical records with the same key → one kept; conflicting ones → all quarantined."""
    key = list(spec.get("key", []))
    headers = {column["field"]: column["header"] for column in spec["columns"]}
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for record in parts.clean:
        groups.setdefault(tuple(record.get(k) for k in key), []).append(record)
    kept: list[dict[str, Any]] = []
    count_index = {(c["file"], c["sheet"]): c for c in parts.counts}
    for records in groups.values():
        if len(records) == 1:
            kept.extend(records)
            continue
        months = [parts.months.get((r["source_file"], r["source_sheet"], r["source_row"])) for r in records]
        signatures = {_comparable(r, m) for r, m in zip(records, months, strict=True)}
        if len(signatures) == 1:
            kept.append(records[0])
            for duplicate in records[1:]:
                counts = count_index[(duplicate["source_file"], duplicate["source_sheet"])]
                counts["clean"] -= 1
                counts["duplicates_merged"] += 1
            continue
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
    kept_ids = {id(r) for r in kept}
    parts.clean = [r for r in parts.clean if id(r) in kept_ids]


def typed_frame(records: list[dict[str, Any]], spec: dict[str, Any], extra: Iterable[str] = ()) -> pd.DataFrame:
    """Records → a DataFrame with the column order and dtypes of the sheet spec."""
    fields = [c["field"] for c in spec["columns"]]
    columns = [*fields, *extra, *PROVENANCE]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for column in spec["columns"]:
        name, kind = column["field"], column["type"]
        if kind == "date":
            frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
        elif kind in ("amount", "measure"):
            frame[name] = pd.to_numeric(frame[name]).astype("float64")
        elif kind == "yes_no":
            frame[name] = frame[name].astype("boolean")
        elif kind == "integer":
            frame[name] = frame[name].astype("Int64")
        else:
            frame[name] = frame[name].astype("string")
    frame["source_row"] = frame["source_row"].astype("int64")
    for column in ("source_file", "source_sheet", *extra):
        frame[column] = frame[column].astype("string")
    return frame


def clean_raw_sheets(
    year: int, sheets: Iterable[RawSheet], reference: Reference, file_warnings: Iterable[tuple[str, str]] = ()
) -> CleanYear:
    """Clean every recognized sheet of a year's workbooks into the year's tables; ``file_warnings``
    are (file, reason) of the files of the year folder that were not read."""
    parts = {table: _TableParts() for table in TABLES}
    for sheet in sheets:
        clean_sheet(sheet, reference, parts[sheet.table], year)
    tables: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        spec = reference.ledger_format[table]
        merge_duplicates(table, parts[table], spec)
        extra = ("month_precision",) if table in ("projects", "trips", "leads") else ()
        kept_fields = {c["field"] for c in spec["columns"]} | set(extra) | set(PROVENANCE)
        records = [{k: v for k, v in r.items() if k in kept_fields} for r in parts[table].clean]
        order = [*spec.get("key", []), "source_file", "source_row"]
        tables[table] = typed_frame(records, spec, extra).sort_values(order, kind="stable", ignore_index=True)
    kept = {(r["source_file"], r["source_sheet"], r["source_row"]): r["project_id"] for r in parts["projects"].clean}
    monthly = [
        {"project_id": kept[place], "month": month, "funds": amount}
        for place, months in parts["projects"].months.items()
        if place in kept
        for month, amount in sorted(months.items())
    ]
    tables["monthly_funds"] = (
        pd.DataFrame.from_records(monthly, columns=["project_id", "month", "funds"])
        .astype({"project_id": "string", "month": "int64", "funds": "float64"})
        .sort_values(["project_id", "month"], ignore_index=True)
    )
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


def clean_year(folder: Path, year: int, reference: Reference, *, progress: bool = False) -> CleanYear:
    """Read and clean every workbook of ``folder`` (``data/raw/<year>/``)."""
    workbooks = iter_workbooks(folder, reference.ledger_format)
    if progress:
        from tqdm.auto import tqdm

        from helpers.ingest.workbooks import workbook_paths

        workbooks = tqdm(
            workbooks, total=len(workbook_paths(folder)), desc=f"读取 {year} 年台账", unit="个工作簿", leave=False, disable=None
        )

    def one_by_one() -> Iterator[RawSheet]:
        for _path, workbook_sheets in workbooks:
            for sheet in workbook_sheets:
                yield sheet
                sheet.rows = []  # cleaned: its raw cells are not needed any more (memory of big ledgers)

    return clean_raw_sheets(year, one_by_one(), reference, unread_files(folder))
