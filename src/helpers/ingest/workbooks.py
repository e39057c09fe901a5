"""Workbooks → raw tables: find the sheets, the header row, the unit line and the columns.

This module knows about Excel layout only (title rows, unit lines, merged cells, header
variants, two-row headers with 1月…12月 under a group title). What a value means is the
business of ``cleaning``. Expected bad input raises ``LedgerError`` with a message that
names the file, the sheet and the column, and lists the headers that were found.
"""

from __future__ import annotations

import contextlib
import datetime
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

import python_calamine

from helpers.errors import LedgerError, os_reason
from helpers.ingest.cells import AMOUNT_UNIT_FACTORS, UncalculatedFormula, is_usd, normalize_unit, split_header
from helpers.normalize import is_blank, name_key, normalize_text
from helpers.paths import LEDGER_SUFFIXES, is_ignored_file, ledger_files, year_files

HEADER_SCAN_ROWS = 20
MONTH_HEADER = re.compile(r"^(1[0-2]|[1-9])月(?:份)?(?:实际进资|进资|到位资金)?$")
UNIT_LINE = re.compile(r"(?:单位|金额单位)\s*[:：]\s*(万美元|千美元|美元|千万元|万元|亿元|万|亿|元)")
USD_MONTH = "usd_month:"  # a 1月…12月 column in US dollars: kept apart, never added to 元 funds
_BRACKETED_TAIL = re.compile(r"[(\[【（].*$")
SEQUENCE_HEADERS = {"序号", "编码序号", "序"}
MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
# a formula element and its text, then the end of its cell: without a cached value (or an empty
# one) for UNCALCULATED; with any cached value for ANY_FORMULA (a workbook recalculated on load)
_FORMULA = rb"<(?:\w+:)?f\b(?P<attrs>[^>]*?)(?:/>|>(?P<text>[^<]*)</(?:\w+:)?f>)\s*"
UNCALCULATED = re.compile(_FORMULA + rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")
ANY_FORMULA = re.compile(_FORMULA + rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>[^<]*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")
CELL_ATTRIBUTE = re.compile(rb'\b(r|t)="([^"]*)"')
SHARED_INDEX = re.compile(rb'\bsi="(\d+)"')
RECALC_ON_LOAD = re.compile(rb"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad=\"(?:1|true)\"")
# a unit line that names a currency the kit does not convert (单位：万美元)
CURRENCY_UNIT_LINE = re.compile(r"(?:单位|金额单位)\s*[:：]\s*([^\s,，;；、(（)）]*(?:元|币|镑|美金|USD|HKD|EUR))", re.IGNORECASE)
# an error value stored in a cell (t="e"): python-calamine reads it as an empty cell, so it is taken from the XML
ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b(?P<attrs>[^>]*\bt="e"[^>]*)>(?P<body>.*?)</(?:\w+:)?c>', re.DOTALL)
ERROR_VALUE = re.compile(rb"<(?:\w+:)?v>(?P<value>[^<]*)</(?:\w+:)?v>")
FORMULA_WITH_TEXT = re.compile(rb"<(?:\w+:)?f\b(?P<attrs>[^>]*)>(?P<text>[^<]+)</(?:\w+:)?f>")
ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
MAX_EXACT_FLOAT = 2**53
#: Two sheets whose XML together is below this are held by calamine at once (the next one parsed
#: while the first is converted); bigger sheets one after the other (the peak memory at scale 400).
READ_AHEAD_XML_BYTES = 64 * 2**20
COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: an encrypted workbook or an old .xls
ACCEPTED_UNITS = "、".join(AMOUNT_UNIT_FACTORS)



@dataclass(frozen=True)
class Column:
    """One recognized column of a sheet."""

    index: int  # 0-based position in the sheet
    header: str  # the header as found (normalized text)
    field: str  # clean-table field, ``month:<m>`` for monthly funds (``usd_month:<m>`` in US dollars), ``sequence`` for 序号
    unit: str | None  # amount unit given in the header, if any


@dataclass
class SheetCells:
    """The cells of one worksheet as read: 1-based rows of values (a merged range's value copied
    into every cell, an :class:`UncalculatedFormula` marker where a formula was never calculated)
    and the merged ranges, (min_row, min_col, max_row, max_col)."""

    title: str
    matrix: list[list[Any]]
    merged: list[tuple[int, int, int, int]]


@dataclass
class RawSheet:
    """The table part of one sheet, with its layout resolved."""

    file: str
    sheet: str
    table: str  # key of ledger_format.yaml (projects, trips, …)
    header_row: int  # 1-based Excel row of the (last) header row
    unit: str | None  # unit line above the header (None when it names US dollars: see usd_unit)
    columns: list[Column]
    headers_found: list[str]
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)  # (excel row, values)
    # (excel row, header) of amount cells left empty because a merged cell spans several rows
    merged_amounts: list[tuple[int, str]] = field(default_factory=list)
    usd_unit: bool = False  # the sheet's unit line is in US dollars (单位：万美元)
    position: int = 0  # among its workbook's sheets (the order in which a parallel clean's parts are put together)


def merge_references(xml: bytes) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of every ``<mergeCell ref="A1:M1"/>`` of a sheet's XML.

    >>> merge_references(b'<mergeCells><mergeCell ref="A1:M1"/><mergeCell ref="B5"/></mergeCells>')
    [(1, 1, 1, 13), (5, 2, 5, 2)]
    """
    ranges: list[tuple[int, int, int, int]] = []
    if b"mergeCell" not in xml:  # a byte search, not a scan with the regular expression
        return ranges
    for ref in MERGE_CELL.findall(xml):
        first, _, last = ref.decode().partition(":")
        ranges.append((*_position(first), *_position(last or first)))
    return ranges


def recalculates_on_load(archive: zipfile.ZipFile) -> bool:
    """Whether the workbook asks to be recalculated when opened (``fullCalcOnLoad``): what
    openpyxl, XlsxWriter and other writers that cannot calculate set, so the values stored with
    its formulas (none, or a placeholder 0) are not results."""
    names = [n for n in archive.namelist() if n.lower().endswith("workbook.xml")]
    return any(RECALC_ON_LOAD.search(archive.read(name)) for name in names[:1])


def error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, column) → error value (``#REF!``) of every cell of a sheet's XML that holds an Excel
    error (``t="e"``), which python-calamine reads as an empty cell.

    >>> error_cells(b'<c r="C4" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D4"><v>5</v></c>')
    {(4, 3): '#DIV/0!'}
    """
    if b't="e"' not in xml:
        return {}
    found: dict[tuple[int, int], str] = {}
    for match in ERROR_CELL.finditer(xml):
        reference = dict(CELL_ATTRIBUTE.findall(match["attrs"])).get(b"r", b"").decode()
        value = ERROR_VALUE.search(match["body"])
        if reference and value is not None:
            found[_position(reference)] = _formula_text(value["value"])
    return found


def last_row_number(xml: bytes) -> int:
    """The number of the last ``<row>`` of a sheet's XML (0 when it has none): rows after the last
    value (empty but formatted) are read as blank rows, so every row of the sheet is counted.

    >>> last_row_number(b'<sheetData><row r="1"><c r="A1"/></row><row r="7" spans="1:3"/></sheetData>')
    7
    """
    tail = max(xml.rfind(b"<row"), xml.rfind(b":row "))
    match = ROW_NUMBER.match(xml, tail) if tail >= 0 else None
    if match is None and tail >= 0:  # rows without numbers (allowed by the format): count them
        return len(ROW_NUMBER.findall(xml)) or xml.count(b"<row")
    return int(match.group(1)) if match is not None else 0


def uncalculated_formulas(xml: bytes, recalculate: bool = False) -> dict[tuple[int, int], str]:
    """(row, column) → formula text (``=1200+300``) of every formula cell of a sheet's XML whose
    value was never calculated: no cached value, or an empty one (an empty cached *string*,
    ``t="str"``, is a calculated blank). With ``recalculate`` (see :func:`recalculates_on_load`)
    every formula counts. Shared formulas are translated from their anchor cell. Calculated
    formulas are skipped by the regular expression itself, so a sheet of them costs little.

    >>> uncalculated_formulas(b'<c r="B2"><f>1200+300</f><v/></c><c r="C2"><f>A1</f><v>5</v></c>')
    {(2, 2): '=1200+300'}
    """
    found, shared = _formula_cells(xml, recalculate)
    anchors = _shared_anchors(xml) if shared else {}
    for position, (reference, index) in shared.items():
        found[position] = _translated(anchors.get(index), reference)
    return found


def _has_formula(xml: bytes) -> bool:
    """Whether ``xml`` may hold a formula element (two byte searches; a wider net than the
    element itself, which the regular expressions then look for)."""
    return b"<f" in xml or b":f" in xml


def _formula_cells(xml: bytes, recalculate: bool) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], tuple[str, bytes]]]:
    """The uncalculated formulas of :func:`uncalculated_formulas` whose text is in their cell, and
    (cell reference, shared index) of those whose text is in their shared formula's anchor cell."""
    found: dict[tuple[int, int], str] = {}
    shared_cells: dict[tuple[int, int], tuple[str, bytes]] = {}
    if not _has_formula(xml):
        return found, shared_cells  # no formula at all (most ledgers): a byte search, not a scan
    pattern = ANY_FORMULA if recalculate else UNCALCULATED
    for match in pattern.finditer(xml):
        cell_start = xml.rfind(b"<", 0, match.start())
        attributes = dict(CELL_ATTRIBUTE.findall(xml[cell_start : match.start()]))
        if not recalculate and attributes.get(b"t") == b"str":
            continue  # a calculated empty string
        reference = attributes.get(b"r", b"").decode()
        if not reference:
            raise LedgerError("工作表中有未计算的公式，但单元格没有位置信息（r 属性）；请在 Excel 中打开并保存后重试")
        if match["text"]:
            found[_position(reference)] = "=" + _formula_text(match["text"])
            continue
        shared = SHARED_INDEX.search(match["attrs"])
        if shared is None:
            found[_position(reference)] = "=?（共享公式）"
        else:
            shared_cells[_position(reference)] = (reference, shared.group(1))
    return found, shared_cells


