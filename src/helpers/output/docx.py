"""Word (.docx) version of a report, built from the executed notebook (GB/T 9704 layout).

:func:`notebook_blocks` walks an executed notebook — markdown cells and ``text/markdown``
outputs become headings and body paragraphs, HTML tables become tables, ``image/png``
outputs become pictures — and :func:`write_report_docx` lays them out as an official
document: A4, margins of GB/T 9704 (top 37 mm, left 28 mm, right 26 mm, bottom 35 mm), title
in 小标宋, body in 仿宋 16 pt with fixed 28.95 pt lines and a two-character indent, level-1
headings in 黑体, level-2 in 楷体, page numbers ``— 1 —`` (odd pages right, even pages left).
Tables repeat their header row on every page, right-align numbers and span the type area;
a table too wide for a portrait page goes on a landscape section, one too wide for that is
split into column groups that each repeat the first column. Every text is a plain run (no
field is ever made from ledger text). Identical notebooks give byte-identical files.
"""

from __future__ import annotations

import base64
import copy
import html
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Length, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from nbformat import NotebookNode

from helpers.normalize import display_width
from helpers.output.ooxml import normalized_ooxml_bytes
from helpers.paths import write_atomic

__all__ = [
    "Block",
    "TableData",
    "notebook_blocks",
    "build_docx",
    "write_report_docx",
    "FONT_TITLE",
    "FONT_BODY",
    "FONT_HEADING_1",
    "FONT_HEADING_2",
    "FONT_PAGE_NUMBER",
]

#: Faces named as Word and WPS on a Chinese desktop know them (fallbacks in the font table).
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING_1 = "黑体"
FONT_HEADING_2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
FONT_LATIN = "Times New Roman"
#: Alternative names Word/WPS use when a face is missing (written into word/fontTable.xml).
FONT_FALLBACKS = {FONT_TITLE: "黑体", FONT_BODY: "仿宋", FONT_HEADING_2: "楷体", FONT_PAGE_NUMBER: "SimSun"}
AUTHOR = "招商引资分析工具包"

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
BODY_SIZE, TITLE_SIZE, TABLE_SIZE, PAGE_NUMBER_SIZE = Pt(16), Pt(22), Pt(10.5), Pt(14)
LINE_SPACING = Pt(28.95)
CELL_PADDING_EM = 1.2  # left + right cell margins (0.08 in each) in table-font ems
TEXT_COLUMN_MIN_EM = 5.0  # a text column is never squeezed below five characters
_NUMBER = re.compile(r"^[+\-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")
_MISSING = {"—", "-", ""}
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:(\d+)[.)]|[-*+])\s+(.*)$")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BOLD_ONLY = re.compile(r"^\*\*(.+)\*\*$", re.DOTALL)


# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class TableData:
    """A table as shown: header texts and body rows (already formatted text)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def numeric_columns(self) -> tuple[bool, ...]:
        """Columns whose body cells are all numbers (or missing, "—"), at least one a number."""
        flags = []
        for j in range(len(self.header)):
            cells = [row[j] for row in self.rows if j < len(row)]
            present = [c for c in cells if c.strip() not in _MISSING]
            flags.append(bool(present) and all(_NUMBER.match(c.strip()) for c in present))
        return tuple(flags)


@dataclass(frozen=True)
class Block:
    """One element of the document: ``kind`` is title, subtitle, heading (``level`` 1–3),
    paragraph, caption, table or picture."""

    kind: str
    text: str = ""
    level: int = 0
    table: TableData | None = None
    png: bytes | None = None


class _TableParser(HTMLParser):
    """Collects the cells of every ``<table>`` in an HTML fragment (style/script text ignored)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[list[str]], list[list[str]]]] = []
        self._skip = 0
        self._section = "tbody"
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "table":
            self.tables.append(([], []))
            self._section = "tbody"
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = "thead" if tag == "thead" else "tbody"
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            head, body = self.tables[-1]
            (head if self._section == "thead" else body).append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def html_tables(fragment: str) -> list[TableData]:
    """The tables of an HTML fragment (a pandas/Styler table: one header row, index hidden).

    >>> html_tables("<style>td {x}</style><table><thead><tr><th>指标</th><th>值</th></tr></thead>"
    ...             "<tbody><tr><td>项目 &amp; 资金</td><td>1,352.91</td></tr></tbody></table>")[0].rows
    (('项目 & 资金', '1,352.91'),)
    """
    parser = _TableParser()
    parser.feed(fragment)
    parser.close()
    tables = []
    for head, body in parser.tables:
        if not head and body:
            head, body = [body[0]], body[1:]
        if not head:
            continue
        header = tuple(" / ".join(part for part in parts if part) for parts in zip(*head, strict=True))
        width = len(header)
        rows = tuple(tuple((row + [""] * width)[:width]) for row in body)
        tables.append(TableData(header=header, rows=rows))
    return tables


