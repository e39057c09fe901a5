"""Reference data: loads and validates; a broken table stops with file, row and column."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from conftest import REFERENCE_DIR

from helpers.errors import ReferenceDataError
from helpers.reference import alias_map, load_reference

# Line of each key in indicators.csv, as Excel numbers it (the header is line 1).
LINE = {
    line.split(",")[0]: number
    for number, line in enumerate((REFERENCE_DIR / "indicators.csv").read_text(encoding="utf-8").splitlines(), start=1)
}


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
        # Conversions: a cell that does not convert names file, row (header = row 1) and column.
        ("campaigns.csv", lambda t: t.replace("2022,", "2022年,"), "campaigns.csv 第 2 行: 列 year 应为整数，实为 '2022年'"),
        ("assessment_weights.csv", lambda t: t.replace(",30\n", ",三十\n", 1), "assessment_weights.csv 第 2 行: 列 weight 应为数字，实为 '三十'"),
        ("assessment_weights.csv", lambda t: t.replace(",10\n", ",10%\n", 1), "assessment_weights.csv 第 4 行: 列 weight 应为数字"),
        ("indicators.csv", lambda t: t.replace(",亿元,2,true,true,8,10", ",万美元,2,true,true,8,10"), f"indicators.csv 第 {LINE['foreign_funds.funds']} 行: 单位 '万美元' 不可用"),
        ("indicators.csv", lambda t: t.replace("省外{small}以上项目个数", "省外{smal}以上项目个数"), "indicators.csv 第 6 行: 列 name 的占位符 {smal} 未知"),
        ("indicators.csv", lambda t: t.replace("新签约{big}以上项目个数", "境外资金实际进资"), f"indicators.csv 第 {LINE['foreign_funds.funds']} 行: 名称 境外资金实际进资 与第 {LINE['signed_100m.count']} 行重复"),
        ("indicators.csv", lambda t: t.replace("true,true,8,10", "true,true,7,10"), f"indicators.csv 第 {LINE['foreign_funds.funds']} 行: 列 breakdown 的位置 7 与第 {LINE['signed_100m.count']} 行重复"),
        ("indicators.csv", lambda t: t.replace(",个,0,true,true,1,1", ",个,0,yes,true,1,1"), "indicators.csv 第 2 行: 列 ranked 应为 true/false"),
        ("units.csv", lambda t: t.replace("浔阳区,360403,区,浔阳", "浔阳区,360403,区,浔阳,多余"), "units.csv 第 3 行: 有 5 个字段，表头只有 4 列"),
        ("units.csv", lambda t: "", "units.csv: 文件为空"),
        # Encodings: GB18030 is read (and its rows still reported); bytes that are neither are a one-line error.
        ("units.csv", lambda t: (t + "瑞昌市,360481,县级市,\n").encode("gb18030"), "units.csv: 列 name 有重复值 ['瑞昌市']"),
        ("units.csv", lambda t: b"\xff\xfe\xff" + t.encode("utf-8"), "units.csv: 无法识别文件编码"),
        # YAML: syntax errors name line and column; the top level must be a mapping.
        ("categories.yaml", lambda t: t.replace("source:", "source: [", 1), "categories.yaml 第 4 行第 3 列: YAML 格式错误"),
        ("settings.yaml", lambda t: t.replace("city: 九江市", "city: 九江市: 濂溪区"), "settings.yaml 第 2 行第 10 列: YAML 格式错误"),
        ("ledger_format.yaml", lambda t: "\t" + t, "ledger_format.yaml 第 1 行第 1 列: YAML 格式错误"),
        ("thresholds.yaml", lambda t: "- 0.2\n- 1\n", "thresholds.yaml: 顶层应为“键: 值”映射，实为 列表"),
        ("settings.yaml", lambda t: "# 全部被注释掉\n", "settings.yaml: 顶层应为“键: 值”映射，实为 空内容"),
        ("categories.yaml", lambda t: "九江市\n", "categories.yaml: 顶层应为“键: 值”映射，实为 str '九江市'"),
        ("settings.yaml", lambda t: t.replace("default_year: 2022", "default_year: 2022年"), "settings.yaml: default_year 应为整数，实为 '2022年'"),
        ("thresholds.yaml", lambda t: t.replace("outside_projects_min: 0.2", "outside_projects_min: 两千万"), "thresholds.yaml: outside_projects_min 应为数字"),
        ("categories.yaml", lambda t: "source: 本市\n", "categories.yaml: source 应为“规范值: [别名…]”映射"),
        # Values that would count silently wrong: bands out of order, a threshold not positive, a weight below zero, one twice.
        ("thresholds.yaml", lambda t: t.replace("[10, 30]", "[30, 10]"), "thresholds.yaml: big_started_bands 应从小到大排列（如 [10, 30]），实为 [30, 10]"),
        ("thresholds.yaml", lambda t: t.replace("hundred_million_min: 1 ", "hundred_million_min: -1 "), "thresholds.yaml: hundred_million_min 应为正数"),
        ("thresholds.yaml", lambda t: t.replace("tier_50_min: 50", "tier_50_min: 500"), "thresholds.yaml: tier_50_min（500）应小于 tier_100_min（100）"),
        ("assessment_weights.csv", lambda t: t.replace("foreign_funds.funds,30", "foreign_funds.funds,-30"), "assessment_weights.csv 第 3 行: 权重不能为负数（-30）"),
        ("assessment_weights.csv", lambda t: t + "foreign_funds.funds,5\n", "指标 境外资金实际进资 已有权重（第 3 行）；每个指标只能有一行"),
        ("chains.csv", lambda t: t.replace("LED,county,瑞昌市,", "LED,county,瑞昌线,"), "chains.csv 第 11 行: 县区 瑞昌线 不在 units.csv 中（名称或别名）"),
    ],
    ids=[
        "duplicate-unit", "bad-flag", "alias-collision", "reversed-window", "bad-date", "unknown-weight", "missing-column", "city-missing",
        "year-with-suffix", "weight-in-words", "weight-percent", "unknown-unit", "unknown-placeholder", "duplicate-name", "duplicate-position", "bad-ranked-flag", "extra-field", "empty-csv",
        "gb18030-duplicate", "undecodable-csv",
        "yaml-syntax", "yaml-mapping-in-value", "yaml-tab", "yaml-top-list", "yaml-empty", "yaml-top-scalar",
        "default-year-text", "threshold-text", "category-not-mapping",
        "bands-reversed", "threshold-negative", "tiers-out-of-order", "weight-negative", "weight-twice", "chain-county-typo",
    ],
)
def test_broken_tables_are_reported(tmp_path, file, edit, message):
    folder = _copy(tmp_path)
    path = folder / file
    broken = edit(path.read_text(encoding="utf-8"))
    if isinstance(broken, bytes):  # a file saved in another encoding
        path.write_bytes(broken)
    else:
        path.write_text(broken, encoding="utf-8")
    with pytest.raises(ReferenceDataError) as error:
        _ = load_reference(folder).lookups  # lookups are built lazily; build them too
    assert message in str(error.value)
    assert "\n" not in str(error.value)  # the CLI prints it as one line


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig"])
def test_excel_encodings_load_silently(tmp_path, capsys, reference, encoding):
    """units.csv saved by Excel/WPS on Chinese Windows (GBK/GB18030) or as "CSV UTF-8" (BOM) loads as the UTF-8 one."""
    folder = _copy(tmp_path)
    path = folder / "units.csv"
    encoded = path.read_text(encoding="utf-8").encode(encoding)
    if encoding != "utf-8-sig":
        with pytest.raises(UnicodeDecodeError):
            encoded.decode("utf-8")  # the test really exercises the fallback
    path.write_bytes(encoded)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = load_reference(folder)
    assert capsys.readouterr() == ("", "")  # the fallback says nothing
    assert list(loaded.units.columns) == list(reference.units.columns)
    assert loaded.units.equals(reference.units)
    assert loaded.lookups == reference.lookups
    assert loaded.lookups["county"]["庐山区"] == "濂溪区"


def test_missing_folder_and_file(tmp_path):
    with pytest.raises(ReferenceDataError, match="参考数据目录不存在"):
        load_reference(tmp_path / "nowhere")
    folder = _copy(tmp_path)
    (folder / "thresholds.yaml").unlink()
    with pytest.raises(ReferenceDataError, match="thresholds.yaml"):
        load_reference(folder)


def test_alias_map_example():
    import pandas as pd

    assert alias_map(pd.DataFrame({"name": ["A", "B"], "aliases": ["a1|a2", ""]}), "x.csv") == {"A": "A", "a1": "A", "a2": "A", "B": "B"}


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda text: text.replace("  outside_province: [省外]         # 省外: from other provinces\n", ""), "缺少 source 的角色 outside_province"),
        (lambda text: text.replace("team: [产业链招商小分队]", "team: [产业链小分队队]"), "产业链小分队队 不在 categories.yaml"),
        (lambda text: text.replace("progress:                     # 项目信息·进展\n  signed: [已签约]\n", ""), "缺少 progress"),
    ],
    ids=["missing-role", "unknown-value", "missing-vocabulary"],
)
def test_roles_the_code_needs_are_checked_on_load(tmp_path, edit, message):
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    path = folder / "roles.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=message) as error:
        load_reference(folder)
    assert "\n" not in str(error.value) and "roles.yaml" in str(error.value)


def test_renaming_a_vocabulary_value_without_its_role_is_an_error_not_a_zero(tmp_path):
    """Renaming 省外 in categories.yaml alone would make every 省外 figure 0: it stops the load instead."""
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    path = folder / "categories.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  省外: [外省", "  外省资金: [外省"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="source/outside_city 的取值 省外 不在 categories.yaml"):
        load_reference(folder)


YAML_FILES = sorted(p for p in Path(__file__).resolve().parents[1].glob("data/**/*.yaml"))


@pytest.mark.parametrize(
    "text",
    [path.read_text(encoding="utf-8-sig") for path in YAML_FILES]
    + ["a: &x [1, 2]\nb: *x\n", "date: 2022-06-01\nwhen: 2022-06-01 08:00:00\n", "n: 0o17\nm: 1_000\nf: .5\nyes: no\n",
       "s: '它''s'\nt: \"\\t制表\"\n", "- 1\n-\n  - 中文: 值\n", ""],
    ids=[path.name for path in YAML_FILES] + ["anchors", "dates", "numbers-and-booleans", "quotes", "nested", "empty"],
)
def test_the_fast_yaml_loader_reads_what_the_pure_one_reads(text):
    """libyaml's parser with PyYAML's safe constructor: the same values as ``yaml.safe_load``."""
    import yaml

    from helpers.reference.tables import safe_load_yaml

    assert safe_load_yaml(text) == yaml.safe_load(text)
    assert type(safe_load_yaml(text)) is type(yaml.safe_load(text))


def test_a_document_the_fast_loader_refuses_raises_the_pure_parsers_error():
    import yaml

    from helpers.reference.tables import safe_load_yaml

    text = "city: 九江市: 濂溪区\n"
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError) as fast:
        safe_load_yaml(text)
    assert str(fast.value) == str(pure.value)


def test_a_county_indicator_the_kit_cannot_compute_is_named(tmp_path):
    from helpers.errors import ReferenceDataError
    from helpers.indicators.metrics import county_breakdown
    from helpers.ingest.cache import load_year

    folder = _copy(tmp_path)
    path = folder / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("outside_city_projects.count,", "outside_city_project.count,", 1), encoding="utf-8")
    reference = load_reference(folder)
    projects = load_year(2022, None, load_reference()).tables["projects"]
    with pytest.raises(ReferenceDataError, match="indicators.csv: 分县指标 outside_city_project.count 不是本工具能计算的指标；可用：outside_city_projects.count"):
        county_breakdown(projects, reference, 2022)


def test_bulletin_schedule_bands_in_order(tmp_path):
    from helpers.errors import ReferenceDataError
    from helpers.products.monthly_bulletin import load_settings

    folder = _copy(tmp_path)
    path = folder / "bulletin.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("behind_pp: -10", "behind_pp: 5"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"^bulletin.yaml: schedule.behind_pp（5）应不大于 on_schedule_pp（0）$"):
        load_settings(load_reference(folder))
