"""Indicators of docs/domain.md §3, table-driven on tiny hand-made clean tables.

Every expected value is computed by hand in the comments. Amounts in the rows are 万元;
the indicators report 亿元 with 2 decimals (1 亿元 = 10,000 万元). Thresholds (thresholds.yaml):
0.2 / 1 / 20 / 50 / 100 亿 = 2000 / 10000 / 200000 / 500000 / 1000000 万元, bands 10 / 30 亿 =
100000 / 300000 万元; a value exactly on a threshold belongs to the higher band.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
import tables_builder as tb
from messy_ledgers import write_messy_year

from helpers.indicators import definitions as ind
from helpers.indicators.metrics import compute_metrics, county_breakdown, province_comparison, reconcile
from helpers.ingest.clean import clean_year

Y = 2022
WINDOW = (pd.Timestamp("2022-06-01"), pd.Timestamp("2022-09-30"))


def P(source="省外", total=50_000.0, funds=0.0, county="濂溪区", industry="其他", **more):
    """One project row (万元) with the required fields filled."""
    return {"source": source, "total_investment": total, "funds_year": funds, "county": county, "industry": industry, **more}


def previous_of(rows):
    """Previous year's projects, or None (no previous ledger) when ``rows`` is None."""
    return None if rows is None else tb.projects(*rows)


# ---------------------------------------------------------------------------------------------
# The builder itself: same columns and dtypes as the cleaning produces.


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory, reference):
    folder = tmp_path_factory.mktemp("messy") / "raw" / "2022"
    write_messy_year(folder)
    return clean_year(folder, 2022, reference)


@pytest.mark.parametrize("table", ["projects", "trips", "leads", "chain_map", "province_peers", "targets"])
def test_builder_dtypes_match_cleaning(table, cleaned):
    expected = cleaned.tables[table]  # what a real cleaning run of messy workbooks produces
    built = tb.build(table)
    assert list(built.columns) == list(expected.columns)
    assert built.dtypes.astype(str).tolist() == expected.dtypes.astype(str).tolist()


# ---------------------------------------------------------------------------------------------
# Small helpers: units, percentages, growth, tiers.


@pytest.mark.parametrize(
    "wan, yi",
    [
        (0.0, 0.0),
        (-0.0, 0.0),  # never "-0.0"
        (25_000.0, 2.5),
        (13_529_100.0, 1352.91),
        (2_000.0, 0.2),
        (12_300.0, 1.23),
    ],
    ids=["zero", "negative-zero", "2.5yi", "published-1352.91", "0.2yi", "1.23yi"],
)
def test_to_yi(wan, yi):
    assert ind.to_yi(wan) == yi
    assert math.copysign(1.0, ind.to_yi(wan)) == 1.0


@pytest.mark.parametrize(
    "part, whole, expected",
    [(1, 3, 33.33), (2, 3, 66.67), (0, 5, 0.0), (5, 5, 100.0), (0, 0, None), (3, 0, None)],
    ids=["third", "two-thirds", "zero-part", "all", "zero-whole", "nonzero-part-zero-whole"],
)
def test_pct(part, whole, expected):
    assert ind.pct(part, whole) == expected


@pytest.mark.parametrize(
    "current, previous, expected",
    [
        (1352.91, 1238.25, 9.26),  # 1352.91/1238.25 = 1.092598… → +9.26 %
        (0.09, 0.12, -25.0),  # 0.09/0.12 = 0.75 → −25 %
        (5.0, 5.0, 0.0),
        (5.0, None, None),  # no previous year → not available
        (5.0, 0.0, None),  # division by zero → not available, never 0
        (5.0, float("nan"), None),
    ],
    ids=["published-9.26", "decrease", "flat", "no-previous", "previous-zero", "previous-nan"],
)
def test_growth_pct(current, previous, expected):
    assert ind.growth_pct(current, previous) == expected


@pytest.mark.parametrize(
    "total, tier",
    [
        (2_000_000.0, "tier_100"),
        (1_000_000.0, "tier_100"),  # exactly 100 亿 → higher band
        (999_999.0, "tier_50"),
        (500_000.0, "tier_50"),  # exactly 50 亿
        (499_999.0, "tier_20"),
        (200_000.0, "tier_20"),  # exactly 20 亿
        (199_999.0, None),
        (0.0, None),
    ],
    ids=["200yi", "100yi-boundary", "just-below-100", "50yi-boundary", "just-below-50", "20yi-boundary", "just-below-20", "zero"],
)
def test_size_tier(total, tier, reference):
    assert ind.size_tier(pd.Series([total]), reference).tolist() == [tier]


# ---------------------------------------------------------------------------------------------
# Threshold boundaries, one project at a time: which indicator counts it.


@pytest.mark.parametrize(
    "row, selector, counted",
    [
        (P("省外", 2_000.0, funds=1.0), "outside_province", True),  # exactly 0.2 亿
        (P("省外", 1_999.99, funds=1.0), "outside_province", False),
        (P("省内市外", 2_000.0, funds=1.0), "outside_city", True),
        (P("省内市外", 1_999.99, funds=1.0), "outside_city", False),
        (P("省外", 10_000.0, recognized_on="2022-06-01"), "new_100m_province", True),  # exactly 1 亿
        (P("省外", 9_999.99, recognized_on="2022-06-01"), "new_100m_province", False),
        (P("本市", 10_000.0, signed_on="2022-06-01"), "signed_100m", True),
        (P("本市", 9_999.99, signed_on="2022-06-01"), "signed_100m", False),
        (P("本市", 10_000.0, recognized_on="2022-01-01", started_on="2022-02-01"), "new_started_100m", True),
        (P("本市", 9_999.99, recognized_on="2022-01-01", started_on="2022-02-01"), "new_started_100m", False),
        (P("本市", 200_000.0, signed_on="2022-07-01"), "campaign_signed", True),  # exactly 20 亿
        (P("本市", 199_999.99, signed_on="2022-07-01"), "campaign_signed", False),
    ],
    ids=[
        "outside-province-0.2yi",
        "outside-province-below",
        "outside-city-0.2yi",
        "outside-city-below",
        "new-100m-1yi",
        "new-100m-below",
        "signed-100m-1yi",
        "signed-100m-below",
        "new-started-1yi",
        "new-started-below",
        "campaign-20yi",
        "campaign-below",
    ],
)
def test_threshold_boundaries(row, selector, counted, reference):
    projects = tb.projects(row)
    count = {
        "outside_province": lambda: len(ind.outside_projects(projects, reference, "outside_province")),
        "outside_city": lambda: len(ind.outside_projects(projects, reference, "outside_city")),
        "new_100m_province": lambda: len(ind.new_100m_projects(projects, reference, Y, "outside_province")),
        "signed_100m": lambda: len(ind.signed_100m(projects, reference, Y)),
        "new_started_100m": lambda: len(ind.new_started_100m(projects, reference, Y)),
        "campaign_signed": lambda: ind.campaign(projects, reference, *WINDOW)["signed"],
    }[selector]()
    assert count == (1 if counted else 0)


# ---------------------------------------------------------------------------------------------
# outside_city_projects / outside_province_projects: sources, 0.2 亿, funds_year > 0.

OUTSIDE_ROWS = [
    P("省外", 2_000.0, funds=500.0),  # 1: both (0.2 亿 boundary)
    P("省内市外", 30_000.0, funds=12_300.0),  # 2: 市外 only
    P("省外", 1_999.0, funds=800.0),  # 3: below 0.2 亿
    P("本市", 50_000.0, funds=1_000.0),  # 4: local money
    P("境外", 50_000.0, funds=7_000.0),  # 5: foreign: not 市外, not 省外
    P("省外", 10_000.0, funds=0.0),  # 6: no funds this year
]