def plain_text(markdown: str) -> str:
    """Inline markdown → plain text: emphasis, code marks and link targets dropped, escapes undone.

    >>> plain_text(r"**九江市**　`helpers` [说明](http://x) 1\\*2")
    '九江市\u3000helpers 说明 1*2'
    """
    text = _LINK.sub(r"\1", markdown)
    text = re.sub(r"(?<!\\)\*\*(.+?)(?<!\\)\*\*", r"\1", text)
    text = re.sub(r"(?<!\\)__(.+?)(?<!\\)__", r"\1", text)
    text = re.sub(r"(?<!\\)`([^`]*)`", r"\1", text)
    return _ESCAPED.sub(r"\1", text).strip()


def markdown_blocks(markdown: str) -> list[Block]:
    """Headings, paragraphs (consecutive lines joined) and list items of a markdown text.

    A paragraph that is bold as a whole is a ``caption`` (it names the table below it).
    """
    blocks: list[Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            joined = "".join(line.strip() for line in lines)
            bold = _BOLD_ONLY.match(joined)
            text = plain_text(joined)
            if text:
                blocks.append(Block("caption" if bold else "paragraph", text))
            lines.clear()

    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        item = _LIST_ITEM.match(line)
        if heading:
            flush()
            blocks.append(Block("heading", plain_text(heading.group(2)), level=len(heading.group(1))))
        elif not line.strip():
            flush()
        elif item:
            flush()
            number = f"{item.group(1)}." if item.group(1) else ""
            blocks.append(Block("paragraph", number + plain_text(item.group(2))))
        else:
            lines.append(line)
    flush()
    return blocks


def _output_blocks(output: NotebookNode) -> list[Block]:
    """Blocks of one code-cell output: a picture, tables, markdown text or plain text."""
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") != "stdout":
            return []
        return [Block("paragraph", line.strip()) for line in str(output.get("text", "")).splitlines() if line.strip()]
    if kind not in ("display_data", "execute_result"):
        return []
    data = output.get("data", {})
    if "image/png" in data:
        png = data["image/png"]
        return [Block("picture", png=base64.b64decode("".join(png) if isinstance(png, list) else png))]
    if "text/html" in data and "<table" in str(data["text/html"]):
        source = data["text/html"]
        return [Block("table", table=t) for t in html_tables("".join(source) if isinstance(source, list) else source)]
    if "text/markdown" in data:
        source = data["text/markdown"]
        return markdown_blocks("".join(source) if isinstance(source, list) else source)
    return []


def notebook_blocks(nb: NotebookNode) -> list[Block]:
    """The document's blocks in notebook order, code never included.

    The first level-1 markdown heading is the ``title``; the paragraphs and captions before the
    first section heading are the ``subtitle`` lines of the title block (city, period).
    """
    blocks: list[Block] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            blocks.extend(markdown_blocks(str(cell.get("source", ""))))
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs", []):
                blocks.extend(_output_blocks(output))
    result: list[Block] = []
    titled = in_front = False
    subtitles = 0  # the title block: title, then its subtitle lines, then the introduction
    for block in blocks:
        if block.kind == "heading" and block.level == 1 and not titled:
            result.append(Block("title", block.text))
            titled = in_front = True
            continue
        if block.kind == "heading":
            in_front = False
            result.append(Block("heading", block.text, level=min(3, max(1, block.level - 1))))
            continue
        if in_front and block.kind == "caption":
            subtitles += 1
            result.insert(next(i for i, b in enumerate(result) if b.kind == "title") + subtitles, Block("subtitle", block.text))
            continue
        result.append(block)
    return result


# --------------------------------------------------------------------------- layout


@dataclass
class _Page:
    """Type area of one orientation, in table-font ems and EMU."""

    landscape: bool
    width_emu: int = field(init=False)

    def __post_init__(self) -> None:
        page_width = PAGE_HEIGHT if self.landscape else PAGE_WIDTH
        left, right = (MARGIN_BOTTOM, MARGIN_TOP) if self.landscape else (MARGIN_LEFT, MARGIN_RIGHT)
        self.width_emu = int(page_width - left - right)

    @property
    def width_em(self) -> float:
        return self.width_emu / TABLE_SIZE


PORTRAIT, LANDSCAPE = _Page(False), _Page(True)


def _em(text: str) -> float:
    """Width of ``text`` in table-font ems (a CJK character is one em, ASCII half)."""
    return max((display_width(line) for line in text.split("\n")), default=0) / 2


def column_widths(table: TableData) -> tuple[list[float], list[float]]:
    """(minimum, natural) width of every column in ems, cell padding included.

    Numbers never wrap; text wraps down to five characters; headers wrap anywhere.
    """
    numeric = table.numeric_columns()
    minimum, natural = [], []
    for j, header in enumerate(table.header):
        body = [_em(row[j]) for row in table.rows]
        widest = max(body, default=0.0)
        head_min = min(_em(header), 2.0 if numeric[j] else TEXT_COLUMN_MIN_EM)
        low = max(widest, head_min) if numeric[j] else max(min(widest, TEXT_COLUMN_MIN_EM), head_min)
        minimum.append(low + CELL_PADDING_EM)
        natural.append(max(widest, _em(header), low) + CELL_PADDING_EM)
    return minimum, natural


def fit_widths(minimum: list[float], natural: list[float], available: float) -> list[float]:
    """Widths (ems) that fill ``available``: the natural widths stretched, or each column's
    minimum plus a share of the rest in proportion to what it would like more.

    >>> fit_widths([3, 3], [4, 8], 24)
    [8.0, 16.0]
    >>> [round(w, 2) for w in fit_widths([3, 5], [4, 25], 12)]
    [3.19, 8.81]
    """
    total_natural = sum(natural)
    if total_natural <= available:
        return [w * available / total_natural for w in natural]
    spare = available - sum(minimum)
    wants = [n - m for m, n in zip(minimum, natural, strict=True)]
    total_wants = sum(wants) or 1.0
    return [m + max(0.0, spare) * w / total_wants for m, w in zip(minimum, wants, strict=True)]


def split_columns(table: TableData, available: float) -> list[TableData]:
    """The table itself when its minimum widths fit ``available``, else the fewest column groups
    of about equal width that fit, each repeating the first column (the row label)."""
    minimum, _ = column_widths(table)
    if sum(minimum) <= available or len(table.header) <= 2:
        return [table]
    rest = list(range(1, len(table.header)))
    for count in range(2, len(rest) + 1):
        target = sum(minimum[j] for j in rest) / count
        groups: list[list[int]] = [[]]
        used = 0.0
        for j in rest:
            if groups[-1] and (used + minimum[j] / 2 > target * len(groups) or
                               sum(minimum[k] for k in groups[-1]) + minimum[j] + minimum[0] > available):
                groups.append([])
            groups[-1].append(j)
            used += minimum[j]
        if len(groups) <= count and all(minimum[0] + sum(minimum[k] for k in g) <= available for g in groups):
            break
    return [
        TableData(header=tuple(table.header[k] for k in [0, *g]), rows=tuple(tuple(row[k] for k in [0, *g]) for row in table.rows))
        for g in groups
    ]


def _needs_landscape(table: TableData) -> bool:
    minimum, _ = column_widths(table)
    return sum(minimum) > PORTRAIT.width_em


def _orientations(blocks: list[Block]) -> list[bool]:
    """Landscape flag per block: a wide table, its caption and — when nothing else comes
    between — the heading (and intro paragraphs) of its section go on a landscape section."""
    flags = [b.kind == "table" and b.table is not None and _needs_landscape(b.table) for b in blocks]
    for i, block in enumerate(blocks):
        if not (block.kind == "table" and flags[i]):
            continue
        j = i - 1
        while j >= 0 and blocks[j].kind == "caption":
            flags[j] = True
            j -= 1
        k = j
        while k >= 0 and blocks[k].kind == "paragraph":
            k -= 1
        if k >= 0 and blocks[k].kind == "heading":
            for m in range(k, j + 1):
                flags[m] = True
    return flags


# --------------------------------------------------------------------------- docx primitives


def set_run_fonts(run: Run, east_asia: str, size: Length, *, bold: bool = False, latin: str = FONT_LATIN) -> Run:
    """Explicit fonts on one run: Latin faces, the East-Asian face (``w:eastAsia``), size, colour."""
    _set_fonts(run._r.get_or_add_rPr(), east_asia, latin)  # noqa: SLF001 - python-docx has no eastAsia API
    run.font.size = size
    run.font.bold = bold
    run.font.color.rgb = RGBColor(0, 0, 0)
    return run


def _set_fonts(rpr: BaseOxmlElement, east_asia: str, latin: str) -> None:
    """Replace ``w:rFonts`` of an rPr by explicit ascii/hAnsi/cs/eastAsia faces (no theme fonts)."""
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attribute, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attribute), value)
    rpr.insert(0, fonts)


