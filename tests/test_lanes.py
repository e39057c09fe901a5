"""Cleaning on two cores (``helpers.ingest.lanes``): the same year as one process, whatever the input.

Every year folder of the hostile corpus, the messy ledgers and the shipped sample is cleaned by
one process and by two (``lanes=2`` forces the split, however small the year): the tables with
their dtypes and row order, the quarantine, the warnings and the sheet counts are identical, and
an input that stops the run stops it with the same error — the one a single process meets first.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import DATA_DIR, REFERENCE_DIR
from hostile_corpus import CASES, HEADERS, Case
from messy_ledgers import write_messy_year

import helpers.ingest.clean as clean_module
import helpers.ingest.lanes as lanes
from helpers.ingest.clean import CleanYear, clean_year
from helpers.ingest.lanes import ChildLane, plan_lanes
from helpers.ingest.workbooks import workbook_paths
from helpers.reference import load_reference


def outcome(folder: Path, year: int, reference: Any, lanes_used: int) -> CleanYear | tuple[str, str]:
    try:
        return clean_year(folder, year, reference, lanes=lanes_used)
    except Exception as error:  # noqa: BLE001 — compared between one process and two
        return type(error).__name__, str(error)


def assert_same(one: CleanYear | tuple[str, str], two: CleanYear | tuple[str, str]) -> None:
    if isinstance(one, tuple) or isinstance(two, tuple):
        assert one == two
        return
    assert list(one.tables) == list(two.tables)
    for name, table in one.tables.items():
        assert table.equals(two.tables[name]), name
        assert list(table.dtypes) == list(two.tables[name].dtypes), name
        assert list(table.columns) == list(two.tables[name].columns), name
    assert one.quarantine.equals(two.quarantine)
    assert one.warnings.equals(two.warnings)
    assert one.sheet_counts.equals(two.sheet_counts)


def no_child_left() -> bool:
    """No forked copy of this process is running or left unreaped (a zombie)."""
    me = str(os.getpid())
    command = Path("/proc/self/cmdline").read_bytes()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[1] == me and (stat.parent / "cmdline").read_bytes() in (command, b""):
                return False
        except OSError:
            continue
    return True


@pytest.fixture
def at_most_a_minute() -> Any:
    """A test of something that would otherwise hang fails after a minute instead."""

    def expired(_signum: int, _frame: Any) -> None:
        raise TimeoutError("hung for a minute")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def year_folders(data: Path) -> list[Path]:
    raw = data / "raw"
    return sorted(p for p in raw.iterdir() if p.is_dir()) if raw.is_dir() else []


@pytest.mark.parametrize("case", CASES, ids=[f"{c.rule}:{c.id}" for c in CASES])
def test_hostile_year_same_on_two_cores(case: Case, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    case.build(data)
    try:
        reference = load_reference(data / "reference") if (data / "reference").is_dir() else load_reference(REFERENCE_DIR)
    except Exception:  # noqa: BLE001 — a case about a broken reference table: no year is cleaned
        pytest.skip("the case's reference tables do not load")
    folders = year_folders(data)
    if not folders:
        pytest.skip("the case has no year folder")
    for folder in folders:
        year = int(folder.name) if folder.name.isdigit() else 2022
        assert_same(outcome(folder, year, reference, 1), outcome(folder, year, reference, 2))
    assert no_child_left()


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023])
def test_shipped_sample_same_on_two_cores(year: int, reference: Any) -> None:
    folder = DATA_DIR / "raw" / str(year)
    assert plan_lanes(workbook_paths(folder)) is None  # a small year: one process (forking costs more)
    assert_same(outcome(folder, year, reference, 1), outcome(folder, year, reference, 2))


def test_messy_ledgers_same_on_two_cores(tmp_path: Path, reference: Any) -> None:
    folder = tmp_path / "raw" / "2022"
    write_messy_year(folder)
    assert_same(outcome(folder, 2022, reference, 1), outcome(folder, 2022, reference, 2))


def ledger(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def projects(count: int, prefix: str) -> list[list[Any]]:
    """A project ledger of ``count`` rows (ids ``<prefix>00000``…), a subtotal and a blank row among them."""
    rows = [
        [i + 1, f"{prefix}{i:05d}", f"项目{prefix}{i}", "省外", ("瑞昌市", "永修县", "湖口县")[i % 3], "电子信息", 1000 + i, i % 50, "2022-03-05", None]
        for i in range(count)
    ]
    return [HEADERS, *rows[: count // 2], [None, None, "小计", None, None, None, None, None, None, None], [], *rows[count // 2 :]]


def two_workbooks(tmp_path: Path) -> Path:
    """A year folder of a city ledger (2,000 projects) and a county's (1,500)."""
    folder = tmp_path / "raw" / "2022"
    ledger(folder / "市.xlsx", {"项目台账": projects(2000, "S")})
    ledger(folder / "县.xlsx", {"项目台账": projects(1500, "X")})
    return folder


