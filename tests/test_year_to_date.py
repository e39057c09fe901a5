"""Year-to-date figures (January..M), hand-computed: month boundaries, a leap-year February,
monthly funds and whole-year-only funds, the same period last year, targets and 序时进度.

Every expected value below is worked out by hand from the few rows of the test.
"""

from __future__ import annotations

import json
import sys

import pandas as pd
import pytest
import tables_builder as tb
from messy_ledgers import write_one_sheet

from helpers.cli.main import main
from helpers.errors import UsageError
from helpers.indicators import definitions as ind
from helpers.indicators import progress as prg
from helpers.indicators import year_to_date as ytd
from helpers.indicators.metrics import compute_metrics
from helpers.indicators.period import Period
from helpers.ingest.clean import clean_year

Y = 2023
JUNE = Period.year_to_date(Y, 6)


def monthly(*rows: tuple[str, int, float]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["project_id", "month", "funds"])
    return frame.astype({"project_id": "string", "month": "int64", "funds": "float64"})


def year_with(monthly_funds: pd.DataFrame | None = None, year: int = Y, **tables: pd.DataFrame):
    clean = tb.clean_year(year, **tables)
    if monthly_funds is not None:
        clean.tables["monthly_funds"] = monthly_funds
    return clean


# ---------------------------------------------------------------------------------------------
# Dated events: the last day of the month counts, the first day of the next does not.

SIGNINGS = tb.projects(
    {"source": "本市", "county": "瑞昌市", "industry": "其他", "total_investment": 10_000.0, "signed_on": "2023-06-30"},  # counts
    {"source": "本市", "county": "瑞昌市", "industry": "其他", "total_investment": 10_000.0, "signed_on": "2023-07-01"},  # July
    {"source": "本市", "county": "瑞昌市", "industry": "其他", "total_investment": 10_000.0, "signed_on": "2023-01-01"},  # counts
    {"source": "本市", "county": "瑞昌市", "industry": "其他", "total_investment": 10_000.0, "signed_on": "2022-12-31"},  # last year
)


@pytest.mark.parametrize("month, expected", [(6, 2), (7, 3), (12, 3), (1, 1)])
def test_a_signing_counts_through_the_last_day_of_its_month(month, expected, reference):
    metrics = compute_metrics(year_with(projects=SIGNINGS), None, reference, period=Period.year_to_date(Y, month))
    assert metrics["signed_100m"]["count"] == expected


def test_leap_year_february(reference):
    rows = tb.projects(
        {"source": "本市", "county": "瑞昌市", "industry": "其他", "total_investment": 10_000.0, "signed_on": "2024-02-29"},
        {"source": "本市", "county": "瑞昌市", "industry": "其他", "total_investment": 10_000.0, "signed_on": "2024-03-01"},
    )
    assert Period.year_to_date(2024, 2).end == pd.Timestamp("2024-02-29")
    metrics = compute_metrics(year_with(projects=rows, year=2024), None, reference, period=Period.year_to_date(2024, 2))
    assert metrics["signed_100m"]["count"] == 1
    assert Period.year_to_date(2023, 2).end == pd.Timestamp("2023-02-28")


