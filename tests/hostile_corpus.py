"""A corpus of hostile and mistaken inputs, built by code (no binary fixtures).

Each :class:`Case` writes a data folder (``raw/2022/…`` and, when the case is about reference
data, its own ``reference/``) and says what a careful tool must do with it: the exit status of
the command, the one line it prints (for a refusal) and, for a run that succeeds, what the
cleaned year must contain. ``tests/test_hostile.py`` runs every case and also checks that no
file outside the kit's output folder changed and that every row is accounted for.

The cases follow the rules of issue 12, several per rule: cells whose value the kit cannot know
(``unknown``), every file of the year folder read or reported (``files``), implausible dates
(``dates``), reference data checked against the code (``reference``), ledger text treated as
data (``text``) and exit statuses (``exit``).
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
YEAR = 2022
LEDGER = "2022年台账.xlsx"
HEADERS = ["序号", "项目编号", "项目名称", "资金来源", "所属地区", "产业类别", "总投资（万元）", "本年实际进资（万元）", "签约日期", "备注"]
ROWS = [
    [1, "P1", "光电模组项目", "省外", "瑞昌市", "电子信息", 30000, 1500, "2022-03-05", None],
    [2, "P2", "有机硅项目", "省外", "永修县", "新材料", 250000, 8000, "2022-05-01", None],
    [3, "P3", "物流中心项目", "本市", "湖口县", "现代物流", 12000, 0, "2022-07-01", None],
]
COLUMN = {header: index for index, header in enumerate(HEADERS)}


# ----------------------------------------------------------------------------- builders


class Text(str):
    """A cell value stored as text even when it starts with ``=`` (as Excel stores ``'=1+2``);
    a plain ``str`` starting with ``=`` is written as a formula."""


def write_workbook(path: Path, rows: list[list[Any]], sheet: str = "项目台账", *, above: list[list[Any]] = ()) -> Path:
    """A one-sheet workbook: ``above`` (title or unit lines), then ``rows`` (header first)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for number, row in enumerate([*above, *rows], start=1):
        worksheet.append(row)
        for column, value in enumerate(row, start=1):
            if isinstance(value, Text):
                worksheet.cell(number, column).data_type = "s"  # openpyxl took it for a formula
    workbook.save(path)
    return path


def ledger_rows(
    changes: dict[tuple[int, str], Any] | None = None, extra: list[list[Any]] = (), headers: list[str] = HEADERS
) -> list[list[Any]]:
    """The base ledger (header + P1–P3) with ``changes`` {(row index, header): value} and ``extra`` rows."""
    rows = [list(row) for row in ROWS] + [list(row) for row in extra]
    for (index, header), value in (changes or {}).items():
        rows[index][COLUMN[header]] = value
    return [list(headers), *rows]


def base(data: Path, **kwargs: Any) -> Path:
    """The year folder with the base ledger (``kwargs`` go to :func:`ledger_rows`)."""
    return write_workbook(data / "raw" / str(YEAR) / LEDGER, ledger_rows(**kwargs))


def own_reference(data: Path, edit: Callable[[Path], None]) -> None:
    """A copy of the shipped reference tables in ``data/reference/`` (the CLI uses it), edited."""
    shutil.copytree(REFERENCE_DIR, data / "reference")
    edit(data / "reference")


def replace_in(file: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return edit


def compound_file(streams: list[str]) -> bytes:
    """A minimal OLE2 compound file whose directory names ``streams`` — the container Excel
    writes a password-protected workbook into (``EncryptionInfo``, ``EncryptedPackage``) and
    the format of an old ``.xls`` (``Workbook``). Enough for the signature and directory check."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) + bytes(512 - 32)
    entries = b""
    for name in ["Root Entry", *streams]:
        encoded = (name + "\0").encode("utf-16-le")
        entries += encoded.ljust(64, b"\0") + struct.pack("<H", len(encoded)) + bytes(128 - 66)
    return header + entries.ljust(512, b"\0")


def calculated_by_excel(path: Path, values: dict[str, str]) -> None:
    """Rewrite a workbook written by openpyxl as Excel saves it: no ``fullCalcOnLoad`` and the
    cached value of each formula cell in ``values`` ({"H2": "1500"})."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            elif item.filename.startswith("xl/worksheets/sheet"):
                for cell, value in values.items():
                    # openpyxl writes an empty value as <v /> (ElementTree) or <v></v> (lxml)
                    pattern = rb'(<c r="%s"[^>]*>)(<f>[^<]*</f>)(?:<v\s*/>|<v></v>)' % cell.encode()
                    data = re.sub(pattern, rb"\1\2<v>%s</v>" % value.encode(), data)
            target.writestr(item, data)
    path.write_bytes(buffer.getvalue())


def _format_line(text: str) -> int:
    """The line of the shipped ledger_format.yaml that holds ``text`` (as the error names it)."""
    lines = (REFERENCE_DIR / "ledger_format.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def damaged(edit: Callable[[zipfile.ZipInfo, bytes], bytes], *, stored: bool = False) -> Callable[[Path], None]:
    """The base ledger with its sheet's XML changed by ``edit``; ``stored``: the XML is
    deflated, then ``edit`` changes the compressed bytes (a download cut or corrupted in transit)."""

    def build(data: Path) -> None:
        path = base(data)
        members = []
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                members.append((info, archive.read(info.filename)))
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for info, content in members:
                archive.writestr(info.filename, edit(info, content) if not stored and info.filename.endswith("sheet1.xml") else content)
        if stored:  # flip bytes in the middle of the sheet's compressed data, where its entry says it is
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo("xl/worksheets/sheet1.xml")
            raw = bytearray(path.read_bytes())
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            middle = start + info.compress_size // 2
            raw[middle : middle + 8] = edit(info, bytes(raw[middle : middle + 8]))
            path.write_bytes(bytes(raw))

    return build


# ----------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """One hostile input and what must happen to it."""

    id: str
    rule: str
    build: Callable[[Path], None]  # writes the data folder
    exit_code: int = 0
    message: str = ""  # in the one line on stderr (a refusal)
    command: tuple[str, ...] = ("clean", "--year", str(YEAR), "--json")
    check: Callable[[Any], None] | None = None  # on the cleaned year (exit 0)
    counts: dict[str, int] = field(default_factory=dict)  # expected project counts (subset)


def _warned(year: Any, column: str, text: str, row: int | None = None) -> None:
    rows = year.warnings[(year.warnings["column"] == column) & year.warnings["reason"].str.contains(text, regex=False)]
    assert len(rows), f"no warning on {column} containing {text!r}:\n{year.warnings.to_string()}"
    if row is not None:
        assert row in set(rows["row"]), rows


def _quarantined(year: Any, row: int, text: str) -> None:
    reasons = year.quarantine.set_index("row")["reasons"]
    assert row in reasons.index and text in reasons[row], year.quarantine.to_string()


def _project(year: Any, project_id: str) -> pd.Series:
    return year.tables["projects"].set_index("project_id").loc[project_id]


def _file_warned(year: Any, file: str, text: str) -> None:
    rows = year.warnings[(year.warnings["file"] == file) & year.warnings["reason"].str.contains(text, regex=False)]
    assert len(rows) == 1, year.warnings.to_string()


def _funds_unknown(project_id: str) -> Callable[[Any], None]:
    def check(year: Any) -> None:
        assert pd.isna(_project(year, project_id)["funds_year"]), "an unknown amount must stay empty, never 0"

    return check


def _value(project_id: str, field_name: str, expected: Any) -> Callable[[Any], None]:
    def check(year: Any) -> None:
        value = _project(year, project_id)[field_name]
        assert pd.isna(value) if expected is None else value == expected, (project_id, field_name, value)

    return check


def _no_warnings(year: Any) -> None:
    assert year.warnings.empty, year.warnings.to_string()


def _read_from(files: set[str], project_id: str, file: str) -> Callable[[Any], None]:
    def check(year: Any) -> None:
        assert set(year.sheet_counts["file"]) == files
        assert _project(year, project_id)["source_file"] == file

    return check


def _all(*checks: Callable[[Any], None]) -> Callable[[Any], None]:
    def check(year: Any) -> None:
        for one in checks:
            one(year)

    return check


def monthly_ledger(data: Path) -> None:
    """Year total blank, months given: 1月 of P1 is an uncalculated formula."""
    headers = [*HEADERS, "1月", "2月"]
    rows = [[*row, None, None] for row in ROWS]
    rows[0][COLUMN["本年实际进资（万元）"]] = None
    rows[0][-2:] = ["=100+200", 50]
    rows[1][COLUMN["本年实际进资（万元）"]] = None
    rows[1][-2:] = [100, 50]
    write_workbook(data / "raw" / str(YEAR) / LEDGER, [headers, *rows])


def subfolder_ledger(data: Path) -> None:
    base(data)
    write_workbook(
        data / "raw" / str(YEAR) / "县区报送" / "湖口县.xlsx",
        [HEADERS, [1, "H1", "湖口港口项目", "省外", "湖口县", "现代物流", 50000, 2000, "2022-08-01", None]],
    )


def documents(data: Path) -> None:
    base(data)
    folder = data / "raw" / str(YEAR)
    (folder / "说明.docx").write_bytes(b"PK\x03\x04")
    (folder / "附件").mkdir()
    (folder / "附件" / "汇报.pdf").write_bytes(b"%PDF-1.4")
    (folder / "readme.txt").write_text("台账说明", encoding="utf-8")


def lock_and_hidden(data: Path) -> None:
    base(data)
    (data / "raw" / str(YEAR) / f"~${LEDGER}").write_bytes(b"lock")
    (data / "raw" / str(YEAR) / ".DS_Store").write_bytes(b"\0")


def with_file(name: str, content: bytes) -> Callable[[Path], None]:
    """The base ledger and one more file (path below the year folder) with ``content``."""

    def build(data: Path) -> None:
        base(data)
        path = data / "raw" / str(YEAR) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    return build


def append_to(file: str, text: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / file
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def drop_column_spec(header: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / "ledger_format.yaml"
        text, count = re.subn(r"\n    - \{header: " + re.escape(header) + r"[^\n]*", "", path.read_text(encoding="utf-8"), count=1)
        assert count == 1
        path.write_text(text, encoding="utf-8")

    return edit


def with_reference(edit: Callable[[Path], None], **ledger: Any) -> Callable[[Path], None]:
    def build(data: Path) -> None:
        base(data, **ledger)
        own_reference(data, edit)

    return build


FORMULA = "公式未计算"
ERROR_VALUE = "Excel 错误值"

CASES: list[Case] = [
    # --- cells whose value the kit cannot know -------------------------------------------
    Case(
        "formula-optional-amount",
        "unknown",
        lambda d: base(d, changes={(0, "本年实际进资（万元）"): "=1200+300"}),
        check=_all(lambda y: _warned(y, "本年实际进资", f"{FORMULA}（=1200+300）", 2), _funds_unknown("P1")),
        counts={"clean": 3, "quarantined": 0},
    ),
    Case(
        "formula-required-amount",
        "unknown",
        lambda d: base(d, changes={(1, "总投资（万元）"): "=200000+50000"}),
        check=lambda y: _quarantined(y, 3, f"总投资：{FORMULA}（=200000+50000），请在 Excel 中打开并保存后重试"),
        counts={"clean": 2, "quarantined": 1},
    ),
    Case(
        "formula-text-and-category",
        "unknown",
        lambda d: base(d, changes={(0, "项目名称"): '=CONCAT("光电","项目")', (2, "资金来源"): "=B4"}),
        check=_all(lambda y: _quarantined(y, 2, "项目名称：" + FORMULA), lambda y: _quarantined(y, 4, "资金来源：" + FORMULA)),
        counts={"clean": 1, "quarantined": 2},
    ),
    Case(
        "formula-date",
        "unknown",
        lambda d: base(d, changes={(0, "签约日期"): "=DATE(2022,3,5)"}),
        check=_all(lambda y: _warned(y, "签约日期", FORMULA, 2), _value("P1", "signed_on", None)),
    ),
    Case(
        "formula-month-not-summed",
        "unknown",
        monthly_ledger,
        check=_all(
            lambda y: _warned(y, "1月", f"{FORMULA}（=100+200）", 2),
            lambda y: _warned(y, "本年实际进资", "无法由月度数据推算", 2),
            _funds_unknown("P1"),
            _value("P2", "funds_year", 150.0),
        ),
    ),
    Case(
        "formula-calculated-by-excel-is-read",
        "unknown",
        lambda d: calculated_by_excel(base(d, changes={(0, "本年实际进资（万元）"): "=1200+300"}), {"H2": "1500"}),
        check=_all(_value("P1", "funds_year", 1500.0), _no_warnings),
    ),
    Case(
        "error-values",
        "unknown",
        lambda d: base(d, changes={(0, "本年实际进资（万元）"): "#DIV/0!", (1, "资金来源"): "#N/A", (2, "总投资（万元）"): "#REF!"}),
        check=_all(
            lambda y: _warned(y, "本年实际进资", f"{ERROR_VALUE}（#DIV/0!）", 2),
            _funds_unknown("P1"),
            lambda y: _quarantined(y, 3, f"资金来源：{ERROR_VALUE}（#N/A）"),
            lambda y: _quarantined(y, 4, f"总投资：{ERROR_VALUE}（#REF!）"),
        ),
        counts={"clean": 1, "quarantined": 2},
    ),
    Case(
        "placeholders-in-amounts",
        "unknown",
        lambda d: base(d, changes={(0, "本年实际进资（万元）"): "-", (1, "本年实际进资（万元）"): "/", (2, "总投资（万元）"): "——"}),
        check=_all(
            lambda y: _warned(y, "本年实际进资", "金额为占位符「-」", 2),
            lambda y: _warned(y, "本年实际进资", "金额为占位符「/」", 3),
            lambda y: _quarantined(y, 4, "总投资：必填项为空（占位符「——」）"),
        ),
        counts={"clean": 2, "quarantined": 1},
    ),
    Case(
        "foreign-currency-column",
        "unknown",
        lambda d: base(d, headers=[h.replace("本年实际进资（万元）", "本年实际进资（万美元）") for h in HEADERS]),
        exit_code=2,
        message=(
            "2022年台账.xlsx / 工作表「项目台账」: 列「本年实际进资（万美元）」的单位「万美元」不是可用的金额单位"
            "（可用：元、万元、千万元、亿元；外币金额须先折算为人民币"
        ),
    ),
    Case(
        "unknown-unit-column",
        "unknown",
        lambda d: base(d, headers=[h.replace("总投资（万元）", "总投资（千元）") for h in HEADERS]),
        exit_code=2,
        message="列「总投资（千元）」的单位「千元」不是可用的金额单位",
    ),
    Case(
        "foreign-currency-unit-line",
        "unknown",
        lambda d: write_workbook(
            d / "raw" / "2022" / LEDGER, ledger_rows(headers=[h.split("（")[0] for h in HEADERS]), above=[["单位：万美元"]]
        ),
        exit_code=2,
        message="2022年台账.xlsx / 工作表「项目台账」第 1 行: 单位「万美元」不是可用的金额单位",
    ),
    # --- every file of the year folder is read or reported -------------------------------
    Case(
        "workbook-in-subfolder",
        "files",
        subfolder_ledger,
        check=_read_from({LEDGER, "县区报送/湖口县.xlsx"}, "H1", "县区报送/湖口县.xlsx"),
        counts={"rows_read": 4, "clean": 4},
    ),
    Case(
        "documents-listed",
        "files",
        documents,
        check=_all(
            lambda y: _file_warned(y, "说明.docx", "不是台账工作簿（.docx）"),
            lambda y: _file_warned(y, "附件/汇报.pdf", "（.pdf）"),
            lambda y: _file_warned(y, "readme.txt", "（.txt）"),
        ),
    ),
    Case(
        "lock-and-hidden-files",
        "files",
        lock_and_hidden,
        check=_all(lambda y: _file_warned(y, f"~${LEDGER}", "Excel 锁定文件"), lambda y: _file_warned(y, ".DS_Store", "隐藏文件")),
    ),
    Case(
        "old-format-in-subfolder",
        "files",
        with_file("县区报送/都昌县.xls", b"\xd0\xcf\x11\xe0"),
        exit_code=2,
        message="中有无法读取的台账文件 县区报送/都昌县.xls：请在 Excel/WPS 中另存为 .xlsx 后重新运行",
    ),
    Case(
        "encrypted-workbook",
        "files",
        with_file("加密台账.xlsx", compound_file(["EncryptionInfo", "EncryptedPackage"])),
        exit_code=2,
        message="加密台账.xlsx: 工作簿受密码保护（已加密），无法读取",
    ),
    Case(
        "renamed-xls",
        "files",
        with_file("旧台账.xlsx", compound_file(["Workbook"])),
        exit_code=2,
        message="旧台账.xlsx: 文件实为旧版 Excel（.xls）格式",
    ),
    Case(
        "broken-workbook-in-subfolder-named-by-path",
        "files",
        lambda d: (
            base(d),
            write_workbook(d / "raw/2022/县区报送/湖口县.xlsx", [HEADERS[:6], ["1", "H1", "x", "省外", "湖口县", "新材料"]]),
        ),
        exit_code=2,
        message="县区报送/湖口县.xlsx / 工作表「项目台账」: 缺少必填列 总投资",
    ),
    # --- dates outside a plausible window ---------------------------------------------
    Case(
        "date-2099",
        "dates",
        lambda d: base(d, changes={(1, "签约日期"): "2099-03-01"}),
        check=lambda y: _warned(
            y, "签约日期", "日期 2099-03-01 超出 2022 年台账的合理范围（2012–2023 年，见 thresholds.yaml），请核对单元格 I3", 3
        ),
    ),
    Case(
        "date-long-ago",
        "dates",
        lambda d: base(d, changes={(0, "签约日期"): "1995年6月"}),
        check=lambda y: _warned(y, "签约日期", "日期 1995-06-01 超出", 2),
    ),
    Case(
        "date-inside-window",
        "dates",
        lambda d: base(d, changes={(0, "签约日期"): "2012-01-01", (1, "签约日期"): "2023-12-31"}),
        check=_no_warnings,
    ),
    Case(
        "date-window-widened",
        "dates",
        with_reference(
            replace_in("thresholds.yaml", "date_window_years_before: 10", "date_window_years_before: 30"),
            changes={(0, "签约日期"): "1995-06-01"},
        ),
        check=_no_warnings,
    ),
    Case(
        "date-window-malformed",
        "dates",
        with_reference(replace_in("thresholds.yaml", "date_window_years_before: 10", "date_window_years_before: 十年")),
        exit_code=2,
        message="thresholds.yaml: date_window_years_before 应为 0–100 之间的整数（年），实为 '十年'",
    ),
    # --- reference data checked against the code ----------------------------------------
    Case(
        "second-campaign-row",
        "reference",
        with_reference(append_to("campaigns.csv", "2022,第二次攻坚,2022-10-01,2022-11-30\n")),
        exit_code=2,
        message="campaigns.csv 第 3 行: 2022 年已有攻坚行动（第 2 行）；每年只能有一行",
    ),
    Case(
        "type-amout",
        "reference",
        with_reference(replace_in("ledger_format.yaml", "field: total_investment, type: amount", "field: total_investment, type: amout")),
        exit_code=2,
        message=f"ledger_format.yaml 第 {_format_line('field: total_investment')} 行: projects/total_investment 的 type 'amout' 不可用（可用：text、amount、",
    ),
    Case(
        "key-column-spec-removed",
        "reference",
        with_reference(drop_column_spec("项目编号")),
        exit_code=2,
        message="projects/key 中的字段 project_id 没有列说明",
    ),
    Case(
        "field-the-code-reads-removed",
        "reference",
        with_reference(drop_column_spec("本年实际进资")),
        exit_code=2,
        message="projects 缺少字段 funds_year 的列说明（本工具用它计算，类型应为 amount）",
    ),
    Case(
        "extra-comma-first-data-row",
        "reference",
        with_reference(
            replace_in("units.csv", "濂溪区,360402,区,庐山区|鄱阳湖生态科技城|濂溪", "濂溪区,360402,区,庐山区|鄱阳湖生态科技城|濂溪,")
        ),
        exit_code=2,
        message="units.csv 第 2 行: 有 5 个字段，表头只有 4 列",
    ),
    Case(
        "renamed-vocabulary-value",
        "reference",
        with_reference(replace_in("categories.yaml", "  省外: [外省", "  外省资金: [外省")),
        exit_code=2,
        message="source/outside_city 的取值 省外 不在 categories.yaml",
    ),
    Case(
        "long-subtotal-label",
        "reference",
        lambda d: base(d, extra=[["赣州高新技术产业开发区小计", None, None, None, None, None, 292000, 9500, None, None]]),
        counts={"rows_read": 4, "clean": 3, "subtotal": 1},
    ),
    # --- ledger text is data --------------------------------------------------------------
    Case(
        "formula-like-text-in-csv",
        "text",
        lambda d: base(
            d, changes={(0, "项目名称"): Text('=HYPERLINK("http://x","y")'), (1, "备注"): "@SUM(A1)", (2, "所属地区"): "+cmd|' /C calc'!A0"}
        ),
        check=lambda y: _quarantined(y, 4, "未知的所属地区「+cmd|' /C calc'!A0」"),
        counts={"clean": 2, "quarantined": 1},
    ),
    # --- exit statuses ----------------------------------------------------------------------
    Case(
        "processed-is-a-file",
        "exit",
        lambda d: (base(d), (d / "processed").write_text("not a folder")),
        exit_code=2,
        message="无法写入清洗结果目录",
    ),
    Case(
        "report-with-unreadable-workbook",
        "exit",
        with_file("坏文件.xlsx", b"this is not a zip file"),
        command=("report", "annual_review", "--year", str(YEAR), "--out", "{root}/out"),
        exit_code=2,
        message="坏文件.xlsx: 无法读取该工作簿：不是有效的 .xlsx 文件（已损坏、为空或不是 Excel 工作簿）",
    ),
    Case(
        "sheet-xml-not-well-formed",
        "exit",
        damaged(lambda _info, xml: xml.replace(b"</sheetData>", b"<row r=\"99\"><c r=\"A99\" t=\"inlineStr\"><is><t>&bogus</t></is></c></row></sheetData>")),
        exit_code=2,
        message=f"{LEDGER} / 工作表「项目台账」: 无法读取：工作簿已损坏",
    ),
    Case(
        "sheet-data-damaged-in-transit",
        "exit",
        damaged(lambda _info, chunk: bytes(b ^ 0x5A for b in chunk), stored=True),
        exit_code=2,
        message=f"{LEDGER} / 工作表「项目台账」: 无法读取：工作簿已损坏",
    ),
    Case(
        "report-with-encrypted-workbook",
        "exit",
        with_file("县区报送/加密.xlsx", compound_file(["EncryptionInfo", "EncryptedPackage"])),
        command=("report", "annual_review", "--year", str(YEAR), "--out", "{root}/out"),
        exit_code=2,
        message="县区报送/加密.xlsx: 工作簿受密码保护",
    ),
    Case(
        "report-out-under-a-file",
        "exit",
        lambda d: (base(d), (d.parent / "年度总结.docx").write_bytes(b"mine")),
        command=("report", "annual_review", "--year", str(YEAR), "--out", "{root}/年度总结.docx/2022"),
        exit_code=2,
        message="是文件，不是文件夹",
    ),
    Case(
        "report-out-is-an-existing-file",
        "exit",
        lambda d: (base(d), (d.parent / "年度总结.docx").write_bytes(b"mine")),
        command=("report", "annual_review", "--year", str(YEAR), "--out", "{root}/年度总结.docx"),
        exit_code=2,
        message="是已有的文件",
    ),
    Case(
        "report-out-is-the-data-folder",
        "exit",
        lambda d: base(d),
        command=("report", "annual_review", "--year", str(YEAR), "--out", "{root}/data/raw/2022"),
        exit_code=2,
        message="与受保护的文件夹",
    ),
    Case("metrics-year-without-ledgers", "exit", lambda d: base(d), command=("metrics", "--year", "2031"), exit_code=2, message="2031"),
]
