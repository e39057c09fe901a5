"""Schemas of the clean tables, derived from ``ledger_format.yaml`` and the reference data.

``validate_tables`` checks what every later step relies on: columns and dtypes, required
values present, categorical values canonical, keys unique, amounts not negative, monthly funds
linked to a project. The cleaner guarantees all of this by construction, so a failure means a
bug or a stale cache, never bad input: it raises ``SchemaError`` naming the table, the column
and the offending values.

>>> from helpers.reference import load_reference
>>> import pandas as pd
>>> from helpers.errors import SchemaError
>>> try:
...     check_table(pd.DataFrame({"county": ["瑞昌市"]}), "chain_map", load_reference())
... except SchemaError as error:
...     print(str(error).split(" [")[0])
chain_map: 缺少列
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.errors import SchemaError
from helpers.reference import Reference

DTYPES = {
    "text": "string",
    "amount": "float64",
    "measure": "float64",
    "date": "datetime64[ns]",
    "yes_no": "boolean",
    "integer": "Int64",
}
EXTRA_COLUMNS = {"month_precision": "string", "source_file": "string", "source_sheet": "string", "source_row": "int64"}
CATEGORY_TYPES = ("county", "industry", "chain", "event", "city", "indicator")



def _allowed_values(kind: str, reference: Reference) -> set[str] | None:
    if kind in CATEGORY_TYPES or kind.startswith("category:"):
        return set(reference.lookups[kind].values())
    return None


def expected_columns(table: str, reference: Reference) -> dict[str, str]:
    """Column → dtype of a clean table, in order."""
    spec = reference.ledger_format[table]
    columns = {column["field"]: DTYPES.get(column["type"], "string") for column in spec["columns"]}
    extra = ["month_precision"] if table in ("projects", "trips", "leads") else []
    return {**columns, **{name: EXTRA_COLUMNS[name] for name in [*extra, "source_file", "source_sheet", "source_row"]}}


def _fail(table: str, column: str, problem: str, values: pd.Series) -> None:
    shown = "、".join(map(str, values.drop_duplicates().head(5).tolist()))
    raise SchemaError(f"{table}: 列 {column} {problem}（如 {shown}）")


def check_table(frame: pd.DataFrame, table: str, reference: Reference) -> None:
    """Raise ``SchemaError`` when ``frame`` is not a valid clean ``table``."""
    expected = expected_columns(table, reference)
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        raise SchemaError(f"{table}: 缺少列 {missing}")
    for column, dtype in expected.items():
        if str(frame[column].dtype) != dtype:
            raise SchemaError(f"{table}: 列 {column} 的类型是 {frame[column].dtype}，应为 {dtype}")
    spec: dict[str, Any] = reference.ledger_format[table]
    for column in spec["columns"]:
        name, kind = column["field"], column["type"]
        values = frame[name]
        if column.get("required") and values.isna().any():
            _fail(table, name, "有空值", frame.loc[values.isna(), "source_row"])
        allowed = _allowed_values(kind, reference)
        if allowed is not None and column.get("city_allowed"):
            allowed = allowed | {reference.city}
        if allowed is not None:
            unknown = values.dropna()[~values.dropna().isin(allowed)]
            if len(unknown):
                _fail(table, name, "有未登记的取值", unknown)
        if kind == "amount" and (values.dropna() < 0).any():
            _fail(table, name, "有负数", values[values < 0])
    key = list(spec.get("key", []))
    if key:
        duplicated = frame[frame.duplicated(key, keep=False)]
        if len(duplicated):
            _fail(table, "、".join(key), "有重复的键", duplicated[key[0]])


def _is_in(values: pd.Series, among: pd.Series) -> np.ndarray:
    """``values.isin(among)`` for two text columns, by pyarrow (pandas converts each of ``among``
    to a scalar first: 0.2 s for a big year's project ids, on every load of the year).

    >>> _is_in(pd.Series(["a", "b", None], dtype="str"), pd.Series(["a"], dtype="str")).tolist()
    [True, False, False]
    """
    try:
        found = pc.is_in(pa.array(values.array), value_set=pa.array(among.array))
    except (pa.ArrowException, TypeError):  # not both text
        return values.isin(among).to_numpy(dtype=bool)
    return np.asarray(found.fill_null(False), dtype=bool)


def validate_tables(tables: dict[str, pd.DataFrame], reference: Reference) -> None:
    """Check every clean table of a year, and that monthly funds belong to known projects."""
    for table in reference.ledger_format:
        check_table(tables[table], table, reference)
    monthly = tables["monthly_funds"]
    orphans = monthly[~_is_in(monthly["project_id"], tables["projects"]["project_id"])]
    if len(orphans):
        _fail("monthly_funds", "project_id", "不在项目台账中", orphans["project_id"])
    if not monthly["month"].between(1, 12).all():
        _fail("monthly_funds", "month", "不在 1–12 之间", monthly["month"])
