"""Tests for helpers.viz.style and helpers.viz.charts: CJK glyphs, layout, determinism."""

from __future__ import annotations

import base64
import io
import logging
import warnings
from collections.abc import Callable
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

matplotlib.use("Agg")

from helpers.viz import charts  # noqa: E402
from helpers.viz.style import CJK_FONT_CANDIDATES, figure_metadata, use_report_style  # noqa: E402

LONG_NAME = "电子信息（含半导体与新型显示器件制造）"


@pytest.fixture(scope="module")
def family() -> str:
    return use_report_style()


def _industries() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "产业": [LONG_NAME, "新材料", "装备制造", "现代轻纺", "生物医药"],
            "签约金额（亿元）": [123.456, 88.1, 230.0, 12.5, 56.78],
        }
    )


def _by_year() -> pd.DataFrame:
    counties = ["濂溪区", "浔阳区", "柴桑区", "瑞昌市", "共青城市"]
    return pd.DataFrame(
        {
            "县区": counties * 2,
            "年份": [2021] * 5 + [2022] * 5,
            "到位资金": [10, 20, 30, 5, 8, 15, 18, 40, 7, 9.5],
        }
    )


def _monthly() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "月份": [f"{m}月" for m in range(1, 13)] * 2,
            "年份": ["2021年"] * 12 + ["2022年"] * 12,
            "累计到位资金": [m * 10.5 for m in range(1, 13)] + [m * 12.25 for m in range(1, 13)],
        }
    )


def _trend() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "年度": [2020, 2021, 2022],
            "省外2000万元以上项目（个）": [448, 470, 488],
            "省外2000万元以上项目实际进资（亿元）": [1095.0, 1238.25, 1352.91],
            "境外资金实际进资（亿元）": [35.44, None, 25.2],
            "新签约1亿元以上项目（个）": [337, 382, 554],
        }
    )


def _ranks() -> pd.DataFrame:
    return pd.DataFrame(
        {"县（市、区）": ["濂溪区", "浔阳区", "柴桑区"], "2020年": [1, 3, 2], "2021年": [2, None, 1], "2022年": [3, 2, 1]}
    )


CHARTS: dict[str, Callable[[], Figure]] = {
    "small_multiples": lambda: charts.small_multiples(_trend(), "年度", list(_trend().columns[1:]), "历年主要指标"),
    "rank": lambda: charts.rank_chart(_ranks(), "县（市、区）", ["2020年", "2021年", "2022年"], "历年各县（市、区）排名"),
    "bar": lambda: charts.bar_chart(
        _industries(), "产业", "签约金额（亿元）", "2022年各产业签约金额", "签约金额（亿元）",
        highlight="新材料",
    ),
    "bar_vertical": lambda: charts.bar_chart(
        _industries(), "产业", "签约金额（亿元）", "各产业签约金额", "金额（亿元）", horizontal=False,
    ),
    "grouped": lambda: charts.grouped_bar_chart(
        _by_year(), "县区", "年份", "到位资金", "各县区到位资金对比", "到位资金（亿元）",
    ),
    "funnel": lambda: charts.funnel_chart(
        pd.DataFrame({"stage": ["洽谈项目", "签约项目", "开工项目", "投产项目"],
                      "count": [420, 180, 96, 40]}),
        "项目推进漏斗",
    ),
    "share_bar": lambda: charts.share_chart(
        _by_year(), "县区", "到位资金", "各年县区结构", group="年份",
    ),
    "share_donut": lambda: charts.share_chart(
        _industries(), "产业", "签约金额（亿元）", "产业结构", kind="donut", max_categories=4,
    ),
    "line": lambda: charts.line_chart(
        _monthly(), "月份", "累计到位资金", "年份", "月度累计到位资金", "累计金额（亿元）",
    ),
}


def test_style_registers_cjk_font_idempotently(family: str) -> None:
    assert family in CJK_FONT_CANDIDATES or "CJK" in family
    n_fonts = len(font_manager.fontManager.ttflist)
    assert use_report_style() == family
    assert len(font_manager.fontManager.ttflist) == n_fonts
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert Path(found).is_file()


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_renders_chinese_without_missing_glyphs(
    family: str, name: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="matplotlib.font_manager")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" fails the test
        fig = CHARTS[name]()
        path = charts.save_figure(fig, tmp_path / f"{name}.png")
    assert path.stat().st_size > 5_000
    assert fig.axes[0].get_title() or fig.get_suptitle()  # a title on the axes or the figure
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]


def test_missing_glyph_check_is_effective(family: str, tmp_path: Path) -> None:
    """Negative control: without the CJK font the glyph warning does fire."""
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        fig = Figure()
        fig.add_subplot().set_title("签约金额")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(UserWarning, match="missing from font"):
                fig.savefig(tmp_path / "x.png")


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_saving_twice_gives_identical_bytes(family: str, fmt: str, tmp_path: Path) -> None:
    fig = CHARTS["grouped"]()
    first = charts.save_figure(fig, tmp_path / f"a.{fmt}").read_bytes()
    second = charts.save_figure(fig, tmp_path / f"b.{fmt}").read_bytes()
    rebuilt = charts.save_figure(CHARTS["grouped"](), tmp_path / f"c.{fmt}").read_bytes()
    assert first == second == rebuilt
    assert b"Matplotlib v" not in first and b"matplotlib.org" not in first
    assert figure_metadata(fmt)  # timestamps / version strings are suppressed


