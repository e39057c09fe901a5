"""Semantic report tables shared by the reports: English keys, amounts in 万元, no display text.

Each builder takes frames and returns a new frame (it never changes its input); the Chinese
headers, units and 亿元 rounding are applied afterwards by :func:`helpers.products.labels.present`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.indicators import definitions as ind
from helpers.indicators.period import Period
from helpers.ingest.clean import COUNT_KEYS, CleanYear
from helpers.reference import Reference

__all__ = [
    "campaign_results",
    "campaign_signings_by_county",
    "chain_completeness_ranked",
    "event_signing_table",
    "fifty_twenty_project_list",
    "industry_structure",
    "lifecycle_stages",
    "monthly_cumulative_funds",
    "principal_trip_rows",
    "reason_counts",
    "sheet_counts",
    "team_activity",
    "with_city_total",
]


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


def fifty_twenty_project_list(applied: pd.DataFrame, tier_names: dict[str, str]) -> pd.DataFrame:
    """The “50·20” applications, largest first; ``tier_names`` gives each tier's short name.

    >>> applied = pd.DataFrame({"project_id": ["A", "B", "C"], "name": ["甲", "乙", "丙"], "county": ["瑞昌市"] * 3,
    ...     "industry": ["新材料"] * 3, "total_investment": [300_000.0, 1_200_000.0, 300_000.0], "tier": ["tier_20", "tier_100", "tier_20"],
    ...     "investor_flags": [None, "上市公司", None], "is_digital": [True, False, None],
    ...     "fifty_twenty_applied_on": pd.to_datetime(["2022-03-01", "2022-04-01", None])})
    >>> table = fifty_twenty_project_list(applied, {"tier_100": "“100”项目", "tier_20": "“20”项目"})
    >>> table[["project_id", "tier", "is_digital", "fifty_twenty_applied_on"]].values.tolist()
    [['B', '“100”项目', '否', datetime.date(2022, 4, 1)], ['A', '“20”项目', '是', datetime.date(2022, 3, 1)], ['C', '“20”项目', '', None]]
    """
    table = applied.sort_values(["total_investment", "project_id"], ascending=[False, True], kind="stable")
    return pd.DataFrame(
        {
            "project_id": table["project_id"],
            "name": table["name"],
            "location": table["county"],
            "industry": table["industry"],
            "total_investment": table["total_investment"],
            "tier": table["tier"].map(tier_names),
            "investor_flags": table["investor_flags"].fillna(""),
            "is_digital": table["is_digital"].map({True: "是", False: "否"}).fillna(""),
            "fifty_twenty_applied_on": [None if pd.isna(d) else d.date() for d in table["fifty_twenty_applied_on"]],
        }
    ).reset_index(drop=True)


def team_activity(
    trips: pd.DataFrame, leads: pd.DataFrame, team_kinds: tuple[str, ...], signed_progress: tuple[str, ...], large_wan: float
) -> pd.DataFrame:
    """Per industry-chain team: trips, leads, leads of at least ``large_wan`` 万元, signed leads and
    their amount (万元); most trips first. ``trips`` are the period's trips; ``team_kinds`` and
    ``signed_progress`` the values with the roles ``unit_kind/team`` and ``progress/signed``.

    >>> trips = pd.DataFrame({"unit": ["新能源小分队", "新能源小分队", "市商务局"], "unit_kind": ["小分队", "小分队", "市直单位"]})
    >>> leads = pd.DataFrame({"team": ["新能源小分队", "电子信息小分队"], "planned_investment": [250_000.0, 10_000.0],
    ...                       "progress": ["已签约", "在谈"], "signed_amount": [200_000.0, None]})
    >>> team_activity(trips, leads, ("小分队",), ("已签约",), 200_000.0).to_dict("records")[0]
    {'team': '新能源小分队', 'trips': 2, 'leads': 1, 'leads_large': 1, 'signed': 1, 'signed_amount': 200000.0}
    """
    is_team = trips["unit_kind"].isin(team_kinds).fillna(False).astype(bool)
    trip_counts = trips[is_team].groupby("unit").size()
    signed_lead = leads["progress"].isin(signed_progress).fillna(False).astype(bool)
    rows = []
    for team in sorted(set(trip_counts.index) | set(leads["team"].dropna())):
        mine = leads["team"] == team
        signed = leads[mine & signed_lead]
        rows.append(
            {
                "team": team,
                "trips": int(trip_counts.get(team, 0)),
                "leads": int(mine.sum()),
                "leads_large": int((leads.loc[mine, "planned_investment"] >= large_wan).sum()),
                "signed": int(len(signed)),
                "signed_amount": float(signed["signed_amount"].sum()),
            }
        )
    table = pd.DataFrame(rows, columns=["team", "trips", "leads", "leads_large", "signed", "signed_amount"])
    return table.sort_values(["trips", "team"], ascending=[False, True], ignore_index=True)


def event_signing_table(projects: pd.DataFrame, events: pd.DataFrame, period: Period | int) -> pd.DataFrame:
    """Per signing event (``events.csv`` order) with signings in the period: date, projects, and the
    amount signed (Σ 总投资, 万元).

    >>> events = pd.DataFrame({"name": ["甲大会", "乙论坛"], "date": pd.to_datetime(["2022-05-19", "2022-09-01"])})
    >>> projects = pd.DataFrame({"event": ["乙论坛", "乙论坛", None], "total_investment": [10_000.0, 5_000.0, 1.0],
    ...                          "signed_on": pd.to_datetime(["2022-09-01", "2022-09-02", "2022-01-01"])})
    >>> event_signing_table(projects, events, 2022).to_dict("records")
    [{'event': '乙论坛', 'date': datetime.date(2022, 9, 1), 'signed_projects': 2, 'signed_amount': 15000.0}]
    """
    signed = projects[ind.in_period(projects["signed_on"], period) & projects["event"].notna()]
    rows = []
    for name, date in zip(events["name"], events["date"], strict=True):
        at_event = signed[signed["event"] == name]
        if len(at_event):
            rows.append({"event": name, "date": date.date(), "signed_projects": int(len(at_event)),
                         "signed_amount": float(at_event["total_investment"].sum())})
    return pd.DataFrame(rows, columns=["event", "date", "signed_projects", "signed_amount"])


def campaign_results(campaign: dict[str, Any] | None) -> pd.DataFrame:
    """The campaign's results and reserves (``metrics["campaign"]``), one row per item (a key of
    ``labels.yaml``): the total and the count per tier (the producing row has no tiers). No
    campaign: no rows.

    >>> campaign = {"applied": 3, "applied_tier_100": 1, "applied_tier_50": 0, "applied_tier_20": 2, "signed": 2,
    ...     "signed_tier_100": 0, "signed_tier_50": 1, "signed_tier_20": 1, "producing": 1, "in_talks_at_end": 4,
    ...     "in_talks_at_end_by_tier": {"tier_100": 1, "tier_50": 1, "tier_20": 2},
    ...     "signed_not_started_at_end": {"tier_100": 0, "tier_50": 0, "tier_20": 1}}
    >>> campaign_results(campaign).iloc[[0, 3, 4]].values.tolist()
    [['campaign_applied', 3, 1, 0, 2], ['campaign_reserve_in_talks', 4, 1, 1, 2], ['campaign_producing', 1, <NA>, <NA>, <NA>]]
    """
    if not campaign:
        return pd.DataFrame(columns=["item", "total", *ind.TIERS])
    rows = [
        ("campaign_applied", campaign["applied"], [campaign[f"applied_{tier}"] for tier in ind.TIERS]),
        ("campaign_new_signed", campaign["signed"], [campaign[f"signed_{tier}"] for tier in ind.TIERS]),
        ("campaign_reserve_signed", sum(campaign["signed_not_started_at_end"].values()),
         [campaign["signed_not_started_at_end"][tier] for tier in ind.TIERS]),
        ("campaign_reserve_in_talks", campaign["in_talks_at_end"], [campaign["in_talks_at_end_by_tier"][tier] for tier in ind.TIERS]),
    ]
    table = pd.DataFrame([{"item": item, "total": total, **dict(zip(ind.TIERS, tiers, strict=True))} for item, total, tiers in rows])
    producing = pd.DataFrame([{"item": "campaign_producing", "total": campaign["producing"]}])
    return pd.concat([table, producing], ignore_index=True).astype(dict.fromkeys(ind.TIERS, "Int64"))


def campaign_signings_by_county(by_county: dict[str, dict[str, int]]) -> pd.DataFrame:
    """The campaign's signings per county (``metrics["campaign"]["by_county"]``), most first.

    >>> campaign_signings_by_county({"瑞昌市": {"signed": 2, "signed_tier_100": 1, "signed_tier_50": 0, "signed_tier_20": 1,
    ...     "signed_emerging": 1, "signed_digital": 0}, "永修县": {"signed": 3, "signed_tier_100": 0, "signed_tier_50": 0,
    ...     "signed_tier_20": 3, "signed_emerging": 0, "signed_digital": 1}})["county"].tolist()
    ['永修县', '瑞昌市']
    """
    columns = {"signed": "campaign_signed", "signed_tier_100": "tier_100", "signed_tier_50": "tier_50", "signed_tier_20": "tier_20",
               "signed_emerging": "emerging", "signed_digital": "digital"}
    rows = [{"county": county, **{columns[k]: v[k] for k in columns}} for county, v in by_county.items()]
    table = pd.DataFrame(rows, columns=["county", *columns.values()])
    return table.sort_values(["campaign_signed", "county"], ascending=[False, True], ignore_index=True)


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


def principal_trip_rows(principal: dict[str, int | None]) -> pd.DataFrame:
    """Trips by the principal officials (``metrics["principal_trips"]``), one row per kind of
    principal (a key of ``labels.yaml``): the city units' heads (trips, units involved) and the
    counties' principals (trips, change on the year before); a figure not held stays missing.

    >>> principal = {"city_unit_count": 12, "city_units": 5, "county_count": 30, "county_count_yoy_change": -4}
    >>> principal_trip_rows(principal).to_dict("records")
    [{'category': 'city_unit_principals', 'trips': 12, 'units_involved': 5, 'trips_change': None}, \
{'category': 'county_principals', 'trips': 30, 'units_involved': None, 'trips_change': -4}]
    """
    rows = [
        {"category": "city_unit_principals", "trips": principal["city_unit_count"], "units_involved": principal["city_units"],
         "trips_change": None},
        {"category": "county_principals", "trips": principal["county_count"], "units_involved": None,
         "trips_change": principal["county_count_yoy_change"]},
    ]
    return pd.DataFrame(rows).astype({"units_involved": "Int64", "trips_change": "Int64"})


def _reason_kind(reason: str) -> str:
    """The general kind of a reason (the column and the problem, without the particular value)."""
    return reason.split("「")[0].split("（")[0]


def reason_counts(quarantine: pd.DataFrame, warnings: pd.DataFrame, reference: Reference, limit: int = 10) -> pd.DataFrame:
    """The ``limit`` most frequent kinds of reason: ``category`` is ``quarantined`` (a reason of
    ``quarantine["reasons"]``, several joined by ；) or ``warnings`` (``column：reason``), ``rows``
    how often; most first, ties by the category's label and the reason.

    >>> from helpers.reference import load_reference
    >>> quarantine = pd.DataFrame({"reasons": ["总投资缺失；县（市、区）不在名单（「某县」）", "县（市、区）不在名单（「某区」）"]})
    >>> warnings = pd.DataFrame({"column": ["签约日期"], "reason": ["日期晚于分析年度「2024-01-01」"]})
    >>> reason_counts(quarantine, warnings, load_reference()).to_dict("records")
    [{'category': 'quarantined', 'reason': '县', 'rows': 2}, {'category': 'warnings', 'reason': '签约日期：日期晚于分析年度', 'rows': 1}, \
{'category': 'quarantined', 'reason': '总投资缺失', 'rows': 1}]
    """
    kinds = [("quarantined", _reason_kind(r)) for reasons in quarantine["reasons"] for r in reasons.split("；")]
    kinds += [("warnings", f"{c}：{_reason_kind(r)}") for c, r in zip(warnings["column"], warnings["reason"], strict=True)]
    if not kinds:
        return pd.DataFrame(columns=["category", "reason", "rows"])
    counted = pd.DataFrame(kinds, columns=["category", "reason"]).groupby(["category", "reason"]).size().reset_index(name="rows")
    label = counted["category"].map({key: reference.column_labels[key].label for key in ("quarantined", "warnings")})
    order = counted.assign(label=label).sort_values(["rows", "label", "reason"], ascending=[False, True, True]).index
    return counted.loc[order].reset_index(drop=True).head(limit)


def industry_structure(counts: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Project counts per industry (``counts``: long, ``industry``, ``year``, ``count``) as one
    column per year (key: the year), industries in the reference order with the emerging flag
    (是/否), then the emerging total, the total and the emerging share in % (row labels from
    ``labels.yaml``).

    >>> from helpers.reference import load_reference
    >>> counts = pd.DataFrame({"industry": ["电子信息", "新材料", "新材料"], "year": [2022, 2022, 2023], "count": [4, 1, 3]})
    >>> industry_structure(counts, load_reference()).values.tolist()
    [['电子信息', '是', 4, 0], ['新材料', '是', 1, 3], ['新兴产业合计', '是', 5, 3], ['全部合计', '', 5, 3], \
['新兴产业占比（%）', '', 100.0, 100.0]]
    """
    labels = reference.column_labels
    wide = counts.pivot_table(index="industry", columns="year", values="count", aggfunc="sum", fill_value=0)
    wide = wide.reindex([name for name in reference.industries["name"] if name in wide.index])
    wide.columns = [str(column) for column in wide.columns]
    emerging = wide.index.isin(reference.emerging_industries)
    table = wide.reset_index()
    table.insert(1, "is_emerging", ["是" if flag else "否" for flag in emerging])
    summary = [
        {"industry": labels["emerging_total"].label, "is_emerging": "是", **wide[emerging].sum().to_dict()},
        {"industry": labels["all_total"].label, "is_emerging": "", **wide.sum().to_dict()},
    ]
    table = pd.concat([table, pd.DataFrame(summary)], ignore_index=True)
    for column in wide.columns:
        table[column] = table[column].astype(int)
    share = {column: ind.pct(wide[emerging][column].sum(), wide[column].sum()) for column in wide.columns}
    table = table.astype({column: object for column in wide.columns})
    table.loc[len(table)] = {"industry": labels["emerging_share"].label, "is_emerging": "", **share}
    return table
