"""The analyst's starting point: one call for a year's clean tables, the data dictionary, pivots.

The cookbook's builders (``funds_pivot``, ``status_pivot``, ``funds_comparison``,
``most_signed_100m``, ``large_projects``) are semantic: English keys, amounts in 万元, rows in
the reference's order (units, industries, statuses in lifecycle order) and a 合计 row;
:func:`present_pivot` (or :func:`helpers.products.labels.present`) gives the Chinese headers
and 亿元. Their ``*_caption`` functions state each table's definition, so that all projects'
funds are never mistaken for the headline's 2000万元以上 definition.

>>> year = open_year(2022)
>>> pivot_amounts(year.tables["projects"], "county").loc[["永修县", "合计"], "金额（亿元）"].tolist()
[441.35, 2821.58]
>>> reference = load_reference()
>>> table = funds_pivot(year.tables["projects"], reference, "county")
>>> present_pivot(table, reference).iloc[[5, -1]].to_dict("records")
[{'县（市、区）': '永修县', '本年实际进资（亿元）': 441.35}, {'县（市、区）': '合计', '本年实际进资（亿元）': 2821.58}]
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from helpers.errors import UsageError
from helpers.indicators.definitions import growth_pct, to_yi
from helpers.indicators.metrics import county_breakdown
from helpers.ingest.cache import load_year, load_year_if_available
from helpers.ingest.clean import CleanYear
from helpers.normalize import match_name, suggest_names
from helpers.paths import reference_dir_for, resolve
from helpers.products.labels import column_label, present
from helpers.reference import Reference, load_reference
from helpers.viz import charts

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


#: The columns a pivot of the cookbook may have as rows or columns (the ``rows`` and ``columns`` parameters).
PIVOT_FIELDS = ("county", "industry", "source", "chain", "status", "origin_region")


def check_parameters(parameters: dict[str, Any], data_dir: Path, reference_dir: Path) -> dict[str, Any]:
    """The exploration's parameters checked before a kernel starts: ``rows`` and ``columns``
    among :data:`PIVOT_FIELDS` and different, ``industry`` a known industry (an alias gives its
    canonical name), ``size_threshold`` a size threshold of ``thresholds.yaml``; else
    :class:`UsageError` naming what is allowed. Returns the parameters with ``industry`` canonical.

    >>> check_parameters({"industry": "新能源产业"}, Path("data"), Path("data/reference"))["industry"]
    '新能源'
    """
    reference = load_reference(reference_dir_for(Path(data_dir), reference_dir))
    allowed = "、".join(PIVOT_FIELDS)
    for name in ("rows", "columns"):
        if name in parameters and parameters[name] not in PIVOT_FIELDS:
            raise UsageError(f"参数 {name} 的值 {parameters[name]!r} 不是可用的透视字段；可用：{allowed}")
    if "rows" in parameters and parameters["rows"] == parameters.get("columns"):
        raise UsageError(f"参数 rows 与 columns 都是 {parameters['rows']}：二维透视表的行与列须是不同的字段")
    checked = dict(parameters)
    if "industry" in parameters:
        industry = match_name(parameters["industry"], reference.lookups["industry"])
        if industry is None:
            closest = "、".join(suggest_names(parameters["industry"], list(reference.industries["name"]))) or "无"
            raise UsageError(f"未知的产业类别：{parameters['industry']}；最接近的有：{closest}（产业类别见 industries.csv）")
        checked["industry"] = industry
    if "size_threshold" in parameters:
        sizes = [key for key, value in reference.thresholds.items() if key.endswith(("_min", "_bands"))]
        if parameters["size_threshold"] not in sizes:
            given = parameters["size_threshold"]
            raise UsageError(f"参数 size_threshold 的值 {given!r} 不是 thresholds.yaml 中的规模门槛；可用：{'、'.join(sizes)}")
    return checked


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


# ------------------------------------------------------------------------------------ cookbook

TOTAL = "合计"


def open_previous_year(
    year: int, data_dir: str | Path = "data", reference_dir: str | Path = "data/reference"
) -> CleanYear | None:
    """The year before ``year`` (or None when it has no ledgers), for two-year comparisons."""
    return load_year_if_available(year - 1, resolve(data_dir), load_reference(resolve(reference_dir)))


def reference_order(column: str, reference: Reference) -> list[str]:
    """The order the reference gives the values of ``column``: units, industries, a vocabulary
    of ``categories.yaml`` (statuses in lifecycle order); empty when it gives none."""
    if column == "county":
        return list(reference.units["name"])
    if column == "industry":
        return list(reference.industries["name"])
    return list(reference.categories.get(column, {}))


def _ordered(values: list[object], column: str, reference: Reference) -> list[object]:
    order = {name: i for i, name in enumerate(reference_order(column, reference))}
    return sorted(values, key=lambda v: (order.get(str(v), len(order)), str(v)))


def funds_pivot(
    projects: pd.DataFrame, reference: Reference, rows: str, columns: str | None = None, value: str = "funds_year"
) -> pd.DataFrame:
    """Σ ``value`` (万元) of every project by ``rows`` (and one column per value of ``columns``,
    then the row's total as ``value``), rows and columns in reference order (rows the reference
    does not order, largest first), a 合计 row summed in 万元."""
    frame = with_origin_region(projects) if "origin_region" in (rows, columns) else projects
    if columns is None:
        table = frame.groupby(rows)[value].sum()
        if reference_order(rows, reference):
            table = table.reindex(_ordered(list(table.index), rows, reference))
        else:  # no order in the reference (来源地): largest first
            table = table.sort_values(ascending=False, kind="stable")
        table = table.to_frame(value)
    else:
        table = frame.pivot_table(index=rows, columns=columns, values=value, aggfunc="sum", fill_value=0.0)
        table = table.reindex(index=_ordered(list(table.index), rows, reference), columns=_ordered(list(table.columns), columns, reference))
        table[value] = table.sum(axis=1)  # the row's total
    table.columns = [str(c) for c in table.columns]
    table.loc[TOTAL] = table.sum()
    return table.rename_axis(rows).reset_index()


def status_pivot(projects: pd.DataFrame, reference: Reference, rows: str = "county") -> pd.DataFrame:
    """Projects (个) by ``rows`` × status, statuses in lifecycle order (``categories.yaml``), with
    a ``count`` column and a 合计 row."""
    table = projects.groupby([rows, "status"]).size().unstack("status", fill_value=0)
    table = table.reindex(index=_ordered(list(table.index), rows, reference), columns=_ordered(list(table.columns), "status", reference))
    table = table.fillna(0).astype(int)
    table["count"] = table.sum(axis=1)
    table.columns = [str(c) for c in table.columns]
    table.loc[TOTAL] = table.sum()
    return table.rename_axis(rows).reset_index()


def present_pivot(table: pd.DataFrame, reference: Reference, unit: str = "亿元") -> pd.DataFrame:
    """A pivot for readers: labelled keys by :func:`present`; a column named by a category
    value (``省外``, ``已签约``) is headed with ``unit`` and, for 亿元, converted from 万元."""
    shown = table.copy()
    overrides = {}
    for column in table.columns:
        if str(column) in reference.column_labels or "." in str(column):
            continue
        overrides[column] = f"{column}（{unit}）"
        if unit == "亿元":
            shown[column] = [to_yi(v) for v in table[column]]
    return present(shown, reference, overrides)


def pivot_chart(shown: pd.DataFrame, caption: str) -> Figure:
    """A bar per row of a presented pivot (the 合计 row left out) of its last column (the total),
    titled with the caption's first part (before its definition, after "："), largest first."""
    title = caption.split("：")[0]
    rows = shown[shown.iloc[:, 0] != TOTAL]
    value = str(shown.columns[-1])
    number_format = "{:,.0f}" if value.endswith("（个）") else "{:,.2f}"
    return charts.bar_chart(rows, str(shown.columns[0]), value, title, value, number_format=number_format)