def test_bar_chart_sorted_largest_first_with_wrapped_labels(family: str) -> None:
    fig = CHARTS["bar"]()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "装备制造"
    assert any("\n" in label for label in labels)  # long name wrapped
    assert ax.get_xlabel() == "签约金额（亿元）"
    texts = {t.get_text() for t in ax.texts}
    assert {"230.00", "123.46"} <= texts  # value labels on bars


def test_bar_chart_unknown_highlight_is_an_error(family: str) -> None:
    with pytest.raises(ValueError, match="九江"):
        charts.bar_chart(_industries(), "产业", "签约金额（亿元）", "标题", "金额", highlight="九江")


def test_funnel_shows_conversion_rates(family: str) -> None:
    fig = CHARTS["funnel"]()
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert "转化率 42.86%" in texts and "420 个" in texts
    assert "总体转化率 9.52%" in fig.axes[0].get_title()


def test_show_displays_png_and_text_twin_and_closes(family: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display
    import matplotlib.pyplot as plt

    shown: list[tuple[object, dict]] = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    fig = plt.figure()
    fig.add_subplot().set_title("测试")
    charts.show(fig)
    assert not plt.fignum_exists(fig.number)
    assert len(shown) == 1
    (payload,), kwargs = shown[0]
    assert set(payload) == {"image/png", "text/plain"} and kwargs.get("raw") is True
    assert payload["text/plain"].startswith("[图表] 测试")  # no <Figure …> repr
    # rendered at print resolution, shown at screen size
    from PIL import Image

    from helpers.viz.style import FIGURE_DPI, PRINT_DPI

    width, height = (int(round(v * FIGURE_DPI)) for v in fig.get_size_inches())
    assert kwargs["metadata"] == {"image/png": {"width": width, "height": height}}
    with Image.open(io.BytesIO(base64.b64decode(payload["image/png"]))) as image:
        assert image.size[0] == int(round(width * PRINT_DPI / FIGURE_DPI))


def test_figure_text_lists_the_plotted_numbers(family: str) -> None:
    frame = pd.DataFrame({"县": ["瑞昌市", "湖口县"], "金额": [12.5, 3.25]})
    fig = charts.bar_chart(frame, "县", "金额", "各县金额", "金额（亿元）")
    charts.figure_png_bytes(fig)
    text = charts.figure_text(fig)
    assert "各县金额" in text and "金额（亿元）" in text and "瑞昌市" in text and "12.50" in text and "3.25" in text


def test_style_keeps_seaborn_figure_level_plots_warning_free(family: str, tmp_path: Path) -> None:
    import matplotlib.pyplot as plt
    import seaborn as sns

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = sns.catplot(_industries(), x="产业", y="签约金额（亿元）", kind="bar")
        grid.savefig(tmp_path / "catplot.png")
    plt.close(grid.figure)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("line", ["2021年：126.00", "2022年：147.00"]),  # last values live only in the legend
        ("grouped", ["2021", "2022"]),
        ("share_bar", ["濂溪区", "柴桑区"]),
    ],
)
def test_figure_text_includes_figure_level_legends(family: str, name: str, expected: list[str]) -> None:
    fig = CHARTS[name]()
    assert fig.legends and fig.axes[0].get_legend() is None  # legend is figure-level
    charts.figure_png_bytes(fig)
    text = charts.figure_text(fig)
    legend_line = " | ".join(t.get_text() for t in fig.legends[0].get_texts())
    assert text.splitlines()[-1] == legend_line
    for label in expected:
        assert label in legend_line
    assert charts.figure_text(fig) == text  # deterministic


def test_figure_text_includes_figure_texts_once(family: str) -> None:
    fig = Figure()
    fig.add_subplot().set_title("子图")
    fig.suptitle("总标题")
    fig.text(0.01, 0.01, "数据来源：招商台账")
    fig.supxlabel("月份")
    text = charts.figure_text(fig)
    assert text.count("总标题") == 1
    assert text.splitlines()[0] == "[图表] 总标题"
    assert text.splitlines()[-1] == "数据来源：招商台账 | 月份"


def test_small_multiples_one_panel_per_indicator_every_year_and_value(family: str) -> None:
    fig = CHARTS["small_multiples"]()
    charts.figure_png_bytes(fig)
    assert len(fig.axes) == 4  # the two unused cells of the 3 × 2 grid are removed
    text = charts.figure_text(fig)
    lines = text.removeprefix("[图表] ").split("\n")
    assert lines[0] == "历年主要指标"
    assert lines[1] == "省外2000万元以上项目（个） | 2020 | 2021 | 2022 | 448 | 470 | 488"
    assert lines[2].endswith("2020 | 2021 | 2022 | 1,095.00 | 1,238.25 | 1,352.91")
    assert lines[3].endswith("| 35.44 | — | 25.20")  # missing: not drawn, never 0
    assert all("2020 | 2021 | 2022" in line for line in lines[1:])


def test_rank_chart_puts_the_latest_first_on_top(family: str) -> None:
    fig = CHARTS["rank"]()
    charts.figure_png_bytes(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["柴桑区", "浔阳区", "濂溪区"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020年", "2021年", "2022年"]
    assert [t.get_text() for t in ax.texts] == ["2", "1", "1", "3", "—", "2", "1", "2", "3"]
    assert "2022年" in charts.figure_text(fig)
