"""The review's tables as readers get them: Chinese names, numbers as numbers, real dates, grids."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
import pytest
from conftest import DATA_DIR, REFERENCE_DIR

from helpers.indicators.definitions import to_yi
from helpers.products import annual_review as rv
from helpers.products.metric_labels import metric_label, sum_label
from helpers.reference import load_reference


@pytest.fixture(scope="module")
def review_2022() -> rv.Review:
    return rv.build_review(2022, DATA_DIR, REFERENCE_DIR)


def test_reconciliation_in_chinese_with_numbers(review_2022):
    table = rv.reconciliation_table(review_2022)
    assert list(table.columns) == ["指标", "单位", "公开发布", "本工具计算", "差异", "比较方式", "是否一致"]
    assert len(table) == 61 and set(table["是否一致"]) == {"一致"}
    assert not table["指标"].str.contains(r"[a-z_]{3,}|/").any()  # no machine key left
    rows = table.set_index("指标")
    first = rows.loc["市外2000万元以上项目个数"]
    assert (first["单位"], first["公开发布"], first["本工具计算"], first["差异"]) == ("个", 528, 528, 0)
    assert isinstance(first["公开发布"], int) and isinstance(first["本工具计算"], int)
    funds = rows.loc["省外2000万元以上项目实际进资"]
    assert (funds["单位"], funds["本工具计算"]) == ("亿元", 1352.91)
    rounded = rows.loc["“50·20”单个项目平均投资同比增长"]
    assert (rounded["单位"], rounded["公开发布"], rounded["本工具计算"], rounded["差异"], rounded["比较方式"]) == ("%", 17, 16.98, 0, "四舍五入取整")
    assert rows.loc["攻坚行动期间瑞昌市签约“100”项目", "本工具计算"] == 1
    assert rows.loc["瑞昌市LED产业链完整度", "本工具计算"] == 92.86
    total = rows.loc["2022庐山全球商界领袖大会、庐山院士创新论坛、九江市政协智库高峰论坛签约金额合计"]
    assert (total["单位"], total["公开发布"], total["本工具计算"]) == ("亿元", 1966.5, 1966.5)


def test_reconciliation_flags_a_difference(review_2022):
    published = {**review_2022.published, "team_trips": {"count": 200}}
    table = rv.reconciliation_table(rv.Review(**{**review_2022.__dict__, "published": published}))
    row = table.set_index("指标").loc["产业链招商小分队外出招商"]
    assert (row["公开发布"], row["本工具计算"], row["差异"], row["是否一致"]) == (200, 202, 2, "⚠ 不一致")


def test_metric_names_come_from_the_reference_folder(tmp_path, reference):
    """Names are data: a city's own indicator registry wins; thresholds fill the placeholders."""
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    registry = (folder / "indicators.csv").read_text(encoding="utf-8")
    (folder / "indicators.csv").write_text(registry.replace("team_trips.count,产业链招商小分队外出招商,", "team_trips.count,小分队出访,"), encoding="utf-8")
    thresholds = (folder / "thresholds.yaml").read_text(encoding="utf-8").replace("outside_projects_min: 0.2", "outside_projects_min: 0.5")
    (folder / "thresholds.yaml").write_text(thresholds, encoding="utf-8")
    other = load_reference(folder)
    assert metric_label("team_trips/count", other) == ("小分队出访", "次")
    assert metric_label("team_leads/新指标", other) == ("team_leads·新指标", "")  # built from the key, not lost
    assert metric_label("outside_province_projects/funds_rank", reference)[0] == "省外2000万元以上项目实际进资全省排名"
    (folder / "metric_names.csv").unlink()  # a folder without the words table uses the project's
    assert metric_label("outside_province_projects/funds_rank", load_reference(folder))[0] == "省外5000万元以上项目实际进资全省排名"
    assert metric_label("campaign/by_county/瑞昌市/signed_tier_100", load_reference(folder))[0] == "攻坚行动期间瑞昌市签约“100”项目"
    assert sum_label(["event_signings/甲/count", "team_trips/count"], reference) == ("甲签约项目、产业链招商小分队外出招商合计", "")


def test_monthly_funds_as_a_month_by_year_grid(review_2022):
    grid = rv.monthly_funds_grid(review_2022)
    assert list(grid.columns) == ["月份", "2021年累计进资（亿元）", "2022年累计进资（亿元）", "同比（%）"]
    assert grid["月份"].tolist() == [f"{m}月" for m in range(1, 13)]
    long = rv.monthly_funds_table(review_2022)
    december = long[(long["月份"] == 12) & (long["年度"] == "2022年")]["累计进资（亿元）"].item()
    # December is every monthly amount of the year (the sample gives every project its months)
    assert grid.iloc[11]["2022年累计进资（亿元）"] == december == to_yi(review_2022.current.tables["monthly_funds"]["funds"].sum()) == 2819.25
    assert (grid.iloc[0]["2021年累计进资（亿元）"], grid.iloc[0]["2022年累计进资（亿元）"], grid.iloc[0]["同比（%）"]) == (181.59, 166.31, -8.41)


