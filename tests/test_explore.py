"""The explore notebook's cookbook builders: reference order, totals, definitions, real values."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import DATA_DIR, REFERENCE_DIR

from helpers.indicators.metrics import compute_metrics
from helpers.products import explore


@pytest.fixture(scope="module")
def years():
    return explore.open_year(2022, DATA_DIR, REFERENCE_DIR), explore.open_previous_year(2022, DATA_DIR, REFERENCE_DIR)


def _tiny() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["a", "b", "c", "d"],
            "name": ["甲", "乙", "丙", "丁"],
            "county": ["瑞昌市", "濂溪区", "瑞昌市", "修水县"],
            "industry": ["其他", "新能源", "电子信息", "新能源"],
            "source": ["省外", "境外", "省外", "省内市外"],
            "status": ["已投产", "在谈", "已签约", "已签约"],
            "total_investment": [50_000.0, 150_000.0, 100_000.0, 99_999.0],
            "funds_year": [12_345.0, 0.0, 10_000.0, 5_000.0],
        }
    )


def test_funds_pivot_in_reference_order_with_a_total(reference):
    table = explore.funds_pivot(_tiny(), reference, "county")
    assert table["county"].tolist() == ["濂溪区", "修水县", "瑞昌市", "合计"]  # units.csv order, not by size
    assert table["funds_year"].tolist() == [0.0, 5_000.0, 22_345.0, 27_345.0]
    shown = explore.present_pivot(table, reference)
    assert list(shown.columns) == ["县（市、区）", "本年实际进资（亿元）"]
    assert shown["本年实际进资（亿元）"].tolist() == [0.0, 0.5, 2.23, 2.73]  # 2.2345 → 2.23, total summed in 万元


def test_two_dimensional_pivot_columns_in_reference_order(reference):
    table = explore.funds_pivot(_tiny(), reference, "industry", "source")
    assert list(table.columns) == ["industry", "省内市外", "省外", "境外", "funds_year"]  # categories.yaml order
    assert table["industry"].tolist() == ["电子信息", "新能源", "其他", "合计"]  # industries.csv order
    shown = explore.present_pivot(table, reference).set_index("产业类别")
    assert shown.loc["合计"].tolist() == [0.5, 2.23, 0.0, 2.73]


def test_status_pivot_in_lifecycle_order(reference, years):
    tiny = explore.present_pivot(explore.status_pivot(_tiny(), reference), reference, "个")
    assert list(tiny.columns) == ["县（市、区）", "在谈（个）", "已签约（个）", "已投产（个）", "项目数（个）"]
    assert tiny.iloc[-1].tolist() == ["合计", 1, 2, 1, 4]
    projects = years[0].tables["projects"]
    sample = explore.status_pivot(projects, reference).set_index("county")
    assert [c for c in sample.columns if c != "count"] == ["在谈", "已签约", "已开工", "已投产", "已终止"]
    assert sample.loc["合计", "count"] == len(projects) == 1243
    assert sample.loc["永修县"].tolist() == [4, 46, 41, 30, 1, 122]


def test_funds_comparison_and_the_question_of_the_most_signings(reference, years):
    current, previous = years
    table = explore.funds_comparison(current.tables["projects"], previous.tables["projects"], reference).set_index("county")
    total = table.loc["合计"]
    assert total["funds_year"] == current.tables["projects"]["funds_year"].sum()
    assert total["funds_previous"] == previous.tables["projects"]["funds_year"].sum()
    assert total["funds_change"] == pytest.approx(total["funds_year"] - total["funds_previous"])
    leader = explore.most_signed_100m(current, previous, reference)
    assert leader[["county", "signed_100m.count"]].to_dict("records") == [{"county": "永修县", "signed_100m.count": 61}]
    shown = explore.present(leader, reference).iloc[0]
    assert (shown["上年实际进资（亿元）"], shown["本年实际进资（亿元）"], shown["同比（%）"]) == (161.23, 441.35, 173.73)
    # the count is the headline's definition: the city's figure is the sum of the units'
    city = compute_metrics(current, previous, reference)["signed_100m"]["count"]
    breakdown = explore.county_breakdown(current.tables["projects"], reference, 2022)
    assert breakdown["signed_100m.count"].sum() == city


def test_without_a_previous_year_the_comparison_is_unknown_not_zero(reference):
    table = explore.funds_comparison(_tiny(), None, reference)
    assert table["funds_previous"].isna().all() and table["yoy_pct"].isna().all()


def test_large_projects_take_the_threshold_from_the_reference(reference, years):
    assert explore.size_threshold(reference, "big_started_bands") == 100_000.0
    tiny = explore.large_projects(_tiny(), reference, "新能源", "big_started_bands")
    assert tiny["project_id"].tolist() == ["b"]  # 99,999万元 is below 10亿元
    sample = explore.large_projects(years[0].tables["projects"], reference, "新能源", "big_started_bands")
    assert len(sample) == 24 and (sample["total_investment"] >= 100_000).all()
    assert sample["total_investment"].is_monotonic_decreasing
    assert list(explore.present(sample, reference).columns)[4:] == ["项目状态", "总投资（亿元）", "本年实际进资（亿元）"]
    assert "10亿元以上" in explore.large_projects_caption(reference, "新能源", "big_started_bands")


def test_captions_state_the_definition(reference):
    caption = explore.funds_caption(reference, 2022, "county")
    assert "全部项目" in caption and "省外2000万元以上项目实际进资" in caption


def test_pivot_chart_leaves_the_total_out(reference):
    from helpers.viz.charts import figure_text

    shown = explore.present_pivot(explore.funds_pivot(_tiny(), reference, "county"), reference)
    text = figure_text(explore.pivot_chart(shown, "各县"))
    assert "瑞昌市" in text and "合计" not in text and "2.23" in text


def test_rows_the_reference_does_not_order_come_largest_first(reference, years):
    table = explore.origin_pivot(years[0].tables["projects"], reference)
    assert table["origin_region"].tolist()[:3] == ["浙江省", "广东省", "江苏省"] and table["origin_region"].iloc[-1] == "合计"
    assert explore.to_yi(table["funds_year"].iloc[-1]) == 1353.39  # the 省外 column's total of the county × source pivot
