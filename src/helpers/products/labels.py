"""The presentation step: semantic tables (English keys, amounts in 万元) → the tables readers see.

Report tables are built with English column keys and amounts in 万元; this one step turns a key
into its Chinese header with the unit (from the indicator registry ``indicators.csv`` for an
indicator key, else from ``labels.yaml``), converts 亿元 columns from 万元 with the city's
half-up rounding, and keeps counts as integers. No table builder types a Chinese header itself.

>>> from helpers.reference import load_reference
>>> reference = load_reference()
>>> table = pd.DataFrame({"county": ["瑞昌市"], "outside_province_projects.funds": [123_456.0], "links": [8]})
>>> present(table, reference).to_dict("records")
[{'县（市、区）': '瑞昌市', '省外2000万元以上项目实际进资（亿元）': 12.35, '环节（个）': 8}]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.errors import KitBug
from helpers.indicators.definitions import to_yi
from helpers.reference import Reference
from helpers.reference.indicators import ColumnLabel

__all__ = ["column_label", "label_rows", "present", "present_indicator_rows"]


def column_label(key: str, reference: Reference) -> ColumnLabel:
    """The label of a column key: an indicator of the registry, else an entry of ``labels.yaml``."""
    if "." in key:
        spec = reference.indicator(key)
        return ColumnLabel(spec.label, spec.unit)
    if key not in reference.column_labels:
        raise KitBug(f"column {key!r} has no label: add it to data/reference/labels.yaml")
    return reference.column_labels[key]


def _shown(value: Any, label: ColumnLabel) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if label.is_amount:
        return to_yi(value)
    return value


def label_rows(table: pd.DataFrame, column: str, reference: Reference) -> pd.DataFrame:
    """``table`` with the row keys in ``column`` replaced by their labels from ``labels.yaml``.

    >>> from helpers.reference import load_reference
    >>> rows = pd.DataFrame({"item": ["campaign_applied", "campaign_producing"], "total": [3, 1]})
    >>> label_rows(rows, "item", load_reference())["item"].tolist()
    ['新申请认定“50·20”项目', '新增投产“50·20”项目']
    """
    labels = [column_label(str(key), reference).label for key in table[column]]
    return table.assign(**{column: pd.Series(labels, index=table.index)})


def present(table: pd.DataFrame, reference: Reference, overrides: dict[str, str] | None = None) -> pd.DataFrame:
    """``table`` with Chinese headers and 亿元 amounts; ``overrides`` give a header for a column
    whose label depends on the table (``{"2022": "2022年（个）"}``), used as is."""
    overrides = overrides or {}
    shown: dict[str, Any] = {}
    for key in table.columns:
        if key in overrides:
            shown[overrides[key]] = table[key]
            continue
        label = column_label(str(key), reference)
        column = table[key]
        if label.is_amount:
            column = pd.Series([_shown(v, label) for v in column], index=table.index, dtype=object if column.isna().any() else "float64")
        shown[label.header] = column
    return pd.DataFrame(shown, index=table.index)


def present_indicator_rows(
    table: pd.DataFrame,
    reference: Reference,
    value_columns: tuple[str, ...],
    overrides: dict[str, str] | None = None,
    key_column: str = "indicator",
) -> pd.DataFrame:
    """A table with one indicator per row (``key_column`` holds metric keys) presented: the key
    becomes the indicator's label, a ``unit`` column follows it, and ``value_columns`` (万元 for
    amounts, counts as they are) are shown in each row's own unit (亿元 amounts half up to 2
    decimals, counts as integers); then :func:`present` names the columns.

    >>> from helpers.reference import load_reference
    >>> rows = pd.DataFrame({"indicator": ["outside_province_projects.funds", "signed_100m.count"],
    ...                      "value": [8_176_100.0, 12.0], "completion_pct": [58.4, None]})
    >>> present_indicator_rows(rows, load_reference(), ("value",), {"value": "1—6月"}).to_dict("records")
    [{'指标': '省外2000万元以上项目实际进资', '单位': '亿元', '1—6月': 817.61, '完成率（%）': 58.4}, \
{'指标': '新签约亿元以上项目', '单位': '个', '1—6月': 12, '完成率（%）': None}]
    """
    specs = [reference.indicator(str(key)) for key in table[key_column]]
    shown = table.copy()
    for column in value_columns:
        shown[column] = pd.Series(
            [_row_value(v, spec) for v, spec in zip(table[column], specs, strict=True)], index=table.index, dtype=object
        )
    shown[key_column] = [spec.label for spec in specs]
    shown.insert(shown.columns.get_loc(key_column) + 1, "unit", [spec.unit for spec in specs])
    for column in shown.columns:  # a missing value stays None ("—"), never NaN
        if shown[column].dtype == object or shown[column].isna().any():
            shown[column] = shown[column].astype(object).where(shown[column].notna(), None)
    return present(shown, reference, overrides)


def _row_value(value: Any, spec: Any) -> Any:
    if value is None or pd.isna(value):
        return None
    if spec.kind == "amount":
        return to_yi(value)
    if spec.precision == 0:
        return int(value)
    return value