def funds_comparison(current: pd.DataFrame, previous: pd.DataFrame | None, reference: Reference, rows: str = "county") -> pd.DataFrame:
    """Every project's funds (万元) by ``rows`` in two years: ``funds_previous``, ``funds_year``,
    ``funds_change`` and ``yoy_pct``; a 合计 row. Without the previous year its columns stay empty."""
    now = funds_pivot(current, reference, rows).set_index(rows)["funds_year"]
    before = funds_pivot(previous, reference, rows).set_index(rows)["funds_year"] if previous is not None else pd.Series(dtype=float)
    names = [n for n in _ordered(list(set(now.index) | set(before.index) - {TOTAL}), rows, reference) if n != TOTAL] + [TOTAL]
    table = pd.DataFrame({rows: names})
    table["funds_previous"] = [before.get(n, 0.0) if previous is not None else None for n in names]
    table["funds_year"] = [now.get(n, 0.0) for n in names]
    table["funds_change"] = [None if b is None else a - b for a, b in zip(table["funds_year"], table["funds_previous"], strict=True)]
    table["yoy_pct"] = [None if b is None else growth_pct(a, b) for a, b in zip(table["funds_year"], table["funds_previous"], strict=True)]
    return table


def comparison_chart(comparison: pd.DataFrame, reference: Reference, caption: str, years: tuple[int, int]) -> Figure:
    """Both years' funds of a :func:`funds_comparison` side by side per row (the 合计 row left out)."""
    rows = comparison[comparison.iloc[:, 0] != TOTAL]
    key = str(comparison.columns[0])
    long = pd.concat(
        [
            pd.DataFrame({key: rows[key], "年度": f"{year}年", "funds": [None if pd.isna(v) else to_yi(v) for v in rows[column]]})
            for year, column in zip(years, ("funds_previous", "funds_year"), strict=True)
        ],
        ignore_index=True,
    )
    label = column_label("funds", reference).header
    return charts.grouped_bar_chart(long, key, "年度", "funds", caption.split("：")[0], label, horizontal=True,
                                    series_order=[f"{year}年" for year in years], category_label=column_label(key, reference).label)


