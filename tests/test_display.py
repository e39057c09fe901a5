"""Tests for helpers.viz.display.show_table: unique deterministic ids, text twin, alignment."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers.viz import display as display_module


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, dict]]:
    """Everything show_table passes to IPython's display (patched where display.py looks it up)."""
    calls: list[tuple[object, dict]] = []
    monkeypatch.setattr(display_module, "display", lambda obj, **kw: calls.append((obj, kw)))
    return calls


def _bundle(calls: list[tuple[object, dict]]) -> dict[str, str]:
    bundles = [obj for obj, kw in calls if isinstance(obj, dict) and kw.get("raw") is True]
    assert len(bundles) == 1
    assert set(bundles[0]) == {"text/html", "text/plain"}
    return bundles[0]


def _render(calls: list[tuple[object, dict]], table: pd.DataFrame, caption: str | None = None) -> dict[str, str]:
    calls.clear()
    display_module.show_table(table, caption)
    return _bundle(calls)


def _ids(html: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', html))


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {"县区": ["濂溪区", "瑞昌市", "湖口县"], "签约金额": [1234.5, np.nan, 3.25], "项目数": [3, 1, None]}
    )


def test_different_tables_get_different_ids(shown: list) -> None:
    first = _render(shown, _table(), "表1 各县区签约")["text/html"]
    other = _table().assign(签约金额=[1.0, 2.0, 3.0])
    second = _render(shown, other, "表1 各县区签约")["text/html"]
    same_data_other_caption = _render(shown, _table(), "表2 另一张表")["text/html"]
    ids = [_ids(first), _ids(second), _ids(same_data_other_caption)]
    assert all(ids)
    assert not ids[0] & ids[1] and not ids[0] & ids[2] and not ids[1] & ids[2]
    assert "T_t_" not in first  # no shared fixed uuid any more
    # each table's <style> only addresses its own ids
    uuid = display_module.table_uuid(_table(), "表1 各县区签约")
    assert re.fullmatch(r"[0-9a-f]{10}", uuid)
    assert set(re.findall(r"#T_(\w+?)_row", first)) == {uuid}


def test_same_table_twice_gives_identical_html(shown: list) -> None:
    first = _render(shown, _table(), "表1")
    second = _render(shown, _table().copy(), "表1")
    assert first == second
    ids = re.findall(r'id="([^"]+)"', first["text/html"])
    assert len(ids) == len(set(ids))  # no duplicate ids inside one table


def test_text_twin_has_values_and_dash_for_missing(shown: list) -> None:
    bundle = _render(shown, _table(), "表1")
    text = bundle["text/plain"]
    for value in ("县区", "签约金额", "濂溪区", "瑞昌市", "1234.5", "3.25"):
        assert value in text
    assert "—" in text and "nan" not in text.lower() and "None" not in text
    html = bundle["text/html"]
    assert "1,234.50" in html and "—" in html and "nan" not in html.lower()


def test_numbers_right_aligned_text_left_aligned(shown: list) -> None:
    table = _table()
    html = _render(shown, table, "表1")["text/html"]
    uuid = display_module.table_uuid(table, "表1")
    style = html.split("</style>")[0]

    def rule(col: int) -> str:
        # Styler groups selectors sharing the same properties: find the rule naming this cell
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", style):
            if f"#T_{uuid}_row0_col{col}" in re.split(r"[\s,]+", selectors):
                return body
        raise AssertionError(f"no CSS rule for column {col}")

    assert "text-align: left" in rule(0)  # 县区: text
    assert "text-align: right" in rule(1)  # 签约金额: number
    assert "text-align: right" in rule(2)  # 项目数: number


def test_empty_table_shows_placeholder_without_html(shown: list) -> None:
    display_module.show_table(pd.DataFrame({"县区": []}), "空表")
    assert not [obj for obj, _ in shown if isinstance(obj, dict)]
    assert len(shown) == 2  # caption and "本期无数据"
    assert shown[1][0].data == "（本期无数据）"


def test_empty_table_can_show_nothing_when_the_words_above_say_so(shown: list) -> None:
    display_module.show_table(pd.DataFrame({"县区": []}), "空表", empty=None)
    assert shown == []  # neither the caption of a table that is not there nor a placeholder


def test_long_table_shows_its_first_rows_and_counts_the_rest(shown) -> None:
    table = pd.DataFrame({"项目名称": [f"项目{i}" for i in range(1234)], "总投资": [float(i) for i in range(1234)]})
    bundle = _render(shown, table, "隔离记录")
    assert bundle["text/html"].count("<tr>") == 1 + display_module.MAX_SHOWN  # header + shown rows
    assert "项目99<" in bundle["text/html"] and "项目100<" not in bundle["text/html"]
    notes = [obj.data for obj, _ in shown if hasattr(obj, "data") and "其余" in str(obj.data)]
    assert notes == ["（其余 1134 项略）"]


def test_table_at_the_limit_is_shown_whole(shown) -> None:
    table = pd.DataFrame({"项目名称": [f"项目{i}" for i in range(display_module.MAX_SHOWN)]})
    bundle = _render(shown, table)
    assert bundle["text/html"].count("<tr>") == 1 + display_module.MAX_SHOWN
    assert not [obj for obj, _ in shown if "其余" in str(getattr(obj, "data", ""))]


def test_long_list_counts_the_rest(shown) -> None:
    display_module.show_list([f"项目{i}" for i in range(105)])
    (markdown,) = [obj.data for obj, _ in shown]
    assert markdown.splitlines()[99] == "100. 项目99"
    assert markdown.endswith("（其余 5 项略）") and "101." not in markdown