def test_the_first_error_in_order_wins(tmp_path: Path, reference: Any) -> None:
    """The child's small workbook comes first and lacks a required column; the big one, this
    process's, has none of the ledger sheets: one process stops at the first, and so do two."""
    folder = tmp_path / "raw" / "2022"
    ledger(folder / "a_县区台账.xlsx", {"项目台账": [[h for h in HEADERS if h != "资金来源"], ["1", "X1", "项目", "瑞昌市"]]})
    ledger(folder / "b_市台账.xlsx", {"备注": [[f"说明{i}", i] for i in range(3000)]})
    plan = plan_lanes(workbook_paths(folder), cores=2, min_bytes=0)
    assert plan is not None and plan.child_only == {0} and plan.largest == (1, "备注")
    one, two = outcome(folder, 2022, reference, 1), outcome(folder, 2022, reference, 2)
    assert isinstance(one, tuple) and "a_县区台账.xlsx" in one[1]
    assert one == two


def test_a_workbook_shared_by_both_without_a_ledger_sheet(tmp_path: Path, reference: Any) -> None:
    folder = tmp_path / "raw" / "2022"
    ledger(folder / "台账.xlsx", {"说明": [[f"说明{i}", i] for i in range(2000)], "备注": [[f"备注{i}"] for i in range(1000)]})
    plan = plan_lanes(workbook_paths(folder), cores=2, min_bytes=0)
    assert plan is not None and plan.split(0)
    one, two = outcome(folder, 2022, reference, 1), outcome(folder, 2022, reference, 2)
    assert isinstance(one, tuple) and "没有可识别的台账工作表（找到：说明、备注" in one[1]
    assert one == two


def test_sheets_split_between_the_processes(tmp_path: Path, reference: Any) -> None:
    """A workbook read partly by each process, and workbooks wholly the child's."""
    folder = tmp_path / "raw" / "2022"
    ledger(folder / "2022年九江市招商引资工作台账.xlsx", {"项目台账": projects(3000, "S"), "说明": [["本表由市商务局汇总"]]})
    ledger(folder / "修水县.xlsx", {"项目台账": projects(900, "X")})
    ledger(folder / "县区/湖口县.xlsx", {"项目台账": projects(800, "H")})
    plan = plan_lanes(workbook_paths(folder), cores=2, min_bytes=0)
    assert plan is not None and plan.largest == (0, "项目台账") and plan.child_only
    two = outcome(folder, 2022, reference, 2)
    assert_same(outcome(folder, 2022, reference, 1), two)
    assert isinstance(two, CleanYear) and len(two.tables["projects"]) == 4700
    assert no_child_left()