def outside_province(projects: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """The projects whose money comes from other provinces (``roles.yaml`` source/outside_province), any size."""
    return projects[projects["source"].isin(reference.values_with_role("source", "outside_province"))]


def origin_pivot(projects: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Σ funds (万元) of the projects with money from other provinces, by the province it comes from."""
    return funds_pivot(outside_province(projects, reference), reference, "origin_region")


def origin_caption(reference: Reference, year: int) -> str:
    sources = "、".join(reference.values_with_role("source", "outside_province"))
    return f"{year}年资金来源为{sources}的全部项目本年实际进资（亿元），按来源地：不限项目规模"


def monthly_caption(year: int) -> str:
    return f"{year}年分月实际进资（亿元），填报分月数据的项目，按县（市、区）"


def most_signed_100m(current: CleanYear, previous: CleanYear | None, reference: Reference) -> pd.DataFrame:
    """The unit(s) that signed the most 亿元以上 projects this year (``signed_100m.count``, the
    headline's definition), with every project's funds in both years (:func:`funds_comparison`)."""
    signed = county_breakdown(current.tables["projects"], reference, current.year).set_index("county")["signed_100m.count"]
    leaders = [name for name in signed.index if signed[name] == signed.max()]
    funds = funds_comparison(current.tables["projects"], previous.tables["projects"] if previous is not None else None, reference)
    rows = funds[funds["county"].isin(leaders)].copy()
    rows.insert(1, "signed_100m.count", [int(signed[name]) for name in rows["county"]])
    return rows.reset_index(drop=True)


def size_threshold(reference: Reference, name: str) -> float:
    """A size threshold of ``thresholds.yaml`` in 万元 (of a list of bands, the lowest).

    >>> size_threshold(load_reference(), "big_started_bands")
    100000.0
    """
    value = reference.thresholds[name]
    return float(min(value) if isinstance(value, list) else value) * 10_000


def large_projects(projects: pd.DataFrame, reference: Reference, industry: str, threshold: str) -> pd.DataFrame:
    """Every project of ``industry`` with a total investment of at least the ``threshold`` of
    ``thresholds.yaml`` (all statuses, all sources), largest first."""
    minimum = size_threshold(reference, threshold)
    chosen = projects[(projects["industry"] == industry) & (projects["total_investment"] >= minimum)]
    chosen = chosen.sort_values(["total_investment", "project_id"], ascending=[False, True], kind="stable")
    columns = ["project_id", "name", "county", "source", "status", "total_investment", "funds_year"]
    return chosen[columns].rename(columns={"status": "project_status"}).reset_index(drop=True)


def _yi_words(reference: Reference, threshold: str) -> str:
    return f"{size_threshold(reference, threshold) / 10_000:g}亿元"


def funds_caption(reference: Reference, year: int, rows: str, columns: str | None = None) -> str:
    """The definition of a :func:`funds_pivot`: every project, not the headline's definition."""
    by = column_label(rows, reference).label + ("" if columns is None else f" × {column_label(columns, reference).label}")
    headline = reference.indicator("outside_province_projects.funds").label
    return f"{year}年全部项目本年实际进资（亿元），按{by}：不限资金来源与项目规模，不同于主要指标“{headline}”"


def status_caption(reference: Reference, year: int, rows: str = "county") -> str:
    return f"{year}年台账全部项目数（个），按{column_label(rows, reference).label} × 项目状态（按项目推进顺序）"


def comparison_caption(reference: Reference, year: int, previous: CleanYear | None, rows: str = "county") -> str:
    before = f"{previous.year}年" if previous is not None else "上年（无台账）"
    return f"{before}与{year}年全部项目实际进资对比（亿元），按{column_label(rows, reference).label}：不限资金来源与项目规模"


def most_signed_caption(reference: Reference, year: int) -> str:
    signed = reference.indicator("signed_100m.count").label
    return f"{year}年{signed}最多的县（市、区）：签约数为主要指标口径，实际进资为其全部项目（不限来源与规模）"


def large_projects_caption(reference: Reference, industry: str, threshold: str) -> str:
    return f"{industry}产业总投资{_yi_words(reference, threshold)}以上的全部项目（不限状态与资金来源，按总投资从大到小）"
