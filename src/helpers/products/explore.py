"""The analyst's starting point: one call for a year's clean tables, the data dictionary, pivots.

>>> year = open_year(2022)
>>> pivot_amounts(year.tables["projects"], "county").loc[["永修县", "合计"], "金额（亿元）"].tolist()
[441.35, 2821.58]
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.indicators.definitions import to_yi
from helpers.ingest.cache import load_year
from helpers.ingest.clean import CleanYear
from helpers.paths import resolve
from helpers.reference import Reference, load_reference

TYPE_LABELS = {
    "text": "文本",
    "amount": "金额（万元）",
    "date": "日期",
    "yes_no": "是/否",
    "integer": "整数",
    "flags": "文本（多值）",
    "measure": "数值",
    "county": "县（市、区）",
    "industry": "产业类别",
    "chain": "产业链",
    "event": "签约活动",
    "city": "设区市",
    "indicator": "指标",
}
ORIGIN_REGION = re.compile(
    r"^(内蒙古自治区|广西壮族自治区|宁夏回族自治区|新疆维吾尔自治区|西藏自治区|.{2,3}?省|北京市|天津市|上海市|重庆市|香港|澳门|台湾)"
)
FIELD_LABELS = {
    "county": "县（市、区）",
    "industry": "产业类别",
    "source": "资金来源",
    "origin_region": "来源地",
    "chain": "产业链",
    "month": "月份",
}


def open_year(year: int, data_dir: str | Path = "data", reference_dir: str | Path = "data/reference") -> CleanYear:
    """A year's clean tables, quarantine and warnings (cleaned now or read from the cache).

    Relative folders are taken from the project folder.
    """
    return load_year(year, resolve(data_dir), load_reference(resolve(reference_dir)))


def data_dictionary(reference: Reference) -> pd.DataFrame:
    """Every field of every clean table: sheet, field, Chinese header (and aliases), type, required, meaning."""
    rows = []
    for spec in reference.ledger_format.values():
        for column in spec["columns"]:
            kind = column["type"]
            rows.append(
                {
                    "工作表": spec["sheet"],
                    "字段": column["field"],
                    "表头": column["header"],
                    "表头别名": "、".join(column.get("aliases", [])),
                    "类型": TYPE_LABELS.get(kind, "类别（" + kind.split(":")[-1] + "）"),
                    "必填": "是" if column.get("required") else "",
                    "含义": column.get("meaning", ""),
                }
            )
    return pd.DataFrame(rows)


def with_origin_region(projects: pd.DataFrame) -> pd.DataFrame:
    """Adds ``origin_region``: the province (or 香港/澳门/台湾, or the first word) of ``origin``.

    >>> with_origin_region(pd.DataFrame({"origin": ["广东省深圳市", "上海市", "香港", None]}))["origin_region"].tolist()
    ['广东省', '上海市', '香港', '未填报']
    """

    def region(origin: object) -> str:
        if not isinstance(origin, str) or not origin.strip():
            return "未填报"
        match = ORIGIN_REGION.match(origin.strip())
        return match.group(1) if match else origin.strip()

    return projects.assign(origin_region=[region(o) for o in projects["origin"]])


def pivot_amounts(projects: pd.DataFrame, rows: str, columns: str | None = None, value: str = "funds_year") -> pd.DataFrame:
    """Σ ``value`` in 亿元 by ``rows`` (and ``columns``), largest first, with a 合计 row."""
    frame = with_origin_region(projects) if "origin_region" in (rows, columns) else projects
    if columns is None:
        table = frame.groupby(rows)[value].sum().sort_values(ascending=False, kind="stable").to_frame("金额（亿元）")
    else:
        table = frame.pivot_table(index=rows, columns=columns, values=value, aggfunc="sum", fill_value=0.0)
        table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    table.loc["合计"] = table.sum()  # summed in 万元, rounded once below (half up, as the city rounds)
    table = table.map(to_yi)
    table.index.name = FIELD_LABELS.get(rows, rows)
    return table


def monthly_pivot(monthly_funds: pd.DataFrame, projects: pd.DataFrame, rows: str = "county") -> pd.DataFrame:
    """Monthly funds (亿元) by ``rows`` × month, for the projects that report monthly columns."""
    joined = monthly_funds.merge(projects[["project_id", rows]], on="project_id", how="left")
    table = joined.pivot_table(index=rows, columns="month", values="funds", aggfunc="sum", fill_value=0.0).map(to_yi)
    table.columns = [f"{m}月" for m in table.columns]
    table.index.name = FIELD_LABELS.get(rows, rows)
    return table


def quarantine_table(clean: CleanYear) -> pd.DataFrame:
    """The quarantined rows with Chinese headers: where to look in the workbooks and why."""
    q = clean.quarantine
    return pd.DataFrame({"文件": q["file"], "工作表": q["sheet"], "行号": q["row"], "原因": q["reasons"]})


def warnings_table(clean: CleanYear) -> pd.DataFrame:
    """Optional values that could not be parsed (left empty), with their raw text."""
    w = clean.warnings
    return pd.DataFrame(
        {"文件": w["file"], "工作表": w["sheet"], "行号": w["row"], "列": w["column"], "原值": w["raw"], "问题": w["reason"]}
    )
