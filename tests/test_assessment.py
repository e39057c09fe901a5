"""County assessment (docs/domain.md §5), table-driven with hand-computed scores.

Efficacy coefficient: score = 60 + 40 × (x − min) / (max − min) over the units that have a
target (all 100 when max = min); total = Σ weight × score / Σ weight of the scored indicators;
rank 1 = highest, ties share the smaller rank. Weights (assessment_weights.csv):
省外2000万元以上项目实际进资 30, 境外资金实际进资 30, 新签约亿元以上项目个数 10,
省外2000万元以上项目个数 10, 新认定省外亿元以上项目个数 10, 新认定省外亿元以上项目实际进资 10.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
import tables_builder as tb

from helpers.indicators.assessment import county_assessment, efficacy_scores, shared_rank
from helpers.indicators.metrics import county_breakdown

NAN = float("nan")

FUNDS = "省外2000万元以上项目实际进资"  # outside_province_projects.funds, w 30
FOREIGN = "境外资金实际进资"  # foreign_funds.funds, w 30
SIGNED = "新签约亿元以上项目个数"  # signed_100m.count, w 10
COUNT = "省外2000万元以上项目个数"  # outside_province_projects.count, w 10
NEW_COUNT = "新认定省外亿元以上项目个数"  # outside_province_new_100m.count, w 10
NEW_FUNDS = "新认定省外亿元以上项目实际进资"  # outside_province_new_100m.funds, w 10
KEYS = {
    FUNDS: "outside_province_projects.funds",
    FOREIGN: "foreign_funds.funds",
    SIGNED: "signed_100m.count",
    COUNT: "outside_province_projects.count",
    NEW_COUNT: "outside_province_new_100m.count",
    NEW_FUNDS: "outside_province_new_100m.funds",
}


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def breakdown(actuals: dict[str, dict[str, float]]) -> pd.DataFrame:
    """{county: {indicator name: actual}} → a county_breakdown-shaped frame (missing actuals 0)."""
    rows = [{"county": county, **{key: float(values.get(name, 0.0)) for name, key in KEYS.items()}} for county, values in actuals.items()]
    return pd.DataFrame(rows)


def targets(values: dict[str, dict[str, float]]) -> pd.DataFrame:
    """{county: {indicator name: target}} → a clean 目标任务 table."""
    return tb.targets(*({"county": c, "indicator": i, "target": t} for c, row in values.items() for i, t in row.items()))


# ---------------------------------------------------------------------------------------------
# efficacy_scores and shared_rank.


@pytest.mark.parametrize(
    "values, expected",
    [
        ([0.5, 1.0, 1.5], [60.0, 80.0, 100.0]),
        ([0.0, 0.3, 1.2], [60.0, 70.0, 100.0]),  # 60 + 40 × 0.3 / 1.2 = 70
        ([0.0, 1.0, 3.0], [60.0, 73.33, 100.0]),  # 60 + 40 / 3 = 73.333…
        ([1.0, 1.0], [100.0, 100.0]),  # max = min → all 100
        ([0.7], [100.0]),  # a single unit → max = min
        ([2.0, NAN, 1.0], [100.0, NAN, 60.0]),  # missing stays missing, not part of min / max
        ([NAN, 0.4, NAN, 0.4], [NAN, 100.0, NAN, 100.0]),  # max = min among the present ones
        ([NAN, NAN], [NAN, NAN]),
    ],
    ids=["spread", "fraction", "thirds", "max-equals-min", "single", "with-missing", "equal-with-missing", "all-missing"],
)
def test_efficacy_scores(values, expected):
    result = efficacy_scores(pd.Series(values)).tolist()
    assert all(same(float(a), b) for a, b in zip(result, expected, strict=True)) and len(result) == len(expected)


@pytest.mark.parametrize(
    "values, expected",
    [
        ([90.0, 95.0, 95.0, 80.0], [3, 1, 1, 4]),  # tie for the top shares rank 1, next is 3
        ([70.0, 70.0, 70.0], [1, 1, 1]),
        ([NAN, 70.0, 80.0], [3, 2, 1]),  # missing ranks last
        ([NAN, 70.0, NAN], [2, 1, 2]),  # missing ones share the last rank
    ],
    ids=["tie-at-top", "all-tied", "missing-last", "missing-tied"],
)
def test_shared_rank(values, expected):
    assert shared_rank(pd.Series(values)).tolist() == expected


# ---------------------------------------------------------------------------------------------
# The main hand-computed case: three scored units and one without any target.
#
# indicator (w)       濂溪区          浔阳区          柴桑区          → completion        → score
# FUNDS (30)          5000/10000      10000/10000     3000/2000       0.5 / 1.0 / 1.5      60 / 80 / 100
# FOREIGN (30)        100/100         100/100         0/100           1 / 1 / 0            100 / 100 / 60
# SIGNED (10)         2/2             2/2             2/2             1 / 1 / 1            100 / 100 / 100 (max = min)
# COUNT (10)          3/3             1/2             3/—             1 / 0.5 / —          100 / 60 / —
# NEW_COUNT (10)      1/0             1/—             1/—             — (target 0 = none)  — / — / —
# NEW_FUNDS (10)      0/1000          500/1000        1000/1000       0 / 0.5 / 1          60 / 80 / 100
# 武宁县: actuals but no target at all → no score, no total, last.
#
# totals: 濂溪区 (60×30 + 100×30 + 100×10 + 100×10 + 60×10) / 90 = 7400 / 90 = 82.22
#         浔阳区 (80×30 + 100×30 + 100×10 + 60×10 + 80×10) / 90 = 7800 / 90 = 86.67
#         柴桑区 (100×30 + 60×30 + 100×10 + 100×10) / 80 = 6800 / 80 = 85.00 (COUNT has no target there)

ACTUALS = {
    "濂溪区": {FUNDS: 5_000, FOREIGN: 100, SIGNED: 2, COUNT: 3, NEW_COUNT: 1, NEW_FUNDS: 0},
    "浔阳区": {FUNDS: 10_000, FOREIGN: 100, SIGNED: 2, COUNT: 1, NEW_COUNT: 1, NEW_FUNDS: 500},
    "柴桑区": {FUNDS: 3_000, FOREIGN: 0, SIGNED: 2, COUNT: 3, NEW_COUNT: 1, NEW_FUNDS: 1_000},
    "武宁县": {FUNDS: 9_000, FOREIGN: 900, SIGNED: 9, COUNT: 9, NEW_COUNT: 9, NEW_FUNDS: 9_000},
}
TARGETS = {
    "濂溪区": {FUNDS: 10_000, FOREIGN: 100, SIGNED: 2, COUNT: 3, NEW_COUNT: 0, NEW_FUNDS: 1_000},
    "浔阳区": {FUNDS: 10_000, FOREIGN: 100, SIGNED: 2, COUNT: 2, NEW_FUNDS: 1_000},
    "柴桑区": {FUNDS: 2_000, FOREIGN: 100, SIGNED: 2, NEW_FUNDS: 1_000},
}


@pytest.fixture(scope="module")
def assessed(reference):
    return county_assessment(breakdown(ACTUALS), targets(TARGETS), reference)


def test_order_and_ranks(assessed):
    assert assessed["county"].tolist() == ["浔阳区", "柴桑区", "濂溪区", "武宁县"]
    assert assessed["rank"].tolist() == [1, 2, 3, 4]


def test_columns(assessed, reference):
    per_indicator = [f"{name}|{part}" for name in reference.weights["indicator"] for part in ("actual", "target", "completion_pct", "score")]
    assert list(assessed.columns) == ["county", *per_indicator, "total_score", "rank"]


@pytest.mark.parametrize(
    "county, column, expected",
    [
        ("濂溪区", "total_score", 82.22),
        ("浔阳区", "total_score", 86.67),
        ("柴桑区", "total_score", 85.0),
        ("武宁县", "total_score", NAN),  # no target at all
        ("濂溪区", f"{FUNDS}|actual", 5_000.0),
        ("濂溪区", f"{FUNDS}|target", 10_000.0),
        ("濂溪区", f"{FUNDS}|completion_pct", 50.0),
        ("柴桑区", f"{FUNDS}|completion_pct", 150.0),
        ("濂溪区", f"{FUNDS}|score", 60.0),
        ("浔阳区", f"{FUNDS}|score", 80.0),
        ("柴桑区", f"{FUNDS}|score", 100.0),
        ("柴桑区", f"{FOREIGN}|score", 60.0),
        ("浔阳区", f"{FOREIGN}|score", 100.0),
        ("濂溪区", f"{SIGNED}|score", 100.0),  # max = min → 100
        ("柴桑区", f"{SIGNED}|score", 100.0),
        ("浔阳区", f"{COUNT}|completion_pct", 50.0),
        ("浔阳区", f"{COUNT}|score", 60.0),
        ("柴桑区", f"{COUNT}|target", NAN),  # a unit without a target for this indicator
        ("柴桑区", f"{COUNT}|completion_pct", NAN),
        ("柴桑区", f"{COUNT}|score", NAN),
        ("濂溪区", f"{NEW_COUNT}|target", 0.0),
        ("濂溪区", f"{NEW_COUNT}|completion_pct", NAN),  # target 0 → no completion rate
        ("濂溪区", f"{NEW_COUNT}|score", NAN),
        ("浔阳区", f"{NEW_FUNDS}|score", 80.0),
        ("武宁县", f"{FUNDS}|actual", 9_000.0),
        ("武宁县", f"{FUNDS}|score", NAN),  # its high actual does not move the others' min / max
    ],
    ids=lambda v: str(v),
)
def test_values(county, column, expected, assessed):
    assert same(float(assessed.set_index("county").at[county, column]), expected)


# ---------------------------------------------------------------------------------------------
# Ties, max = min, weights as data.


@pytest.mark.parametrize(
    "actuals, target_values, totals, ranks",
    [
        (
            # only FUNDS has targets: 1.0, 1.0, 0.5 → 100, 100, 60; the tie shares rank 1, next is 3
            {"濂溪区": {FUNDS: 100}, "浔阳区": {FUNDS: 100}, "柴桑区": {FUNDS: 50}},
            {"濂溪区": {FUNDS: 100}, "浔阳区": {FUNDS: 100}, "柴桑区": {FUNDS: 100}},
            {"濂溪区": 100.0, "浔阳区": 100.0, "柴桑区": 60.0},
            {"濂溪区": 1, "浔阳区": 1, "柴桑区": 3},
        ),
        (
            # every indicator with a target has the same completion everywhere → max = min → all 100
            {"濂溪区": {FUNDS: 50, FOREIGN: 400}, "浔阳区": {FUNDS: 100, FOREIGN: 200}, "柴桑区": {FUNDS: 5, FOREIGN: 20}},
            {"濂溪区": {FUNDS: 100, FOREIGN: 200}, "浔阳区": {FUNDS: 200, FOREIGN: 100}, "柴桑区": {FUNDS: 10, FOREIGN: 10}},
            {"濂溪区": 100.0, "浔阳区": 100.0, "柴桑区": 100.0},
            {"濂溪区": 1, "浔阳区": 1, "柴桑区": 1},
        ),
        (
            # a single unit with a target → 100; the others have no total and share the last rank
            {"濂溪区": {FUNDS: 1}, "浔阳区": {FUNDS: 100}, "柴桑区": {FUNDS: 100}},
            {"濂溪区": {FUNDS: 100}},
            {"濂溪区": 100.0, "浔阳区": NAN, "柴桑区": NAN},
            {"濂溪区": 1, "浔阳区": 2, "柴桑区": 2},
        ),
        (
            # no targets at all → nobody is scored
            {"濂溪区": {FUNDS: 1}, "浔阳区": {FUNDS: 2}},
            {},
            {"濂溪区": NAN, "浔阳区": NAN},
            {"濂溪区": 1, "浔阳区": 1},
        ),
    ],
    ids=["tie", "max-equals-min-all-100", "single-unit-with-target", "no-targets"],
)
def test_totals_and_ranks(actuals, target_values, totals, ranks, reference):
    result = county_assessment(breakdown(actuals), targets(target_values), reference).set_index("county")
    assert all(same(float(result.at[c, "total_score"]), t) for c, t in totals.items())
    assert result["rank"].to_dict() == ranks


def test_weights_are_data(reference):
    # Only FOREIGN weighs (100): the totals are the FOREIGN scores alone, whatever FUNDS says.
    # FOREIGN completions 0.2 / 0.6 / 1.0 → 60 / 80 / 100; FUNDS would rank them the other way round.
    weights = pd.DataFrame({"indicator": [FOREIGN], "weight": [100]})
    only_foreign = dataclasses.replace(reference, weights=weights)
    actuals = {"濂溪区": {FUNDS: 300, FOREIGN: 20}, "浔阳区": {FUNDS: 200, FOREIGN: 60}, "柴桑区": {FUNDS: 100, FOREIGN: 100}}
    plan = {c: {FUNDS: 100, FOREIGN: 100} for c in actuals}
    result = county_assessment(breakdown(actuals), targets(plan), only_foreign)
    assert [c for c in result.columns if c.endswith("|score")] == [f"{FOREIGN}|score"]
    assert result.set_index("county")["total_score"].to_dict() == {"柴桑区": 100.0, "浔阳区": 80.0, "濂溪区": 60.0}
    assert result["county"].tolist() == ["柴桑区", "浔阳区", "濂溪区"]


# ---------------------------------------------------------------------------------------------
# From projects: county_breakdown (万元) → county_assessment with 万元 targets.


def test_from_projects(reference):
    projects = tb.projects(
        {"source": "省外", "county": "濂溪区", "industry": "其他", "total_investment": 5_000.0, "funds_year": 2_000.0},
        {"source": "省外", "county": "浔阳区", "industry": "其他", "total_investment": 5_000.0, "funds_year": 1_000.0},
    )
    # FUNDS targets 2,000 万 each → completion 1.0 / 0.5 → 100 / 60; no other target anywhere
    plan = tb.targets(
        {"county": "濂溪区", "indicator": FUNDS, "target": 2_000.0},
        {"county": "浔阳区", "indicator": FUNDS, "target": 2_000.0},
    )
    result = county_assessment(county_breakdown(projects, reference, 2022), plan, reference)
    assert len(result) == len(reference.units) == 16  # every unit is listed
    assert result["county"].tolist()[:2] == ["濂溪区", "浔阳区"]
    indexed = result.set_index("county")
    assert indexed.at["濂溪区", f"{FUNDS}|actual"] == 2_000.0
    assert indexed.at["濂溪区", "total_score"] == 100.0
    assert indexed.at["浔阳区", "total_score"] == 60.0
    others = indexed.drop(index=["濂溪区", "浔阳区"])
    assert others["total_score"].isna().all()  # units without a target are not scored …
    assert set(others["rank"]) == {3}  # … and share the last rank