def _add_text(paragraph: Paragraph, text: str, east_asia: str, size: Length, *, bold: bool = False) -> None:
    """Plain text runs (a line break for every newline); never a field, whatever the text says."""
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        set_run_fonts(run, east_asia, size, bold=bold)
        if i:
            run._r.insert(run._r.index(run._r.find(qn("w:t"))), OxmlElement("w:br"))  # noqa: SLF001


#: No space before or after a paragraph (python-docx lengths are immutable, so one object serves).
NO_SPACE = Pt(0)


def _format(paragraph: Paragraph, *, align: int | None = None, indent: bool = False, exact: Length | None = LINE_SPACING,
            keep_with_next: bool = False, before: Length | None = NO_SPACE, after: Length | None = NO_SPACE) -> None:
    fmt = paragraph.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.first_line_indent = Pt(32) if indent else Pt(0)
    if exact is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = exact
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.space_before, fmt.space_after = before, after
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True


def _style_document(doc: DocxDocument) -> None:
    """Normal, Title and Heading 1–3 in the faces and sizes of official documents."""
    specs = {
        "Normal": (FONT_BODY, BODY_SIZE, False),
        "Title": (FONT_TITLE, TITLE_SIZE, False),
        "Heading 1": (FONT_HEADING_1, BODY_SIZE, False),
        "Heading 2": (FONT_HEADING_2, BODY_SIZE, False),
        "Heading 3": (FONT_BODY, BODY_SIZE, True),
    }
    for name, (face, size, bold) in specs.items():
        style = doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        _set_fonts(rpr, face, FONT_LATIN)
        style.font.size, style.font.bold, style.font.italic = size, bold, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        for lang in rpr.findall(qn("w:lang")):
            rpr.remove(lang)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        ppr = style.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)  # the template's Title has a blue rule below it
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(0), Pt(0)
        fmt.line_spacing, fmt.line_spacing_rule = LINE_SPACING, WD_LINE_SPACING.EXACTLY
        fmt.first_line_indent = Pt(0) if name == "Title" else Pt(32)
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER if name == "Title" else WD_ALIGN_PARAGRAPH.JUSTIFY
        if name.startswith("Heading"):
            fmt.keep_with_next = True
    doc.styles["Title"].paragraph_format.line_spacing = Pt(36)