def _translated(anchor: tuple[str, str] | None, reference: str) -> str:
    """The formula of cell ``reference`` from its shared formula's anchor (cell, text)."""
    if anchor is None:
        return "=?（共享公式）"
    from openpyxl.formula.translate import Translator, TranslatorError  # only here (openpyxl is slow to import)

    try:
        return Translator("=" + anchor[1], origin=anchor[0]).translate_formula(reference)
    except TranslatorError:  # a reference moved off the sheet (an anchor below its dependent): not translatable
        return "=?（共享公式）"


def _shared_anchors(xml: bytes) -> dict[bytes, tuple[str, str] | None]:
    """Shared index → (cell, formula text) of its anchor: the first formula with the index and a
    text (None when that cell has no reference)."""
    anchors: dict[bytes, tuple[str, str] | None] = {}
    if not _has_formula(xml):
        return anchors
    for match in FORMULA_WITH_TEXT.finditer(xml):
        shared = SHARED_INDEX.search(match["attrs"])
        if shared is None or shared.group(1) in anchors:
            continue
        cell = CELL_ATTRIBUTE.findall(xml[xml.rfind(b"<", 0, match.start()) : match.start()])
        reference = dict(cell).get(b"r", b"").decode()
        anchors[shared.group(1)] = (reference, _formula_text(match["text"])) if reference else None
    return anchors


