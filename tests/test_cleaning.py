"""Cleaning of the hand-made messy workbooks: exact clean values, quarantine reasons and counts."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import DATA_DIR, REFERENCE_DIR
from messy_ledgers import CITY_FILE, COUNTY_FILE, EXPECTED_COUNTS, write_messy_year, write_one_sheet

from helpers.cli.main import main
from helpers.errors import LedgerError
from helpers.ingest.cache import load_year
from helpers.ingest.clean import clean_year


@pytest.fixture(scope="module")
def messy(tmp_path_factory, reference):
    data_dir = tmp_path_factory.mktemp("messy") / "data"
    write_messy_year(data_dir / "raw" / "2022")
    return clean_year(data_dir / "raw" / "2022", 2022, reference)


def project(messy, project_id: str) -> pd.Series:
    rows = messy.tables["projects"].set_index("project_id")
    return rows.loc[project_id]


def test_counts_add_up_and_match(messy):
    counts = messy.counts()
    assert counts == EXPECTED_COUNTS
    for row in counts.values():
        assert row["rows_read"] == row["clean"] + row["quarantined"] + row["subtotal"] + row["blank"] + row["duplicates_merged"]


@pytest.mark.parametrize(
    "project_id, field, expected",
    [
        ("P001", "source", "省外"),  # 外省
        ("P001", "county", "九江经济技术开发区"),  # 经开区
        ("P001", "total_investment", 25000.0),  # 2.5 in a 总投资（亿元） column
        ("P001", "funds_year", 1200.0),  # '1,200'
        ("P001", "signed_on", pd.Timestamp("2022-03-05")),  # 2022/3/5
        ("P001", "recognized_on", pd.Timestamp("2022-03-05")),  # Excel serial 44625
        ("P001", "investor_flags", "上市公司、高新技术企业"),  # 上市公司/高新企业
        ("P001", "is_digital", True),  # √
        ("P001", "event", "2022庐山全球商界领袖大会"),  # alias
        ("P001", "chain", "电子信息"),  # 电子信息产业链
        ("P002", "source", "省内市外"),  # 市外省内
        ("P002", "county", "濂溪区"),  # old name 庐山区
        ("P002", "industry", "高端装备制造"),  # 装备制造
        ("P002", "total_investment", 25000.0),  # full-width ２．５亿
        ("P002", "funds_year", 3000.0),  # 0.3亿 in a 万元 column: the cell's unit wins
        ("P002", "signed_on", pd.Timestamp("2022-03-01")),  # month only 2022年3月
        ("P002", "month_precision", "signed_on"),
        ("P002", "recognized_on", pd.Timestamp("2022-03-05")),  # 20220305
        ("P002", "is_digital", False),  # 否
        ("P002", "status", "已签约"),  # 签约
        ("P003", "source", "境外"),  # 港澳台
        ("P003", "county", "柴桑区"),  # old name 九江县
        ("P003", "industry", "现代物流"),  # 物流
        ("P003", "total_investment", 25000.0),  # 贰亿伍仟万
        ("P003", "signed_on", pd.Timestamp("2022-03-05")),  # 2022.3.5
        ("P003", "recognized_on", pd.Timestamp("2022-03-05")),  # a real Excel date
        ("P008", "total_investment", 500000.0),
        ("P008", "event", "庐山院士创新论坛"),  # 院士论坛
        ("P008", "fifty_twenty_applied_on", pd.Timestamp("2022-07-15")),
        ("P009", "industry", "石油化工"),  # 化工
        ("P009", "county", "永修县"),  # 永修
        ("P009", "investor_flags", "民营500强"),
        ("P010", "total_investment", 12000.0),  # '1.2亿元' under a 亿元 unit line
        ("P010", "funds_year", 5000.0),  # '0.5' with the sheet's unit line 单位：亿元
        ("P010", "event", "九江市政协智库高峰论坛"),
        ("P010", "is_digital", True),  # Y
        ("P011", "county", "九江经济技术开发区"),  # 九江经开区, header '所　在　地' with full-width spaces
        ("P011", "total_investment", 25000.0),  # '2.5 亿元'
        ("P011", "funds_year", 20000.0),  # '两亿'
        ("P011", "signed_on", pd.Timestamp("2022-09-09")),  # header '签约 日期'
    ],
)
def test_clean_project_values(messy, project_id, field, expected):
    assert project(messy, project_id)[field] == expected


def test_missing_optional_values_are_empty_not_zero(messy):
    assert project(messy, "P003")["is_digital"] == False  # noqa: E712 - a blank √-column means 否
    assert pd.isna(project(messy, "P008")["signed_on"])  # '待定' → empty + warning
    assert project(messy, "P003")["funds_year"] == 0.0


def test_monthly_funds_become_a_long_table(messy):
    monthly = messy.tables["monthly_funds"]
    assert monthly["project_id"].unique().tolist() == ["P001"]
    assert monthly["month"].tolist() == list(range(1, 13))
    assert monthly["funds"].sum() == 1200.0


def test_quarantine_keeps_every_reason_with_place(messy):
    quarantine = messy.quarantine.set_index(["file", "row"])
    assert quarantine.loc[(CITY_FILE, 11), "reasons"] == "总投资：无法解析的金额（原值「待定」）"
    assert quarantine.loc[(CITY_FILE, 12), "reasons"] == "县市区：未知的所属地区「九江新区」（最接近：九江经济技术开发区）"
    assert quarantine.loc[(CITY_FILE, 13), "reasons"] == "项目名称：必填项为空"
    conflict = quarantine.loc[(COUNTY_FILE, 5), "reasons"]
    assert "P004" in conflict and "总投资" in conflict and CITY_FILE in conflict
    assert quarantine.loc[(CITY_FILE, 8), "reasons"] == conflict
    assert json.loads(quarantine.loc[(CITY_FILE, 11), "raw"])["总投资"] == "待定"
    assert quarantine.loc[(CITY_FILE, 6), "reasons"] == "出发日期：必填项为空"
    assert set(messy.tables["projects"]["project_id"]) == {"P001", "P002", "P003", "P008", "P009", "P010", "P011"}


def test_warnings_keep_raw_text(messy):
    warnings = messy.warnings[["row", "column", "raw", "reason"]].values.tolist()
    assert [14, "签约日期", "待定", "无法解析的日期"] in warnings
    assert [6, "企业性质", "高新技术企业;上市企业;独角兽", "未识别的企业性质「独角兽」"] in warnings
    # the 合计 row's funds do not add up (34300 in the detail rows); the 小计 row does
    assert [16, "本年实际进资", "99999", "合计行与明细不符：明细合计 34300 万元，合计行 99999 万元"] in warnings
    # a status past a stage without that stage's date (the campaign cannot time such a project)
    assert [14, "签约日期", "", "项目状态为已签约，但签约日期为空"] in warnings  # P008
    assert [6, "开工日期", "", "项目状态为已开工，但开工日期为空"] in warnings  # P010: the sheet has no 开工日期 column
    assert len(warnings) == 7


def test_other_sheets(messy):
    trips = messy.tables["trips"]
    assert trips["unit_kind"].tolist() == ["市直单位", "县（市、区）", "产业链招商小分队"]
    assert trips["companies_met"].tolist() == [5, 3, 2]
    assert trips["departed_on"].tolist() == [pd.Timestamp("2022-04-01"), pd.Timestamp("2022-04-02"), pd.Timestamp("2022-04-02")]
    leads = messy.tables["leads"].set_index("lead_id")
    assert leads.loc["L001", "planned_investment"] == 250000.0
    assert leads.loc["L001", "found_on"] == pd.Timestamp("2022-06-01")
    assert leads.loc["L002", "progress"] == "对接中"
    chain = messy.tables["chain_map"]
    assert chain["present"].tolist() == [False, True, True] and set(chain["chain"]) == {"LED"}
    peers = messy.tables["province_peers"]
    assert peers["value"].tolist() == [450.0, 15005000.0, 14000000.0]  # counts as counts, 亿元 → 万元
    assert messy.tables["targets"]["target"].tolist() == [10.0, 20000.0]


def test_cache_is_reused_and_invalidated(tmp_path, reference):
    data_dir = tmp_path / "data"
    folder = data_dir / "raw" / "2022"
    write_messy_year(folder)
    first = load_year(2022, data_dir, reference)
    manifest = data_dir / "processed" / "2022" / "manifest.json"
    stamp = manifest.stat().st_mtime_ns
    second = load_year(2022, data_dir, reference)
    assert manifest.stat().st_mtime_ns == stamp  # unchanged inputs: read back, not re-cleaned
    pd.testing.assert_frame_equal(first.tables["projects"], second.tables["projects"])
    pd.testing.assert_frame_equal(first.quarantine, second.quarantine)
    workbook = openpyxl.load_workbook(folder / COUNTY_FILE)
    workbook["项目库"].cell(6, 8).value = "9亿"  # P010 total investment changes
    workbook.save(folder / COUNTY_FILE)
    third = load_year(2022, data_dir, reference)
    assert third.tables["projects"].set_index("project_id").loc["P010", "total_investment"] == 90000.0


def test_cli_clean_json(tmp_path, capsys):
    data_dir = tmp_path / "data"
    write_messy_year(data_dir / "raw" / "2022")
    assert main(["clean", "--year", "2022", "--data-dir", str(data_dir), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == {"year": 2022, "sheets": EXPECTED_COUNTS}


def test_cli_clean_table(tmp_path, capsys):
    data_dir = tmp_path / "data"
    write_messy_year(data_dir / "raw" / "2022")
    assert main(["clean", "--year", "2022", "--data-dir", str(data_dir), "--reference-dir", str(REFERENCE_DIR)]) == 0
    out = capsys.readouterr().out
    assert "项目台账" in out and "隔离 6 行" in out


def test_missing_required_column_names_file_sheet_column_and_headers(tmp_path, capsys):
    folder = tmp_path / "data" / "raw" / "2022"
    write_one_sheet(
        folder,
        "县台账.xlsx",
        "项目台账",
        [
            ["项目编号", "项目名称", "资金来源", "所属地区", "产业类别"],  # no 总投资
            ["P1", "甲", "省外", "瑞昌市", "新材料"],
        ],
    )
    assert main(["clean", "--year", "2022", "--data-dir", str(tmp_path / "data"), "--reference-dir", str(REFERENCE_DIR)]) == 2
    error = capsys.readouterr().err.strip()
    assert "县台账.xlsx" in error and "项目台账" in error and "总投资" in error and "找到的列：项目编号、项目名称" in error
    assert len(error.splitlines()) == 1


def test_no_workbook_and_unreadable_file_exit_2(tmp_path, capsys):
    data_dir = tmp_path / "data"
    assert main(["clean", "--year", "2031", "--data-dir", str(data_dir), "--reference-dir", str(REFERENCE_DIR)]) == 2
    assert "2031" in capsys.readouterr().err
    folder = data_dir / "raw" / "2030"
    folder.mkdir(parents=True)
    (folder / "坏文件.xlsx").write_bytes(b"this is not a zip file")
    assert main(["clean", "--year", "2030", "--data-dir", str(data_dir), "--reference-dir", str(REFERENCE_DIR)]) == 2
    assert "坏文件.xlsx" in capsys.readouterr().err


def test_year_without_project_sheet_is_an_error(tmp_path, reference):
    folder = tmp_path / "data" / "raw" / "2022"
    write_one_sheet(
        folder,
        "trips.xlsx",
        "外出招商",
        [
            ["出发日期", "单位", "单位类别"],
        ],
    )
    with pytest.raises(LedgerError, match="项目台账"):
        load_year(2022, tmp_path / "data", reference)


def test_a_ledger_in_another_format_stops_the_run_instead_of_being_skipped(tmp_path, capsys):
    folder = tmp_path / "data" / "raw" / "2022"
    write_messy_year(folder)
    (folder / "都昌县台账.xls").write_bytes(b"old excel")
    assert main(["clean", "--year", "2022", "--data-dir", str(tmp_path / "data"), "--reference-dir", str(REFERENCE_DIR)]) == 2
    assert "都昌县台账.xls" in capsys.readouterr().err


def test_a_sheet_named_sheet1_is_recognized_by_its_headers(tmp_path, reference):
    folder = tmp_path / "data" / "raw" / "2022"
    folder.mkdir(parents=True)
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    workbook.active.append(["项目编号", "项目名称", "资金来源", "所属地区", "产业类别", "总投资（亿元）"])
    workbook.active.append(["P1", "甲项目", "省外", "瑞昌市", "新材料", 3])
    notes = workbook.create_sheet("Sheet2")
    notes.append(["备注：本表由县商务局填报"])
    workbook.save(folder / "瑞昌.xlsx")
    result = load_year(2022, tmp_path / "data", reference)
    assert result.tables["projects"]["total_investment"].tolist() == [30000.0]
    assert result.sheet_counts["sheet"].tolist() == ["Sheet1"]


def test_a_workbook_without_any_ledger_sheet_is_an_error(tmp_path, capsys):
    folder = tmp_path / "data" / "raw" / "2022"
    write_messy_year(folder)
    write_one_sheet(folder, "汇总表.xlsx", "汇总", [["县", "金额"]])
    assert main(["clean", "--year", "2022", "--data-dir", str(tmp_path / "data"), "--reference-dir", str(REFERENCE_DIR)]) == 2
    error = capsys.readouterr().err
    assert "汇总表.xlsx" in error and "没有可识别的台账工作表" in error and "汇总" in error


def test_two_columns_for_one_field_is_an_error_not_a_silent_choice(tmp_path, capsys):
    folder = tmp_path / "data" / "raw" / "2022"
    write_one_sheet(
        folder,
        "台账.xlsx",
        "项目台账",
        [
            ["项目编号", "项目名称", "资金来源", "所属地区", "产业类别", "合同金额（万元）", "总投资（亿元）"],
            ["P1", "甲", "省外", "瑞昌市", "新材料", 5000, 30],
        ],
    )
    assert main(["clean", "--year", "2022", "--data-dir", str(tmp_path / "data"), "--reference-dir", str(REFERENCE_DIR)]) == 2
    error = capsys.readouterr().err
    assert "合同金额" in error and "总投资" in error and "台账.xlsx" in error


def test_upper_case_extension_is_read(tmp_path, reference):
    folder = tmp_path / "data" / "raw" / "2022"
    write_messy_year(folder)
    (folder / CITY_FILE).rename(folder / CITY_FILE.replace(".xlsx", ".XLSX"))
    result = load_year(2022, tmp_path / "data", reference)
    assert result.counts() == EXPECTED_COUNTS


def test_names_that_start_with_a_subtotal_word_are_projects(tmp_path, reference):
    folder = tmp_path / "data" / "raw" / "2022"
    write_one_sheet(
        folder,
        "台账.xlsx",
        "项目台账",
        [
            ["序号", "项目编号", "项目名称", "投资方", "资金来源", "所属地区", "产业类别", "总投资（亿元）"],
            [1, "P1", "总计算中心项目", "合计科技有限公司", "省外", "瑞昌市", "电子信息", 3],
            [2, "P2", "智算中心合计", None, "省外", "瑞昌市", "电子信息", 2],  # odd name, but it has an id
            ["合计", None, None, None, None, None, None, 5],
        ],
    )
    result = load_year(2022, tmp_path / "data", reference)
    assert result.tables["projects"]["project_id"].tolist() == ["P1", "P2"]
    assert result.counts()["projects"]["subtotal"] == 1


@pytest.mark.parametrize(
    "headers, row, expected_funds, warnings",
    [
        (["本年实际进资", "1月", "2月"], [None, 100, 50], 150.0, 0),  # blank year total: the months say it
        (["本年实际进资", "1月", "2月"], [0, 100, 50], 0.0, 1),  # an explicit 0 is kept, and the mismatch reported
        (["1月", "2月"], [100, 50], 150.0, 0),  # no year column at all
        ([], [], 0.0, 0),  # neither: 0 (the ledger format's default)
    ],
    ids=["blank-total", "explicit-zero", "no-total-column", "nothing"],
)
def test_year_funds_and_monthly_columns(tmp_path, reference, headers, row, expected_funds, warnings):
    folder = tmp_path / "data" / "raw" / "2022"
    write_one_sheet(
        folder,
        "台账.xlsx",
        "项目台账",
        [
            ["项目编号", "项目名称", "资金来源", "所属地区", "产业类别", "总投资", *headers],
            ["P1", "甲", "省外", "瑞昌市", "新材料", 30000, *row],
        ],
    )
    result = load_year(2022, tmp_path / "data", reference)
    assert result.tables["projects"]["funds_year"].tolist() == [expected_funds]
    assert len(result.warnings) == warnings


def test_an_amount_merged_over_two_rows_counts_once_and_a_merged_county_fills_both(tmp_path, reference):
    folder = tmp_path / "data" / "raw" / "2022"
    write_one_sheet(
        folder,
        "台账.xlsx",
        "项目台账",
        [
            ["项目编号", "项目名称", "资金来源", "所属地区", "产业类别", "总投资", "本年实际进资"],
            ["P1", "一期", "省外", "瑞昌市", "新材料", 30000, 5000],
            ["P2", "二期", "省外", None, "新材料", 20000, None],
        ],
        merges=(
            "D2:D3",  # 所属地区 shared by both rows: belongs to each
            "G2:G3",  # 本年实际进资 shared: counted once
        ),
    )
    result = load_year(2022, tmp_path / "data", reference)
    projects = result.tables["projects"].set_index("project_id")
    assert projects["county"].tolist() == ["瑞昌市", "瑞昌市"]
    assert projects["funds_year"].tolist() == [5000.0, 0.0]
    assert result.warnings[["row", "column"]].values.tolist() == [[3, "本年实际进资"]]


def _main_workbook() -> Path:
    return next(p for p in sorted((DATA_DIR / "raw" / "2022").glob("*.xlsx")) if "工作台账" in p.name)


def test_a_sheet_read_ahead_is_the_sheet_read_on_its_own():
    """calamine parses the next sheet on another thread while one is used; in the workbook's
    order, in another order, or one sheet twice, every sheet's cells are what a fresh read gives."""
    import threading

    from helpers.ingest.workbooks import CalamineBook

    path = _main_workbook()
    titles = CalamineBook(path).titles
    alone = {}
    for title in titles:
        book = CalamineBook(path)
        alone[title] = book.sheet(title).matrix
        book.close()
    for order in (titles, list(reversed(titles)), [titles[0], titles[2], titles[0], titles[1]]):
        book = CalamineBook(path)
        assert [book.sheet(title).matrix for title in order] == [alone[title] for title in order]
        book.close()
    book = CalamineBook(path)
    book.sheet(titles[0])  # the second sheet is being read ahead: closing waits for it
    book.close()
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("read-ahead")]