@pytest.mark.parametrize(
    "rows, sources, expected",
    [
        # 市外 = 1 + 2: 2 projects, 500 + 12,300 = 12,800 万 = 1.28 亿
        (OUTSIDE_ROWS, "outside_city", {"count": 2, "funds": 1.28}),
        # 省外 = 1: 500 万 = 0.05 亿
        (OUTSIDE_ROWS, "outside_province", {"count": 1, "funds": 0.05}),
        ([P("本市", 50_000.0, funds=100.0)], "outside_city", {"count": 0, "funds": 0.0}),
        ([], "outside_city", {"count": 0, "funds": 0.0}),
    ],
    ids=["outside-city", "outside-province", "only-local", "empty"],
)
def test_outside_projects(rows, sources, expected, reference):
    assert ind.count_and_funds(ind.outside_projects(tb.projects(*rows), reference, sources)) == expected


# ---------------------------------------------------------------------------------------------
# outside_city_new_100m / outside_province_new_100m: ≥ 1 亿, recognized in Y (funds may be 0).

NEW_ROWS = [
    P("省外", 10_000.0, funds=0.0, recognized_on="2022-01-01"),  # 1: both, on 1 亿, no funds needed
    P("省内市外", 20_000.0, funds=3_000.0, recognized_on="2022-12-31"),  # 2: 市外 only
    P("省外", 9_999.0, funds=5_000.0, recognized_on="2022-06-01"),  # 3: below 1 亿
    P("省外", 50_000.0, funds=9_000.0, recognized_on="2021-12-31"),  # 4: recognized the year before
    P("省外", 50_000.0, funds=9_000.0),  # 5: never recognized
    P("本市", 50_000.0, funds=9_000.0, recognized_on="2022-05-01"),  # 6: local
    P("省外", 15_000.0, funds=2_500.0, recognized_on="2022-03-01"),  # 7: both
]


@pytest.mark.parametrize(
    "sources, expected",
    [
        # 1, 2, 7: 0 + 3,000 + 2,500 = 5,500 万 = 0.55 亿
        ("outside_city", {"count": 3, "funds": 0.55}),
        # 1, 7: 2,500 万 = 0.25 亿
        ("outside_province", {"count": 2, "funds": 0.25}),
    ],
    ids=["outside-city-new-100m", "outside-province-new-100m"],
)
def test_new_100m(sources, expected, reference):
    selected = ind.new_100m_projects(tb.projects(*NEW_ROWS), reference, Y, sources)
    assert ind.count_and_funds(selected) == expected


# ---------------------------------------------------------------------------------------------
# Province ranks: 1 = largest, ties share the smaller rank, 2-decimal precision.


@pytest.mark.parametrize(
    "own, peers, rank",
    [
        (488, [450, 488, 500], 2),  # 500 above; tie with 488 → 2
        (500, [450, 488], 1),
        (500, [500, 500], 1),  # three-way tie for the top → all 1
        (10, [11, 12, 13], 4),  # last
        (1, [], 1),  # alone
        (0, [0, 0, 0], 1),
        (1352.909, [1352.91, 1000.0], 1),  # equal at 2 decimals → tie → 1
        (1352.90, [1352.91], 2),
    ],
    ids=["tie-in-middle", "top", "tie-at-top", "last", "no-peers", "all-zero", "tie-at-2-decimals", "just-below"],
)
def test_province_rank(own, peers, rank):
    assert ind.province_rank(own, peers) == rank


@pytest.fixture(scope="module")
def ranked_year():
    # Ledger: two 省外 projects ≥ 0.2 亿 with funds 600 + 600 万 → count 2, funds 1200 万 = 0.12 亿.
    projects = tb.projects(P("省外", 5_000.0, funds=600.0), P("省外", 5_000.0, funds=600.0))
    peers = tb.province_peers(
        {"city": "南昌市", "indicator": "省外2000万元以上项目个数", "value": 3.0},
        {"city": "赣州市", "indicator": "省外2000万元以上项目个数", "value": 2.0},
        {"city": "上饶市", "indicator": "省外2000万元以上项目个数", "value": 1.0},
        {"city": "九江市", "indicator": "省外2000万元以上项目个数", "value": 2.0},  # own row, same value
        {"city": "南昌市", "indicator": "省外2000万元以上项目实际进资", "value": 5_000.0},  # 0.5 亿
        {"city": "赣州市", "indicator": "省外2000万元以上项目实际进资", "value": 300.0},  # 0.03 亿
        {"city": "九江市", "indicator": "省外2000万元以上项目实际进资", "value": 9_000.0},  # own row 0.9 亿 ≠ 0.12
    )
    return tb.clean_year(Y, projects=projects, province_peers=peers)


@pytest.fixture(scope="module")
def ranked_metrics(ranked_year, reference):
    return compute_metrics(ranked_year, None, reference)


def test_province_comparison_table(ranked_year, ranked_metrics, reference):
    current, metrics = ranked_year, ranked_metrics
    table = province_comparison(metrics, current.tables["province_peers"], reference).set_index("indicator")
    assert list(table.index) == ["省外2000万元以上项目个数", "省外2000万元以上项目实际进资"]  # only indicators with peers
    count = table.loc["省外2000万元以上项目个数"]
    # peers 3, 2, 1 (own sheet row excluded): only 3 is larger → rank 2, shared with 赣州市's 2
    assert (count["value"], count["rank"], count["cities"], count["province_max"]) == (2, 2, 4, 3.0)
    assert (count["sheet_value"], count["sheet_difference"]) == (2.0, 0.0)
    funds = table.loc["省外2000万元以上项目实际进资"]
    # own 0.12 (ledger), peers 0.5 and 0.03 → rank 2; the sheet's 0.9 is NOT used (it would make it rank 3)
    assert (funds["value"], funds["rank"], funds["cities"], funds["province_max"]) == (0.12, 2, 3, 0.5)
    assert (funds["sheet_value"], funds["sheet_difference"]) == (0.9, -0.78)  # 0.12 − 0.9


@pytest.mark.parametrize(
    "section, key, expected",
    [
        ("outside_province_projects", "count_rank", 2),
        ("outside_province_projects", "funds_rank", 2),
        ("outside_province_projects", "funds", 0.12),  # the ledger value, not the sheet's 0.9
        ("outside_city_projects", "count_rank", None),  # no peers for 市外 → no rank
        ("outside_province_new_100m", "count_rank", None),
    ],
    ids=["count-rank", "funds-rank", "own-value-from-ledger", "no-peers-city", "no-peers-new"],
)
def test_ranks_in_metrics(section, key, expected, ranked_metrics):
    assert ranked_metrics[section].get(key) == expected


def test_sheet_difference_reported_not_used(ranked_metrics):
    # the count row agrees (difference 0) → not listed; the funds row differs by 0.12 − 0.9 = −0.78
    assert ranked_metrics["province_sheet_differences"] == {
        "省外2000万元以上项目实际进资": {"ledger": 0.12, "sheet": 0.9, "difference": -0.78}
    }


# ---------------------------------------------------------------------------------------------
# fifty_twenty_applied: applied in Y, Σ total, tiers, average and its YoY, flagged, digital.