@dataclass
class SheetXmlFacts:
    """What a sheet's XML says beyond the cell values python-calamine gives: the formulas never
    calculated, the Excel error values, the number of the last row and the merged ranges."""

    formulas: dict[tuple[int, int], str]
    errors: dict[tuple[int, int], str]
    last_row: int
    merged: list[tuple[int, int, int, int]]


#: Bytes of sheet XML read at a time (a big ledger's sheet is hundreds of MB uncompressed).
XML_PIECE = 8 << 20


def xml_pieces(handle: IO[bytes], size: int = XML_PIECE) -> Iterator[bytes]:
    """A sheet's XML in pieces of about ``size`` bytes, each cut just before a ``<row`` tag, so
    that no cell, row or merged range is split between two pieces.

    >>> import io
    >>> [p.decode() for p in xml_pieces(io.BytesIO(b'<d><row r="1"><c/></row><x:row r="2"/></d>'), 4)]
    ['<d>', '<row r="1"><c/></row>', '<x:row r="2"/></d>']
    """
    rest = b""
    while block := handle.read(size):
        buffer = rest + block
        namespaced = buffer.rfind(b":row ")
        cut = max(buffer.rfind(b"<row"), buffer.rfind(b"<", 0, namespaced) if namespaced > 0 else -1)
        if cut <= 0:
            rest = buffer  # no place to cut yet: read on
            continue
        yield buffer[:cut]
        rest = buffer[cut:]
    if rest:
        yield rest


def scan_sheet_xml(open_xml: Callable[[], IO[bytes]], recalculate: bool, size: int = XML_PIECE) -> SheetXmlFacts:
    """:func:`uncalculated_formulas`, :func:`error_cells`, :func:`last_row_number` and
    :func:`merge_references` of a sheet's XML (``open_xml()`` opens it), read piece by piece
    (never the whole XML at once); read a second time only when its last row has no number."""
    formulas: dict[tuple[int, int], str] = {}
    shared_cells: dict[tuple[int, int], tuple[str, bytes]] = {}
    anchors: dict[bytes, tuple[str, str] | None] = {}
    errors: dict[tuple[int, int], str] = {}
    merged: list[tuple[int, int, int, int]] = []
    last_row: int | None = 0  # None: the last row tag has no number (then the rows are counted)
    with open_xml() as handle:
        for piece in xml_pieces(handle, size):
            if _has_formula(piece):
                found, shared = _formula_cells(piece, recalculate)
                formulas.update(found)
                shared_cells.update(shared)
                for index, anchor in _shared_anchors(piece).items():
                    anchors.setdefault(index, anchor)
            errors.update(error_cells(piece))
            merged.extend(merge_references(piece))
            tail = max(piece.rfind(b"<row"), piece.rfind(b":row "))
            if tail >= 0:
                match = ROW_NUMBER.match(piece, tail)
                last_row = int(match.group(1)) if match is not None else None
    if last_row is None:  # rows without numbers (allowed by the format): count them, as last_row_number
        with open_xml() as handle:
            pieces = list(map(_row_counts, xml_pieces(handle, size)))
        last_row = sum(numbered for numbered, _ in pieces) or sum(tags for _, tags in pieces)
    for position, (reference, index) in shared_cells.items():
        formulas[position] = _translated(anchors.get(index), reference)
    return SheetXmlFacts(formulas, errors, last_row, merged)


def _row_counts(piece: bytes) -> tuple[int, int]:
    """(numbered row tags, ``<row`` occurrences) of a piece of sheet XML."""
    return len(ROW_NUMBER.findall(piece)), piece.count(b"<row")


def _formula_text(raw: bytes) -> str:
    return unescape(raw.decode("utf-8"), {"&quot;": '"', "&apos;": "'"})


def _position(reference: str) -> tuple[int, int]:
    """(row, column) of a cell reference.

    >>> _position("B2"), _position("$AA$10")
    ((2, 2), (10, 27))
    """
    match = COORDINATE.match(reference)
    if match is None:
        raise LedgerError(f"工作表中的单元格位置「{reference}」无法识别；请在 Excel 中打开并保存后重试")
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def _put(matrix: list[list[Any]], cells: dict[tuple[int, int], Any]) -> None:
    """Put each value of ``cells`` at its (row, column), extending the matrix as needed."""
    for (row, column), value in cells.items():
        while len(matrix) < row:
            matrix.append([])
        line = matrix[row - 1]
        if len(line) < column:
            line.extend([None] * (column - len(line)))
        line[column - 1] = value


def _complete_matrix(matrix: list[list[Any]], facts: SheetXmlFacts) -> list[tuple[int, int, int, int]]:
    """Add what the cell values alone do not say: an :class:`UncalculatedFormula` marker in every
    formula cell that was never calculated, and each merged range's value copied into every cell
    of the range. Returns the merged ranges."""
    _put(matrix, {place: UncalculatedFormula(text) for place, text in facts.formulas.items()})
    merged = facts.merged
    for min_row, min_col, max_row, max_col in merged:
        if min_row > len(matrix):
            continue
        first_line = matrix[min_row - 1]
        value = first_line[min_col - 1] if min_col - 1 < len(first_line) else None
        for row in range(min_row, min(max_row, len(matrix)) + 1):
            line = matrix[row - 1]
            if len(line) < max_col:
                line.extend([None] * (max_col - len(line)))
            for col in range(min_col, max_col + 1):
                line[col - 1] = value
    return merged


def _calamine_value(value: Any) -> Any:
    """A python-calamine cell value as openpyxl gives it: an empty cell is None, a whole number
    an int (Excel stores every number as a double; ``5`` is written ``<v>5</v>``), a date a
    datetime at midnight."""
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        return int(value) if value.is_integer() and -MAX_EXACT_FLOAT < value < MAX_EXACT_FLOAT else value
    if kind is datetime.date:
        return datetime.datetime(value.year, value.month, value.day)
    return value


