"""Indicator definitions (docs/domain.md §3): row selections and summaries of a period's clean tables.

Amounts stay in 万元 inside; ``to_yi`` converts to 亿元 with 2 decimals for reporting.
Thresholds, windows and names come from the reference data. A year-on-year figure needs the
previous year's tables: without them it is None ("not available"), never 0.

>>> import pandas as pd
>>> to_yi(13_529_100.0)
1352.91
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from helpers.indicators.period import Period, as_period
from helpers.reference import Reference

TIERS = ("tier_100", "tier_50", "tier_20")
LIFECYCLE = (("entered_on", "入库"), ("signed_on", "签约"), ("started_on", "开工"), ("producing_on", "投产"))


def round_half_up(value: float, digits: int = 2) -> float:
    """四舍五入 as the city rounds (not Python's round-half-to-even): 2.675 → 2.68, 16.5 → 17.

    >>> round_half_up(2.675), round_half_up(16.5, 0), round_half_up(-1.005)
    (2.68, 17.0, -1.01)
    """
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)) + 0.0


def to_yi(amount_wan: float) -> float:
    """万元 → 亿元, rounded half up to 2 decimals (``to_yi(25000) == 2.5``, ``to_yi(26750) == 2.68``)."""
    return round_half_up(float(Decimal(repr(float(amount_wan))) / 10_000), 2)


def pct(part: float, whole: float) -> float | None:
    """A percentage with 2 decimals, None when the whole is 0."""
    return round_half_up(100.0 * part / whole, 2) if whole else None


def growth_pct(current: float, previous: float | None) -> float | None:
    """Year-on-year growth in % (2 decimals); None without a previous value or when it is 0."""
    if previous is None or pd.isna(previous) or previous == 0:
        return None
    return round_half_up((current / previous - 1.0) * 100.0, 2)


def in_period(dates: pd.Series, period: Period | int) -> pd.Series:
    """True where the date falls in ``period`` (a year means the whole year; NaT → False)."""
    return as_period(period).contains(dates)


def in_window(dates: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return ((dates >= start) & (dates <= end)).fillna(False).astype(bool)


def size_tier(total_wan: pd.Series, reference: Reference) -> pd.Series:
    """``tier_100`` / ``tier_50`` / ``tier_20`` by total investment, else None (threshold → higher band).

    >>> from helpers.reference import load_reference
    >>> size_tier(pd.Series([2_000_000.0, 500_000.0, 200_000.0, 199_999.0]), load_reference()).tolist()
    ['tier_100', 'tier_50', 'tier_20', None]
    """
    tiers = pd.Series([None] * len(total_wan), index=total_wan.index, dtype="object")
    tiers[total_wan >= reference.threshold_wan("fifty_twenty_min")] = "tier_20"
    tiers[total_wan >= reference.threshold_wan("tier_50_min")] = "tier_50"
    tiers[total_wan >= reference.threshold_wan("tier_100_min")] = "tier_100"
    return tiers


def _flag(series: pd.Series) -> pd.Series:
    return series.fillna(False).astype(bool)


def outside_projects(projects: pd.DataFrame, reference: Reference, sources: str) -> pd.DataFrame:
    """2000万元以上 projects whose source plays the role ``sources`` (``outside_city`` 市外,
    ``outside_province`` 省外) with funds in place this year."""
    mask = (
        projects["source"].isin(reference.values_with_role("source", sources))
        & (projects["total_investment"] >= reference.threshold_wan("outside_projects_min"))
        & (projects["funds_year"] > 0)
    )
    return projects[mask.fillna(False)]


def new_100m_projects(projects: pd.DataFrame, reference: Reference, period: Period | int, sources: str) -> pd.DataFrame:
    """亿元以上 projects whose source plays the role ``sources`` recognized (认定) in ``period``."""
    mask = (
        projects["source"].isin(reference.values_with_role("source", sources))
        & (projects["total_investment"] >= reference.threshold_wan("hundred_million_min"))
        & in_period(projects["recognized_on"], period)
    )
    return projects[mask.fillna(False)]


def count_and_funds(selected: pd.DataFrame) -> dict[str, Any]:
    return {"count": int(len(selected)), "funds": to_yi(selected["funds_year"].sum())}


def outside_started_projects(projects: pd.DataFrame, reference: Reference, period: Period | int, sources: str) -> pd.DataFrame:
    """2000万元以上 projects of the source role ``sources`` with funds in place and construction
    started (开工) by the end of ``period`` (in any year): “利用省外2000万元以上开工项目”."""
    funded = outside_projects(projects, reference, sources)
    return funded[(funded["started_on"] <= as_period(period).end).fillna(False).astype(bool)]


def fifty_twenty_dated(projects: pd.DataFrame, reference: Reference, period: Period | int, date_field: str) -> dict[str, Any]:
    """“50·20”-size projects (总投资 ≥ 20亿, any source) whose ``date_field`` (``signed_on``,
    ``started_on``) falls in ``period``: count and tiers (新签约 / 新开工20亿元以上产业项目)."""
    big = projects[projects["total_investment"] >= reference.threshold_wan("fifty_twenty_min")]
    selected = big[in_period(big[date_field], period)]
    tiers = size_tier(selected["total_investment"], reference)
    return {"count": int(len(selected)), **{tier: int((tiers == tier).sum()) for tier in TIERS}}


def fifty_twenty_applied(projects: pd.DataFrame, reference: Reference, period: Period | int) -> pd.DataFrame:
    """Projects whose “50·20” recognition was applied for in ``period``, with their tier."""
    selected = projects[in_period(projects["fifty_twenty_applied_on"], period)]
    return selected.assign(tier=size_tier(selected["total_investment"], reference))


def fifty_twenty_summary(applied: pd.DataFrame, previous_applied: pd.DataFrame | None) -> dict[str, Any]:
    count = len(applied)
    total = applied["total_investment"].sum()
    average = total / count if count else None
    previous_average = None
    if previous_applied is not None and len(previous_applied):
        previous_average = previous_applied["total_investment"].sum() / len(previous_applied)
    flagged = int(applied["investor_flags"].notna().sum())
    return {
        "count": int(count),
        "total_investment": to_yi(total),
        **{tier: int((applied["tier"] == tier).sum()) for tier in TIERS},
        "average_total_investment": to_yi(average) if average is not None else None,
        "average_yoy_pct": growth_pct(average, previous_average) if average is not None else None,
        "flagged_investors": flagged,
        "flagged_share_pct": pct(flagged, count),
        "digital": int(_flag(applied["is_digital"]).sum()),
    }


def trips_in_period(trips: pd.DataFrame, period: Period | int) -> pd.DataFrame:
    return trips[in_period(trips["departed_on"], period)]


def _principal(trips: pd.DataFrame, reference: Reference, period: Period | int, unit_kind: str) -> pd.DataFrame:
    """Trips of ``period`` led by a principal leader of a unit whose kind plays the role ``unit_kind``."""
    selected = trips_in_period(trips, period)
    kinds = reference.values_with_role("unit_kind", unit_kind)
    return selected[_flag(selected["is_principal"]) & selected["unit_kind"].isin(kinds).fillna(False).astype(bool)]


def principal_trips(
    trips: pd.DataFrame,
    reference: Reference,
    period: Period | int,
    previous_trips: pd.DataFrame | None,
    previous_year: int | None = None,
) -> dict[str, Any]:
    """Outreach trips led by principal leaders (主要领导): city departments and counties.

    The change is against the same months of ``previous_year`` (default: the year before) in
    ``previous_trips``.
    """
    period = as_period(period)
    city = _principal(trips, reference, period, "city_department")
    county = _principal(trips, reference, period, "county")
    compared = period.comparison(previous_year)
    previous_county = None if previous_trips is None else len(_principal(previous_trips, reference, compared, "county"))
    return {
        "city_unit_count": int(len(city)),
        "city_units": int(city["unit"].nunique()),
        "county_count": int(len(county)),
        "county_count_yoy_change": None if previous_county is None else int(len(county) - previous_county),
        "county_count_yoy_pct": growth_pct(len(county), previous_county),
    }


def team_trips(trips: pd.DataFrame, reference: Reference, period: Period | int) -> dict[str, Any]:
    """Trips of the industry-chain teams (unit kind with the role ``team``, 产业链招商小分队)."""
    selected = trips_in_period(trips, period)
    return {"count": int(selected["unit_kind"].isin(reference.values_with_role("unit_kind", "team")).sum())}


def listed_by(dates: pd.Series, period: Period | int) -> pd.Series:
    """Rows of the year's list that belong to ``period``: the whole year → every row (dated or not);
    January..M → dated on or before the end of M (an earlier year's date too: the list carries it);
    any other period → dated inside it.

    >>> dates = pd.Series(pd.to_datetime(["2022-12-20", "2023-06-30", "2023-07-01", None]))
    >>> listed_by(dates, Period.year_to_date(2023, 6)).tolist(), listed_by(dates, 2023).tolist()
    ([True, True, False, False], [True, True, True, True])
    """
    period = as_period(period)
    if period.is_whole_year:
        return pd.Series(True, index=dates.index)
    if period.first_month == 1:
        return (dates <= period.end).fillna(False).astype(bool)
    return period.contains(dates)


def team_leads(leads: pd.DataFrame, reference: Reference, period: Period | int | None = None) -> dict[str, Any]:
    """Leads of the year's 项目信息 sheet: how many, how big, how many signed and for how much.

    Without ``period`` (or for the whole year) every lead of the sheet counts. For January..M a
    lead counts once found (获取日期) or signed (签约日期) by the end of M, and is signed when its
    progress is 已签约 and it was signed by then; an undated lead counts in the whole year only.
    """
    big = reference.threshold_wan("fifty_twenty_min")
    signed_mask = leads["progress"].isin(reference.values_with_role("progress", "signed")).fillna(False).astype(bool)
    if period is not None:
        signed_mask = signed_mask & listed_by(leads["signed_on"], period)
        leads = leads[listed_by(leads["found_on"], period) | signed_mask]
        signed_mask = signed_mask[leads.index]
    signed = leads[signed_mask]
    return {
        "count": int(len(leads)),
        "planned_20b_plus": int((leads["planned_investment"] >= big).sum()),
        "signed": int(len(signed)),
        "signed_20b_plus": int((signed["signed_amount"] >= big).sum()),
        "signed_amount": to_yi(signed["signed_amount"].sum()),
    }


def event_signings(projects: pd.DataFrame, reference: Reference, period: Period | int) -> dict[str, dict[str, Any]]:
    """Per signing event (reference order): projects signed in ``period`` at that event."""
    signed = projects[in_period(projects["signed_on"], period) & projects["event"].notna()]
    result: dict[str, dict[str, Any]] = {}
    for event in reference.events["name"]:
        at_event = signed[signed["event"] == event]
        if len(at_event):
            result[event] = {"count": int(len(at_event)), "total_investment": to_yi(at_event["total_investment"].sum())}
    return result


def new_started_100m(projects: pd.DataFrame, reference: Reference, period: Period | int) -> pd.DataFrame:
    """亿元以上 projects recognized and started in ``period``."""
    mask = (
        in_period(projects["recognized_on"], period)
        & in_period(projects["started_on"], period)
        & (projects["total_investment"] >= reference.threshold_wan("hundred_million_min"))
    )
    return projects[mask]


def new_started_summary(started: pd.DataFrame, previous: pd.DataFrame | None, reference: Reference) -> dict[str, Any]:
    low, high = (float(b) * 10_000 for b in reference.thresholds["big_started_bands"])
    return {
        "count": int(len(started)),
        "count_yoy_change": None if previous is None else int(len(started) - len(previous)),
        "over_10b": int((started["total_investment"] >= low).sum()),
        "over_30b": int((started["total_investment"] >= high).sum()),
    }


def emerging_share(new_projects: pd.DataFrame, previous_new: pd.DataFrame | None, reference: Reference) -> dict[str, Any]:
    """Emerging-industry projects among the newly recognized 省外亿元以上 projects, and the change of their share."""
    count = int(new_projects["industry"].isin(reference.emerging_industries).sum())
    share = pct(count, len(new_projects))
    previous_share = None
    if previous_new is not None and len(previous_new):
        previous_share = pct(int(previous_new["industry"].isin(reference.emerging_industries).sum()), len(previous_new))
    change = None if share is None or previous_share is None else round_half_up(share - previous_share, 2)
    return {
        "count": count,
        "total": int(len(new_projects)),
        "share_pct": share,
        "previous_share_pct": previous_share,
        "share_change_pp": change,
    }


def campaign(projects: pd.DataFrame, reference: Reference, start: pd.Timestamp, end: pd.Timestamp) -> dict[str, Any]:
    """Results of a campaign window for “50·20” projects (total ≥ 20亿), and the reserves at its end."""
    big = projects[projects["total_investment"] >= reference.threshold_wan("fifty_twenty_min")]
    big = big.assign(tier=size_tier(big["total_investment"], reference))
    statuses = big["status"]
    active = ~statuses.isin(reference.values_with_role("status", "terminated")).fillna(False).astype(bool)  # blank: not terminated
    applied = big[in_window(big["fifty_twenty_applied_on"], start, end)]
    signed = big[in_window(big["signed_on"], start, end)]
    producing = big[in_window(big["producing_on"], start, end)]
    entered_by_end = (big["entered_on"] <= end).fillna(False).astype(bool)
    # A blank date with a status past that stage is unknown timing, not "not yet": such a
    # project is no reserve of that kind (cleaning warns about the missing date).
    signed_date_missing = big["signed_on"].isna() & statuses.isin(reference.values_with_role("status", "signed")).fillna(False).astype(bool)
    started_date_missing = big["started_on"].isna() & statuses.isin(reference.values_with_role("status", "started")).fillna(False).astype(
        bool
    )
    not_signed_by_end = (big["signed_on"].isna() | (big["signed_on"] > end)).astype(bool) & ~signed_date_missing
    in_talks = big[active & entered_by_end & not_signed_by_end]
    signed_by_end = (big["signed_on"] <= end).fillna(False).astype(bool)
    not_started_by_end = (big["started_on"].isna() | (big["started_on"] > end)).astype(bool) & ~started_date_missing
    signed_not_started = big[active & signed_by_end & not_started_by_end]

    def by_tier(frame: pd.DataFrame) -> dict[str, int]:
        return {tier: int((frame["tier"] == tier).sum()) for tier in TIERS}

    by_county: dict[str, dict[str, int]] = {}
    for county in reference.units["name"]:
        here = signed[signed["county"] == county]
        if len(here):
            by_county[county] = {
                "signed": int(len(here)),
                **{f"signed_{tier}": count for tier, count in by_tier(here).items()},
                "signed_emerging": int(here["industry"].isin(reference.emerging_industries).sum()),
                "signed_digital": int(_flag(here["is_digital"]).sum()),
            }
    return {
        "start": start.date().isoformat(),
        "end": end.date().isoformat(),
        "applied": int(len(applied)),
        **{f"applied_{tier}": count for tier, count in by_tier(applied).items()},
        "signed": int(len(signed)),
        **{f"signed_{tier}": count for tier, count in by_tier(signed).items()},
        "producing": int(len(producing)),
        "in_talks_at_end": int(len(in_talks)),
        "in_talks_at_end_by_tier": by_tier(in_talks),
        "signed_not_started_at_end": by_tier(signed_not_started),
        "by_county": by_county,
    }


def chain_completeness(chain_map: pd.DataFrame) -> pd.DataFrame:
    """Per county and chain: links, items listed, items present, completeness in %.

    >>> frame = pd.DataFrame({"county": ["瑞昌市"] * 3, "chain": ["LED"] * 3, "link": ["封装", "封装", "终端"],
    ...                       "item": ["a", "b", "c"], "present": [True, False, True]})
    >>> chain_completeness(frame).to_dict("records")
    [{'county': '瑞昌市', 'chain': 'LED', 'links': 2, 'listed': 3, 'present': 2, 'pct': 66.67}]
    """
    if chain_map.empty:
        return pd.DataFrame(columns=["county", "chain", "links", "listed", "present", "pct"])
    grouped = chain_map.assign(present=_flag(chain_map["present"])).groupby(["county", "chain"], sort=True)
    table = grouped.agg(links=("link", "nunique"), listed=("item", "size"), present=("present", "sum")).reset_index()
    table["pct"] = [pct(p, n) for p, n in zip(table["present"], table["listed"], strict=True)]
    return table.astype({"county": "object", "chain": "object", "links": "int64", "listed": "int64", "present": "int64"})


def signed_100m(projects: pd.DataFrame, reference: Reference, period: Period | int) -> pd.DataFrame:
    """Projects of 亿元以上 (any source) signed in ``period``."""
    mask = in_period(projects["signed_on"], period) & (projects["total_investment"] >= reference.threshold_wan("hundred_million_min"))
    return projects[mask]


def foreign_funds(projects: pd.DataFrame, reference: Reference) -> float:
    """Funds in place from abroad (source with the role ``foreign``, 境外), in 万元."""
    return float(projects.loc[projects["source"].isin(reference.values_with_role("source", "foreign")), "funds_year"].sum())


def foreign_funds_usd(projects: pd.DataFrame, reference: Reference, period: Period | int) -> dict[str, Any]:
    """实际利用外资 in 亿美元: the 境外 funds (万元 RMB) converted at the rate of ``exchange_rates.csv``
    for the period; without a rate the figure is None (not available), never an unconverted 元 amount.

    >>> from helpers.reference import load_reference
    >>> frame = pd.DataFrame({"source": ["境外", "省外"], "funds_year": [100_063.0, 5.0]})
    >>> foreign_funds_usd(frame, load_reference(), 2023)
    {'funds': 1.42, 'cny_per_usd': 7.0467}
    """
    period = as_period(period)
    rate = reference.cny_per_usd(period.year, period.last_month)
    if rate is None:
        return {"funds": None, "cny_per_usd": None}
    return {"funds": to_yi(foreign_funds(projects, reference) / rate), "cny_per_usd": rate}


def province_rank(own_value: float, peer_values: list[float]) -> int:
    """1 = largest; equal values share the smaller rank (compared at the published 2-decimal precision).

    >>> province_rank(488, [450, 488, 500])
    2
    """
    own = round_half_up(own_value, 2)
    return 1 + sum(1 for value in peer_values if round_half_up(value, 2) > own)


def lifecycle_funnel(projects: pd.DataFrame, period: Period | int) -> pd.DataFrame:
    """入库 → 签约 → 开工 → 投产 for the projects that reached 入库 by the end of ``period``.

    A project counts at a stage when that stage's date is on or before the period's end, or when it
    reached a later stage (a project in production was signed, even if its 签约日期 is blank);
    ``date_missing`` counts those. Conversion is to the previous stage; the median days are
    between the two stages' dates of the projects that have both.

    >>> frame = pd.DataFrame({"entered_on": pd.to_datetime(["2022-01-01", None]), "signed_on": pd.to_datetime([None, None]),
    ...                       "started_on": pd.to_datetime(["2022-05-01", "2022-02-01"]), "producing_on": pd.to_datetime([None, None])})
    >>> lifecycle_funnel(frame, 2022)[["stage", "count", "date_missing"]].values.tolist()
    [['入库', 2, 1], ['签约', 2, 2], ['开工', 2, 0], ['投产', 0, 0]]
    """
    end = as_period(period).end
    by_date = {field: (projects[field] <= end).fillna(False).astype(bool) for field, _ in LIFECYCLE}
    reached: dict[str, pd.Series] = {}
    later = pd.Series(False, index=projects.index)
    for field, _ in reversed(LIFECYCLE):  # a later stage implies every earlier one
        later = later | by_date[field]
        reached[field] = later
    rows = []
    previous_field, previous_count = None, None
    for field, label in LIFECYCLE:
        here = projects[reached[field]]
        median_days = None
        if previous_field is not None:
            both = here[here[previous_field].notna() & here[field].notna()]
            days = (both[field] - both[previous_field]).dt.days
            median_days = float(days.median()) if len(days) else None
        rows.append(
            {
                "stage": label,
                "count": int(len(here)),
                "date_missing": int((reached[field] & ~by_date[field]).sum()),
                "conversion_pct": pct(len(here), previous_count) if previous_count is not None else None,
                "median_days_from_previous": median_days,
            }
        )
        previous_field, previous_count = field, len(here)
    return pd.DataFrame(rows)
