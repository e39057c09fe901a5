"""Property tests of the cleaner on random messy ledgers: it never crashes and loses nothing.

Whatever the cells hold, every raw row is accounted for exactly once, the clean table and the
quarantine hold exactly the rows counted as clean and quarantined, and every quarantined row
says why.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
from conftest import REFERENCE_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.ingest.clean import COUNT_KEYS, clean_year
from helpers.reference import load_reference

REFERENCE = load_reference(REFERENCE_DIR)
HEADERS = ["序号", "项目编号", "项目名称", "资金来源", "所属地区", "产业类别", "总投资（亿元）", "本年实际进资", "签约日期", "数字经济", "企业性质"]
MESSY_TEXT = [
    "合计", "小计", "总 计", "待定", "2.5亿", "２．５", "贰亿伍仟万", "两亿", "25,000万元", "-3", "0", "庐山区", "经开区", "九江新区",
    "外省", "国外", "本市", "电子信息", "食品", "不存在的产业", "2022年3月", "2022.13.1", "20220230", "√", "否", "是否", "上市公司、独角兽",
    "填报说明：单位万元", "P001", "P002", "  ", "\n", "—",
]
cells = st.one_of(
    st.none(),
    st.sampled_from(MESSY_TEXT),
    st.text(max_size=8),
    st.integers(min_value=-10**6, max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
rows = st.lists(st.lists(cells, min_size=len(HEADERS), max_size=len(HEADERS)), max_size=12)


def _clean_text(value: object) -> object:
    """openpyxl refuses control characters in strings; Excel cannot hold them either."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch in "\n\t" or ord(ch) >= 32)
    return value


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows, with_title=st.booleans(), duplicate_first=st.booleans())
def test_random_ledgers_lose_nothing(rows, with_title, duplicate_first):
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw" / "2022"
        raw.mkdir(parents=True)
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "项目台账"
        if with_title:
            sheet.append(["2022年招商项目台账"])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
            sheet.append(["单位：万元"])
        sheet.append(HEADERS)
        body = [[_clean_text(v) for v in row] for row in rows]
        if duplicate_first and body:
            body.append(list(body[0]))
        for row in body:
            sheet.append(row)
        workbook.save(raw / "台账.xlsx")

        result = clean_year(raw, 2022, REFERENCE)

    counts = result.counts()["projects"]
    assert counts["rows_read"] == sum(counts[k] for k in COUNT_KEYS if k != "rows_read")
    assert counts["rows_read"] <= len(body)
    assert len(result.tables["projects"]) == counts["clean"]
    assert (result.quarantine["table"] == "projects").sum() == counts["quarantined"]
    assert result.quarantine["reasons"].str.len().gt(0).all()
    assert result.tables["projects"]["project_id"].is_unique
    assert (result.tables["projects"]["total_investment"] > 0).all()