APPLIED_2022 = [
    P(total=1_000_000.0, fifty_twenty_applied_on="2022-01-10", investor_flags="世界500强", is_digital=True),  # tier_100
    P(total=600_000.0, fifty_twenty_applied_on="2022-05-10"),  # tier_50
    P(total=500_000.0, fifty_twenty_applied_on="2022-12-31", investor_flags="上市公司、高新技术企业"),  # tier_50 (boundary)
    P(total=200_000.0, fifty_twenty_applied_on="2022-03-03", is_digital=True),  # tier_20 (boundary)
    P(total=300_000.0, fifty_twenty_applied_on="2021-12-31", investor_flags="世界500强", is_digital=True),  # last year
    P(total=300_000.0, investor_flags="世界500强"),  # never applied
]
APPLIED_2021 = [
    P(total=400_000.0, fifty_twenty_applied_on="2021-02-01"),
    P(total=600_000.0, fifty_twenty_applied_on="2021-08-01"),  # average (400,000 + 600,000) / 2 = 500,000
    P(total=900_000.0, fifty_twenty_applied_on="2020-08-01"),  # not 2021
]
# 2022: 4 projects, Σ 2,300,000 万 = 230 亿, tiers 1 / 2 / 1, average 575,000 万 = 57.5 亿,
# flagged 2 of 4 = 50 %, digital 2.
FIFTY_2022 = {
    "count": 4,
    "total_investment": 230.0,
    "tier_100": 1,
    "tier_50": 2,
    "tier_20": 1,
    "average_total_investment": 57.5,
    "flagged_investors": 2,
    "flagged_share_pct": 50.0,
    "digital": 2,
}
FIFTY_EMPTY = {
    "count": 0,
    "total_investment": 0.0,
    "tier_100": 0,
    "tier_50": 0,
    "tier_20": 0,
    "average_total_investment": None,
    "average_yoy_pct": None,
    "flagged_investors": 0,
    "flagged_share_pct": None,
    "digital": 0,
}


@pytest.mark.parametrize(
    "current, previous, expected",
    [
        (APPLIED_2022, APPLIED_2021, {**FIFTY_2022, "average_yoy_pct": 15.0}),  # 575,000 / 500,000 − 1 = +15 %
        (APPLIED_2022, None, {**FIFTY_2022, "average_yoy_pct": None}),  # no previous ledger
        (APPLIED_2022, [APPLIED_2021[2]], {**FIFTY_2022, "average_yoy_pct": None}),  # nothing applied in 2021
        ([], None, FIFTY_EMPTY),
    ],
    ids=["with-previous", "no-previous-year", "previous-year-without-applications", "empty-year"],
)
def test_fifty_twenty(current, previous, expected, reference):
    previous_projects = previous_of(previous)
    previous_applied = None if previous_projects is None else ind.fifty_twenty_applied(previous_projects, reference, Y - 1)
    applied = ind.fifty_twenty_applied(tb.projects(*current), reference, Y)
    assert ind.fifty_twenty_summary(applied, previous_applied) == expected


# ---------------------------------------------------------------------------------------------
# team_trips, principal_trips.

