"""Tests for helpers.output.excel: formatting and byte-identical output."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from helpers.output.excel import (
    AMOUNT_FORMAT,
    INTEGER_FORMAT,
    PERCENT_FORMAT,
    WORKBOOK_CREATOR,
    safe_sheet_names,
    write_tables_xlsx,
)


def _tables() -> dict[str, pd.DataFrame]:
    industries = pd.DataFrame(
        {
            "产业": ["电子信息（含半导体与新型显示器件制造）", "新材料", "装备制造"],
            "签约金额（亿元）": [123.456, 88.1, np.nan],
            "项目数": [12, 7, 30],
            "同比增长%": [12.5, -3.25, 0.0],
            "到位资金": [50.5, 20.25, 10.0],
        }
    )
    counties = pd.DataFrame({"县区": ["濂溪区", "浔阳区"], "完成率％": [95.5, 101.25]})
    return {"产业汇总/2022[年度]": industries, "县区": counties, "县区 ": counties.head(1)}


def _write(path: Path) -> Path:
    return write_tables_xlsx(_tables(), path, amount_columns={"产业汇总/2022[年度]": ["到位资金"]})


def test_identical_input_gives_identical_bytes(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.xlsx").read_bytes()
    second = _write(tmp_path / "sub" / "b.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        infos = archive.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2
    assert not list(tmp_path.glob(".*.tmp"))


def test_values_round_trip_with_pandas(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.xlsx")
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert list(sheets) == ["产业汇总2022年度", "县区", "县区_2"]
    for original, sheet in zip(_tables().values(), sheets.values(), strict=True):
        pd.testing.assert_frame_equal(sheet, original, check_dtype=False)


def test_formats_header_and_widths(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(_write(tmp_path / "t.xlsx"))
    assert wb.properties.creator == WORKBOOK_CREATOR
    ws = wb["产业汇总2022年度"]
    assert ws.freeze_panes == "A2"
    assert all(cell.font.bold for cell in ws[1])
    assert [c.value for c in ws[1]] == list(_tables()["产业汇总/2022[年度]"].columns)
    row = {ws.cell(1, c.column).value: c.number_format for c in ws[2]}
    assert row["签约金额（亿元）"] == AMOUNT_FORMAT
    assert row["到位资金"] == AMOUNT_FORMAT  # explicit amount column
    assert row["项目数"] == INTEGER_FORMAT
    assert row["同比增长%"] == PERCENT_FORMAT
    assert wb["县区"]["B2"].number_format == PERCENT_FORMAT
    # CJK characters count double: 19 wide characters -> width >= 38
    assert ws.column_dimensions["A"].width >= 38
    assert ws.column_dimensions["C"].width < ws.column_dimensions["A"].width


def test_sheet_names_are_valid_and_unique() -> None:
    names = safe_sheet_names(["a/b:c*?", "x" * 40, "x" * 40, "Data", "data", "", "'引号'"])
    assert names[0] == "abc"
    assert all(0 < len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert names[4] == "data_2" and names[6] == "引号"


def test_empty_tables_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_tables_xlsx({}, tmp_path / "x.xlsx")


def test_number_formats_follow_the_unit_in_the_header_then_the_value(tmp_path: Path) -> None:
    import openpyxl

    from helpers.output.excel import write_tables_xlsx

    table = pd.DataFrame(
        {
            "指标": ["项目", "实际进资"],
            "2022年": pd.Series([528, 2689.89], dtype=object),  # a column mixing a count and an amount
            "新认定省外亿元以上项目（个）": [211, 200],  # '亿元' in the name, but the unit is 个
            "实际进资（亿元）": [1352.91, 1238.25],
            "同比（%）": [9.26, None],
            "综合得分": [88.96, 85.63],
        }
    )
    path = write_tables_xlsx({"主要指标": table}, tmp_path / "t.xlsx")
    sheet = openpyxl.load_workbook(path)["主要指标"]
    formats = {sheet.cell(1, c).value: [sheet.cell(r, c).number_format for r in (2, 3)] for c in range(1, 7)}
    assert formats["2022年"] == ["#,##0", "#,##0.00"]
    assert formats["新认定省外亿元以上项目（个）"] == ["#,##0", "#,##0"]
    assert formats["实际进资（亿元）"] == ["#,##0.00", "#,##0.00"]
    assert formats["同比（%）"][0] == "0.00"
    assert formats["综合得分"] == ["#,##0.00", "#,##0.00"]


def test_units_of_rows_and_brackets_that_are_no_units(tmp_path: Path) -> None:
    """Counts in a column named after a tier (（100亿元以上）) stay integers; a share row in a
    count column keeps its 2 decimals; a 单位 column decides where the header says nothing."""
    tiers = pd.DataFrame({"事项": ["新签约", "新兴产业占比（%）"], "“100”项目（100亿元以上）": pd.array([2, None], dtype="Int64"),
                          "2022年（个）": pd.Series([24, 53.08], dtype=object)})
    reconciliation = pd.DataFrame({"指标": ["项目个数", "实际进资", "同比增长"], "单位": ["个", "亿元", "%"],
                                   "公开发布": pd.Series([528, 2010, 9.26], dtype=object)})
    path = write_tables_xlsx({"攻坚": tiers, "核对": reconciliation}, tmp_path / "t.xlsx", period="某市　2022年度")
    wb = openpyxl.load_workbook(path)
    assert wb["攻坚"]["B2"].number_format == INTEGER_FORMAT and wb["攻坚"]["B2"].value == 2
    assert wb["攻坚"]["C2"].number_format == INTEGER_FORMAT
    assert wb["攻坚"]["C3"].number_format == PERCENT_FORMAT and wb["攻坚"]["C3"].value == 53.08
    assert [wb["核对"].cell(r, 3).number_format for r in (2, 3, 4)] == [INTEGER_FORMAT, AMOUNT_FORMAT, PERCENT_FORMAT]


def test_every_sheet_prints_on_a4_one_page_wide_with_titles(tmp_path: Path) -> None:
    wide = pd.DataFrame({f"较长的指标名称第{i}项（个）": [1, 2] for i in range(12)})
    path = write_tables_xlsx({**_tables(), "宽表": wide}, tmp_path / "t.xlsx", period="某市　2022年度")
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1"
        assert ws.oddHeader.right.text == "某市　2022年度" and "&P" in ws.oddFooter.center.text
        assert ws["A1"].alignment.wrap_text
    assert wb["宽表"].page_setup.orientation == "landscape" and wb["县区"].page_setup.orientation == "portrait"
    assert wb["宽表"].oddHeader.center.text == "宽表"
    assert wb["宽表"].column_dimensions["A"].width <= 18  # a long header wraps instead of widening the column


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    table = pd.DataFrame({"项目名称": ["=HYPERLINK(\"http://x\")", "+86 项目", "@某公司", "-"]})
    path = write_tables_xlsx({"清单": table}, tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    ws = openpyxl.load_workbook(path)["清单"]
    assert [ws.cell(r, 1).value for r in range(2, 6)] == table["项目名称"].tolist()
    assert all(ws.cell(r, 1).data_type == "s" and ws.cell(r, 1).quotePrefix for r in range(2, 6))
