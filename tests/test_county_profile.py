"""The county profile (helpers.products.county_profile) on the shipped sample and on messy ledgers.

A unit's figures are a view of the annual review's: its row of the county table and of the
assessment, for every unit and every sample year. The ranks and YoY are checked by hand; the
data-quality feedback selects exactly the unit's quarantined and warned rows; the CLI publishes
the report into ``reports/<city>/<year>/county_profile/<county>/``.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from conftest import DATA_DIR, PROJECT_ROOT, REFERENCE_DIR
from hostile_corpus import Text, base
from messy_ledgers import CITY_FILE, COUNTY_FILE, write_messy_year

from helpers.cli.main import main
from helpers.errors import UsageError
from helpers.indicators.definitions import round_half_up, to_yi
from helpers.paths import available_years
from helpers.products import annual_review as rv
from helpers.products import county_profile as cp
from helpers.products.labels import column_label
from helpers.products.registry import REPORTS

SAMPLE_YEARS = available_years(DATA_DIR)


@pytest.fixture(scope="module")
def reviews() -> dict[int, rv.Review]:
    return {year: rv.build_review(year, DATA_DIR, REFERENCE_DIR) for year in SAMPLE_YEARS}


@pytest.fixture(scope="module")
def xiushui() -> cp.CountyProfile:
    return cp.build_profile(2022, "修水县", DATA_DIR, REFERENCE_DIR)


def test_the_sample_years():
    assert SAMPLE_YEARS == [2020, 2021, 2022, 2023]


@pytest.mark.parametrize("year", SAMPLE_YEARS)
def test_every_units_figures_are_its_row_of_the_annual_reviews_county_table(reviews, reference, year):
    county_table = rv.county_table(reviews[year]).set_index("县（市、区）")
    previous = rv.county_table(reviews[year - 1]).set_index("县（市、区）") if year - 1 in reviews else None
    built = cp.build_profile(year, str(reference.units["name"].iloc[0]), DATA_DIR, REFERENCE_DIR)
    specs = reference.breakdown_indicators()
    assert len(specs) == 10
    for unit in reference.units["name"]:
        profile = dataclasses.replace(built, county=unit)  # the same year's tables, another unit
        table = cp.headline_table(profile)
        assert table["指标"].tolist() == [spec.label for spec in specs]
        for spec, row in zip(specs, table.to_dict("records"), strict=True):
            header = column_label(spec.key, reference).header
            assert row[f"{year}年"] == county_table.at[unit, header], (unit, spec.key)
            if previous is None:
                assert row[f"{year - 1}年"] is None and row["同比（%）"] is None
            else:
                assert row[f"{year - 1}年"] == previous.at[unit, header], (unit, spec.key)
    # the semantic build of another unit is the same as building that unit
    other = cp.build_profile(year, "永修", DATA_DIR, REFERENCE_DIR)
    pd.testing.assert_frame_equal(cp.headline_table(other), cp.headline_table(dataclasses.replace(built, county="永修县")))


def test_ranks_and_yoy_by_hand(xiushui, reviews):
    current = reviews[2022].breakdown.set_index("county")
    before = rv.build_review(2021, DATA_DIR, REFERENCE_DIR).breakdown.set_index("county")
    figures = cp.headline_figures(xiushui.breakdown, xiushui.previous_breakdown, "修水县", xiushui.reference).set_index("indicator")
    for key in figures.index:
        value, previous = current.at["修水县", key], before.at["修水县", key]
        assert figures.at[key, "value"] == value and figures.at[key, "previous_value"] == previous
        greater = int((current[key] > value).sum())
        assert figures.at[key, "unit_rank"] == greater + 1, key  # ties share the better rank
        assert figures.at[key, "yoy_pct"] == (round_half_up((value / previous - 1) * 100, 2) if previous else None)
    funds = figures.loc["outside_province_projects.funds"]
    assert (to_yi(funds["value"]), to_yi(funds["previous_value"]), funds["yoy_pct"], funds["unit_rank"]) == (132.82, 106.53, 24.69, 5)
    count = figures.loc["outside_province_projects.count"]
    assert (count["value"], count["previous_value"], count["yoy_pct"], count["unit_rank"], count["units"]) == (26, 32, -18.75, 11, 16)


def test_tied_units_share_the_better_rank(reference):
    keys = [spec.key for spec in reference.breakdown_indicators()]
    now = pd.DataFrame({"county": ["甲", "乙", "丙", "丁"], **{k: [3, 5, 5, 1] for k in keys}})
    ranks = [cp.headline_figures(now, None, unit, reference).loc[0, "unit_rank"] for unit in ["甲", "乙", "丙", "丁"]]
    assert ranks == [3, 1, 1, 4]


def test_assessment_is_the_annual_reviews_row(xiushui, reviews, reference):
    table = rv.assessment_table(reviews[2022]).set_index("县（市、区）")
    summary = cp.assessment_summary(xiushui.assessment, "修水县")
    assert summary == {"total_score": table.at["修水县", "综合得分"], "rank": table.at["修水县", "排名"], "units": 16}
    assert (summary["total_score"], summary["rank"]) == (79.42, 10)
    rows = cp.assessment_rows(xiushui.assessment, "修水县", reference)
    names = dict(zip(reference.indicators["key"], reference.indicators["name"], strict=True))
    for row in rows.to_dict("records"):
        name = names[row["indicator"]]
        assert row["score"] == table.at["修水县", f"{name}得分"]
        assert row["completion_pct"] == table.at["修水县", f"{name}完成率（%）"]
    # most points lost first; the points lost add up to 100 − the total score
    assert rows["lost_points"].tolist() == sorted(rows["lost_points"], reverse=True)
    assert rows.loc[0, "indicator"] == "outside_province_projects.funds" and rows.loc[0, "lost_points"] == 8.62  # 30 × (100 − 71.28) ÷ 100
    assert sum(rows["lost_points"]) == pytest.approx(100 - summary["total_score"], abs=0.03)
    words = cp.assessment_words(xiushui)
    assert words.startswith("修水县2022年考核综合得分79.42分，在16个县（市、区）中排第10位；失分最多的是省外2000万元以上项目实际进资（失8.62分）")


def test_projects_add_up_to_the_units_ledger(xiushui):
    projects = xiushui.projects
    assert len(projects) == 76
    tiers = cp.projects_by_tier(projects, xiushui.reference)
    stages = cp.projects_by_stage(projects, 2022, xiushui.reference)
    for table in (tiers, stages):
        assert table.iloc[-1]["count"] == 76 and table.iloc[:-1]["count"].sum() == 76
        assert table.iloc[:-1]["funds"].sum() == pytest.approx(projects["funds_year"].sum())
    assert tiers["count"].tolist() == [0, 3, 7, 66, 76]
    assert stages["count"].tolist() == [10, 26, 25, 15, 76]
    listed = cp.projects_table(xiushui)
    assert list(listed.columns) == ["项目编号", "项目名称", "产业类别", "资金来源", "总投资（亿元）", "本年实际进资（亿元）", "档次", "阶段",
                                    "签约日期", "开工日期"]
    assert listed.iloc[0][["项目名称", "总投资（亿元）", "档次", "阶段"]].tolist() == ["辰恒高端润滑油项目", 72.61, "“50”项目", "开工"]


def test_trend_is_every_sample_year(xiushui, reviews):
    trend = cp.trend_table(xiushui)
    assert list(trend.columns) == ["指标", "单位", "2020年", "2021年", "2022年", "2023年"]
    county_tables = {year: rv.county_table(review).set_index("县（市、区）") for year, review in reviews.items()}
    row = trend.set_index("指标").loc["省外2000万元以上项目实际进资"]
    assert [row[f"{y}年"] for y in SAMPLE_YEARS] == [
        county_tables[y].at["修水县", "省外2000万元以上项目实际进资（亿元）"] for y in SAMPLE_YEARS
    ]
    ranks = cp.rank_table(xiushui).set_index("指标")
    assert ranks.loc["省外2000万元以上项目实际进资"].tolist() == [13, 5, 5, 4]


def test_unknown_county_names_the_closest_and_an_alias_resolves(tmp_path):
    with pytest.raises(UsageError, match="未知的县（市、区）：修水湖；最接近的有：.*修水县"):
        cp.build_profile(2022, "修水湖", DATA_DIR, REFERENCE_DIR)
    assert cp.build_profile(2022, "修水", DATA_DIR, REFERENCE_DIR).county == "修水县"
    assert cp.prepare_parameters({"year": 2022, "county": "经开区"}, DATA_DIR, REFERENCE_DIR)["county"] == "九江经济技术开发区"
    assert main(["report", "county_profile", "--year", "2022", "-p", "county=修水湖", "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_registry_runs_every_unit_of_every_year(reference):
    spec = REPORTS["county_profile"]
    assert spec.identity == ("year", "county")
    assert spec.folder({"year": 2022, "county": "修水县"}).as_posix() == "2022/county_profile/修水县"
    runs = spec.instances(DATA_DIR, REFERENCE_DIR)
    assert runs == [{"year": y, "county": u} for y in SAMPLE_YEARS for u in reference.units["name"]]
    assert len(runs) == 64


# ------------------------------------------------------------------------------------ feedback


@pytest.fixture(scope="module")
def messy_data(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("messy") / "data"
    write_messy_year(data_dir / "raw" / "2022")
    return data_dir


def _rows(feedback: pd.DataFrame) -> set[tuple[str, str, int, str]]:
    return {(f, s, int(r), o) for f, s, r, o in feedback[["file", "sheet", "row", "outcome"]].itertuples(index=False)}


def test_feedback_selects_exactly_the_units_rows(messy_data, reference):
    profile = cp.build_profile(2022, "修水", messy_data, REFERENCE_DIR)
    clean = profile.current

    def feedback(unit: str) -> set[tuple[str, str, int, str]]:
        return _rows(cp.county_feedback(clean, unit, reference))

    # by the row's own county value: 修水 in the city's project sheet, 修水县's trip without a date
    assert feedback("修水县") == {(CITY_FILE, "外出招商", 6, "隔离"), (CITY_FILE, "项目台账", 13, "隔离")}
    assert feedback("瑞昌市") == {(CITY_FILE, "项目台账", 11, "隔离"), (COUNTY_FILE, "项目库", 6, "警告")}
    assert feedback("湖口县") == {(CITY_FILE, "项目台账", 14, "警告")}
    # the conflicting duplicate P004 names 庐山市 in both workbooks (also in 瑞昌市's own): 庐山市's rows
    assert feedback("庐山市") == {(CITY_FILE, "项目台账", 8, "隔离"), (CITY_FILE, "项目台账", 8, "警告"),
                                (COUNTY_FILE, "项目库", 5, "隔离"), (COUNTY_FILE, "项目库", 5, "警告")}
    # every quarantined/warned row goes to at most one unit; the rest (an unknown unit in the city's
    # workbook, a 合计 row) to none
    selected = [row for unit in reference.units["name"] for row in feedback(unit)]
    assert len(selected) == len(set(selected))
    every = {(f, s, int(r), "隔离") for f, s, r in clean.quarantine[["file", "sheet", "row"]].itertuples(index=False)}
    every |= {(f, s, int(r), "警告") for f, s, r in clean.warnings[["file", "sheet", "row"]].itertuples(index=False)}
    assert every - set(selected) == {(CITY_FILE, "项目台账", 12, "隔离"), (CITY_FILE, "项目台账", 16, "警告")}
    # one reason per row, the column and the value it had
    shown = cp.feedback_table(profile)
    assert list(shown.columns) == ["文件", "工作表", "行号", "字段", "原值", "原因", "处理"]
    name_row = shown[shown["行号"] == 13].iloc[0]
    assert (name_row["字段"], name_row["原值"], name_row["原因"]) == ("项目名称", "", "必填项为空")
    ruichang = cp.county_feedback(clean, "瑞昌市", reference)
    amount = ruichang[ruichang["row"] == 11].iloc[0]
    assert (amount["column"], amount["raw"], amount["reason"]) == ("总投资", "待定", "无法解析的金额（原值「待定」）")


def test_a_row_without_a_known_unit_goes_to_the_workbooks_unit(reference):
    """In the sample, 湖口县's own workbook has a project of an unknown 所属地区「九江新区」: 湖口县's to correct."""
    clean = cp.build_profile(2022, "湖口县", DATA_DIR, REFERENCE_DIR).current
    hukou = "湖口县2022年招商引资项目台账.xlsx"
    rows = _rows(cp.county_feedback(clean, "湖口县", reference))
    assert {(hukou, "项目台账", row, "隔离") for row in (98, 99, 100)} <= rows
    assert all(file == hukou for file, *_ in rows if _[-1] == "隔离")
    assert cp.workbook_units(sorted(set(clean.inputs["file"])), cp.row_counties(clean, reference), reference) == {
        "永修县2022年项目库.xlsx": "永修县", hukou: "湖口县", "瑞昌市2022年招商项目台账.xlsx": "瑞昌市"
    }


def test_feedback_workbook_neutralises_formulas_and_is_written_when_empty(tmp_path, reference):
    data = tmp_path / "data"
    base(data, changes={(0, "总投资（万元）"): "=200000+50000", (0, "项目名称"): Text('=HYPERLINK("http://x","y")')})
    for county, name in (("瑞昌", "反馈_瑞昌市.xlsx"), ("修水县", "反馈_修水县.xlsx")):
        folder = tmp_path / county
        folder.mkdir()
        cp.write_extra_files(folder, {"year": 2022, "county": county}, data, REFERENCE_DIR)
        assert sorted(p.name for p in folder.iterdir()) == sorted(["metrics.json", "tables.xlsx", name])
    sheet = openpyxl.load_workbook(tmp_path / "瑞昌" / "反馈_瑞昌市.xlsx")["数据质量反馈"]
    rows = list(sheet.values)
    assert rows[0] == ("文件", "工作表", "行号", "字段", "原值", "原因", "处理")
    assert rows[1][:5] == ("2022年台账.xlsx", "项目台账", 2, "总投资", "=200000+50000")
    formula_cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if str(cell.value).startswith("=")]
    assert formula_cells and all(cell.data_type == "s" and cell.quotePrefix for cell in formula_cells)
    empty = openpyxl.load_workbook(tmp_path / "修水县" / "反馈_修水县.xlsx")["数据质量反馈"]
    assert list(empty.values) == [("说明",), ("2022年台账中没有需要修水县核对的行。",)]


# ------------------------------------------------------------------------------------ end to end


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """`zhaoshang report county_profile --year 2022 -p county=修水` into the default layout (under a temporary reports/)."""
    root = tmp_path_factory.mktemp("reports")
    patch = pytest.MonkeyPatch()
    patch.setattr("helpers.cli.report.reports_dir", lambda: root)
    try:
        assert main(["report", "county_profile", "--year", "2022", "-p", "county=修水"]) == 0
    finally:
        patch.undo()
    return root / "九江市" / "2022" / "county_profile" / "修水县"


def test_report_is_published_with_every_file(published, xiushui):
    assert {"county_profile.html", "county_profile.ipynb", "tables.xlsx", "metrics.json", "反馈_修水县.xlsx"} <= {
        p.name for p in published.iterdir()
    }
    page = (published / "county_profile.html").read_text(encoding="utf-8")
    assert "九江市2022年修水县招商引资分析报告" in page
    assert "修水县2022年考核综合得分79.42分" in page and "data:image/png;base64," in page
    assert "<script" not in page and "build_profile(" not in page
    metrics = json.loads((published / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["county"] == "修水县" and metrics["year"] == 2022
    assert metrics["indicators"]["outside_province_projects.funds"] == {
        "unit": "亿元", "value": 132.82, "previous_value": 106.53, "yoy_pct": 24.69, "unit_rank": 5, "units": 16
    }
    assert metrics["assessment"]["total_score"] == 79.42 and metrics["assessment"]["rank"] == 10
    sheets = openpyxl.load_workbook(published / "tables.xlsx").sheetnames
    assert sheets == list(cp.report_tables(xiushui))


def test_published_notebook_matches_the_stored_one(published):
    def outputs(notebook):
        return [c.outputs for c in notebook.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
                and "injected-parameters" not in c.metadata.get("tags", [])]

    stored = nbformat.read(PROJECT_ROOT / "notebooks" / "county_profile.ipynb", as_version=4)
    assert outputs(nbformat.read(published / "county_profile.ipynb", as_version=4)) == outputs(stored)


def test_extra_files_are_byte_identical(published, tmp_path):
    """metrics.json, tables.xlsx and the feedback workbook written again are the same bytes."""
    cp.write_extra_files(tmp_path, {"year": 2022, "county": "修水县"}, DATA_DIR, REFERENCE_DIR)
    for name in ("metrics.json", "tables.xlsx", "反馈_修水县.xlsx"):
        assert (tmp_path / name).read_bytes() == (published / name).read_bytes(), name