TRIPS_2022 = [
    {"departed_on": "2022-01-05", "unit": "电子信息产业链招商小分队", "unit_kind": "产业链招商小分队"},  # team
    {"departed_on": "2022-12-31", "unit": "新能源产业链招商小分队", "unit_kind": "产业链招商小分队", "is_principal": True},  # team
    {"departed_on": "2021-12-31", "unit": "新能源产业链招商小分队", "unit_kind": "产业链招商小分队"},  # last year
    {"departed_on": "2022-02-01", "unit": "市商务局", "unit_kind": "市直单位", "is_principal": True, "destination": "深圳"},  # city 1
    {"departed_on": "2022-03-01", "unit": "市商务局", "unit_kind": "市直单位", "is_principal": True, "destination": "上海"},  # city 2 (same unit)
    {"departed_on": "2022-05-01", "unit": "市发改委", "unit_kind": "市直单位", "is_principal": True},  # city 3
    {"departed_on": "2022-05-02", "unit": "市工信局", "unit_kind": "市直单位", "is_principal": False},  # not principal
    {"departed_on": "2022-05-03", "unit": "市科技局", "unit_kind": "市直单位"},  # principal unknown → no
    {"departed_on": "2021-12-30", "unit": "市财政局", "unit_kind": "市直单位", "is_principal": True},  # last year
    {"departed_on": "2022-04-01", "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True, "destination": "广州"},  # county 1
    {"departed_on": "2022-04-02", "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True, "destination": "东莞"},  # county 2
    {"departed_on": "2022-06-01", "unit": "彭泽县", "unit_kind": "县（市、区）", "is_principal": True},  # county 3
    {"departed_on": "2022-06-02", "unit": "彭泽县", "unit_kind": "县（市、区）", "is_principal": False},  # not principal
]
TRIPS_2021 = [
    {"departed_on": "2021-03-01", "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True},  # counts for 2021
    {"departed_on": "2020-03-01", "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True},  # 2020: not
]


@pytest.mark.parametrize(
    "rows, expected",
    [(TRIPS_2022, 2), ([], 0)],
    ids=["two-team-trips-in-year", "empty"],
)
def test_team_trips(rows, expected, reference):
    assert ind.team_trips(tb.trips(*rows), reference, Y) == {"count": expected}


@pytest.mark.parametrize(
    "previous, expected_change, expected_pct",
    [
        (TRIPS_2021, 2, 200.0),  # 3 county trips in 2022 − 1 in 2021 = +2, +200 %
        (None, None, None),  # no previous ledger → not available (never 0)
        ([], 3, None),  # previous ledger without trips → 3 − 0; a growth from 0 is not available
    ],
    ids=["with-previous", "no-previous-year", "previous-year-empty"],
)
def test_principal_trips(previous, expected_change, expected_pct, reference):
    previous_trips = None if previous is None else tb.trips(*previous)
    assert ind.principal_trips(tb.trips(*TRIPS_2022), reference, Y, previous_trips) == {
        "city_unit_count": 3,  # 市商务局 ×2, 市发改委
        "city_units": 2,  # distinct units
        "county_count": 3,  # 瑞昌市 ×2, 彭泽县
        "county_count_yoy_change": expected_change,
        "county_count_yoy_pct": expected_pct,
    }


# ---------------------------------------------------------------------------------------------
# team_leads.

LEADS = [
    {"planned_investment": 200_000.0, "progress": "已签约", "signed_amount": 200_000.0},  # planned ≥20亿 (boundary), signed ≥20亿
    {"planned_investment": 199_999.0, "progress": "已签约", "signed_amount": 150_000.0},  # signed, not ≥20亿
    {"planned_investment": 500_000.0, "progress": "在谈"},  # planned ≥20亿
    {"progress": "已放弃"},
    {"planned_investment": 10_000.0, "progress": "已签约"},  # signed without an amount
    {"planned_investment": 300_000.0, "progress": "对接中", "signed_amount": 50_000.0},  # amount ignored: not signed
]


@pytest.mark.parametrize(
    "rows, expected",
    [
        # signed amount: 200,000 + 150,000 = 350,000 万 = 35 亿
        (LEADS, {"count": 6, "planned_20b_plus": 3, "signed": 3, "signed_20b_plus": 1, "signed_amount": 35.0}),
        ([], {"count": 0, "planned_20b_plus": 0, "signed": 0, "signed_20b_plus": 0, "signed_amount": 0.0}),
    ],
    ids=["mixed", "empty"],
)
def test_team_leads(rows, expected, reference):
    assert ind.team_leads(tb.leads(*rows), reference) == expected


# ---------------------------------------------------------------------------------------------
# event_signings.

EVENT_ROWS = [
    P(total=150_000.0, event="2022庐山全球商界领袖大会", signed_on="2022-05-19"),
    P(total=50_000.0, event="2022庐山全球商界领袖大会", signed_on="2022-06-01"),
    P(total=80_000.0, event="2022庐山全球商界领袖大会", signed_on="2021-12-01"),  # last year
    P(total=637_000.0, event="庐山院士创新论坛", signed_on="2022-07-28"),
    P(total=10_000.0, event="庐山院士创新论坛"),  # not signed
    P(total=90_000.0, signed_on="2022-07-28"),  # no event
]


@pytest.mark.parametrize(
    "rows, expected",
    [
        (
            EVENT_ROWS,
            {
                "2022庐山全球商界领袖大会": {"count": 2, "total_investment": 20.0},  # 150,000 + 50,000 万
                "庐山院士创新论坛": {"count": 1, "total_investment": 63.7},  # 637,000 万
            },
        ),
        ([], {}),
    ],
    ids=["two-events", "empty"],
)
def test_event_signings(rows, expected, reference):
    result = ind.event_signings(tb.projects(*rows), reference, Y)
    assert result == expected
    assert list(result) == [e for e in reference.events["name"] if e in expected]  # reference order


# ---------------------------------------------------------------------------------------------
# new_started_100m (+ bands 10 / 30 亿).

STARTED_2022 = [
    P("本市", 10_000.0, recognized_on="2022-01-01", started_on="2022-02-01"),  # 1 亿 boundary
    P("本市", 100_000.0, recognized_on="2022-03-01", started_on="2022-03-02"),  # 10 亿 boundary → over_10b
    P("本市", 300_000.0, recognized_on="2022-04-01", started_on="2022-12-31"),  # 30 亿 boundary → over_10b, over_30b
    P("本市", 299_999.0, recognized_on="2022-05-01", started_on="2022-05-02"),  # over_10b only
    P("本市", 9_999.0, recognized_on="2022-01-01", started_on="2022-02-01"),  # below 1 亿
    P("本市", 50_000.0, recognized_on="2021-12-31", started_on="2022-02-01"),  # recognized last year
    P("本市", 50_000.0, recognized_on="2022-06-01", started_on="2023-01-01"),  # started next year
    P("本市", 50_000.0, recognized_on="2022-06-01"),  # not started
]
STARTED_2021 = [
    P("本市", 20_000.0, recognized_on="2021-02-01", started_on="2021-03-01"),  # counts for 2021
    P("本市", 20_000.0, recognized_on="2021-02-01", started_on="2022-03-01"),  # started in 2022: not for 2021
]


@pytest.mark.parametrize(
    "current, previous, expected",
    [
        (STARTED_2022, STARTED_2021, {"count": 4, "count_yoy_change": 3, "over_10b": 3, "over_30b": 1}),  # 4 − 1
        (STARTED_2022, None, {"count": 4, "count_yoy_change": None, "over_10b": 3, "over_30b": 1}),
        ([], [], {"count": 0, "count_yoy_change": 0, "over_10b": 0, "over_30b": 0}),
        ([], None, {"count": 0, "count_yoy_change": None, "over_10b": 0, "over_30b": 0}),
    ],
    ids=["with-previous", "no-previous-year", "both-empty", "empty-no-previous"],
)
def test_new_started_100m(current, previous, expected, reference):
    previous_projects = previous_of(previous)
    previous_started = None if previous_projects is None else ind.new_started_100m(previous_projects, reference, Y - 1)
    started = ind.new_started_100m(tb.projects(*current), reference, Y)
    assert ind.new_started_summary(started, previous_started, reference) == expected


# ---------------------------------------------------------------------------------------------
# emerging_share among outside_province_new_100m, change in percentage points.

EMERGING_2022 = [
    P("省外", 10_000.0, industry="电子信息", recognized_on="2022-02-01"),  # emerging
    P("省外", 20_000.0, industry="新能源", recognized_on="2022-03-01"),  # emerging
    P("省外", 30_000.0, industry="绿色食品", recognized_on="2022-04-01"),
    P("省外", 40_000.0, industry="现代物流", recognized_on="2022-05-01"),
    P("省内市外", 50_000.0, industry="电子信息", recognized_on="2022-05-01"),  # not 省外
    P("省外", 50_000.0, industry="生物医药", recognized_on="2021-05-01"),  # not new in 2022
    P("省外", 9_000.0, industry="生物医药", recognized_on="2022-05-01"),  # below 1 亿
]
EMERGING_2021 = [
    P("省外", 10_000.0, industry="生物医药", recognized_on="2021-02-01"),  # emerging
    P("省外", 10_000.0, industry="石油化工", recognized_on="2021-02-01"),
    P("省外", 10_000.0, industry="建材", recognized_on="2021-02-01"),
]


@pytest.mark.parametrize(
    "current, previous, expected",
    [
        # 2 of 4 = 50.00 %; 2021: 1 of 3 = 33.33 %; change 50.00 − 33.33 = 16.67 pp
        (EMERGING_2022, EMERGING_2021, {"count": 2, "total": 4, "share_pct": 50.0, "previous_share_pct": 33.33, "share_change_pp": 16.67}),
        (EMERGING_2022, None, {"count": 2, "total": 4, "share_pct": 50.0, "previous_share_pct": None, "share_change_pp": None}),
        (EMERGING_2022, [], {"count": 2, "total": 4, "share_pct": 50.0, "previous_share_pct": None, "share_change_pp": None}),
        ([], EMERGING_2021, {"count": 0, "total": 0, "share_pct": None, "previous_share_pct": 33.33, "share_change_pp": None}),
    ],
    ids=["with-previous", "no-previous-year", "previous-year-none-new", "empty-year"],
)
def test_emerging_share(current, previous, expected, reference):
    province = "outside_province"
    previous_projects = previous_of(previous)
    previous_new = None if previous_projects is None else ind.new_100m_projects(previous_projects, reference, Y - 1, province)
    new = ind.new_100m_projects(tb.projects(*current), reference, Y, province)
    assert ind.emerging_share(new, previous_new, reference) == expected


# ---------------------------------------------------------------------------------------------
# campaign window 2022-06-01 .. 2022-09-30 (“50·20” = total ≥ 20 亿).

CAMPAIGN_ROWS = [
    # A tier_100: applied on the first day, signed in window, not started → signed-not-started tier_100
    P(total=1_000_000.0, county="瑞昌市", industry="电子信息", is_digital=True, status="已签约",
      entered_on="2022-01-01", fifty_twenty_applied_on="2022-06-01", signed_on="2022-06-15"),
    # B tier_50: applied on the last day, not signed → in talks tier_50
    P(total=500_000.0, county="瑞昌市", status="在谈", entered_on="2022-02-01", fifty_twenty_applied_on="2022-09-30"),
    # C tier_20: applied after the window; signed, started and producing on the last day
    P(total=200_000.0, county="彭泽县", industry="绿色食品", is_digital=False, status="已投产", entered_on="2022-03-01",
      fifty_twenty_applied_on="2022-10-01", signed_on="2022-09-30", started_on="2022-09-30", producing_on="2022-09-30"),
    # D below 20 亿: ignored everywhere
    P(total=199_999.0, county="彭泽县", status="已签约", entered_on="2022-01-01",
      fifty_twenty_applied_on="2022-07-01", signed_on="2022-07-01", producing_on="2022-07-02"),
    # E tier_50: signed after the window → still in talks at the end
    P(total=600_000.0, county="武宁县", status="已签约", entered_on="2022-05-01", signed_on="2022-10-15"),
    # F tier_20: not signed but terminated → not in talks
    P(total=300_000.0, county="武宁县", status="已终止", entered_on="2022-07-01"),
    # G tier_50: signed long ago, not started, terminated → not a reserve
    P(total=700_000.0, county="武宁县", status="已终止", entered_on="2021-01-01", signed_on="2021-05-01"),
    # H tier_50: signed last year, started after the window → signed-not-started tier_50
    P(total=800_000.0, county="武宁县", status="已开工", entered_on="2021-06-01", signed_on="2021-12-01", started_on="2022-10-10"),
    # I tier_20: entered after the window → not in talks at the end
    P(total=250_000.0, county="武宁县", status="在谈", entered_on="2022-10-05"),
    # J tier_20: producing before the window, everything done long ago
    P(total=400_000.0, county="武宁县", status="已投产", entered_on="2020-01-01", signed_on="2020-03-01",
      started_on="2021-01-01", producing_on="2022-05-31"),
    # K tier_100: signed the day before the window, not started → signed-not-started tier_100
    P(total=1_200_000.0, county="武宁县", status="已签约", entered_on="2022-01-01", signed_on="2022-05-31"),
]
CAMPAIGN_EXPECTED = {
    "start": "2022-06-01",
    "end": "2022-09-30",
    "applied": 2,  # A, B
    "applied_tier_100": 1,
    "applied_tier_50": 1,
    "applied_tier_20": 0,
    "signed": 2,  # A, C
    "signed_tier_100": 1,
    "signed_tier_50": 0,
    "signed_tier_20": 1,
    "producing": 1,  # C
    "in_talks_at_end": 2,  # B, E
    "in_talks_at_end_by_tier": {"tier_100": 0, "tier_50": 2, "tier_20": 0},
    "signed_not_started_at_end": {"tier_100": 2, "tier_50": 1, "tier_20": 0},  # A, K; H
    "by_county": {
        "瑞昌市": {"signed": 1, "signed_tier_100": 1, "signed_tier_50": 0, "signed_tier_20": 0, "signed_emerging": 1, "signed_digital": 1},
        "彭泽县": {"signed": 1, "signed_tier_100": 0, "signed_tier_50": 0, "signed_tier_20": 1, "signed_emerging": 0, "signed_digital": 0},
    },
}
CAMPAIGN_EMPTY = {
    "start": "2022-06-01",
    "end": "2022-09-30",
    "applied": 0,
    "applied_tier_100": 0,
    "applied_tier_50": 0,
    "applied_tier_20": 0,
    "signed": 0,
    "signed_tier_100": 0,
    "signed_tier_50": 0,
    "signed_tier_20": 0,
    "producing": 0,
    "in_talks_at_end": 0,
    "in_talks_at_end_by_tier": {"tier_100": 0, "tier_50": 0, "tier_20": 0},
    "signed_not_started_at_end": {"tier_100": 0, "tier_50": 0, "tier_20": 0},
    "by_county": {},
}


@pytest.mark.parametrize(
    "rows, expected",
    [(CAMPAIGN_ROWS, CAMPAIGN_EXPECTED), ([], CAMPAIGN_EMPTY)],
    ids=["mixed", "empty"],
)
def test_campaign(rows, expected, reference):
    assert ind.campaign(tb.projects(*rows), reference, *WINDOW) == expected


@pytest.mark.parametrize(
    "window, expected",
    [
        (
            ("2022-01-01", "2022-06-30"),
            {
                "applied": 1,  # A (06-01)
                "signed": 2,  # A (06-15), K (05-31)
                "signed_tier_100": 2,
                "producing": 1,  # J (05-31)
                "in_talks_at_end": 3,  # B, C (signed 09-30 > end), E
                "in_talks_at_end_by_tier": {"tier_100": 0, "tier_50": 2, "tier_20": 1},
                "signed_not_started_at_end": {"tier_100": 2, "tier_50": 1, "tier_20": 0},  # A, K; H (starts 10-10)
            },
        ),
        (
            ("2022-10-01", "2022-12-31"),
            {
                "applied": 1,  # C (10-01)
                "signed": 1,  # E (10-15)
                "signed_tier_50": 1,
                "producing": 0,
                "in_talks_at_end": 2,  # B, I (entered 10-05); F terminated
                "in_talks_at_end_by_tier": {"tier_100": 0, "tier_50": 1, "tier_20": 1},
                "signed_not_started_at_end": {"tier_100": 2, "tier_50": 1, "tier_20": 0},  # A, K; E (H started 10-10)
            },
        ),
    ],
    ids=["first-half", "fourth-quarter"],
)
def test_campaign_other_windows(window, expected, reference):
    result = ind.campaign(tb.projects(*CAMPAIGN_ROWS), reference, pd.Timestamp(window[0]), pd.Timestamp(window[1]))
    assert {k: result[k] for k in expected} == expected


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, {"name": "“50·20”项目攻坚行动", **CAMPAIGN_EXPECTED}),  # the window of campaigns.csv
        (
            {"campaign_window": ("2022-10-01", "2022-12-31")},
            {"name": "“50·20”项目攻坚行动", "start": "2022-10-01", "end": "2022-12-31", "signed": 1},
        ),
    ],
    ids=["reference-window", "override"],
)
def test_campaign_in_metrics(kwargs, expected, reference):
    section = compute_metrics(tb.clean_year(Y, projects=tb.projects(*CAMPAIGN_ROWS)), None, reference, **kwargs)["campaign"]
    assert {k: section[k] for k in expected} == expected


def test_campaign_absent_without_window(reference):
    assert "campaign" not in compute_metrics(tb.clean_year(2023), None, reference)  # campaigns.csv has none for 2023


# Regression: a blank 项目状态 used to drop a project from the reserves (NA in the mask).
def test_campaign_blank_status_is_still_in_talks(reference):
    # tier_50, entered before the end, never signed, status left blank (an optional column) → 在谈 at the end
    projects = tb.projects(
        P(total=500_000.0, entered_on="2022-01-01"),
        P(total=1_000_000.0, entered_on="2021-01-01", signed_on="2021-06-01"),  # signed, not started → reserve
    )
    result = ind.campaign(projects, reference, *WINDOW)
    assert result["in_talks_at_end_by_tier"] == {"tier_100": 0, "tier_50": 1, "tier_20": 0}
    assert result["signed_not_started_at_end"] == {"tier_100": 1, "tier_50": 0, "tier_20": 0}


# ---------------------------------------------------------------------------------------------
# chain_completeness.


def _led_70_items():
    # 瑞昌市 LED as in the article: 8 links, 70 items, the last 5 missing → 65 / 70 = 92.86 %
    return [
        {"county": "瑞昌市", "chain": "LED", "link": f"环节{i % 8}", "item": f"子项{i}", "present": i < 65}
        for i in range(70)
    ]


@pytest.mark.parametrize(
    "rows, expected",
    [
        (_led_70_items(), [{"county": "瑞昌市", "chain": "LED", "links": 8, "listed": 70, "present": 65, "pct": 92.86}]),
        (
            [
                {"county": "瑞昌市", "chain": "LED", "link": "封装", "item": "a", "present": True},
                {"county": "瑞昌市", "chain": "LED", "link": "封装", "item": "b", "present": False},
                {"county": "瑞昌市", "chain": "LED", "link": "芯片", "item": "c", "present": True},
                {"county": "瑞昌市", "chain": "LED", "link": "终端", "item": "d"},  # present unknown → not present
                {"county": "永修县", "chain": "有机硅", "link": "单体", "item": "x", "present": True},
            ],
            [  # sorted by county (code point: 永 U+6C38 < 瑞 U+745E), then chain
                {"county": "永修县", "chain": "有机硅", "links": 1, "listed": 1, "present": 1, "pct": 100.0},
                {"county": "瑞昌市", "chain": "LED", "links": 3, "listed": 4, "present": 2, "pct": 50.0},
            ],
        ),
        ([], []),
    ],
    ids=["article-65-of-70", "two-counties", "empty"],
)
def test_chain_completeness(rows, expected):
    assert ind.chain_completeness(tb.chain_map(*rows)).to_dict("records") == expected


# ---------------------------------------------------------------------------------------------
# signed_100m and foreign_funds.

SIGNED_ROWS = [
    P("本市", 10_000.0, signed_on="2022-01-01"),  # 1 亿 boundary, local money counts
    P("境外", 25_000.0, signed_on="2022-12-31"),  # foreign money counts
    P("省外", 9_999.0, signed_on="2022-06-01"),  # below 1 亿
    P("省外", 50_000.0, signed_on="2021-12-31"),  # last year
    P("省外", 50_000.0),  # not signed
]


@pytest.mark.parametrize(
    "rows, expected",
    [(SIGNED_ROWS, {"count": 2, "total_investment": 3.5}), ([], {"count": 0, "total_investment": 0.0})],  # 35,000 万
    ids=["mixed", "empty"],
)
def test_signed_100m(rows, expected, reference):
    signed = ind.signed_100m(tb.projects(*rows), reference, Y)
    assert {"count": len(signed), "total_investment": ind.to_yi(signed["total_investment"].sum())} == expected


@pytest.mark.parametrize(
    "rows, wan",
    [
        ([P("境外", funds=12_000.0), P("境外", funds=300.0), P("境外", funds=0.0), P("省外", funds=5_000.0), P("本市", funds=800.0)], 12_300.0),
        ([P("省外", funds=5_000.0)], 0.0),
        ([], 0.0),
    ],
    ids=["foreign-only-summed", "no-foreign", "empty"],
)
def test_foreign_funds(rows, wan, reference):
    assert ind.foreign_funds(tb.projects(*rows), reference) == wan  # 万元; compute_metrics reports 亿元 (see the whole-year test)


# ---------------------------------------------------------------------------------------------
# county_breakdown: one row per unit, in reference order, zeros where nothing happened.

BREAKDOWN_ROWS = [
    # 瑞昌市: 省外 ≥1亿, funds 3,000, recognized and signed in 2022
    P("省外", 10_000.0, funds=3_000.0, county="瑞昌市", recognized_on="2022-02-01", signed_on="2022-03-01"),
    # 瑞昌市: 境外, funds 2,000, signed in 2022
    P("境外", 50_000.0, funds=2_000.0, county="瑞昌市", signed_on="2022-04-01"),
    # 彭泽县: 省内市外 on 0.2 亿 with funds 100
    P("省内市外", 2_000.0, funds=100.0, county="彭泽县"),
    # 彭泽县: local 30 亿, applied 50·20, recognized and started in 2022
    P("本市", 300_000.0, county="彭泽县", fifty_twenty_applied_on="2022-05-01", recognized_on="2022-01-05", started_on="2022-06-01"),
]
ZERO_ROW = {
    "outside_city_projects.count": 0,
    "outside_city_projects.funds": 0.0,
    "outside_province_projects.count": 0,
    "outside_province_projects.funds": 0.0,
    "outside_province_new_100m.count": 0,
    "outside_province_new_100m.funds": 0.0,
    "signed_100m.count": 0,
    "foreign_funds.funds": 0.0,
    "fifty_twenty_applied.count": 0,
    "new_started_100m.count": 0,
}


@pytest.fixture(scope="module")
def breakdown(reference):
    return county_breakdown(tb.projects(*BREAKDOWN_ROWS), reference, Y)


@pytest.mark.parametrize(
    "county, expected",
    [
        (
            "瑞昌市",
            {**ZERO_ROW, "outside_city_projects.count": 1, "outside_city_projects.funds": 3_000.0,
             "outside_province_projects.count": 1, "outside_province_projects.funds": 3_000.0,
             "outside_province_new_100m.count": 1, "outside_province_new_100m.funds": 3_000.0,
             "signed_100m.count": 2, "foreign_funds.funds": 2_000.0},
        ),
        (
            "彭泽县",
            {**ZERO_ROW, "outside_city_projects.count": 1, "outside_city_projects.funds": 100.0,
             "fifty_twenty_applied.count": 1, "new_started_100m.count": 1},
        ),
        ("濂溪区", ZERO_ROW),  # no projects at all
        ("庐山西海风景名胜区", ZERO_ROW),  # functional zone, no projects
    ],
    ids=["ruichang", "pengze", "no-projects", "zone-no-projects"],
)
def test_county_breakdown(county, expected, breakdown, reference):
    assert breakdown["county"].tolist() == reference.units["name"].tolist()  # every unit, reference order
    assert breakdown.set_index("county").loc[county].to_dict() == expected


def test_county_breakdown_empty_year(reference):
    table = county_breakdown(tb.projects(), reference, Y)
    assert len(table) == len(reference.units) == 16
    assert all(table.set_index("county").loc[c].to_dict() == ZERO_ROW for c in reference.units["name"])


# ---------------------------------------------------------------------------------------------
# lifecycle_funnel.

FUNNEL_ROWS = [
    # 1: 10 days to sign, 30 to start, 324 to produce (2022-02-10 → 2022-12-31)
    P(entered_on="2022-01-01", signed_on="2022-01-11", started_on="2022-02-10", producing_on="2022-12-31"),
    # 2: 20 days to sign, 30 to start, producing next year → not at 投产
    P(entered_on="2022-03-01", signed_on="2022-03-21", started_on="2022-04-20", producing_on="2023-01-05"),
    # 3: entered last year, 365 days to sign, not started
    P(entered_on="2021-06-01", signed_on="2022-06-01"),
    # 4: entered, nothing else
    P(entered_on="2022-12-01"),
    # 5: entered next year → not in the cohort
    P(entered_on="2023-01-02", signed_on="2023-01-03"),
    # 6: no 入库 date but signed in 2022 → it was entered: in the cohort, counted as a missing 入库 date
    P(signed_on="2022-05-05"),
]


@pytest.mark.parametrize(
    "rows, expected",
    [
        (
            FUNNEL_ROWS,
            [
                {"stage": "入库", "count": 5, "date_missing": 1, "conversion_pct": None, "median_days_from_previous": None},
                # rows 1, 2, 3, 6 → 4 / 5; median of the gaps of the rows with both dates (10, 20, 365)
                {"stage": "签约", "count": 4, "date_missing": 0, "conversion_pct": 80.0, "median_days_from_previous": 20.0},
                {"stage": "开工", "count": 2, "date_missing": 0, "conversion_pct": 50.0, "median_days_from_previous": 30.0},  # 2 / 4
                {"stage": "投产", "count": 1, "date_missing": 0, "conversion_pct": 50.0, "median_days_from_previous": 324.0},
            ],
        ),
        (
            [],
            [
                {"stage": "入库", "count": 0, "date_missing": 0, "conversion_pct": None, "median_days_from_previous": None},
                {"stage": "签约", "count": 0, "date_missing": 0, "conversion_pct": None, "median_days_from_previous": None},
                {"stage": "开工", "count": 0, "date_missing": 0, "conversion_pct": None, "median_days_from_previous": None},
                {"stage": "投产", "count": 0, "date_missing": 0, "conversion_pct": None, "median_days_from_previous": None},
            ],
        ),
    ],
    ids=["cohort", "empty"],
)
def test_lifecycle_funnel(rows, expected):
    records = ind.lifecycle_funnel(tb.projects(*rows), Y).to_dict("records")
    normalized = [{k: (None if v is None or (isinstance(v, float) and math.isnan(v)) else v) for k, v in r.items()} for r in records]
    assert normalized == expected


# ---------------------------------------------------------------------------------------------
# reconcile: `_rounded` and `sums` conventions, mismatches flagged.

RECONCILE_METRICS = {
    "a": {"count": 3, "funds": 1.25},
    "b": {"pct": 16.6, "pp": 2.4},
    "ev": {"e1": {"total_investment": 0.1}, "e2": {"total_investment": 0.2}},
}
RECONCILE_PUBLISHED = {
    "a": {"count": 3, "funds": 1.26},
    "b": {"pct_rounded": 17, "pp_rounded": 3},
    "missing": {"count": 1},
    "sums": [
        {"paths": ["ev/e1/total_investment", "ev/e2/total_investment"], "equals": 0.3},  # 0.1 + 0.2 → 0.30 at 2 decimals
        {"paths": ["ev/e1/total_investment", "ev/e3/total_investment"], "equals": 0.1},  # e3 not computed
    ],
}


@pytest.mark.parametrize(
    "path, published, computed, rule, match",
    [
        ("a/count", 3, 3, "相等", True),
        ("a/funds", 1.26, 1.25, "相等", False),  # a mismatch is flagged
        ("b/pct", 17, 16.6, "四舍五入取整", True),  # round(16.6) = 17; the path loses `_rounded`
        ("b/pp", 3, 2.4, "四舍五入取整", False),  # round(2.4) = 2 ≠ 3
        ("missing/count", 1, None, "相等", False),  # not computed → mismatch, not an error
        ("ev/e1/total_investment + ev/e2/total_investment", 0.3, 0.3, "合计", True),
        ("ev/e1/total_investment + ev/e3/total_investment", 0.1, None, "合计", False),
    ],
    ids=["equal", "mismatch", "rounded-match", "rounded-mismatch", "not-computed", "sum-match", "sum-missing-path"],
)
def test_reconcile(path, published, computed, rule, match):
    table = reconcile(RECONCILE_METRICS, RECONCILE_PUBLISHED)
    assert len(table) == 7  # 5 figures + 2 sums; "sums" itself is not a figure
    rows = {r["path"]: r for r in table.to_dict("records")}
    row = rows[path]
    value = None if row["computed"] is None or pd.isna(row["computed"]) else row["computed"]  # None shows as NaN in a float column
    assert (row["published"], value, row["rule"], bool(row["match"])) == (published, computed, rule, match)


# Regression: `_rounded` is 四舍五入 (half up), not Python's round-half-to-even.
@pytest.mark.parametrize("value, published", [(16.5, 17), (2.5, 3)], ids=["16.5-to-17", "2.5-to-3"])
def test_reconcile_rounded_half_up(value, published):
    table = reconcile({"x": {"v": value}}, {"x": {"v_rounded": published}})
    assert bool(table.loc[0, "match"])


# ---------------------------------------------------------------------------------------------
# A whole empty year (no rows anywhere): counts 0, funds 0.0, shares None, YoY None.


def test_empty_year_without_previous(reference):
    metrics = compute_metrics(tb.clean_year(Y), None, reference)
    assert metrics["outside_city_projects"] == {"count": 0, "funds": 0.0}
    assert metrics["outside_city_new_100m"] == {"count": 0, "funds": 0.0}
    assert metrics["outside_province_projects"] == {"count": 0, "funds": 0.0, "previous_funds": None, "funds_yoy_pct": None}
    assert metrics["outside_province_new_100m"] == {"count": 0, "funds": 0.0}
    assert metrics["fifty_twenty_applied"] == FIFTY_EMPTY
    assert metrics["team_trips"] == {"count": 0}
    assert metrics["team_leads"] == {"count": 0, "planned_20b_plus": 0, "signed": 0, "signed_20b_plus": 0, "signed_amount": 0.0}
    assert metrics["principal_trips"] == {
        "city_unit_count": 0, "city_units": 0, "county_count": 0, "county_count_yoy_change": None, "county_count_yoy_pct": None
    }
    assert metrics["event_signings"] == {}
    assert metrics["new_started_100m"] == {"count": 0, "count_yoy_change": None, "over_10b": 0, "over_30b": 0}
    assert metrics["emerging_share"] == {"count": 0, "total": 0, "share_pct": None, "previous_share_pct": None, "share_change_pp": None}
    assert metrics["campaign"] == {"name": "“50·20”项目攻坚行动", **CAMPAIGN_EMPTY}
    assert metrics["chain_completeness"] == {}
    assert metrics["signed_100m"] == {"count": 0, "total_investment": 0.0}
    assert metrics["foreign_funds"] == {"funds": 0.0}
    assert metrics["province_sheet_differences"] == {}
    assert len(metrics["by_county"]) == 16
    assert all(v == 0 for unit in metrics["by_county"].values() for v in unit.values())


def test_empty_year_with_empty_previous(reference):
    # A previous ledger exists but is empty: changes of counts are 0 − 0 = 0, growth rates stay None (÷ 0).
    metrics = compute_metrics(tb.clean_year(Y), tb.clean_year(Y - 1), reference)
    assert metrics["outside_province_projects"]["previous_funds"] == 0.0
    assert metrics["outside_province_projects"]["funds_yoy_pct"] is None
    assert metrics["principal_trips"]["county_count_yoy_change"] == 0
    assert metrics["new_started_100m"]["count_yoy_change"] == 0
    assert metrics["fifty_twenty_applied"]["average_yoy_pct"] is None
    assert metrics["emerging_share"]["share_change_pp"] is None


# ---------------------------------------------------------------------------------------------
# compute_metrics on one whole year: the row sets above are disjoint in what they touch
# (applications / recognition+start / recognition of 省外 / funds), so each section keeps the
# hand-computed value of its own table; the previous year is wired in as year − 1.

CHAIN_TWO_COUNTIES = [
    {"county": "瑞昌市", "chain": "LED", "link": "封装", "item": "a", "present": True},
    {"county": "瑞昌市", "chain": "LED", "link": "芯片", "item": "b", "present": False},
    {"county": "永修县", "chain": "有机硅", "link": "单体", "item": "x", "present": True},
]


def _whole_year(with_previous: bool):
    current = tb.clean_year(
        Y,
        projects=tb.projects(
            *APPLIED_2022,
            *STARTED_2022,
            *EMERGING_2022,
            P("省外", 50_000.0, funds=13_529_100.0, county="瑞昌市"),  # 1352.91 亿 (the published figure)
            P("境外", 50_000.0, funds=12_300.0, county="彭泽县"),  # foreign 1.23 亿
        ),
        trips=tb.trips(*TRIPS_2022),
        leads=tb.leads(*LEADS),
        chain_map=tb.chain_map(*CHAIN_TWO_COUNTIES),
    )
    previous = tb.clean_year(
        Y - 1,
        projects=tb.projects(*APPLIED_2021, *STARTED_2021, *EMERGING_2021, P("省外", 50_000.0, funds=12_382_500.0)),  # 1238.25 亿
        trips=tb.trips(*TRIPS_2021),
    )
    return current, (previous if with_previous else None)


@pytest.fixture(scope="module")
def whole_year(reference):
    return {flag: compute_metrics(*_whole_year(flag), reference) for flag in (True, False)}


@pytest.mark.parametrize(
    "with_previous, section, expected",
    [
        (True, "outside_city_projects", {"count": 1, "funds": 1352.91}),
        # 1352.91 / 1238.25 − 1 = +9.26 %
        (True, "outside_province_projects", {"count": 1, "funds": 1352.91, "previous_funds": 1238.25, "funds_yoy_pct": 9.26}),
        (False, "outside_province_projects", {"count": 1, "funds": 1352.91, "previous_funds": None, "funds_yoy_pct": None}),
        # EMERGING_2022: 4 省外 + 1 省内市外 recognized in 2022 at ≥ 1 亿, no funds
        (True, "outside_city_new_100m", {"count": 5, "funds": 0.0}),
        (True, "outside_province_new_100m", {"count": 4, "funds": 0.0}),
        (True, "fifty_twenty_applied", {**FIFTY_2022, "average_yoy_pct": 15.0}),
        (False, "fifty_twenty_applied", {**FIFTY_2022, "average_yoy_pct": None}),
        (True, "team_trips", {"count": 2}),
        (True, "team_leads", {"count": 6, "planned_20b_plus": 3, "signed": 3, "signed_20b_plus": 1, "signed_amount": 35.0}),
        (True, "principal_trips",
         {"city_unit_count": 3, "city_units": 2, "county_count": 3, "county_count_yoy_change": 2, "county_count_yoy_pct": 200.0}),
        (False, "principal_trips",
         {"city_unit_count": 3, "city_units": 2, "county_count": 3, "county_count_yoy_change": None, "county_count_yoy_pct": None}),
        (True, "event_signings", {}),
        (True, "new_started_100m", {"count": 4, "count_yoy_change": 3, "over_10b": 3, "over_30b": 1}),
        (False, "new_started_100m", {"count": 4, "count_yoy_change": None, "over_10b": 3, "over_30b": 1}),
        (True, "emerging_share", {"count": 2, "total": 4, "share_pct": 50.0, "previous_share_pct": 33.33, "share_change_pp": 16.67}),
        (False, "emerging_share", {"count": 2, "total": 4, "share_pct": 50.0, "previous_share_pct": None, "share_change_pp": None}),
        (
            True,
            "chain_completeness",
            {
                "瑞昌市": {"LED": {"present": 1, "listed": 2, "links": 2, "pct": 50.0}},
                "永修县": {"有机硅": {"present": 1, "listed": 1, "links": 1, "pct": 100.0}},
            },
        ),
        (True, "signed_100m", {"count": 0, "total_investment": 0.0}),  # nothing signed in these rows
        (True, "foreign_funds", {"funds": 1.23}),
        (True, "province_sheet_differences", {}),
    ],
    ids=[
        "outside-city",
        "outside-province-yoy",
        "outside-province-no-previous",
        "outside-city-new-100m",
        "outside-province-new-100m",
        "fifty-twenty-yoy",
        "fifty-twenty-no-previous",
        "team-trips",
        "team-leads",
        "principal-trips-yoy",
        "principal-trips-no-previous",
        "event-signings-none",
        "new-started-yoy",
        "new-started-no-previous",
        "emerging-share-yoy",
        "emerging-share-no-previous",
        "chain-completeness",
        "signed-100m",
        "foreign-funds",
        "no-province-sheet",
    ],
)
def test_whole_year(with_previous, section, expected, whole_year):
    assert whole_year[with_previous][section] == expected


def test_whole_year_by_county(whole_year):
    by_county = whole_year[True]["by_county"]
    assert by_county["瑞昌市"]["outside_province_projects_funds"] == 1352.91
    assert by_county["彭泽县"]["foreign_funds_funds"] == 1.23
    # every new_started_100m project is in 濂溪区 (the default county of P)
    assert by_county["濂溪区"]["new_started_100m_count"] == 4
    assert sum(unit["fifty_twenty_applied_count"] for unit in by_county.values()) == 4


@pytest.mark.parametrize(
    "amount_wan, expected",
    [(26_750.0, 2.68), (26_749.0, 2.67), (13_529_100.0, 1352.91), (0.0, 0.0), (-26_750.0, -2.68)],
    ids=["half-up", "below-half", "published", "zero", "negative"],
)
def test_to_yi_rounds_half_up(amount_wan, expected):
    # 2.675 亿 is 2.68 as the city rounds (Python's round(2.675, 2) gives 2.67)
    assert ind.to_yi(amount_wan) == expected


def test_comparison_with_an_earlier_year_than_the_previous_one(reference):
    # compare_year may be two years back: year-on-year figures use the comparison ledger's own year
    def trip(day):
        return {"departed_on": day, "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True}

    def started(day):
        return {"total_investment": 20_000.0, "recognized_on": day, "started_on": day, "source": "省外", "county": "瑞昌市",
                "industry": "新材料", "funds_year": 100.0}

    current = tb.clean_year(2022, trips=tb.trips(trip("2022-03-01"), trip("2022-04-01"), trip("2022-05-01")),
                            projects=tb.projects(started("2022-03-01"), started("2022-04-01")))
    earlier = tb.clean_year(2020, trips=tb.trips(trip("2020-03-01")), projects=tb.projects(started("2020-06-01")))
    metrics = compute_metrics(current, earlier, reference)
    assert metrics["principal_trips"]["county_count_yoy_change"] == 2  # 3 − 1, not 3 − 0 (no 2021 trips in a 2020 ledger)
    assert metrics["new_started_100m"]["count_yoy_change"] == 1  # 2 − 1
    assert metrics["emerging_share"]["previous_share_pct"] == 100.0


def test_an_absent_sheet_is_not_available_not_zero(reference):
    year = tb.clean_year(2022, absent=("trips", "leads"))
    metrics = compute_metrics(year, None, reference)
    assert metrics["team_trips"] == {"count": None}
    assert set(metrics["team_leads"].values()) == {None}
    assert set(metrics["principal_trips"].values()) == {None}
    present = compute_metrics(tb.clean_year(2022), None, reference)  # sheets there but empty: real zeros
    assert present["team_trips"] == {"count": 0} and present["principal_trips"]["county_count"] == 0


def test_previous_year_without_trip_sheet_gives_no_trip_change(reference):
    trip = {"departed_on": "2022-03-01", "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True}
    metrics = compute_metrics(tb.clean_year(2022, trips=tb.trips(trip)), tb.clean_year(2021, absent=("trips",)), reference)
    assert metrics["principal_trips"]["county_count"] == 1
    assert metrics["principal_trips"]["county_count_yoy_change"] is None


def test_campaign_a_signed_status_without_a_date_is_no_in_talks_reserve(reference):
    projects = tb.projects(
        P(total=500_000.0, entered_on="2022-01-01", status="已签约"),  # signed, date missing: timing unknown
        P(total=500_000.0, entered_on="2022-01-01", signed_on="2022-03-01", status="已开工"),  # started, date missing
        P(total=500_000.0, entered_on="2022-01-01", status="在谈"),  # really in talks
    )
    result = ind.campaign(projects, reference, *WINDOW)
    assert result["in_talks_at_end_by_tier"]["tier_50"] == 1
    assert result["signed_not_started_at_end"]["tier_50"] == 0