def _set_page(section, page: _Page) -> None:
    """A4 in the given orientation; a landscape page keeps the portrait page's margins per edge
    (the binding edge becomes the top), so the type area is 225 mm × 156 mm rotated."""
    section.orientation = WD_ORIENT.LANDSCAPE if page.landscape else WD_ORIENT.PORTRAIT
    if page.landscape:
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        section.top_margin, section.bottom_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.left_margin, section.right_margin = MARGIN_BOTTOM, MARGIN_TOP
        section.footer_distance = Mm(14)
    else:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        section.footer_distance = Mm(24)
    section.header_distance = Mm(15)
    section.gutter = Mm(0)


def _page_number(paragraph: Paragraph) -> None:
    """``— PAGE —`` in 4号 宋体 with a PAGE field."""
    def run(text: str = "") -> Run:
        return set_run_fonts(paragraph.add_run(text), FONT_PAGE_NUMBER, PAGE_NUMBER_SIZE, latin=FONT_PAGE_NUMBER)

    run("— ")
    for kind in ("begin", None, "separate", "1", "end"):
        r = run()
        if kind is None:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = " PAGE "
            r._r.append(instruction)  # noqa: SLF001 - python-docx has no field API
        elif kind == "1":
            r.text = "1"
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)  # noqa: SLF001
    run(" —")


