"""``ledger_format.yaml`` checked against what the code reads: sheets, columns, types, keys.

A city may rename headers, add aliases and add columns of its own; it may not drop a sheet or a
field the kit computes with, give one a type the code does not expect, or misspell a type
(``type: amout``). Every mistake is one :class:`~helpers.errors.ReferenceDataError` line naming
the file, the line and what is expected — never a ``KeyError`` later in the cleaning.
"""

from __future__ import annotations

from typing import Any

import yaml

from helpers.errors import ReferenceDataError
from helpers.normalize import name_key

FILE = "ledger_format.yaml"

#: Value types a column may have (besides ``category:<vocabulary of categories.yaml>``).
COLUMN_TYPES = (
    "text", "amount", "measure", "date", "yes_no", "integer", "flags", "county", "industry", "chain", "event", "city", "indicator",
)
AMOUNT_UNITS = ("元", "万元", "千万元", "亿元")

#: table → field → type, for every field the kit's cleaning and indicators read.
CODE_FIELDS: dict[str, dict[str, str]] = {
    "projects": {
        "project_id": "text", "name": "text", "origin": "text", "source": "category:source", "county": "county",
        "industry": "industry", "chain": "chain", "total_investment": "amount", "funds_year": "amount",
        "entered_on": "date", "signed_on": "date", "started_on": "date", "producing_on": "date", "recognized_on": "date",
        "fifty_twenty_applied_on": "date", "status": "category:status", "investor_flags": "flags", "is_digital": "yes_no",
        "event": "event",
    },
    "trips": {"departed_on": "date", "unit": "text", "unit_kind": "category:unit_kind", "is_principal": "yes_no"},
    "leads": {
        "lead_id": "text", "team": "text", "name": "text", "planned_investment": "amount", "progress": "category:progress",
        "signed_on": "date", "signed_amount": "amount",
    },
    "chain_map": {"county": "county", "chain": "chain", "link": "text", "item": "text", "present": "yes_no"},
    "province_peers": {"city": "city", "indicator": "indicator", "value": "measure"},
    "targets": {"county": "county", "indicator": "indicator", "target": "measure"},
}  # fmt: skip


def _lines(text: str) -> dict[tuple[str, ...], int]:
    """(table,), (table, key) and (table, "columns", i) → 1-based line of that node in the YAML text."""
    lines: dict[tuple[str, ...], int] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key_node, value in root.value:
        table = str(key_node.value)
        lines[(table,)] = key_node.start_mark.line + 1
        if isinstance(value, yaml.MappingNode):
            for inner_key, inner in value.value:
                lines[(table, str(inner_key.value))] = inner_key.start_mark.line + 1
                if inner_key.value == "columns" and isinstance(inner, yaml.SequenceNode):
                    for index, item in enumerate(inner.value):
                        lines[(table, "columns", str(index))] = item.start_mark.line + 1
    return lines


