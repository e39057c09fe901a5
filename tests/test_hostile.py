"""Hostile and mistaken inputs (issue 12): nothing destroyed, no silent wrong number.

Every case of ``hostile_corpus.CASES`` runs the CLI in-process on its own data folder and
checks the exit status, the one line of a refusal, that no file outside the kit's output
folders changed (every byte of the raw ledgers, the user's files, the reference tables), and —
for a run that succeeds — that every row is accounted for and the case's own findings. The
tests after the corpus cover what needs a kernel or a pipe, and the hypothesis test of ``--out``.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import PROJECT_ROOT
from hostile_corpus import CASES, HEADERS, LEDGER, ROWS, YEAR, Case, Text, base, own_reference, write_workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.cli.main import main
from helpers.errors import LedgerError, ReferenceDataError, UsageError
from helpers.ingest.cache import load_year
from helpers.ingest.clean import COUNT_KEYS
from helpers.ingest.workbooks import (
    error_cells,
    last_row_number,
    merge_references,
    scan_sheet_xml,
    uncalculated_formulas,
)
from helpers.output.publish import (
    MARKER,
    check_output_folder,
    mark_folder,
    new_staging_folder,
    publish_folder,
    read_marker,
    record_failure,
    run_record,
    write_marker,
)
from helpers.reference import load_reference


def tree(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``root``, outside the folders in ``skip``."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(path == s or s in path.parents for s in skip):
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def run_case(case: Case, root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str, dict[str, str], dict[str, str]]:
    data = root / "data"
    data.mkdir()
    case.build(data)
    command = [part.replace("{root}", str(root)) for part in case.command]
    out_dir = next((Path(command[i + 1]) for i, part in enumerate(command) if part == "--out"), None)
    skip = (data / "processed",) + ((out_dir,) if out_dir is not None else ())
    before = tree(root, skip)
    capsys.readouterr()
    status = main([*command, "--data-dir", str(data)])
    out, err = capsys.readouterr()
    return status, out, err, before, tree(root, skip)


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}:{c.id}" for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err, before, after = run_case(case, tmp_path, capsys)
    assert status == case.exit_code, err
    assert after == before, "a file outside the kit's output folder changed"
    if case.exit_code:
        line = err.strip()
        assert len(line.splitlines()) == 1 and "Traceback" not in line, err
        assert case.message in line, line
        return
    assert err.strip() == "" or "Traceback" not in err
    counts = json.loads(out)["sheets"]
    for table, row in counts.items():
        assert row["rows_read"] == sum(row[k] for k in COUNT_KEYS[1:]), (table, row)
    for key, expected in case.counts.items():
        assert counts["projects"][key] == expected, (key, counts["projects"])
    if case.check is not None:
        case.check(load_year(YEAR, tmp_path / "data", _reference_for(tmp_path / "data")))


def _reference_for(data: Path):
    return load_reference(data / "reference" if (data / "reference").is_dir() else None)


def test_every_rule_has_several_cases() -> None:
    by_rule: dict[str, int] = {}
    for case in CASES:
        by_rule[case.rule] = by_rule.get(case.rule, 0) + 1
    assert set(by_rule) == {"unknown", "files", "dates", "reference", "text", "exit"}
    assert all(n >= 3 for rule, n in by_rule.items() if rule != "text"), by_rule


# ------------------------------------------------------------------------ the reader, in detail


def test_uncalculated_formulas_in_sheet_xml() -> None:
    xml = (
        b'<c r="A2"><f>1200+300</f><v/></c>'  # written by a script: no value
        b'<c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2</f><v></v></c>'  # shared anchor, empty value
        b'<c r="B3"><f t="shared" si="0"/></c>'  # shared dependent without a value
        b'<c r="C2"><f>SUM(A2:B2)</f><v>4500</v></c>'  # calculated by Excel
        b'<c r="D2" t="str"><f>""</f><v></v></c>'  # calculated: an empty string
        b'<c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'  # calculated: an error value (read as such)
        b'<x:c r="F2"><x:f>"&lt;a&amp;b&gt;"</x:f></x:c>'  # prefixed namespace, escaped text
    )
    assert uncalculated_formulas(xml) == {(2, 1): "=1200+300", (2, 2): "=A2*2", (3, 2): "=A3*2", (2, 6): '="<a&b>"'}
    # a workbook that asks to be recalculated on load: every formula's stored value is a placeholder
    assert set(uncalculated_formulas(xml, recalculate=True)) == {(2, 1), (2, 2), (3, 2), (2, 3), (2, 4), (2, 5), (2, 6)}
    assert uncalculated_formulas(b'<c r="A1" t="s"><v>0</v></c><formula1>x</formula1>') == {}


# the cells a sheet's XML can hold, as the kit's scans see them (formulas with and without values,
# shared anchors and dependents, error values, namespaced tags, text with escaped markup)
XML_CELLS = [
    '<c r="{col}{row}"><v>5</v></c>',
    '<c r="{col}{row}" t="s"><v>0</v></c>',
    '<c r="{col}{row}"><f>1200+300</f><v/></c>',
    '<c r="{col}{row}"><f>SUM(A1:A2)</f><v>4500</v></c>',
    '<c r="{col}{row}"><f t="shared" ref="{col}{row}:{col}9" si="{si}">A{row}*2</f><v></v></c>',
    '<c r="{col}{row}"><f t="shared" ref="{col}{row}:{col}9" si="{si}">A{row}*3</f><v>7</v></c>',
    '<c r="{col}{row}"><f t="shared" si="{si}"/></c>',
    '<c r="{col}{row}" t="str"><f>""</f><v></v></c>',
    '<c r="{col}{row}" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    '<c r="{col}{row}" t="e"><v>#REF!</v></c>',
    '<x:c r="{col}{row}"><x:f>"&lt;a&amp;b&gt;"</x:f></x:c>',
    '<c r="{col}{row}" t="inlineStr"><is><t>&lt;row r="99"&gt;</t></is></c>',
]


@st.composite
def sheet_xml(draw: st.DrawFn) -> bytes:
    rows = []
    for number in sorted(draw(st.sets(st.integers(1, 60), max_size=12))):
        cells = draw(st.lists(st.tuples(st.sampled_from(XML_CELLS), st.integers(0, 2)), max_size=5))
        body = "".join(cell.format(col="ABCDE"[i], row=number, si=si) for i, (cell, si) in enumerate(cells))
        tag = draw(st.sampled_from(["row", "x:row"]))
        numbered = draw(st.booleans()) or number == 1
        attributes = f' r="{number}"' if numbered else ""
        rows.append(f"<{tag}{attributes}>{body}</{tag}>" if body or draw(st.booleans()) else f"<{tag}{attributes}/>")
    merges = draw(st.lists(st.sampled_from(["A1:C1", "B2:B4", "D5"]), max_size=3))
    tail = "".join(f'<mergeCell ref="{m}"/>' for m in merges)
    breaks = '<rowBreaks count="1"><brk id="5"/></rowBreaks>' if draw(st.booleans()) else ""
    return f'<worksheet><sheetData>{"".join(rows)}</sheetData><mergeCells>{tail}</mergeCells>{breaks}</worksheet>'.encode()


@settings(max_examples=150, deadline=None)
@given(xml=sheet_xml(), size=st.integers(1, 400), recalculate=st.booleans())
def test_sheet_xml_read_in_pieces_says_what_the_whole_xml_says(xml: bytes, size: int, recalculate: bool) -> None:
    """A big sheet's XML is scanned piece by piece (memory); every piece size gives the facts of
    the whole XML: uncalculated formulas (shared ones from an anchor in an earlier piece), error
    values, the last row and the merged ranges."""
    import io

    facts = scan_sheet_xml(lambda: io.BytesIO(xml), recalculate, size)
    assert facts.formulas == uncalculated_formulas(xml, recalculate)
    assert facts.errors == error_cells(xml)
    assert facts.last_row == last_row_number(xml)
    assert facts.merged == merge_references(xml)


# ------------------------------------------------------------------------ reference data, in detail


def test_a_placeholder_typo_in_highlights_is_an_error_at_load(tmp_path: Path) -> None:
    from helpers.products.highlights import load_templates

    data = tmp_path / "data"
    own_reference(
        data,
        lambda f: (f / "highlights.yaml").write_text(
            (f / "highlights.yaml")
            .read_text(encoding="utf-8")
            .replace("{outside_city_projects/count|int}", "{outside_city_project/count|int}"),
            encoding="utf-8",
        ),
    )
    with pytest.raises(ReferenceDataError) as error:
        load_templates(load_reference(data / "reference"))
    message = str(error.value)
    assert message.startswith("highlights.yaml 第 ") and "{outside_city_project/count}" in message
    assert "是否应为 outside_city_projects/count" in message and "\n" not in message
    assert len(load_templates(load_reference())) == 12  # the shipped templates all resolve


@pytest.mark.parametrize(
    "edit, note",
    [
        (
            lambda p: p.write_text(p.read_text(encoding="utf-8").replace("city: 九江市", "city: 赣州市"), encoding="utf-8"),
            "公开数据文件 published/jiujiang.yaml 属于「赣州市」，不是参考数据的城市「九江市」，未核对",
        ),
        (lambda p: p.unlink(), "找不到公开数据文件 published/jiujiang.yaml"),
        (
            lambda p: p.write_text(p.read_text(encoding="utf-8").replace("  2022:", "  2019:", 1), encoding="utf-8"),
            "中没有 2022 年的数据（已有：2019、2021），本期未与公开数据核对",
        ),
    ],
    ids=["another-city", "missing-file", "no-entry-for-the-year"],
)
def test_the_reconciliation_says_why_it_has_nothing_to_compare(tmp_path: Path, edit, note: str) -> None:
    from helpers.products import annual_review as rv

    data = tmp_path / "data"
    base(data)
    (data / "published").mkdir()
    shutil.copy(PROJECT_ROOT / "data" / "published" / "jiujiang.yaml", data / "published" / "jiujiang.yaml")
    edit(data / "published" / "jiujiang.yaml")
    review = rv.build_review(YEAR, data, PROJECT_ROOT / "data" / "reference")
    table = rv.reconciliation_table(review)
    assert table.columns.tolist() == ["说明"] and note in table.iloc[0, 0]


# ------------------------------------------------------------------------ exit statuses, in detail


def test_metrics_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``zhaoshang metrics | head``: the reader is gone before the figures are printed (``true``
    reads nothing), so every write meets a closed pipe — and the command still ends quietly."""
    data = tmp_path / "data"
    base(data)
    zhaoshang = Path(sys.executable).with_name("zhaoshang")
    result = subprocess.run(
        f"'{zhaoshang}' metrics --year {YEAR} --data-dir '{data}' | true; echo ${{PIPESTATUS[0]}}",
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
        executable="/bin/bash",
    )
    assert result.stdout.strip() == "141"  # 128 + SIGPIPE, as a command killed by the closed pipe reports it
    assert result.stderr == "", result.stderr


