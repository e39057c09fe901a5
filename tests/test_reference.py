"""Reference data: loads and validates; a broken table stops with file, row and column."""

from __future__ import annotations

import shutil

import pytest

from conftest import REFERENCE_DIR
from helpers.reference import ReferenceError, alias_map, load_reference


def test_shipped_reference_is_valid(reference):
    assert reference.city == "九江市" and reference.default_year == 2022
    assert len(reference.units) == 16 and len(reference.cities) == 11
    assert reference.lookups["county"]["庐山区"] == "濂溪区"  # renamed 2016
    assert reference.lookups["county"]["九江县"] == "柴桑区"  # 2017
    assert reference.lookups["county"]["星子县"] == "庐山市"  # 2016
    assert reference.lookups["county"]["经开区"] == "九江经济技术开发区"
    assert reference.lookups["county"]["鄱阳湖生态科技城"] == "濂溪区"
    assert reference.lookups["category:source"]["外省"] == "省外"
    assert reference.lookups["event"]["庐山全球商界领袖大会"] == "2022庐山全球商界领袖大会"
    assert "新一代信息技术" in reference.digital_industries and "建材" not in reference.emerging_industries
    assert reference.threshold_wan("outside_projects_min") == 2000.0
    assert reference.weights["weight"].sum() == 100
    assert reference.campaign(2022)["start"].isoformat()[:10] == "2022-06-01"
    assert reference.campaign(2019) is None


def _copy(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


@pytest.mark.parametrize(
    "file, edit, message",
    [
        ("units.csv", lambda t: t + "瑞昌市,360481,县级市,\n", "units.csv: 列 name 有重复值"),
        ("industries.csv", lambda t: t.replace("电子信息,true,true", "电子信息,yes,true"), "industries.csv 第 2 行: 列 emerging"),
        ("units.csv", lambda t: t.replace("濂溪区,360402,区,庐山区", "濂溪区,360402,区,湖口"), "别名 '湖口'"),
        ("campaigns.csv", lambda t: t.replace("2022-09-30", "2022-05-30"), "campaigns.csv 第 2 行: 开始日期晚于结束日期"),
        ("events.csv", lambda t: t.replace("2022-05-19", "5月19日"), "events.csv 第 2 行: 列 date"),
        ("assessment_weights.csv", lambda t: t + "外资到位率,5\n", "不在 indicators.csv 中"),
        ("chains.csv", lambda t: t.replace("name,scope", "名称,scope"), "chains.csv: 缺少列 ['name']"),
        ("cities.csv", lambda t: t.replace("九江市,九江\n", ""), "未列出本市 九江市"),
    ],
    ids=["duplicate-unit", "bad-flag", "alias-collision", "reversed-window", "bad-date", "unknown-weight", "missing-column", "city-missing"],
)
def test_broken_tables_are_reported(tmp_path, file, edit, message):
    folder = _copy(tmp_path)
    path = folder / file
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ReferenceError) as error:
        load_reference(folder).lookups  # lookups are built lazily; build them too
    assert message in str(error.value)


def test_missing_folder_and_file(tmp_path):
    with pytest.raises(ReferenceError, match="参考数据目录不存在"):
        load_reference(tmp_path / "nowhere")
    folder = _copy(tmp_path)
    (folder / "thresholds.yaml").unlink()
    with pytest.raises(ReferenceError, match="thresholds.yaml"):
        load_reference(folder)


def test_alias_map_example():
    import pandas as pd

    assert alias_map(pd.DataFrame({"name": ["A", "B"], "aliases": ["a1|a2", ""]}), "x.csv") == {"A": "A", "a1": "A", "a2": "A", "B": "B"}