def validate_ledger_format(content: dict[str, Any], categories: dict[str, Any], text: str = "") -> dict[str, Any]:
    """``content`` (the parsed YAML; ``text`` its source, for line numbers) checked; returned as is.

    >>> validate_ledger_format({"projects": {"sheet": "项目台账", "columns": []}}, {})
    Traceback (most recent call last):
    ...
    helpers.errors.ReferenceDataError: ledger_format.yaml: 缺少工作表 trips（本工具需要它；应有 sheet 与 columns）
    """
    lines = _lines(text)

    def fail(where: tuple[str, ...], problem: str) -> None:
        line = next((lines[where[:n]] for n in range(len(where), 0, -1) if where[:n] in lines), None)
        raise ReferenceDataError(f"{FILE}{f' 第 {line} 行' if line else ''}: {problem}")

    types = (*COLUMN_TYPES, *(f"category:{v}" for v in categories))
    for table in CODE_FIELDS:
        if table not in content:
            fail((), f"缺少工作表 {table}（本工具需要它；应有 sheet 与 columns）")
    for table, spec in content.items():
        if not isinstance(spec, dict):
            fail((str(table),), f"{table} 应为映射（sheet、columns…），实为 {type(spec).__name__}")
        for key in ("sheet", "columns"):
            if key not in spec:
                fail((str(table),), f"{table} 缺少 {key}")
        if not isinstance(spec["sheet"], str) or not spec["sheet"].strip():
            fail((table, "sheet"), f"{table}/sheet 应为工作表名称，实为 {spec['sheet']!r}")
        _check_names(spec.get("aliases", []), (table, "aliases"), f"{table}/aliases", fail)
        if not isinstance(spec["columns"], list) or not spec["columns"]:
            fail((table, "columns"), f"{table}/columns 应为非空的列说明列表")
        unit = spec.get("default_unit", "万元")
        if unit not in AMOUNT_UNITS:
            fail((table, "default_unit"), f"{table}/default_unit {unit!r} 不是可用的金额单位（可用：{'、'.join(AMOUNT_UNITS)}）")
        fields = _check_columns(table, spec["columns"], types, fail)
        key = spec.get("key", [])
        if not isinstance(key, list) or not all(isinstance(k, str) for k in key):
            fail((table, "key"), f"{table}/key 应为字段名列表，实为 {key!r}")
        missing_key = [k for k in key if k not in fields]
        if missing_key:
            fail((table, "key"), f"{table}/key 中的字段 {'、'.join(missing_key)} 没有列说明（现有字段：{'、'.join(fields)}）")
        for name, expected in CODE_FIELDS.get(table, {}).items():
            if name not in fields:
                fail((table, "columns"), f"{table} 缺少字段 {name} 的列说明（本工具用它计算，类型应为 {expected}）")
            if fields[name] != expected:
                fail((table, "columns", str(list(fields).index(name))), f"{table}/{name} 的类型应为 {expected}，实为 {fields[name]}")
    return content


def _check_names(value: Any, where: tuple[str, ...], label: str, fail: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        fail(where, f"{label} 应为文字列表，实为 {value!r}")


def _check_columns(table: str, columns: list[Any], types: tuple[str, ...], fail: Any) -> dict[str, str]:
    """Every column spec of one table checked; returns field → type in order."""
    fields: dict[str, str] = {}
    headers: dict[str, str] = {}
    for index, column in enumerate(columns):
        where = (table, "columns", str(index))
        if not isinstance(column, dict):
            fail(where, f"{table} 第 {index + 1} 个列说明应为 {{header: …, field: …, type: …}}，实为 {column!r}")
        for key in ("header", "field", "type"):
            if not isinstance(column.get(key), str) or not column[key].strip():
                fail(where, f"{table} 第 {index + 1} 个列说明缺少 {key}（应为文字）")
        name, kind = column["field"], column["type"]
        if kind not in types:
            fail(where, f"{table}/{name} 的 type {kind!r} 不可用（可用：{'、'.join(types)}）")
        if name in fields:
            fail(where, f"{table} 的字段 {name} 重复")
        if "required" in column and not isinstance(column["required"], bool):
            fail(where, f"{table}/{name} 的 required 应为 true 或 false，实为 {column['required']!r}")
        _check_names(column.get("aliases", []), where, f"{table}/{name} 的 aliases", fail)
        if "default" in column:
            default = column["default"]
            ok = {"yes_no": isinstance(default, bool), "amount": isinstance(default, (int, float)) and not isinstance(default, bool)}
            if not ok.get(kind, True):
                fail(where, f"{table}/{name} 的 default {default!r} 与类型 {kind} 不符")
        for header in [column["header"], *column.get("aliases", [])]:
            key = name_key(str(header))
            if headers.get(key, name) != name:
                fail(where, f"{table} 的表头或别名「{header}」同时属于字段 {headers[key]} 和 {name}")
            headers[key] = name
        fields[name] = kind
    return fields