def _footers(doc: DocxDocument) -> None:
    """Page numbers: odd pages right, even pages left, one character in from the edge."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        _format(paragraph, align=align, exact=None)
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
        else:
            paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
        _page_number(paragraph)


def _cell_templates(numeric: tuple[bool, ...]) -> dict[tuple[bool, int], tuple[BaseOxmlElement, BaseOxmlElement]]:
    """(pPr, rPr) of header cells and of left/right-aligned body cells, built once per table
    with python-docx and copied into every cell (formatting thousands of cells one by one
    through the proxies takes seconds)."""
    templates = {}
    for header in (True, False):
        for align in {WD_ALIGN_PARAGRAPH.CENTER if header else WD_ALIGN_PARAGRAPH.RIGHT if n else WD_ALIGN_PARAGRAPH.LEFT for n in numeric}:
            paragraph = Paragraph(OxmlElement("w:p"), None)  # type: ignore[arg-type]  # a detached template paragraph has no story part
            _format(paragraph, align=align, exact=None)
            run = set_run_fonts(paragraph.add_run("x"), FONT_BODY, TABLE_SIZE, bold=header)
            templates[(header, int(align))] = (paragraph._p.get_or_add_pPr(), run._r.get_or_add_rPr())  # noqa: SLF001
    return templates


def _fill_cell(tc: BaseOxmlElement, text: str, ppr: BaseOxmlElement, rpr: BaseOxmlElement) -> None:
    """Put ``text`` into a table cell as plain runs (a ``w:br`` for every newline)."""
    paragraph = tc.p_lst[0]
    paragraph.insert(0, copy.deepcopy(ppr))
    run = OxmlElement("w:r")
    run.append(copy.deepcopy(rpr))
    for i, line in enumerate(text.split("\n")):
        if i:
            run.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        run.append(t)
    paragraph.append(run)


def _add_table(doc: DocxDocument, table: TableData, page: _Page) -> None:
    """One real Word table filling the type area: header repeated on every page and bold,
    numbers right-aligned, rows not split across pages."""
    minimum, natural = column_widths(table)
    widths = fit_widths(minimum, natural, page.width_em)
    numeric = table.numeric_columns()
    templates = _cell_templates(numeric)
    word_table = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    word_table.style = doc.styles["Table Grid"]
    word_table.alignment = WD_TABLE_ALIGNMENT.CENTER
    word_table.autofit = False
    emu = [Emu(int(w * TABLE_SIZE)) for w in widths]
    for column, width in zip(word_table.columns, emu, strict=True):
        column.width = width
    for i, tr in enumerate(word_table._tbl.tr_lst):  # noqa: SLF001 - see _cell_templates
        texts = table.header if i == 0 else table.rows[i - 1]
        trpr = tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if i == 0:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            trpr.append(header)
        for j, (tc, text) in enumerate(zip(tr.tc_lst, texts, strict=True)):
            tc.width = emu[j]
            tc.get_or_add_tcPr().vAlign_val = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            align = WD_ALIGN_PARAGRAPH.CENTER if i == 0 else WD_ALIGN_PARAGRAPH.RIGHT if numeric[j] else WD_ALIGN_PARAGRAPH.LEFT
            _fill_cell(tc, text, *templates[(i == 0, int(align))])
    spacer = doc.add_paragraph()
    _format(spacer, exact=Pt(14))


def _add_picture(doc: DocxDocument, png: bytes, page: _Page) -> None:
    """A chart centred at the width of the portrait type area (never taller than half a page)."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        pixels_wide, pixels_high = image.size
    width = min(PORTRAIT.width_emu, page.width_emu)
    height_limit = int(Mm(120) if page.landscape else Mm(180))
    if width * pixels_high / pixels_wide > height_limit:
        width = int(height_limit * pixels_wide / pixels_high)
    paragraph = doc.add_paragraph()
    _format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None, after=Pt(8))
    run = paragraph.add_run()
    set_run_fonts(run, FONT_BODY, BODY_SIZE)
    run.add_picture(io.BytesIO(png), width=Emu(width))


