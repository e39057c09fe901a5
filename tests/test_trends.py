"""Multi-year trends (helpers.indicators.trends) on the shipped sample years.

The trend is a view of figures computed elsewhere: each year's city row must equal that year's
compute_metrics, each unit's row its row of the year's county breakdown; the ranks follow the
values; unknown names are input errors with the closest names.
"""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.errors import UsageError
from helpers.indicators.definitions import to_yi
from helpers.indicators.metrics import compute_metrics, county_breakdown
from helpers.indicators.trends import county_ranks, indicator_trend, unit_name
from helpers.ingest.cache import load_year
from helpers.paths import available_years, default_data_dir

KEYS = ["outside_province_projects.count", "outside_province_projects.funds", "outside_province_projects.funds_yoy_pct"]
YEARS = available_years(default_data_dir())


def test_the_sample_has_four_years():
    assert YEARS == [2020, 2021, 2022, 2023]


def test_the_city_trend_is_every_years_own_figures(reference):
    trend = indicator_trend(KEYS, default_data_dir(), reference)
    assert trend["year"].tolist() == YEARS
    for row in trend.to_dict("records"):
        year = row["year"]
        previous = load_year(year - 1, default_data_dir(), reference) if year - 1 in YEARS else None
        metrics = compute_metrics(load_year(year, default_data_dir(), reference), previous, reference)
        assert row["outside_province_projects.count"] == metrics["outside_province_projects"]["count"]
        # amounts in 万元, as every semantic table: the figure of the year's metrics (亿元) exactly
        assert to_yi(row["outside_province_projects.funds"]) == metrics["outside_province_projects"]["funds"]
    # the first year has no previous ledger: its YoY is unknown, never 0
    assert pd.isna(trend.loc[0, "outside_province_projects.funds_yoy_pct"])
    assert trend.loc[2, "outside_province_projects.funds_yoy_pct"] == pytest.approx(9.26, abs=0.005)
    assert trend.loc[2, "outside_province_projects.funds"] == 13_529_100.0  # 1352.91亿元


def test_the_city_and_its_units_share_one_unit(reference):
    """The city's funds (万元) are the sum of its units' funds (万元), up to the 亿元 rounding."""
    city = indicator_trend("outside_province_projects.funds", default_data_dir(), reference, years=[2022])
    units = [
        indicator_trend("outside_province_projects.funds", default_data_dir(), reference, county=name, years=[2022])
        for name in reference.units["name"]
    ]
    total = sum(float(unit.loc[0, "outside_province_projects.funds"]) for unit in units)
    assert abs(city.loc[0, "outside_province_projects.funds"] - total) <= 50


@pytest.mark.parametrize("name", ["修水县", "修水"])
def test_a_units_trend_is_its_row_of_every_years_breakdown(reference, name):
    trend = indicator_trend(KEYS[:2], default_data_dir(), reference, county=name)
    assert trend["year"].tolist() == YEARS
    for row in trend.to_dict("records"):
        projects = load_year(row["year"], default_data_dir(), reference).tables["projects"]
        breakdown = county_breakdown(projects, reference, row["year"]).set_index("county")
        assert row["outside_province_projects.count"] == breakdown.loc["修水县", "outside_province_projects.count"]
        assert row["outside_province_projects.funds"] == breakdown.loc["修水县", "outside_province_projects.funds"]
    assert trend["outside_province_projects.count"].tolist() == [15, 32, 26, 36]


def test_ranks_follow_the_values(reference):
    ranks = county_ranks("outside_province_projects.funds", default_data_dir(), reference, years=[2022])
    assert ranks["county"].tolist() == list(reference.units["name"])
    projects = load_year(2022, default_data_dir(), reference).tables["projects"]
    values = county_breakdown(projects, reference, 2022).set_index("county")["outside_province_projects.funds"]
    best = values.idxmax()
    assert ranks.set_index("county").loc[best, 2022] == 1
    assert sorted(ranks[2022].tolist()) == list(range(1, len(values) + 1))  # no ties in the sample


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda r: indicator_trend("outside_province_projects.fund", default_data_dir(), r), "outside_province_projects.funds"),
        (lambda r: indicator_trend(KEYS[:1], default_data_dir(), r, county="修水镇"), "修水县"),
        (lambda r: indicator_trend("team_trips.count", default_data_dir(), r, county="修水县"), "没有分县"),
        (lambda r: indicator_trend(KEYS[:1], default_data_dir(), r, years=[2019]), "2019"),
        (lambda r: unit_name("瑞常市", r), "瑞昌市"),
        (lambda r: unit_name("九江市", r), "九江市 是全市，不是县（市、区）"),  # not 九江县 without its suffix
        (lambda r: unit_name("九江", r), "九江 是全市"),
    ],
)
def test_unknown_names_are_input_errors_with_the_closest(reference, call, message):
    with pytest.raises(UsageError, match=message):
        call(reference)


@pytest.mark.parametrize(("name", "unit"), [("九江县", "柴桑区"), ("柴桑", "柴桑区"), ("修水", "修水县"), (" 共青城 ", "共青城市")])
def test_a_units_name_or_alias_is_its_canonical_name(reference, name, unit):
    assert unit_name(name, reference) == unit