def test_a_broken_link_named_like_a_ledger_stops_the_run_and_other_special_files_are_listed(tmp_path, capsys):
    import os
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "raw" / "2022", data / "raw" / "2022")
    (data / "raw" / "2022" / "县区报送").mkdir()
    os.symlink(tmp_path / "unmounted" / "湖口县.xlsx", data / "raw" / "2022" / "县区报送" / "湖口县.xlsx")
    assert main(["clean", "--year", "2022", "--data-dir", str(data)]) == 2
    assert "县区报送/湖口县.xlsx（链接指向的文件不存在）" in capsys.readouterr().err
    (data / "raw" / "2022" / "县区报送" / "湖口县.xlsx").unlink()
    os.symlink(tmp_path / "gone.txt", data / "raw" / "2022" / "说明.txt")
    os.mkfifo(data / "raw" / "2022" / "管道.txt")  # never opened: reading it would wait for ever
    assert main(["clean", "--year", "2022", "--data-dir", str(data)]) == 0
    warnings = pd.read_csv(data / "processed" / "2022" / "warnings.csv")
    reasons = dict(zip(warnings["file"], warnings["reason"], strict=True))
    assert reasons["说明.txt"] == "损坏的链接（指向的文件不存在），未读取" and reasons["管道.txt"] == "不是普通文件，未读取"