def test_a_child_that_dies_leaves_its_share_to_the_parent(tmp_path: Path, reference: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_workbooks(tmp_path)
    parent = os.getpid()
    real_lane = clean_module._clean_lane

    def dying(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # the out-of-memory killer, say
        return real_lane(*args, **kwargs)

    monkeypatch.setattr(clean_module, "_clean_lane", dying)
    two = outcome(folder, 2022, reference, 2)
    monkeypatch.undo()
    assert_same(outcome(folder, 2022, reference, 1), two)
    assert isinstance(two, CleanYear) and len(two.tables["projects"]) == 3500
    assert no_child_left()


def test_the_child_waits_while_two_big_sheets_would_be_held(tmp_path: Path, reference: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = two_workbooks(tmp_path)
    assert not plan_lanes(workbook_paths(folder), cores=2, min_bytes=0).wait
    monkeypatch.setattr(lanes, "PARALLEL_XML_BYTES", 1)
    assert plan_lanes(workbook_paths(folder), cores=2, min_bytes=0).wait
    assert_same(outcome(folder, 2022, reference, 1), outcome(folder, 2022, reference, 2))


@pytest.mark.parametrize(
    "cores, min_bytes, expected",
    [(1, 0, None), (2, 10**12, None)],
)
def test_one_process_when_two_would_not_help(tmp_path: Path, cores: int, min_bytes: int, expected: Any) -> None:
    folder = tmp_path / "raw" / "2022"
    ledger(folder / "市.xlsx", {"项目台账": projects(200, "S")})
    ledger(folder / "县.xlsx", {"项目台账": projects(100, "X")})
    assert plan_lanes(workbook_paths(folder), cores=cores, min_bytes=min_bytes) is expected


def test_a_workbook_the_zip_cannot_plan_is_left_to_one_process(tmp_path: Path) -> None:
    folder = tmp_path / "raw" / "2022"
    ledger(folder / "市.xlsx", {"项目台账": projects(200, "S")})
    (folder / "县.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert plan_lanes(workbook_paths(folder), cores=2, min_bytes=0) is None


def test_the_largest_sheets_are_spread_over_both_lanes(tmp_path: Path) -> None:
    folder = tmp_path / "raw" / "2022"
    ledger(folder / "a.xlsx", {"项目台账": projects(3000, "A"), "外出招商": [["x"] * 5 for _ in range(1000)]})
    ledger(folder / "b.xlsx", {"项目台账": projects(2500, "B")})
    plan = plan_lanes(workbook_paths(folder), cores=2, min_bytes=0)
    assert plan is not None and plan.largest == (0, "项目台账")
    assert plan.child == {1: frozenset({"项目台账"}), 0: frozenset({"外出招商"})} and plan.child_only == {1}


def test_a_stopped_child_is_ended_and_reaped() -> None:
    child = ChildLane(lambda: time.sleep(60), wait=False)
    started = time.monotonic()
    child.stop()
    assert time.monotonic() - started < 5
    assert no_child_left()


def test_a_child_result_and_a_child_that_cannot_send_it() -> None:
    assert ChildLane(lambda: {"rows": [1, 2, 3]}, wait=True).result() == {"rows": [1, 2, 3]}
    assert ChildLane(lambda: (lambda: 0), wait=False).result() is None  # cannot be pickled: the parent does the work
    assert no_child_left()


def test_no_fork_where_it_is_not_safe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "raw" / "2022"
    ledger(folder / "市.xlsx", {"项目台账": projects(200, "S")})
    ledger(folder / "县.xlsx", {"项目台账": projects(100, "X")})
    assert plan_lanes(workbook_paths(folder), cores=None, min_bytes=0) is not None or lanes.available_cores() < 2
    monkeypatch.setattr(lanes.sys, "platform", "darwin")
    assert lanes.available_cores() == 1
    assert plan_lanes(workbook_paths(folder), min_bytes=0) is None


def test_a_stuck_child_is_ended_and_its_share_done_here(
    tmp_path: Path, reference: Any, monkeypatch: pytest.MonkeyPatch, at_most_a_minute: Any
) -> None:
    """A child that never answers (a lock it inherited, a thread that cannot start) costs the
    patience, not the run."""
    folder = two_workbooks(tmp_path)
    parent = os.getpid()
    real_lane = clean_module._clean_lane

    def stuck(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            time.sleep(3600)
        return real_lane(*args, **kwargs)

    monkeypatch.setattr(clean_module, "_clean_lane", stuck)
    monkeypatch.setattr(clean_module, "CHILD_PATIENCE_SECONDS", 1.0)
    started = time.monotonic()
    two = outcome(folder, 2022, reference, 2)
    assert time.monotonic() - started < 20
    monkeypatch.undo()
    assert_same(outcome(folder, 2022, reference, 1), two)
    assert no_child_left()


def test_the_child_starts_no_thread(tmp_path: Path, reference: Any, monkeypatch: pytest.MonkeyPatch, at_most_a_minute: Any) -> None:
    """A thread that cannot start blocks ``Thread.start`` for ever (a child short of memory): the
    child reads no sheet ahead, so its share comes back from the child itself."""
    import threading

    folder = tmp_path / "raw" / "2022"
    ledger(folder / "市.xlsx", {"项目台账": projects(2000, "S"), "外出招商": [["x"] * 3] * 300})
    ledger(folder / "县.xlsx", {"项目台账": projects(1500, "X"), "备注": [["说明"]] * 300})
    parent = os.getpid()
    real_start, real_lane, redone = threading.Thread.start, clean_module._clean_lane, []

    def start(self: threading.Thread) -> None:
        if os.getpid() != parent:
            time.sleep(3600)
        real_start(self)

    def lane(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() == parent and kwargs.get("child"):
            redone.append(True)  # the parent doing the child's share: the child did not answer
        return real_lane(*args, **kwargs)

    monkeypatch.setattr(threading.Thread, "start", start)
    monkeypatch.setattr(clean_module, "_clean_lane", lane)
    monkeypatch.setattr(clean_module, "CHILD_PATIENCE_SECONDS", 5.0)
    two = outcome(folder, 2022, reference, 2)
    monkeypatch.undo()
    assert not redone
    assert_same(outcome(folder, 2022, reference, 1), two)


def test_ctrl_c_just_after_the_fork_leaves_no_child(
    tmp_path: Path, reference: Any, monkeypatch: pytest.MonkeyPatch, at_most_a_minute: Any
) -> None:
    folder = two_workbooks(tmp_path)
    real_fork, real_close = os.fork, os.close
    state = {"forked": False}

    def fork() -> int:
        pid = real_fork()
        state["forked"] = pid != 0
        return pid

    def close(fd: int) -> None:
        if state["forked"]:  # the parent's first step after the fork
            state["forked"] = False
            raise KeyboardInterrupt
        real_close(fd)

    monkeypatch.setattr(lanes.os, "fork", fork)
    monkeypatch.setattr(lanes.os, "close", close)
    with pytest.raises(KeyboardInterrupt):
        clean_year(folder, 2022, reference, lanes=2)
    monkeypatch.undo()
    assert no_child_left()