def _calamine_matrix(rows: Iterator[list[Any]]) -> list[list[Any]]:
    """:func:`_calamine_value` of every cell, each distinct value of the sheet converted once and
    shared by its cells (a ledger's categories, dates and units repeat: one object each instead
    of one per cell).

    >>> matrix = _calamine_matrix(iter([["经开区", 5.0, ""], ["经开区", 5.5, True]]))
    >>> matrix, matrix[0][0] is matrix[1][0]
    ([['经开区', 5, None], ['经开区', 5.5, True]], True)
    """
    shared: dict[type, dict[Any, Any]] = {}  # by type: 1.0 and True are equal keys otherwise
    matrix = []
    for row in rows:
        line: list[Any] = []
        for value in row:
            kind = type(value)
            if kind is str and not value:
                line.append(None)
                continue
            memo = shared.get(kind)
            if memo is None:
                memo = shared[kind] = {}
            try:
                converted = memo[value]
            except KeyError:
                converted = memo[value] = _calamine_value(value)
            except TypeError:  # an unhashable value
                converted = _calamine_value(value)
            line.append(converted)
        matrix.append(line)
    return matrix


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML in the zip, from ``xl/workbook.xml`` and its relationships."""
    names = {name.lower(): name for name in archive.namelist()}
    book = names.get("xl/workbook.xml")
    if book is None:
        raise KeyError("xl/workbook.xml")
    rels_name = names.get("xl/_rels/workbook.xml.rels")
    targets: dict[str, str] = {}
    if rels_name is not None:
        for rel in ElementTree.fromstring(archive.read(rels_name)):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = names.get(target.lower(), target)
    relationship = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    paths = {}
    for element in ElementTree.fromstring(archive.read(book)).iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet" and element.get(relationship) in targets:
            paths[element.get("name", "")] = targets[element.get(relationship, "")]
    return paths


class CalamineBook:
    """A workbook read with python-calamine (a compiled reader, several times faster than
    openpyxl), completed from the sheet XML where calamine is silent: the formula text of cells
    without a cached value (and ``fullCalcOnLoad``), Excel error values (calamine reads them as
    empty) and trailing formatted rows (calamine stops at the last value)."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        self.book = python_calamine.CalamineWorkbook.from_path(str(path))
        self.archive = zipfile.ZipFile(path)
        # the next sheet, parsed by calamine (which releases the GIL) on the other core while this one is converted and cleaned
        self._ahead: tuple[str, Future[Any]] | None = None
        self._reader: ThreadPoolExecutor | None = None
        try:
            self.paths = sheet_paths(self.archive)
            self.recalculate = recalculates_on_load(self.archive)
            self.titles = [m.name for m in self.book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
            self.order = list(self.titles)  # the sheets to be read, in order (iter_sheets: this process's share)
            self.read_ahead = True  # off in a parallel clean's child (its lane has no core to spare, nor a thread to start)
        except BaseException:
            self.close()
            raise

    def _parsed(self, title: str) -> Any:
        """calamine's range of ``title``: the one read ahead, else read now (one call into the
        workbook at a time: calamine's workbook is not to be shared between threads)."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            name, future = ahead
            cells = future.result()
            if name == title:
                return cells
            del cells
        return self.book.get_sheet_by_name(title)

    def _xml_size(self, title: str) -> int:
        try:
            return self.archive.getinfo(self.paths[title]).file_size
        except KeyError:
            return READ_AHEAD_XML_BYTES

    def _next_title(self, title: str) -> str | None:
        """The sheet read after ``title`` (the sheets of :attr:`order` are read in order: :func:`iter_sheets`)."""
        position = self.order.index(title) + 1 if title in self.order else len(self.order)
        return self.order[position] if position < len(self.order) else None

    def _small_together(self, title: str) -> bool:
        """Whether ``title`` and the sheet after it are small enough to be held by calamine at once
        (their XML together below :data:`READ_AHEAD_XML_BYTES`; calamine's range takes about as
        much memory as the XML)."""
        following = self._next_title(title)
        return self._xml_size(title) + (self._xml_size(following) if following is not None else 0) < READ_AHEAD_XML_BYTES

    def _read_ahead(self, title: str) -> None:
        """Start reading the sheet after ``title``."""
        following = self._next_title(title)
        if following is None or not self.read_ahead:
            return
        if self._reader is None:
            self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead")
        self._ahead = (following, self._reader.submit(self.book.get_sheet_by_name, following))

    def sheet(self, title: str) -> SheetCells:
        try:
            return self._sheet(title)
        except DAMAGED_SHEET_ERRORS as error:
            raise damaged_sheet(self.name, title, error) from error

    def _sheet(self, title: str) -> SheetCells:
        cells = self._parsed(title)
        early = self._small_together(title)
        if early:  # the next sheet is parsed while this one is converted too
            self._read_ahead(title)
        # row by row when the used range starts at column A (iter_rows leaves out empty leading columns)
        rows = cells.iter_rows() if cells.start is not None and cells.start[1] == 0 else iter(cells.to_python(skip_empty_area=False))
        matrix = _calamine_matrix(rows)
        del rows, cells  # calamine's copy of the sheet, released before the XML is read
        if not early:  # after that release: two big sheets' ranges are never held at once
            self._read_ahead(title)
        facts = scan_sheet_xml(partial(self.archive.open, self.paths[title]), self.recalculate)
        _put(matrix, facts.errors)
        while len(matrix) < facts.last_row:
            matrix.append([])
        return SheetCells(title, matrix, _complete_matrix(matrix, facts))

    def close(self) -> None:
        if self._ahead is not None:  # a sheet read ahead and not used (an error stopped the reading)
            with contextlib.suppress(Exception):
                self._ahead[1].result()
            self._ahead = None
        if self._reader is not None:
            self._reader.shutdown(wait=True)
        self.archive.close()
        self.book.close()


class OpenpyxlBook:
    """The fallback for a workbook python-calamine cannot open (an unusual writer's zip or XML):
    openpyxl in read-only mode, completed from the sheet XML the same way."""

    def __init__(self, path: Path) -> None:
        import openpyxl  # the fallback only: slow to import

        self.name = path.name
        self.book = openpyxl.load_workbook(path, data_only=True, read_only=True)
        self.titles = [ws.title for ws in self.book.worksheets]
        self.order = list(self.titles)
        self.read_ahead = False  # openpyxl reads as it goes
        self.recalculate = recalculates_on_load(self.book._archive)  # noqa: SLF001

    def sheet(self, title: str) -> SheetCells:
        try:
            return self._sheet(title)
        except DAMAGED_SHEET_ERRORS as error:
            raise damaged_sheet(self.name, title, error) from error

    def _sheet(self, title: str) -> SheetCells:
        worksheet = self.book[title]
        worksheet.reset_dimensions()  # exporters often declare wrong dimensions; read what is there
        matrix = [list(row) for row in worksheet.iter_rows(values_only=True)]
        facts = scan_sheet_xml(partial(worksheet.parent._archive.open, worksheet._worksheet_path), self.recalculate)  # noqa: SLF001
        return SheetCells(title, matrix, _complete_matrix(matrix, facts))

    def close(self) -> None:
        self.book.close()


#: What reading a sheet of a damaged file raises (the zip's directory was readable): a sheet's XML
#: that is not well-formed or names a shared string that is not there (calamine), compressed data
#: or a checksum that does not match (zipfile, zlib), a member cut short.
DAMAGED_SHEET_ERRORS = (python_calamine.CalamineError, zipfile.BadZipFile, zlib.error, EOFError, ElementTree.ParseError)


def damaged_sheet(file: str, title: str, error: BaseException) -> LedgerError:
    """The one-line error of a sheet that cannot be read because the file is damaged."""
    detail = " ".join(str(error).split())[:160]
    return LedgerError(
        f"{file} / 工作表「{title}」: 无法读取：工作簿已损坏（{type(error).__name__}: {detail}）；"
        "请在 Excel/WPS 中打开并另存为 .xlsx，或向报送单位重新索取该文件后重新运行"
    )


def open_workbook(path: Path) -> CalamineBook | OpenpyxlBook:
    """The workbook, read with python-calamine; with openpyxl only when calamine cannot open it."""
    try:
        return CalamineBook(path)
    except (python_calamine.CalamineError, zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        pass
    try:
        return OpenpyxlBook(path)
    except zipfile.BadZipFile as error:  # an empty file, a truncated download, another kind of file renamed
        raise LedgerError(f"{path.name}: 无法读取该工作簿：不是有效的 .xlsx 文件（已损坏、为空或不是 Excel 工作簿）") from error
    except Exception as error:  # openpyxl raises many kinds for a corrupt or non-xlsx file
        raise LedgerError(f"{path.name}: 无法读取该工作簿（{type(error).__name__}: {error}）") from error


def _unmerge_amounts(
    matrix: list[list[Any]], merged: list[tuple[int, int, int, int]], header_index: int, columns: list[Column], spec: dict[str, Any]
) -> list[tuple[int, str]]:
    """An amount merged over several data rows counts once: keep it in the first row only.

    Text cells merged down (a county over its projects) belong to every row; an amount
    copied into each row would be counted as many times. Returns the (row, header) emptied.
    """
    amount_fields = {c["field"] for c in spec["columns"] if c["type"] in ("amount", "measure")}
    amount_columns = {c.index: c.header for c in columns if c.field in amount_fields or c.field.startswith("month:")}
    emptied: list[tuple[int, str]] = []
    for min_row, min_col, max_row, max_col in merged:
        if max_row == min_row or min_row <= header_index + 1:
            continue  # one row, or part of the title/header block
        for index in range(min_col - 1, max_col):
            if index not in amount_columns:
                continue
            for row in range(min_row + 1, min(max_row, len(matrix)) + 1):
                if index < len(matrix[row - 1]) and matrix[row - 1][index] is not None:
                    matrix[row - 1][index] = None
                    emptied.append((row, amount_columns[index]))
    return emptied


def header_lookup(spec: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """name_key(header or alias) → (field, required) for one sheet of ledger_format.yaml."""
    lookup: dict[str, tuple[str, bool]] = {}
    for column in spec["columns"]:
        for header in [column["header"], *column.get("aliases", [])]:
            lookup[name_key(header)] = (column["field"], bool(column.get("required", False)))
    return lookup


def match_sheet(sheet_name: str, ledger_format: dict[str, Any]) -> str | None:
    """The table key whose sheet name or alias equals ``sheet_name`` (ignoring spaces and width)."""
    key = name_key(sheet_name)
    for table, spec in ledger_format.items():
        if key in {name_key(n) for n in [spec["sheet"], *spec.get("aliases", [])]}:
            return table
    return None


def _classify_header(raw: Any, lookup: dict[str, tuple[str, bool]]) -> tuple[str | None, str | None, str]:
    """(field, unit, shown header) for one header cell; field None when unknown."""
    if is_blank(raw):
        return None, None, ""
    name, unit = split_header(raw)
    key = name_key(name)
    if key in SEQUENCE_HEADERS:
        return "sequence", None, name
    month = MONTH_HEADER.match(key)
    if month:
        return f"month:{int(month.group(1))}", unit, name
    if is_usd(name):  # 2月（万美元）: a month in US dollars is recognized, and kept apart
        month = MONTH_HEADER.match(name_key(_BRACKETED_TAIL.sub("", name)).replace("万美元", "").replace("美元", ""))
        if month:
            return f"{USD_MONTH}{int(month.group(1))}", None, name
    if key in lookup:
        return lookup[key][0], unit, name
    return None, unit, name


def unknown_unit(raw: Any, lookup: dict[str, tuple[str, bool]], amount_fields: set[str]) -> tuple[str, str] | None:
    """(field name, unit) when a header names an amount field (or a month) with a unit the kit
    does not know — ``本年实际进资（万美元）``, ``总投资（千元）`` — else None. Such a column is
    never ignored: its figures would silently be missing, or be taken in the wrong currency.

    >>> unknown_unit("本年实际进资（万美元）", {"本年实际进资": ("funds_year", False)}, {"funds_year"})
    ('本年实际进资', '万美元')
    """
    if is_blank(raw):
        return None
    name, unit = split_header(raw)
    if unit is not None:
        return None
    match = re.match(r"^(.*)[(\[【]([^()\[\]【】]*)[)\]】]$", name)
    if match is None or not match.group(1):
        return None
    head, inner = match.group(1).strip("*※"), match.group(2).strip()
    key = name_key(head)
    is_amount = (key in lookup and lookup[key][0] in amount_fields) or MONTH_HEADER.match(key) is not None
    return (head, inner) if is_amount and inner else None


def _find_header(matrix: list[list[Any]], lookup: dict[str, tuple[str, bool]]) -> int | None:
    """0-based index of the row with most recognized headers (at least two), or None."""
    best, best_hits = None, 1
    for index, row in enumerate(matrix[:HEADER_SCAN_ROWS]):
        fields = {_classify_header(v, lookup)[0] for v in row} - {None, "sequence"}
        hits = len([f for f in fields if isinstance(f, str) and not f.startswith("month:")])
        if hits > best_hits:
            best, best_hits = index, hits
    return best


def _unit_line(matrix: list[list[Any]], header_index: int) -> str | None:
    """The unit of the sheet's unit line (``单位：万元`` → 万元; ``单位：万美元`` → ``美元``), or None."""
    for row in matrix[:header_index]:
        for value in row:
            text = normalize_text(value)
            if text:
                match = UNIT_LINE.search(text)
                if match:
                    return "美元" if is_usd(match.group(1)) else normalize_unit(match.group(1))
    return None


def _currency_unit_line(matrix: list[list[Any]], header_index: int) -> tuple[int, str] | None:
    """(Excel row, unit) of a unit line above the header that names an unknown currency unit
    (``单位：万美元``), which would otherwise be ignored and the amounts read as 万元."""
    for number, row in enumerate(matrix[:header_index], start=1):
        for value in row:
            text = normalize_text(value)
            match = CURRENCY_UNIT_LINE.search(text) if text else None
            if match and normalize_unit(match.group(1)) is None:
                return number, match.group(1)
    return None


def _sub_header(group: Any, sub: Any) -> Any:
    """One column of a two-row header: the sub-header (``2月``) under its group title
    (``月度实际进资（亿元）``) inherits the group's unit, so the months are read in it; under a
    group in US dollars (``月度实际利用外资（万美元）``) the months are marked as dollars."""
    if is_blank(sub):
        return group
    if is_blank(group) or group == sub or split_header(sub)[1] is not None or is_usd(sub):
        return sub
    if is_usd(group):
        return f"{normalize_text(sub)}（美元）"
    group_unit = split_header(group)[1]
    return f"{normalize_text(sub)}（{group_unit}）" if group_unit else sub


def table_by_content(matrix: list[list[Any]], ledger_format: dict[str, Any]) -> str | None:
    """The table whose every required header appears in one of the first rows (``Sheet1`` holding
    a project ledger is still a project ledger); the one with most recognized headers wins."""
    best, best_hits = None, 0
    for table, spec in ledger_format.items():
        lookup = header_lookup(spec)
        required = {c["field"] for c in spec["columns"] if c.get("required")}
        for row in matrix[:HEADER_SCAN_ROWS]:
            fields = {_classify_header(v, lookup)[0] for v in row} - {None}
            if required <= fields and len(fields) > best_hits:
                best, best_hits = table, len(fields)
    return best


def read_sheet(path: Path, worksheet: SheetCells, table: str, spec: dict[str, Any]) -> RawSheet:
    """Resolve the layout of one recognized sheet and collect its data rows."""
    matrix = worksheet.matrix
    lookup = header_lookup(spec)
    header_index = _find_header(matrix, lookup)
    if header_index is None:
        found = [normalize_text(v) for row in matrix[:HEADER_SCAN_ROWS] for v in row if not is_blank(v)]
        raise LedgerError(
            f"{path.name} / 工作表「{worksheet.title}」: 找不到表头行（前 {HEADER_SCAN_ROWS} 行中没有可识别的列名）；"
            f"前几行内容：{found[:12]}"
        )
    header = list(matrix[header_index])
    # A two-row header: group titles above, 1月…12月 (or other sub-headers) in the row below.
    below = matrix[header_index + 1] if header_index + 1 < len(matrix) else []
    if sum(1 for v in below if str(_classify_header(v, lookup)[0]).startswith("month:")) >= 3:
        width = max(len(header), len(below))
        header = header + [None] * (width - len(header))
        below = list(below) + [None] * (width - len(below))
        header = [_sub_header(h, b) for h, b in zip(header, below, strict=True)]
        header_index += 1
    columns: list[Column] = []
    seen: dict[str, int] = {}
    canonical = {column["field"]: column["header"] for column in spec["columns"]}
    amount_fields = {c["field"] for c in spec["columns"] if c["type"] in ("amount", "measure")}
    currency_line = _currency_unit_line(matrix, header_index)
    # A dollar unit line is allowed only when every amount column names its own unit: then it can
    # reach only the month columns, which are read as dollars (never added to 元); otherwise the
    # amounts would be read in a foreign currency, so the sheet stops.
    if currency_line is not None and is_usd(currency_line[1]):
        amounts_without_unit = [
            raw for raw in header
            if _classify_header(raw, lookup)[0] in amount_fields and _classify_header(raw, lookup)[1] is None
        ]
        if not amounts_without_unit:
            currency_line = None
    if currency_line is not None:
        raise LedgerError(
            f"{path.name} / 工作表「{worksheet.title}」第 {currency_line[0]} 行: 单位「{currency_line[1]}」不是可用的金额单位"
            f"（可用：{ACCEPTED_UNITS}；外币金额须先折算为人民币，本工具不混用币种）"
        )
    for index, raw in enumerate(header):
        field_name, unit, shown = _classify_header(raw, lookup)
        if field_name is None:
            foreign = unknown_unit(raw, lookup, amount_fields)
            if foreign is not None:
                raise LedgerError(
                    f"{path.name} / 工作表「{worksheet.title}」: 列「{' '.join(str(raw).split())}」的单位「{foreign[1]}」不是可用的金额单位"
                    f"（可用：{ACCEPTED_UNITS}；外币金额须先折算为人民币，本工具不混用币种）；请改为「{foreign[0]}（万元）」等并换算数值"
                )
            continue  # a column the kit does not use (counties add their own)
        if field_name in seen:
            first = columns[[c.field for c in columns].index(field_name)]
            if name_key(first.header) == name_key(shown) and first.unit == unit:
                continue  # the same header repeated by a merged cell
            raise LedgerError(
                f"{path.name} / 工作表「{worksheet.title}」: 列「{first.header}」与列「{shown}」"
                f"都是「{canonical.get(field_name, field_name)}」，无法判断用哪一列"
                f"（第 {header_index + 1} 行为表头）；请删除或改名其中一列"
            )
        seen[field_name] = index
        columns.append(Column(index=index, header=shown, field=field_name, unit=unit))
    headers_found = [normalize_text(v) or "" for v in header if not is_blank(v)]
    missing = [column["header"] for column in spec["columns"] if column.get("required") and column["field"] not in seen]
    if missing:
        raise LedgerError(
            f"{path.name} / 工作表「{worksheet.title}」: 缺少必填列 {'、'.join(missing)}"
            f"（第 {header_index + 1} 行为表头，找到的列：{'、'.join(headers_found)}）"
        )
    unit = _unit_line(matrix, header_index)
    if unit == "美元":  # never read dollars as 元: months become dollar columns, other amounts stop the run
        amount_fields = {c["field"] for c in spec["columns"] if c["type"] in ("amount", "measure")}
        unitless = [c.header for c in columns if c.field in amount_fields and c.unit is None]
        if unitless:
            raise LedgerError(
                f"{path.name} / 工作表「{worksheet.title}」: 单位行为美元，列 {'、'.join(unitless)} 未注明人民币单位；"
                "本工具的金额以人民币计，请换算为人民币（或在列标题中注明，如“总投资（万元）”）后重新运行"
            )
        columns = [
            Column(c.index, c.header, f"{USD_MONTH}{c.field.split(':')[1]}", None) if c.field.startswith("month:") and c.unit is None else c
            for c in columns
        ]
    merged_amounts = _unmerge_amounts(matrix, worksheet.merged, header_index, columns, spec)
    rows = []
    for index in range(header_index + 1, len(matrix)):  # each line released once it is a row (memory of big sheets)
        rows.append((index + 1, tuple(matrix[index])))
        matrix[index] = []
    return RawSheet(
        file=path.name,
        sheet=worksheet.title,
        table=table,
        header_row=header_index + 1,
        unit=None if unit == "美元" else unit,
        usd_unit=unit == "美元",
        columns=columns,
        headers_found=headers_found,
        rows=rows,
        merged_amounts=merged_amounts,
    )


def container_problem(path: Path) -> str | None:
    """Why a ``.xlsx`` file is not an OOXML zip, when its first bytes say so: a password-protected
    workbook (Excel encrypts it into a compound file with an ``EncryptionInfo`` stream) or an
    old ``.xls`` renamed. None for anything else (the reader reports other damage)."""
    try:
        with path.open("rb") as handle:
            if handle.read(8) != OLE2_MAGIC:
                return None
            content = handle.read()
    except OSError as error:
        return f"无法读取该文件（{os_reason(error)}）"
    if "EncryptionInfo".encode("utf-16-le") in content or "EncryptedPackage".encode("utf-16-le") in content:
        return "工作簿受密码保护（已加密），无法读取；请在 Excel 中打开，删除“用密码进行加密”的密码并保存后重新运行"
    return "文件实为旧版 Excel（.xls）格式，扩展名却是 .xlsx；请在 Excel/WPS 中另存为 .xlsx 后重新运行"


def read_workbook(path: Path, ledger_format: dict[str, Any]) -> list[RawSheet]:
    """Every ledger sheet of one workbook, recognized by its name or, failing that, by its headers.

    Other sheets (notes, pivot tables) are skipped; a workbook without any ledger sheet is an
    error, so a county's file is never dropped without a word.
    """
    return list(iter_sheets(path, ledger_format))


@dataclass
class ReadingPlace:
    """Where :func:`iter_sheets` is in its workbook: the position of the sheet being read (-1
    while the workbook is opened, the number of sheets after the last one) and the workbook's
    sheet titles."""

    position: int = -1
    titles: list[str] = field(default_factory=list)


def iter_sheets(
    path: Path,
    ledger_format: dict[str, Any],
    take: Callable[[str], bool] | None = None,
    where: ReadingPlace | None = None,
    *,
    read_ahead: bool = True,
) -> Iterator[RawSheet]:
    """:func:`read_workbook` one sheet at a time: a sheet is read when the one before it has been
    used (a big workbook's sheets are not all held at once).

    ``take`` reads only the sheets whose title it accepts (one process's share of a parallel clean,
    :mod:`helpers.ingest.lanes`); a workbook without a ledger sheet is then the caller's to report
    (:func:`no_ledger_sheet`), as the other sheets are read elsewhere. ``where`` follows the
    reading, so that an error can be placed among the workbook's sheets."""
    where = where if where is not None else ReadingPlace()
    where.position, where.titles = -1, []
    problem = container_problem(path)
    if problem is not None:
        raise LedgerError(f"{path.name}: {problem}")
    workbook = open_workbook(path)
    try:
        where.titles = list(workbook.titles)
        titles = [(position, title) for position, title in enumerate(workbook.titles) if take is None or take(title)]
        workbook.order = [title for _, title in titles]  # what the read-ahead reads next
        workbook.read_ahead = read_ahead
        found = 0
        for position, title in titles:
            where.position = position
            table = match_sheet(title, ledger_format)
            worksheet = None
            if table is None:
                worksheet = workbook.sheet(title)
                table = table_by_content(worksheet.matrix, ledger_format)
            if table is not None:
                found += 1
                sheet = read_sheet(path, worksheet or workbook.sheet(title), table, ledger_format[table])
                sheet.position = position
                yield sheet
        where.position = len(workbook.titles)
        if not found and take is None:
            raise no_ledger_sheet(path, workbook.titles, ledger_format)
    finally:
        workbook.close()


def no_ledger_sheet(path: Path, titles: list[str], ledger_format: dict[str, Any]) -> LedgerError:
    """The error of a workbook none of whose sheets is a ledger sheet."""
    names = "、".join(titles)
    known = "、".join(spec["sheet"] for spec in ledger_format.values())
    return LedgerError(f"{path.name}: 没有可识别的台账工作表（找到：{names}；应为 {known} 之一，或含其必填列）")


def unread_files(folder: Path) -> list[tuple[str, str]]:
    """(path relative to ``folder``, why) of every file under ``folder`` that is not read as a
    ledger: Excel lock files, hidden files and documents that are not ledgers (``.docx``,
    ``.pdf``). The cleaner reports each as a warning: nothing is skipped without a word."""
    unread = []
    for path in year_files(folder):
        name = path.relative_to(folder).as_posix()
        if path.name.startswith("~$"):
            unread.append((name, "Excel 锁定文件：对应的工作簿可能正在 Excel 中打开，未保存的修改不会被读取；已忽略"))
        elif not path.is_file() and path.suffix.lower() not in LEDGER_SUFFIXES:
            unread.append((name, "损坏的链接（指向的文件不存在），未读取" if path.is_symlink() else "不是普通文件，未读取"))
        elif is_ignored_file(path, folder):
            unread.append((name, "隐藏文件，已忽略"))
        elif path.suffix.lower() not in LEDGER_SUFFIXES:
            unread.append((name, f"不是台账工作簿（{path.suffix or '无扩展名'}），未读取；台账须为 .xlsx"))
    return unread


def workbook_paths(folder: Path) -> list[Path]:
    """The year's workbooks under ``folder`` and its subfolders, in a stable order (lock files,
    hidden files and other documents are not ledgers: see :func:`unread_files`)."""
    if not folder.is_dir():
        raise LedgerError(f"找不到数据目录 {folder}")
    files = ledger_files(folder)
    special = [p for p in files if not p.is_file()]  # a broken link (a share not mounted), a pipe: a ledger that cannot be read
    if special:
        why = {True: "（链接指向的文件不存在）", False: "（不是普通文件）"}
        names = "、".join(p.relative_to(folder).as_posix() + why[p.is_symlink()] for p in special)
        raise LedgerError(f"{folder} 中的台账无法读取：{names}；请放入工作簿本身后重新运行")
    paths = [p for p in files if p.suffix.lower() == ".xlsx"]
    unread = [p.relative_to(folder).as_posix() for p in files if p.suffix.lower() != ".xlsx"]
    if unread:  # never skip a ledger silently: its rows would be lost without a trace
        raise LedgerError(f"{folder} 中有无法读取的台账文件 {'、'.join(unread)}：请在 Excel/WPS 中另存为 .xlsx 后重新运行")
    if not paths:
        raise LedgerError(f"{folder} 中没有 .xlsx 台账文件")
    return paths


def workbook_label(path: Path, folder: Path) -> str:
    """How a workbook is named in messages and tables: its path below the year folder."""
    return path.relative_to(folder).as_posix()


def iter_workbooks(folder: Path, ledger_format: dict[str, Any]) -> Iterator[tuple[Path, Iterator[RawSheet]]]:
    """(path, its sheets one at a time: :func:`iter_sheets`) per workbook of a year folder (subfolders
    too), in path order; a workbook in a subfolder is named by its relative path (``县区报送/湖口县.xlsx``)."""
    for path in workbook_paths(folder):
        yield path, labelled_sheets(path, workbook_label(path, folder), ledger_format)


def labelled_sheets(
    path: Path,
    label: str,
    ledger_format: dict[str, Any],
    take: Callable[[str], bool] | None = None,
    where: ReadingPlace | None = None,
    *,
    read_ahead: bool = True,
) -> Iterator[RawSheet]:
    """:func:`iter_sheets`, each sheet and message naming the workbook by ``label``."""
    try:
        for sheet in iter_sheets(path, ledger_format, take, where, read_ahead=read_ahead):
            sheet.file = label
            yield sheet
    except LedgerError as error:
        renamed = relabelled(error, path, label)
        if renamed is error:
            raise
        raise renamed from error


def relabelled(error: LedgerError, path: Path, label: str) -> LedgerError:
    """``error`` naming its workbook by ``label`` (its path below the year folder) instead of its name."""
    message = str(error)
    if label == path.name or not message.startswith(path.name):
        return error
    return LedgerError(label + message[len(path.name) :])
