"""Auto-drafted highlights: formats, dropped clauses and sentences, derived lists."""

from __future__ import annotations

import pytest

from helpers.products.highlights import (
    chinese_ordinal,
    derived_values,
    draft_highlights,
    draft_sentences,
    fill_clause,
    format_yi,
)


@pytest.mark.parametrize("number, text", [(1, "第一"), (2, "第二"), (10, "第十"), (11, "第十一"), (20, "第二十"), (34, "第三十四")])
def test_chinese_ordinal(number, text):
    assert chinese_ordinal(number) == text


@pytest.mark.parametrize("value, text", [(986.7, "986.7"), (637.0, "637"), (1352.91, "1352.91"), (0.5, "0.5"), (0.0, "0")])
def test_amounts_drop_trailing_zeros_like_the_article(value, text):
    assert format_yi(value) == text


@pytest.mark.parametrize(
    "clause, context, expected",
    [
        ("同比{a|growth}", {"a": 9.26}, "同比增长9.26%"),
        ("同比{a|growth}", {"a": -3.5}, "同比下降3.50%"),
        ("较上年{a|change}次", {"a": 64}, "较上年增加64次"),
        ("较上年{a|change}次", {"a": -5}, "较上年减少5次"),
        ("较上年{a|pp}", {"a": 3.08}, "较上年提高3.08个百分点"),
        ("较上年{a|pp}", {"a": -0.5}, "较上年降低0.50个百分点"),
        ("列全省{a|rank}", {"a": 1}, "列全省第一"),
        ("占比{a|pct}%", {"a": 69.7}, "占比69.70%"),
        ("项目{a|int}个", {"a": 0}, "项目0个"),
        ("项目{a|count}个", {"a": 0}, None),  # nothing happened: no clause
        ("同比{a|growth}", {"a": None}, None),  # not available: no clause, never 0
        ("同比{b/c|growth}", {"b": {}}, None),
    ],
    ids=["growth-up", "growth-down", "change-up", "change-down", "pp-up", "pp-down", "rank", "pct", "int-zero", "count-zero",
         "missing", "missing-path"],
)
def test_fill_clause(clause, context, expected):
    assert fill_clause(clause, context) == expected


def test_sentence_without_first_clause_is_left_out():
    templates = [["小分队外出{t|count}次", "对接{l|int}个"], ["项目{p|int}个", "同比{y|growth}", "列全省{r|rank}"]]
    assert draft_sentences(templates, {"t": 0, "l": 3, "p": 5, "y": None, "r": 2}) == ["项目5个，列全省第二。"]


def test_derived_values():
    metrics = {
        "event_signings": {
            "甲大会": {"count": 78, "total_investment": 900.0},
            "乙论坛": {"count": 48, "total_investment": 637.0},
            "丙推介会": {"count": 5, "total_investment": 10.0},
            "丁论坛": {"count": 30, "total_investment": 429.5},
        },
        "campaign": {"start": "2022-06-01", "end": "2022-09-30"},
        "chain_completeness": {"瑞昌市": {"LED": {"present": 65, "listed": 70, "links": 8, "pct": 92.86}},
                               "永修县": {"有机硅": {"present": 20, "listed": 29, "links": 6, "pct": 68.97}}},
    }
    derived = derived_values(metrics)
    assert derived["event_names"] == "甲大会、乙论坛、丁论坛"  # the three largest, in calendar (reference) order
    assert derived["event_counts"] == "78个、48个、30个"
    assert derived["event_total"] == 1966.5
    assert derived["campaign_period"] == "6月1日至9月30日"
    assert derived["chain_summary"] == "瑞昌市LED产业链8大组成部分70个子项中具备65个，产业链完整度达到92.86%"


def test_year_without_teams_or_previous_year_has_no_sentence_about_them(reference):
    metrics = {
        "outside_city_projects": {"count": 10, "funds": 12.5},
        "outside_city_new_100m": {"count": 4, "funds": 3.0},
        "team_trips": {"count": 0},
        "team_leads": {"count": 0, "planned_20b_plus": 0, "signed": 0, "signed_20b_plus": 0, "signed_amount": 0.0},
        "principal_trips": {"city_unit_count": 3, "city_units": 2, "county_count": 7, "county_count_yoy_change": None},
    }
    sentences = draft_highlights(metrics, reference)
    assert sentences[0] == "全市利用市外2000万元以上项目10个，实际进资12.5亿元，新认定亿元以上项目4个，实际进资3亿元。"
    assert not any("小分队" in s for s in sentences)
    assert "全年全市2个市直单位主要领导外出招商3次，各县（市、区）党政主官外出招商7次。" in sentences  # no YoY clause


@pytest.mark.parametrize(
    "content, message",
    [
        ("sentences: [[\"项目{a|money}个\"]]\n", "格式 ['money'] 不可用"),
        ("sentences: 全市\n", "sentences 应为句子列表"),
        ("sentences: [[\"a\"\n", "无法读取"),
    ],
    ids=["unknown-format", "not-a-list", "broken-yaml"],
)
def test_broken_highlight_templates_are_reported(tmp_path, content, message):
    import shutil

    from conftest import REFERENCE_DIR

    from helpers.errors import ReferenceDataError
    from helpers.reference import load_reference

    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    (folder / "highlights.yaml").write_text(content, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=message.replace("[", r"\[").replace("]", r"\]")):
        draft_highlights({}, load_reference(folder))