def test_dates_are_dates_and_run_information_has_chinese_labels(review_2022):
    events = rv.events_table(review_2022)
    assert events.iloc[0]["日期"] == dt.date(2022, 5, 19)
    assert all(isinstance(d, dt.date) for d in rv.fifty_twenty_projects(review_2022)["申报日期"])
    provenance = rv.provenance_table(review_2022, {"year": 2022, "campaign_start": ""})
    assert provenance.iloc[0].tolist() == ["参数", "分析年度（year）", "2022"]
    assert provenance.iloc[1].tolist() == ["参数", "攻坚行动开始日期（campaign_start）", "—"]


def test_trend_tables_hold_every_years_own_headline(review_2022):
    """历年主要指标: each year's column is that year's own headline (its review's 本年 column)."""
    trend = rv.headline_trend_table(review_2022)
    assert list(trend.columns) == ["指标", "单位", "2020年", "2021年", "2022年"]
    for year in (2020, 2021, 2022):
        own = rv.headline_table(rv.build_review(year, DATA_DIR, REFERENCE_DIR))
        assert trend[f"{year}年"].tolist() == own[f"{year}年"].tolist()
        assert trend["指标"].tolist() == own["指标"].tolist()
    row = trend.set_index("指标").loc["省外2000万元以上项目实际进资"]
    assert (row["单位"], row["2020年"], row["2021年"], row["2022年"]) == ("亿元", 1095.0, 1238.25, 1352.91)
    assert isinstance(trend.set_index("指标").loc["新签约亿元以上项目", "2022年"], int)


def test_county_rank_trend_follows_each_years_county_table(review_2022):
    assert rv.ranked_trend_keys(review_2022) == ["outside_province_projects.funds", "foreign_funds.funds"]
    ranks = rv.county_rank_trend_table(review_2022, "outside_province_projects.funds").set_index("县（市、区）")
    assert list(ranks.columns) == ["2020年", "2021年", "2022年"]
    for year in (2020, 2021, 2022):
        funds = rv.county_table(rv.build_review(year, DATA_DIR, REFERENCE_DIR)).set_index("县（市、区）")
        funds = funds.drop(index="全市合计")["省外2000万元以上项目实际进资（亿元）"]
        assert ranks.loc[funds.idxmax(), f"{year}年"] == 1
    assert ranks.loc["九江经济技术开发区"].tolist() == [15, 7, 1]
    sheets = rv.report_tables(review_2022)
    assert "历年主要指标" in sheets and "历年排名·境外资金实际进资" in sheets


def test_trend_charts_name_every_year(review_2022):
    from helpers.viz import charts

    texts = [charts.figure_text(rv.headline_trend_chart(review_2022))]
    texts += [charts.figure_text(rv.county_rank_chart(review_2022, key)) for key in rv.ranked_trend_keys(review_2022)]
    for text in texts:
        assert all(f"{year}年" in text for year in (2020, 2021, 2022)) and "2023年" not in text
    assert "省外2000万元以上项目实际进资（亿元） | 2020年 | 2021年 | 2022年 | 1,095.00 | 1,238.25 | 1,352.91" in texts[0]


def test_province_table_units_come_from_the_registry(review_2022):
    """实际利用外资 is a dollar figure (亿美元); it was labelled 亿元 when units were typed by kind."""
    table = rv.province_table(review_2022).set_index("指标")
    assert table.loc["实际利用外资", "单位"] == "亿美元"
    assert table.loc["实际利用外资", "本市（台账计算）"] == pytest.approx(3.75)
    assert table.loc["省外2000万元以上项目实际进资", "单位"] == "亿元"
    assert table.loc["省外2000万元以上项目个数", "单位"] == "个"


@pytest.mark.parametrize(
    "year, options, reused",
    [
        (2022, {}, [2022]),  # 2021 is compared with 2020 in its trend, with nothing in the review
        (2021, {}, [2020, 2021]),  # 2020 has no year before it: the review's comparison figures are its trend figures
        (2022, {"compare_year": 2020}, [2020]),  # 2022 compared with 2020 is not its trend figure; 2020's own is
        (2022, {"campaign_start": "2022-03-01", "campaign_end": "2022-04-30"}, []),  # a window of the parameters
    ],
    ids=["default", "first-comparison-year", "other-compare-year", "campaign-window"],
)
def test_the_trend_reuses_only_the_reviews_figures_that_are_the_trends(year, options, reused):
    """The trend's figures of a year are that year's own review's; what the review already holds
    is reused only where it is exactly that, and the trend is the one computed from scratch."""
    from helpers.indicators.trends import indicator_trend

    review = rv.build_review(year, DATA_DIR, REFERENCE_DIR, **options)
    assert sorted(rv._computed_metrics(review)) == reused
    keys = [spec.key for spec in review.reference.headline_indicators()]
    fresh = indicator_trend(keys, DATA_DIR, review.reference, years=rv.trend_years(review))
    pd.testing.assert_frame_equal(rv.headline_trend(review), fresh, check_exact=True)