def test_trips_on_the_boundaries(reference):
    trips = tb.trips(
        {"departed_on": "2023-06-30", "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True},
        {"departed_on": "2023-07-01", "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True},
        {"departed_on": "2023-01-01", "unit": "湖口县", "unit_kind": "县（市、区）", "is_principal": True},
    )
    # last year: one principal trip in June 2022 (same period), one in July 2022 (not)
    previous = tb.trips(
        {"departed_on": "2022-06-15", "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True},
        {"departed_on": "2022-07-15", "unit": "瑞昌市", "unit_kind": "县（市、区）", "is_principal": True},
    )
    metrics = compute_metrics(year_with(trips=trips), year_with(trips=previous, year=Y - 1), reference, period=JUNE)
    assert metrics["principal_trips"]["county_count"] == 2
    assert metrics["principal_trips"]["county_count_yoy_change"] == 1  # 2 − 1 (June 2022), not 2 − 2
    assert metrics["principal_trips"]["county_count_yoy_pct"] == 100.0


def test_yoy_compares_with_the_same_months_of_last_year(reference):
    # signed in June 2022 (month M of the previous year): counts in the comparison; one signed in July 2022 does not
    current = tb.projects(
        {"source": "省外", "county": "瑞昌市", "industry": "其他", "total_investment": 10_000.0, "recognized_on": "2023-03-01",
         "started_on": "2023-03-01"},
    )
    previous = tb.projects(
        {"source": "省外", "county": "瑞昌市", "industry": "其他", "total_investment": 10_000.0, "recognized_on": "2022-06-30",
         "started_on": "2022-06-30"},
        {"source": "省外", "county": "瑞昌市", "industry": "其他", "total_investment": 10_000.0, "recognized_on": "2022-07-01",
         "started_on": "2022-07-01"},
    )
    june = compute_metrics(year_with(projects=current), year_with(projects=previous, year=Y - 1), reference, period=JUNE)
    assert june["new_started_100m"]["count"] == 1 and june["new_started_100m"]["count_yoy_change"] == 0  # 1 − 1
    year = compute_metrics(year_with(projects=current), year_with(projects=previous, year=Y - 1), reference)
    assert year["new_started_100m"]["count_yoy_change"] == -1  # 1 − 2


# ---------------------------------------------------------------------------------------------
# Funds: the monthly columns of the period; a whole-year-only project counts in December only.

FUNDED = tb.projects(
    {"project_id": "A", "source": "省外", "county": "瑞昌市", "industry": "其他", "total_investment": 50_000.0, "funds_year": 3_000.0,
     "started_on": "2022-05-01"},
    {"project_id": "B", "source": "省外", "county": "湖口县", "industry": "其他", "total_investment": 50_000.0, "funds_year": 800.0,
     "started_on": "2023-07-10"},
    {"project_id": "C", "source": "省外", "county": "湖口县", "industry": "其他", "total_investment": 50_000.0, "funds_year": 500.0,
     "started_on": "2021-01-01"},  # whole year only: no monthly figures
    {"project_id": "D", "source": "境外", "county": "瑞昌市", "industry": "其他", "total_investment": 50_000.0, "funds_year": 70_467.0,
     "started_on": "2021-01-01"},
)
FUNDED_MONTHS = monthly(("A", 1, 1_000.0), ("A", 6, 500.0), ("A", 7, 1_500.0), ("B", 8, 800.0), ("D", 3, 70_467.0))


@pytest.mark.parametrize(
    "month, count, funds, started",
    [
        (1, 1, 0.1, 1),  # A: 1,000
        (6, 1, 0.15, 1),  # A: 1,000 + 500
        (7, 1, 0.3, 1),  # A: + 1,500 (B started in July but its money comes in August)
        (8, 2, 0.38, 2),  # + B 800
        (11, 2, 0.38, 2),  # C still not split by month
        (12, 3, 0.43, 3),  # the whole year: 本年实际进资 of A + B + C
    ],
)
def test_period_funds_come_from_the_monthly_columns(month, count, funds, started, reference):
    clean = year_with(FUNDED_MONTHS, projects=FUNDED)
    metrics = compute_metrics(clean, None, reference, period=Period.year_to_date(Y, month))
    assert metrics["outside_province_projects"] == {"count": count, "funds": funds, "previous_funds": None, "funds_yoy_pct": None}
    assert metrics["outside_province_started"]["count"] == started


def test_whole_year_only_projects_are_listed(reference):
    listed = ytd.whole_year_only_funds(FUNDED, FUNDED_MONTHS)
    assert listed["project_id"].tolist() == ["C"]


def test_foreign_funds_in_dollars_at_the_years_rate(reference):
    clean = year_with(FUNDED_MONTHS, projects=FUNDED)
    march = compute_metrics(clean, None, reference, period=Period.year_to_date(Y, 3))
    assert march["foreign_funds"]["funds"] == 7.05  # 70,467 万元
    assert march["foreign_funds_usd"] == {"funds": 1.0, "cny_per_usd": 7.0467}  # 70,467 万元 ÷ 7.0467 = 10,000 万美元
    assert compute_metrics(clean, None, reference, period=Period.year_to_date(Y, 2))["foreign_funds_usd"]["funds"] == 0.0


def test_without_a_rate_dollars_are_not_available(reference):
    clean = year_with(FUNDED_MONTHS.assign(), projects=FUNDED, year=2031)
    assert compute_metrics(clean, None, reference)["foreign_funds_usd"] == {"funds": None, "cny_per_usd": None}


def test_leads_by_the_end_of_the_month(reference):
    leads = tb.leads(
        {"found_on": "2022-12-20"},  # found last year, in this year's list: counts from January
        {"found_on": "2023-06-30", "progress": "已签约", "signed_on": "2023-06-30", "signed_amount": 10_000.0},
        {"found_on": "2023-05-01", "progress": "已签约", "signed_on": "2023-07-01", "signed_amount": 20_000.0},  # signed in July
        {"found_on": None},  # undated: the whole year only
    )
    june = ind.team_leads(leads, reference, JUNE)
    assert (june["count"], june["signed"], june["signed_amount"]) == (3, 1, 1.0)
    year = ind.team_leads(leads, reference, Period.whole_year(Y))
    assert (year["count"], year["signed"], year["signed_amount"]) == (4, 2, 3.0)


# ---------------------------------------------------------------------------------------------
# Targets, 序时进度, red and black lists.

BREAKDOWN = pd.DataFrame(
    {"county": ["瑞昌市", "湖口县", "永修县"], "outside_province_projects.funds": [60_000.0, 30_000.0, 10_000.0],
     "signed_100m.count": [5, 2, 1]}
)
TARGETS = pd.DataFrame(
    {"county": ["瑞昌市", "湖口县", "瑞昌市", "湖口县"],
     "key": ["outside_province_projects.funds", "outside_province_projects.funds", "signed_100m.count", "signed_100m.count"],
     "target": [100_000.0, 100_000.0, 10.0, 0.0]}
)
KEYS = ["outside_province_projects.funds", "signed_100m.count"]


def test_completion_against_the_schedule(reference):
    progress = prg.unit_progress(BREAKDOWN, TARGETS, reference, JUNE, KEYS).set_index(["county", "key"])
    assert progress.loc[("瑞昌市", "outside_province_projects.funds"), "completion_pct"] == 60.0  # 6亿 ÷ 10亿
    assert progress.loc[("瑞昌市", "outside_province_projects.funds"), "gap_pp"] == 10.0  # 60 − 50
    assert progress.loc[("湖口县", "outside_province_projects.funds"), "gap_pp"] == -20.0
    # a target of 0, and a county without any target: "—" (None), never 0 % or infinity
    assert progress.loc[("湖口县", "signed_100m.count"), "completion_pct"] is None
    assert progress.loc[("永修县", "outside_province_projects.funds"), "completion_pct"] is None
    assert progress.loc[("永修县", "signed_100m.count"), "target"] is None


def test_weighted_completion_and_lists(reference):
    progress = prg.unit_progress(BREAKDOWN, TARGETS, reference, JUNE, KEYS)
    standings = prg.weighted_completion(progress, {"outside_province_projects.funds": 30, "signed_100m.count": 10}, JUNE)
    rows = standings.set_index("county")
    assert rows.loc["瑞昌市", "weighted_completion_pct"] == 57.5  # (30 × 60 + 10 × 50) ÷ 40
    assert rows.loc["湖口县", "weighted_completion_pct"] == 30.0  # the zero target is left out
    assert rows.loc["永修县", "weighted_completion_pct"] is None and rows.loc["永修县", "place"] is None
    assert standings["county"].tolist() == ["瑞昌市", "湖口县", "永修县"]  # no completion: last
    lists = prg.red_black_lists(standings, {"size": 3, "min_gap_pp": 0}, {"behind_pp": 10})
    assert lists[["list", "county"]].values.tolist() == [["red", "瑞昌市"], ["black", "湖口县"]]


def test_target_problems(reference):
    problems = prg.target_problems(TARGETS, reference)
    assert problems[problems["problem"] == "zero"][["county", "key"]].values.tolist() == [["湖口县", "signed_100m.count"]]
    assert len(problems[problems["county"] == "永修县"]) == len(reference.target_indicators())  # none given at all


def test_city_target_is_its_own_row_else_the_units_sum(reference):
    with_city = pd.concat([TARGETS, pd.DataFrame({"county": ["九江市"], "key": ["signed_100m.count"], "target": [8.0]})])
    assert prg.city_targets(with_city, reference, KEYS) == {
        "outside_province_projects.funds": (200_000.0, "units"),
        "signed_100m.count": (8.0, "city"),
    }


@pytest.mark.parametrize("month, schedule", [(1, 8.33), (6, 50.0), (12, 100.0)])
def test_schedule(month, schedule):
    assert prg.schedule_pct(Period.year_to_date(Y, month)) == schedule


# ---------------------------------------------------------------------------------------------
# A ledger that stops at some month; dollars are never added to 元.

HEADERS = ["项目编号", "项目名称", "资金来源", "所属地区", "产业类别", "总投资", "本年实际进资", "签约日期", "1月", "2月", "3月", "4月"]


@pytest.fixture()
def march_ledger(tmp_path):
    """A 2023 ledger sent in at the end of March: nothing dated after March."""
    rows = [HEADERS, ["P1", "光电项目", "省外", "瑞昌市", "电子信息", 50_000, 300, "2023-03-05", 100, None, 200, None]]
    write_one_sheet(tmp_path / "raw" / "2023", "a.xlsx", "项目台账", rows)
    return tmp_path


def test_latest_month_with_data(march_ledger, reference):
    clean = clean_year(march_ledger / "raw" / "2023", 2023, reference)
    assert ytd.latest_month_with_data(clean) == 3


def test_month_beyond_the_data_is_an_error_unless_forced(march_ledger, capsys):
    assert main(["metrics", "--year", "2023", "--month", "4", "--data-dir", str(march_ledger)]) == 2
    error = capsys.readouterr().err.strip()
    assert "数据截至 3 月" in error and "--force" in error and len(error.splitlines()) == 1
    assert main(["metrics", "--year", "2023", "--month", "4", "--force", "--data-dir", str(march_ledger)]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["month"] == 4 and figures["outside_province_projects"]["funds"] == 0.03
    assert main(["metrics", "--year", "2023", "--month", "13", "--data-dir", str(march_ledger)]) == 2
    assert "1–12" in capsys.readouterr().err


def test_check_month_refuses_non_months():
    with pytest.raises(UsageError):
        ytd.check_month(2023, 0, 12)


@pytest.mark.parametrize(
    "rows, merges",
    [
        ([HEADERS[:8] + ["1月", "2月（万美元）"], ["P1", "项目", "境外", "瑞昌市", "新材料", 5_000, 10, None, 10, 10]], ()),
        ([["单位：万美元"], [*HEADERS[:5], "总投资（万元）", "本年实际进资（万元）", "签约日期", "1月", "2月"],
          ["P1", "项目", "境外", "瑞昌市", "新材料", 5_000, 10, None, 10, 10]], ()),
        ([[*HEADERS[:8], "月度实际利用外资（万美元）", None, None], [None] * 8 + ["1月", "2月", "3月"],
          ["P1", "项目", "境外", "瑞昌市", "新材料", 5_000, 10, None, 10, 10, 10]], ("I1:K1",)),
    ],
    ids=["header-says-dollars", "unit-line-says-dollars", "group-title-says-dollars"],
)
def test_a_dollar_month_column_is_never_added_to_yuan(rows, merges, tmp_path, reference):
    folder = tmp_path / "raw" / "2023"
    write_one_sheet(folder, "a.xlsx", "项目台账", rows, merges)
    clean = clean_year(folder, 2023, reference)
    months = clean.tables["monthly_funds"]
    assert months["funds"].sum() in (0.0, 10.0)  # only the 1月 column in 元 (when it is in 元)
    assert not (months["month"] >= 2).any()
    assert any("美元" in reason for reason in clean.warnings["reason"])


def test_period_peers(reference):
    peers = tb.province_peers(
        {"city": "南昌市", "indicator": "省外2000万元以上开工项目个数", "value": 300.0, "through_month": 6},
        {"city": "赣州市", "indicator": "省外2000万元以上开工项目个数", "value": 100.0, "through_month": 6},
        {"city": "南昌市", "indicator": "省外2000万元以上开工项目个数", "value": 900.0},
    )
    projects = tb.projects(
        {"source": "省外", "county": "瑞昌市", "industry": "其他", "total_investment": 5_000.0, "funds_year": 10.0,
         "started_on": "2023-01-02"},
    )
    clean = year_with(monthly(("P001", 2, 10.0)), projects=projects, province_peers=peers)
    # January–June: the rows of 截至月份 6 (300 and 100 above 1); the whole year: the blank one (900)
    assert compute_metrics(clean, None, reference, period=JUNE)["outside_province_started"]["count_rank"] == 3
    assert compute_metrics(clean, None, reference)["outside_province_started"]["count_rank"] == 2
    assert "count_rank" not in compute_metrics(clean, None, reference, period=Period.year_to_date(Y, 5))["outside_province_started"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
