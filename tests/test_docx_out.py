"""Tests for helpers.output.docx: the Word report read back with python-docx."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import docx
import matplotlib
import nbformat
import pandas as pd
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from helpers.output.docx import (
    FONT_BODY,
    FONT_HEADING_1,
    FONT_HEADING_2,
    FONT_TITLE,
    html_tables,
    notebook_blocks,
    write_report_docx,
)
from helpers.viz import charts
from helpers.viz.style import use_report_style

matplotlib.use("Agg")


def _table_output(table: pd.DataFrame) -> nbformat.NotebookNode:
    """A table output as ``display.show_table`` makes it (Styler HTML + text twin)."""
    shown = table.astype(object).where(table.notna(), "—")
    html = shown.style.hide(axis="index").format(precision=2, thousands=",").to_html()
    return nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": shown.to_string(index=False)})


def _markdown_output(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"text/markdown": text, "text/plain": "<Markdown>"})


def _chart_output() -> nbformat.NotebookNode:
    use_report_style()
    fig = charts.bar_chart(pd.DataFrame({"县": ["甲县", "乙县"], "金额": [1.5, 2.25]}), "县", "金额", "图一", "金额（亿元）")
    png = charts.figure_png_bytes(fig)
    return nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(png).decode(), "text/plain": "[图表] 图一"})


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    headline = pd.DataFrame({"指标": ["省外项目实际进资", "=1+1"], "单位": ["亿元", "个"], "2022年": [1352.91, 488]}, dtype=object)
    wide = pd.DataFrame({f"第{i}项指标完成率（%）": [100.0 + i, 90.5] for i in range(16)})
    wide.insert(0, "县（市、区）", ["甲县", "乙县"])
    medium = pd.DataFrame({f"较长的指标名称第{i}项（个）": [1234567, 2] for i in range(9)})
    medium.insert(0, "县（市、区）", ["甲县", "乙县"])
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 年度分析报告\n\n本报告自动生成。"),
        nbformat.v4.new_code_cell("show_text(...)", outputs=[_markdown_output("**某市　分析年度：2022年**")]),
        nbformat.v4.new_markdown_cell("## 一、主要指标\n\n说明文字，\n接着一行。"),
        nbformat.v4.new_code_cell("secret_code()", outputs=[_markdown_output("**主要指标表**"), _table_output(headline)]),
        nbformat.v4.new_markdown_cell("### （一）图表"),
        nbformat.v4.new_code_cell("charts.show(...)", outputs=[_chart_output()]),
        nbformat.v4.new_markdown_cell("## 二、分县情况"),
        nbformat.v4.new_code_cell("show_table(...)", outputs=[_table_output(medium)]),
        nbformat.v4.new_code_cell("show_table(...)", outputs=[_table_output(wide)]),
        nbformat.v4.new_markdown_cell("## 附录　运行信息"),
        nbformat.v4.new_code_cell("print('x')", outputs=[nbformat.v4.new_output("stream", name="stdout", text="运行完毕\n")]),
    ]
    return nb


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    return write_report_docx(_notebook(), tmp_path_factory.mktemp("docx") / "r.docx", title="年度分析报告")


@pytest.fixture(scope="module")
def document(written) -> docx.document.Document:
    return docx.Document(str(written))


def test_blocks_follow_the_notebook_without_code():
    blocks = notebook_blocks(_notebook())
    kinds = [(b.kind, b.level, b.text) for b in blocks if b.kind in ("title", "subtitle", "heading", "caption")]
    assert kinds == [
        ("title", 0, "年度分析报告"),
        ("subtitle", 0, "某市　分析年度：2022年"),
        ("heading", 1, "一、主要指标"),
        ("caption", 0, "主要指标表"),
        ("heading", 2, "（一）图表"),
        ("heading", 1, "二、分县情况"),
        ("heading", 1, "附录　运行信息"),
    ]
    assert [b.kind for b in blocks].count("picture") == 1
    assert "说明文字，接着一行。" in [b.text for b in blocks]
    assert not any("secret_code" in b.text or "print(" in b.text for b in blocks)


def test_html_tables_unescape_and_skip_styles():
    table = html_tables("<style>#T td {color: red}</style><table><thead><tr><th>名称</th><th>值</th></tr></thead>"
                        "<tbody><tr><td>&lt;b&gt;A &amp; B</td><td>1,234.50</td></tr></tbody></table>")[0]
    assert table.header == ("名称", "值") and table.rows == (("<b>A & B", "1,234.50"),)
    assert table.numeric_columns() == (False, True)


def test_headings_in_order_with_their_styles(document):
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [
        ("Title", "年度分析报告"),
        ("Heading 1", "一、主要指标"),
        ("Heading 2", "（一）图表"),
        ("Heading 1", "二、分县情况"),
        ("Heading 1", "附录　运行信息"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert "某市　分析年度：2022年" in texts and "运行完毕" in texts and "说明文字，接着一行。" in texts


def test_table_values_header_and_alignment(document):
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["指标", "单位", "2022年"]
    assert [c.text for c in table.rows[1].cells] == ["省外项目实际进资", "亿元", "1,352.91"]
    assert [c.text for c in table.rows[2].cells] == ["=1+1", "个", "488"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert table.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)
    # ledger text stays text: no field anywhere in the body (the PAGE field lives in the footer)
    body = document.element.body.xml
    assert "instrText" not in body and "fldSimple" not in body


def test_one_picture_per_chart_at_print_size(document, written):
    pictures = document.inline_shapes
    assert len(pictures) == 1
    assert abs(pictures[0].width - Mm(156)) < Mm(1)  # the width of the type area
    with zipfile.ZipFile(written) as archive:
        assert [n for n in archive.namelist() if n.startswith("word/media/")] == ["word/media/image1.png"]


def test_a4_margins_and_landscape_for_wide_tables(document):
    def mm(*lengths) -> list[float]:
        return [round(length.mm, 1) for length in lengths]

    first = document.sections[0]
    assert mm(first.page_width, first.page_height) == [210, 297]
    assert mm(first.top_margin, first.left_margin, first.right_margin, first.bottom_margin) == [37, 28, 26, 35]
    orientations = [s.orientation for s in document.sections]
    assert WD_ORIENT.LANDSCAPE in orientations and orientations[0] == WD_ORIENT.PORTRAIT
    landscape = next(s for s in document.sections if s.orientation == WD_ORIENT.LANDSCAPE)
    assert mm(landscape.page_width, landscape.page_height) == [297, 210]
    # the medium table fits a landscape page; the 17-column one is split, each part led by the county column
    assert len(document.tables[1].columns) == 10
    parts = document.tables[2:]
    assert len(parts) >= 2 and all(t.rows[0].cells[0].text == "县（市、区）" for t in parts)
    assert sum(len(t.columns) - 1 for t in parts) == 16
    assert parts[-1].rows[0].cells[-1].text == "第15项指标完成率（%）"


def test_page_number_field_in_the_footers(document):
    for footer in (document.sections[0].footer, document.sections[0].even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
    assert document.settings.odd_and_even_pages_header_footer


def test_every_run_has_an_east_asian_font(document):
    runs = [r for p in document.paragraphs for r in p.runs]
    runs += [r for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    runs += [r for p in document.sections[0].footer.paragraphs for r in p.runs]
    assert len(runs) > 50
    faces = set()
    for run in runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), run.text
        faces.add(fonts.get(qn("w:eastAsia")))
    assert {FONT_TITLE, FONT_BODY, FONT_HEADING_1, FONT_HEADING_2} <= faces
    body = next(p for p in document.paragraphs if p.text == "说明文字，接着一行。")
    assert body.runs[0].font.size.pt == 16 and body.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert body.paragraph_format.first_line_indent.pt == 32


def test_rerun_is_byte_identical_with_fixed_properties(written, tmp_path):
    again = write_report_docx(_notebook(), tmp_path / "again.docx", title="年度分析报告")
    assert again.read_bytes() == written.read_bytes()
    with zipfile.ZipFile(io.BytesIO(written.read_bytes())) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in archive.namelist()
        core = archive.read("docProps/core.xml").decode()
        fonts = archive.read("word/fontTable.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2 and "<cp:revision>1</cp:revision>" in core
    assert f'w:name="{FONT_TITLE}"><w:altName w:val="黑体"/>' in fonts