def _add_block(doc: DocxDocument, block: Block, page: _Page, next_kind: str | None) -> None:
    if block.kind == "title":
        paragraph = doc.add_paragraph(style="Title")
        _add_text(paragraph, block.text, FONT_TITLE, TITLE_SIZE)
    elif block.kind == "subtitle":
        paragraph = doc.add_paragraph()
        _format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, after=LINE_SPACING)
        _add_text(paragraph, block.text, FONT_HEADING_2, BODY_SIZE)
    elif block.kind == "heading":
        paragraph = doc.add_paragraph(style=f"Heading {block.level}")
        face = {1: FONT_HEADING_1, 2: FONT_HEADING_2}.get(block.level, FONT_BODY)
        _add_text(paragraph, block.text, face, BODY_SIZE, bold=block.level >= 3)
    elif block.kind == "caption":
        paragraph = doc.add_paragraph()
        _format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=next_kind in ("table", "picture"))
        _add_text(paragraph, block.text, FONT_HEADING_1, Pt(14))
    elif block.kind == "paragraph":
        paragraph = doc.add_paragraph()
        _format(paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
        _add_text(paragraph, block.text, FONT_BODY, BODY_SIZE)
    elif block.kind == "table" and block.table is not None:
        parts = split_columns(block.table, page.width_em)
        for n, part in enumerate(parts):
            if n:
                note = doc.add_paragraph()
                _format(note, align=WD_ALIGN_PARAGRAPH.LEFT, keep_with_next=True)
                _add_text(note, f"（续表{n}）", FONT_BODY, TABLE_SIZE)
            _add_table(doc, part, page)
    elif block.kind == "picture" and block.png is not None:
        _add_picture(doc, block.png, page)


def build_docx(blocks: list[Block], *, title: str) -> DocxDocument:
    """The Word document of ``blocks``: A4 sections (landscape where a table needs it)."""
    doc = Document()
    _style_document(doc)
    _set_page(doc.sections[0], PORTRAIT)
    _footers(doc)
    flags = _orientations(blocks)
    current = False
    for i, block in enumerate(blocks):
        if flags[i] != current:
            section = doc.add_section(WD_SECTION.NEW_PAGE)
            _set_page(section, LANDSCAPE if flags[i] else PORTRAIT)
            current = flags[i]
        next_kind = blocks[i + 1].kind if i + 1 < len(blocks) else None
        _add_block(doc, block, LANDSCAPE if current else PORTRAIT, next_kind)
    subtitle = next((b.text for b in blocks if b.kind == "subtitle"), "")
    _set_core_properties(doc, title, subtitle)
    return doc


def _set_core_properties(doc: DocxDocument, title: str, subject: str) -> None:
    """Fixed document properties (no date of today, no revision count, no template thumbnail)."""
    import datetime as dt

    props = doc.core_properties
    props.title, props.subject = title, subject
    props.author = props.last_modified_by = AUTHOR
    props.comments = props.keywords = props.category = ""
    props.language = "zh-CN"
    props.revision = 1
    props.created = props.modified = dt.datetime(2000, 1, 1)
    package = doc.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)


def _font_table(data: bytes) -> bytes:
    """Add the Chinese faces to word/fontTable.xml with GB2312 charset and an alternative name,
    so Word and WPS substitute a Chinese face (not a Latin one) where a face is missing."""
    text = data.decode("utf-8")
    entries = []
    for face in dict.fromkeys([FONT_TITLE, FONT_BODY, FONT_HEADING_1, FONT_HEADING_2, FONT_PAGE_NUMBER]):
        if f'w:name="{face}"' in text:
            continue
        alt = FONT_FALLBACKS.get(face)
        alt_xml = f'<w:altName w:val="{html.escape(alt)}"/>' if alt else ""
        entries.append(
            f'<w:font w:name="{html.escape(face)}">{alt_xml}<w:charset w:val="86"/>'
            '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        )
    return text.replace("</w:fonts>", "".join(entries) + "</w:fonts>").encode("utf-8")


def docx_bytes(doc: DocxDocument) -> bytes:
    """The saved document, normalised (fixed dates, zip times and order)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalized_ooxml_bytes(buffer.getvalue(), transform={"word/fontTable.xml": _font_table})


def write_report_docx(nb: NotebookNode, path: str | Path, *, title: str) -> Path:
    """Write the Word version of an executed notebook to ``path`` (atomically, deterministic)."""
    blocks = notebook_blocks(nb)
    if not any(b.kind == "title" for b in blocks):
        blocks.insert(0, Block("title", title))
    return write_atomic(Path(path), docx_bytes(build_docx(blocks, title=title)))

