"""Semantic report tables shared by the reports: English keys, amounts in 万元, no display text.

Each builder takes frames and returns a new frame (it never changes its input); the Chinese
headers, units and 亿元 rounding are applied afterwards by :func:`helpers.products.labels.present`.
"""

from __future__ import annotations

import pandas as pd

from helpers.indicators import definitions as ind
from helpers.ingest.clean import COUNT_KEYS, CleanYear
from helpers.reference import Reference

__all__ = ["chain_completeness_ranked", "lifecycle_stages", "monthly_cumulative_funds", "sheet_counts", "with_city_total"]


def with_city_total(breakdown: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """The county breakdown with a last row ``全市合计``, summed in 万元 before any rounding.

    >>> from helpers.reference import load_reference
    >>> breakdown = pd.DataFrame({"county": ["濂溪区", "浔阳区", "柴桑区"], "signed_100m.count": [1, 2, 3],
    ...                           "outside_province_projects.funds": [5_000.5, 4_999.5, 0.0]})
    >>> with_city_total(breakdown, load_reference()).tail(2).to_dict("records")
    [{'county': '柴桑区', 'signed_100m.count': 3, 'outside_province_projects.funds': 0.0}, \
{'county': '全市合计', 'signed_100m.count': 6, 'outside_province_projects.funds': 10000.0}]
    """
    keys = [column for column in breakdown.columns if column != "county"]
    total = {"county": reference.column_labels["city_total"].label, **{key: breakdown[key].sum() for key in keys}}
    table = pd.concat([breakdown, pd.DataFrame([total])], ignore_index=True)
    return table.astype({key: "int64" for key in keys if reference.indicator(key).kind == "count"})


def chain_completeness_ranked(chain_map: pd.DataFrame) -> pd.DataFrame:
    """Chain completeness per county and chain, most complete first (ties by county, chain).

    >>> chain_map = pd.DataFrame({"county": ["瑞昌市", "瑞昌市", "永修县"], "chain": ["LED", "LED", "有机硅"],
    ...                           "link": ["封装", "终端", "单体"], "item": ["a", "b", "c"], "present": [True, False, True]})
    >>> chain_completeness_ranked(chain_map)[["county", "chain", "pct"]].to_dict("records")
    [{'county': '永修县', 'chain': '有机硅', 'pct': 100.0}, {'county': '瑞昌市', 'chain': 'LED', 'pct': 50.0}]
    """
    table = ind.chain_completeness(chain_map)
    return table.sort_values(["pct", "county", "chain"], ascending=[False, True, True], ignore_index=True)


def lifecycle_stages(projects: pd.DataFrame, period: int) -> pd.DataFrame:
    """The lifecycle funnel with the median days rounded half up to whole days (missing stays missing).

    >>> projects = pd.DataFrame({f: pd.to_datetime(v) for f, v in {
    ...     "entered_on": ["2022-01-01", "2022-02-01", None], "signed_on": ["2022-01-11", None, None],
    ...     "started_on": [None, None, None], "producing_on": [None, None, None]}.items()})
    >>> lifecycle_stages(projects, 2022)[["stage", "count", "median_days_from_previous"]].to_dict("records")[:2]
    [{'stage': '入库', 'count': 2, 'median_days_from_previous': None}, {'stage': '签约', 'count': 1, 'median_days_from_previous': 10}]
    """
    funnel = ind.lifecycle_funnel(projects, period)
    days = [None if pd.isna(d) else int(ind.round_half_up(d, 0)) for d in funnel["median_days_from_previous"]]
    return funnel.assign(median_days_from_previous=pd.array(days, dtype="Int64"))


def monthly_cumulative_funds(monthly_funds: pd.DataFrame, year: int) -> pd.DataFrame:
    """Cumulative funds (万元) by month of the projects that report monthly columns.

    >>> monthly = pd.DataFrame({"project_id": ["A", "A", "B"], "month": [1, 3, 3], "funds": [100.0, 50.0, 25.0]})
    >>> monthly_cumulative_funds(monthly, 2022).head(3).to_dict("records")
    [{'month': 1, 'year': '2022年', 'cumulative_funds': 100.0}, {'month': 2, 'year': '2022年', 'cumulative_funds': 100.0}, \
{'month': 3, 'year': '2022年', 'cumulative_funds': 175.0}]
    """
    by_month = monthly_funds.groupby("month")["funds"].sum().reindex(range(1, 13), fill_value=0.0)
    return pd.DataFrame({"month": by_month.index, "year": f"{year}年", "cumulative_funds": by_month.cumsum().to_numpy()})


def sheet_counts(clean: CleanYear, reference: Reference) -> pd.DataFrame:
    """Per kind of sheet: rows read and where each went (clean, quarantined, subtotal, blank,
    duplicates merged), with the sheet's warnings; ``table`` is the sheet's name in the ledgers.

    >>> from helpers.reference import load_reference
    >>> counts = pd.DataFrame([{"file": "a.xlsx", "sheet": "外出", "table": "trips", "rows_read": 5, "clean": 4,
    ...                         "quarantined": 1, "subtotal": 0, "blank": 0, "duplicates_merged": 0}])
    >>> year = CleanYear(2023, {}, pd.DataFrame(), pd.DataFrame({"table": ["trips"]}), counts)
    >>> sheet_counts(year, load_reference()).to_dict("records")
    [{'table': '外出招商', 'rows_read': 5, 'clean': 4, 'quarantined': 1, 'subtotal': 0, 'blank': 0, 'duplicates_merged': 0, \
'warnings': 1}]
    """
    counts = clean.counts()
    warnings = clean.warnings.groupby("table").size() if len(clean.warnings) else pd.Series(dtype="int64")
    rows = [
        {"table": reference.ledger_format[table]["sheet"], **values, "warnings": int(warnings.get(table, 0))}
        for table, values in counts.items()
    ]
    return pd.DataFrame(rows, columns=["table", *COUNT_KEYS, "warnings"])