def test_a_bug_exits_1_with_the_traceback_in_a_log_file(tmp_path: Path, monkeypatch, capsys) -> None:
    def broken(args):
        raise ZeroDivisionError("division by zero in the kit")

    cli_main = sys.modules["helpers.cli.main"]  # (helpers.cli.main is also the name of the function)
    monkeypatch.setattr(cli_main, "command_clean", broken)  # build_parser looks the handler up when called
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert main(["clean", "--year", "2022"]) == 1
    line = capsys.readouterr().err.strip()
    assert len(line.splitlines()) == 1 and "内部错误" in line and "ZeroDivisionError" in line
    log = Path(re.search(r"详细信息已写入 (\S+?\.log)", line).group(1))
    assert log.parent == tmp_path / "zhaoshang-logs"
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "division by zero in the kit" in text and "zhaoshang clean --year 2022" in text


def test_an_unwritable_out_is_one_line(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    base(data)
    if os.geteuid() == 0:  # root writes anywhere a permission allows; /sys refuses new folders
        target = Path("/sys/zhaoshang-report-test")
        if os.access("/sys", os.W_OK) and _can_mkdir(Path("/sys")):
            pytest.skip("no unwritable folder available")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        target = locked / "report"
    before = tree(tmp_path, (data / "processed",))
    assert main(["report", "annual_review", "--year", str(YEAR), "--data-dir", str(data), "--out", str(target)]) == 2
    line = capsys.readouterr().err.strip()
    assert len(line.splitlines()) == 1 and "无法写入" in line and str(target) in line
    assert tree(tmp_path, (data / "processed",)) == before


def _can_mkdir(folder: Path) -> bool:
    try:
        probe = Path(tempfile.mkdtemp(dir=folder))
    except OSError:
        return False
    probe.rmdir()
    return True


def test_bad_input_inside_the_kernel_is_one_line_and_nothing_is_kept(tmp_path: Path, monkeypatch) -> None:
    """A LedgerError raised by a notebook cell comes back as that LedgerError (exit 2), not a failed-cell dump."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from helpers.output.notebook import run_notebook_report

    def failing(*args, **kwargs):
        raise PapermillExecutionError(
            3, 2, "load_year(…)", "LedgerError", "县台账.xlsx: 无法读取该工作簿（BadZipFile: File is not a zip file）", []
        )

    monkeypatch.setattr(papermill, "execute_notebook", failing)
    out = tmp_path / "out"
    with pytest.raises(LedgerError, match=r"^县台账.xlsx: 无法读取该工作簿（BadZipFile: File is not a zip file）$"):
        run_notebook_report(PROJECT_ROOT / "tests" / "fixtures" / "render" / "report_ok.ipynb", out, {"year": 2022}, progress=False)
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no failed/ folder, no staging folder


def test_report_all_reports_bad_input_with_exit_2(monkeypatch, tmp_path: Path) -> None:
    from helpers.cli import report as reporting
    from helpers.products.registry import REPORTS

    def run_report(spec, notebook, parameters, **kwargs):
        if parameters["year"] == 2021:
            raise ReferenceDataError("highlights.yaml 第 17 行（第 1 句）: 分句 … 不是本工具计算的指标")

    monkeypatch.setattr(reporting, "run_report", run_report)
    spec = REPORTS["annual_review"]
    ok = reporting._run_one(spec, Path("x.ipynb"), {"year": 2022}, tmp_path, tmp_path, tmp_path)  # noqa: SLF001
    bad = reporting._run_one(spec, Path("x.ipynb"), {"year": 2021}, tmp_path, tmp_path, tmp_path)  # noqa: SLF001
    assert ok == ({"year": 2022}, None, 0)
    assert bad[0] == {"year": 2021} and bad[2] == 2 and bad[1].startswith("highlights.yaml 第 17 行")


def test_kernels_are_not_interrupted_at_shutdown() -> None:
    """jupyter_client sends SIGINT before every shutdown; an idle kernel then prints
    'KeyboardInterrupt caught in kernel' (the noise of report --all). Our manager skips it."""
    from helpers.output.notebook import _kernel_manager_class

    manager = _kernel_manager_class()()
    signals: list[int] = []

    async def record(signum: int) -> None:
        signals.append(signum)

    manager._async_signal_kernel = record  # noqa: SLF001
    manager.shutting_down = True
    asyncio.run(manager._async_interrupt_kernel())  # noqa: SLF001
    assert signals == []
    manager.shutting_down = False
    with pytest.raises(RuntimeError, match="No kernel is running"):  # a real interrupt request still goes through
        asyncio.run(manager._async_interrupt_kernel())  # noqa: SLF001


# ------------------------------------------------------------------------ ledger text in what the kit publishes


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    """The annual review of a year whose ledger text is hostile (one kernel run)."""
    root = tmp_path_factory.mktemp("hostile-report")
    data = root / "data"
    rows = [[*row, None] for row in ROWS]
    rows[0][HEADERS.index("项目名称")] = "<script>alert(1)</script>"
    rows[1][HEADERS.index("项目名称")] = Text("=1+2")
    rows[0][HEADERS.index("总投资（万元）")] = 300000  # both “50·20” projects: their names are listed in the report
    rows[0][-1] = rows[1][-1] = "2022-05-01"
    rows.append([4, "P4", "县名有误项目", "省外", "<img src=x onerror=alert(2)>", "新材料", 5000, 0, "2022-03-01", None, None])
    write_workbook(data / "raw" / str(YEAR) / LEDGER, [[*HEADERS, "“50·20”申报日期"], *rows])
    (data / "published").mkdir()
    text = (PROJECT_ROOT / "data" / "published" / "jiujiang.yaml").read_text(encoding="utf-8")
    (data / "published" / "jiujiang.yaml").write_text(text.replace("city: 九江市", "city: 赣州市"), encoding="utf-8")
    out = root / "out"
    assert main(["report", "annual_review", "--year", str(YEAR), "--data-dir", str(data), "--out", str(out)]) == 0
    return out


def test_ledger_text_is_escaped_in_the_html(hostile_report: Path) -> None:
    page = (hostile_report / "annual_review.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the “50·20” list names the project, as text
    assert "&lt;img src=x onerror=alert(2)&gt;" in page  # the quarantine reason names the unknown county, as text
    assert "属于「赣州市」，不是参考数据的城市「九江市」，未核对" in page and ">⚠ 不一致<" not in page


def test_ledger_text_is_no_formula_in_tables_xlsx(hostile_report: Path) -> None:
    with zipfile.ZipFile(hostile_report / "tables.xlsx") as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml for xml in sheets)  # not a single formula in the workbook
    workbook = openpyxl.load_workbook(hostile_report / "tables.xlsx")
    cells = [row[1] for row in workbook["50·20项目清单"].iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == ["<script>alert(1)</script>", "=1+2"]  # shown as typed …
    formula_like = next(c for c in cells if c.value == "=1+2")
    assert formula_like.data_type == "s" and formula_like.quotePrefix  # … but stored as text, as Excel stores '=1+2


def test_quarantine_and_warnings_csv_neutralise_formulas(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    base(
        data,
        changes={(0, "签约日期"): Text("=待定"), (1, "备注"): "@SUM(A1)", (2, "所属地区"): Text('=HYPERLINK("http://x","y")')},
        extra=[[4, "P4", "负数项目", "省外", "瑞昌市", "新材料", 5000, "-2+3+cmd|' /C calc'!A0", None, None]],
    )
    assert main(["clean", "--year", str(YEAR), "--data-dir", str(data)]) == 0
    folder = data / "processed" / str(YEAR)
    quarantine = (folder / "quarantine.csv").read_text(encoding="utf-8-sig")
    warnings = (folder / "warnings.csv").read_text(encoding="utf-8-sig")
    cells = [c for line in (quarantine + warnings).splitlines() for c in _csv_cells(line)]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells), cells
    assert "'-2+3+cmd|' /C calc'!A0" in warnings and "'=待定" in warnings and "'=HYPERLINK" not in quarantine  # (inside JSON)
    year = load_year(YEAR, data, load_reference())  # the cache keeps the text as it was
    assert {"-2+3+cmd|' /C calc'!A0", "=待定"} <= set(year.warnings["raw"])


def _csv_cells(line: str) -> list[str]:
    import csv

    return next(csv.reader([line]))


# ------------------------------------------------------------------------ --out never loses a byte

NAMES = st.sampled_from(["a", "b", "笔记", "data", "2022"])


@st.composite
def situations(draw) -> dict:
    """A small random tree (folders, files, report markers), one folder protected (the data), a target."""
    folders = draw(st.lists(st.lists(NAMES, min_size=1, max_size=3).map(tuple), min_size=1, max_size=5, unique=True))
    files = draw(
        st.lists(st.tuples(st.sampled_from(folders + [()]), st.sampled_from(["x.txt", "y.xlsx", "年度总结.docx"])), max_size=6, unique=True)
    )
    marked = draw(st.lists(st.sampled_from(folders), max_size=2, unique=True))
    protected = draw(st.sampled_from(folders))
    target = draw(
        st.one_of(
            st.sampled_from(folders),
            st.sampled_from(files).map(lambda f: (*f[0], f[1])) if files else st.sampled_from(folders),
            st.tuples(st.sampled_from(folders + [()]), NAMES).map(lambda t: (*t[0], "new-" + t[1])),
            st.sampled_from(files).map(lambda f: (*f[0], f[1], "inside")) if files else st.just(("new",)),
            st.just(()),  # the root itself
        )
    )
    return {"folders": folders, "files": files, "marked": marked, "protected": protected, "target": target}


def _build_situation(root: Path, situation: dict) -> tuple[Path, Path]:
    for folder in situation["folders"]:
        path = root.joinpath(*folder)
        if path.exists() and not path.is_dir():
            continue
        try:
            path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            continue
    for folder, name in situation["files"]:
        parent = root.joinpath(*folder)
        if parent.is_dir() and not (parent / name).exists():
            (parent / name).write_bytes(f"{folder}/{name}".encode())
    for folder in situation["marked"]:
        if root.joinpath(*folder).is_dir():
            mark_folder(root.joinpath(*folder), "annual_review")
    return root.joinpath(*situation["protected"]), root.joinpath(*situation["target"])


def _fake_publish(target: Path) -> None:
    staging = new_staging_folder(target)
    (staging / "annual_review.html").write_text("<html></html>", encoding="utf-8")
    publish_folder(staging, target, "annual_review")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(situations())
def test_out_never_loses_a_byte_of_what_was_there(situation: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "root"
        root.mkdir()
        protected, target = _build_situation(root, situation)
        before = tree(root)
        kit_owned = target.is_dir() and (target / MARKER).is_file()
        empty = target.is_dir() and not any(target.iterdir())
        try:
            check_output_folder(target, [protected])
        except UsageError:
            assert tree(root) == before  # refused: not a byte changed
            return
        assert not target.exists() or kit_owned or empty, "a user's file or folder was accepted as a report folder"
        assert not (target == protected or protected in target.parents or target in protected.parents)
        _fake_publish(target)
        after = tree(root)
        inside = target.relative_to(root).as_posix() + "/"
        for path, digest in before.items():
            if kit_owned and path.startswith(inside):
                continue  # the kit's previous report, replaced
            assert after.get(path) == digest, f"{path} was lost or changed"
        assert (target / MARKER).is_file() and [p.name for p in target.parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name] == []


def _published(folder: Path, report: str, city: str, parameters: dict) -> dict:
    """A folder the kit published for ``report`` of ``city`` and ``parameters``, with one page."""
    record = run_record(report, title=report, city=city, parameters=parameters, inputs="ab")
    folder.mkdir(parents=True)
    (folder / f"{report}.html").write_text("<html>已发布</html>", encoding="utf-8")
    write_marker(folder, record)
    return record


@pytest.mark.parametrize(
    ("report", "city", "parameters"),
    [
        ("monthly_bulletin", "九江市", {"year": 2023, "month": 6}),  # another notebook
        ("annual_review", "赣州市", {"year": 2022}),  # another city
        ("annual_review", "九江市", {"year": 2021}),  # another year
    ],
)
def test_out_naming_another_reports_folder_is_refused_and_kept(tmp_path: Path, report: str, city: str, parameters: dict) -> None:
    folder = tmp_path / "mine"
    _published(folder, report, city, parameters)
    before = tree(tmp_path)
    owner = run_record("annual_review", title="年度分析报告", city="九江市", parameters={"year": 2022}, inputs="cd")
    with pytest.raises(UsageError, match="已是另一份报告") as refused:
        check_output_folder(folder, [], owner=owner)
    assert "请指定新的文件夹" in str(refused.value) and "\n" not in str(refused.value)
    staging = new_staging_folder(folder)  # a run that checked before the other report was published there
    (staging / "annual_review.html").write_text("<html>新</html>", encoding="utf-8")
    with pytest.raises(UsageError, match="已是另一份报告"):
        publish_folder(staging, folder, "annual_review", owner=owner)
    shutil.rmtree(staging)
    record_failure(folder, owner, "报告生成失败：…", None)  # its failure is not noted in the other report's marker
    assert tree(tmp_path) == before


def test_the_same_report_again_replaces_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    owner = _published(folder, "annual_review", "九江市", {"year": 2022})
    check_output_folder(folder, [], owner={**owner, "inputs": "new ledgers"})
    staging = new_staging_folder(folder)
    (staging / "annual_review.html").write_text("<html>新</html>", encoding="utf-8")
    write_marker(staging, {**owner, "inputs": "new ledgers"})
    publish_folder(staging, folder, "annual_review", owner=owner)
    assert (folder / "annual_review.html").read_text(encoding="utf-8") == "<html>新</html>"
    assert read_marker(folder)["inputs"] == "new ledgers"


def _republish(folder: Path, files: dict[str, str]) -> None:
    staging = new_staging_folder(folder)
    for name, text in files.items():
        (staging / name).write_text(text, encoding="utf-8")
    publish_folder(staging, folder, "annual_review")


def test_a_reviewers_files_in_a_report_folder_are_kept_when_it_is_published_again(tmp_path: Path) -> None:
    folder = tmp_path / "annual_review"
    _published(folder, "annual_review", "九江市", {"year": 2022})
    _republish(folder, {"annual_review.html": "<html>一</html>", "metrics.json": "{}"})
    assert read_marker(folder)["files"] == ["annual_review.html", "metrics.json"]
    (folder / "我的批注.txt").write_text("请核对第三节", encoding="utf-8")
    (folder / "审阅" / "空").mkdir(parents=True)
    (folder / "审阅" / "意见.docx").write_bytes(b"mine")
    (folder / "failed").mkdir()
    (folder / "failed" / "annual_review.ipynb").write_text("{}", encoding="utf-8")  # a failed run's notebook: the kit's
    _republish(folder, {"annual_review.html": "<html>二</html>"})
    assert tree(folder) == {
        MARKER: tree(folder)[MARKER], "annual_review.html": tree(folder)["annual_review.html"],
        "我的批注.txt": hashlib.sha256("请核对第三节".encode()).hexdigest(), "审阅/意见.docx": hashlib.sha256(b"mine").hexdigest(),
    }  # metrics.json (the kit's, no longer written) and failed/ are gone; the reviewer's files and folders stay
    assert (folder / "审阅" / "空").is_dir() and (folder / "annual_review.html").read_text(encoding="utf-8") == "<html>二</html>"
    assert read_marker(folder)["files"] == ["annual_review.html"]


def test_an_older_marker_without_a_file_list_keeps_what_is_not_the_reports_own(tmp_path: Path) -> None:
    folder = tmp_path / "annual_review"
    folder.mkdir()
    for name in ("annual_review.html", "annual_review.docx", "tables.xlsx", "metrics.json", "批注.txt"):
        (folder / name).write_text(name, encoding="utf-8")
    write_marker(folder, run_record("annual_review", title="年度分析报告", city="九江市", parameters={"year": 2022}, inputs="ab"))
    _republish(folder, {"annual_review.html": "<html>新</html>"})
    assert sorted(p.name for p in folder.iterdir()) == [MARKER, "annual_review.html", "批注.txt"]


def test_a_users_file_named_like_a_new_output_stops_the_swap(tmp_path: Path) -> None:
    folder = tmp_path / "annual_review"
    _published(folder, "annual_review", "九江市", {"year": 2022})
    _republish(folder, {"annual_review.html": "<html>一</html>"})
    (folder / "tables.xlsx").write_bytes(b"the user's own workbook")
    before = tree(tmp_path)
    with pytest.raises(UsageError, match="tables.xlsx 不是本工具生成的"):
        _republish(folder, {"annual_review.html": "<html>二</html>", "tables.xlsx": "kit"})
    assert {k: v for k, v in tree(tmp_path).items() if ".tmp-" not in k} == before


def test_a_notebook_of_ones_own_named_like_a_registered_report_is_another_report() -> None:
    from helpers.output.publish import same_report

    registered = run_record("annual_review", title="年度分析报告", city="九江市", parameters={"year": 2022}, inputs="ab")
    own = {**run_record("annual_review", title="annual_review", city="九江市", parameters={"year": 2022}, inputs="ab"),
           "notebook": "/home/analyst/annual_review.ipynb"}
    other_folder = {**own, "notebook": "/home/analyst/old/annual_review.ipynb"}
    assert not same_report(registered, own) and not same_report(own, other_folder) and same_report(own, dict(own))


def test_a_user_file_that_appeared_during_the_run_stops_the_swap(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    check_output_folder(folder, [])
    staging = new_staging_folder(folder)
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="不是本工具生成的文件"):
        publish_folder(staging, folder, "annual_review")
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_report_out_into_another_reports_folder_exits_2_before_a_kernel_runs(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "bulletin"
    _published(folder, "monthly_bulletin", "九江市", {"year": 2023, "month": 6})
    before = tree(tmp_path)
    assert main(["report", "annual_review", "--year", "2022", "--out", str(folder)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "已是另一份报告：monthly_bulletin（九江市 year=2023 month=6）" in error
    assert "本次为 年度分析报告（九江市 year=2022）" in error
    assert tree(tmp_path) == before


def test_a_hostile_ledger_row_is_counted_once(tmp_path: Path, capsys) -> None:
    """A mix of everything in one workbook: every row is in exactly one bucket."""
    data = tmp_path / "data"
    extra = [
        [4, "P4", "=A1", "省外", "瑞昌市", "新材料", "#REF!", "-", "2099-01-01", None],
        ["赣州高新技术产业开发区小计", None, None, None, None, None, 1, None, None, None],
        [None] * len(HEADERS),
        [5, "P1", "光电模组项目", "省外", "瑞昌市", "电子信息", 30000, 1500, "2022-03-05", None],  # identical duplicate of P1
    ]
    base(data, extra=extra)
    assert main(["clean", "--year", str(YEAR), "--data-dir", str(data), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["sheets"]["projects"]
    assert counts == {"rows_read": 7, "clean": 3, "quarantined": 1, "subtotal": 1, "blank": 1, "duplicates_merged": 1}
