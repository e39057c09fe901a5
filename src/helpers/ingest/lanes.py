"""Cleaning a year on two cores: the year's sheets shared between this process and one forked child.

The cleaner's work is Python on one core, and a year's sheets are independent until their rows
are put together: so the sheets are split into two *lanes* of about equal size (the XML of each
sheet, from the zip's directory: nothing is parsed to plan), this process cleans one lane, a
forked child the other, and the child's per-sheet parts come back pickled through a pipe. The
parts are then put together in the order one process would have made them (workbook, then sheet
position), so the tables, quarantine, warnings and counts are the same, and an error is the one
a single process would have met first (:func:`helpers.ingest.clean.clean_year`).

A child that dies (killed, out of memory) leaves its lane to this process: nothing is lost, it
only takes longer. Two big sheets are never worked on at once when their XML together exceeds
:data:`PARALLEL_XML_BYTES` (the reader's range of a sheet takes about as much memory as its XML):
the child then starts when this process has cleaned its largest sheet.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from helpers.ingest.workbooks import sheet_paths
from helpers.processes import end_with_parent

#: Below this much sheet XML in a year (about 40,000 ledger cells), one process is faster than two
#: (forking and returning the parts cost more than the child's share of the work saves).
PARALLEL_MIN_XML_BYTES = 4 * 2**20
#: Two lanes work at the same time only while their largest sheets' XML together stays below this:
#: else the child waits until this process has read and cleaned its largest sheet, and the other
#: sheets are shared as if that one were not there (at scale 400, 900,000 rows, the two processes
#: together would otherwise hold about 1.05 GiB: this process 800 MiB cleaning its largest sheet of
#: 318,000 rows, the child 300 MiB with another of 290,000).
PARALLEL_XML_BYTES = 384 * 2**20
#: The least time this process waits for the child's result after finishing its own share (then four
#: times as long as its own share took): a child that sends nothing by then is ended and its share
#: done here.
CHILD_PATIENCE_SECONDS = 30.0


@dataclass(frozen=True)
class LanePlan:
    """Which sheets the child cleans: ``child[w]`` is the set of sheet titles of workbook ``w`` (an
    index into the year's workbooks) that the child reads; every other sheet is this process's."""

    child: dict[int, frozenset[str]]
    child_only: frozenset[int]  # workbooks every sheet of which is the child's
    wait: bool  # the child starts when this process has cleaned its largest sheet
    largest: tuple[int, str]  # this process's largest sheet (workbook, title)

    def child_takes(self, workbook: int, title: str) -> bool:
        return title in self.child.get(workbook, frozenset())

    def split(self, workbook: int) -> bool:
        """Whether the workbook is read partly by each process."""
        return workbook in self.child and workbook not in self.child_only


def available_cores() -> int:
    """The cores this process may run on; 1 where a fork is not safe (macOS: its system libraries
    may crash a forked child; Windows has no fork)."""
    if not sys.platform.startswith("linux"):
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except OSError:
        return os.cpu_count() or 1


def _sheet_sizes(path: Path) -> dict[str, int] | None:
    """Title → uncompressed size of each worksheet's XML, or None when the zip cannot say (the
    reader will report what is wrong with the file)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = sheet_paths(archive).items()
            # worksheets only (a chart sheet has no cells; the reader does not list it either)
            return {title: archive.getinfo(member).file_size for title, member in members if "worksheets/" in member.lower()}
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError, EOFError):
        return None


def plan_lanes(paths: list[Path], cores: int | None = None, min_bytes: int = PARALLEL_MIN_XML_BYTES) -> LanePlan | None:
    """The two lanes of a year's workbooks, or None when one process is the better choice: one
    core, a small year, a workbook whose zip cannot be planned (the reader reports it, in order).

    Largest sheets first, each to the lane with less XML so far (the classic greedy split).

    >>> plan_lanes([], cores=2) is None
    True
    """
    if (cores if cores is not None else available_cores()) < 2:
        return None
    units: list[tuple[int, int, str]] = []
    titles: dict[int, set[str]] = {}
    for workbook, path in enumerate(paths):
        sizes = _sheet_sizes(path)
        if sizes is None:
            return None
        units.extend((size, workbook, title) for title, size in sizes.items())
        titles[workbook] = set(sizes)
    if len(units) < 2 or sum(size for size, _, _ in units) < min_bytes:
        return None
    units.sort(key=lambda unit: (-unit[0], unit[1], unit[2]))
    lanes = _greedy_split(units, 1.0)
    if lanes[1] and lanes[0][0][0] + lanes[1][0][0] > PARALLEL_XML_BYTES:  # the child will wait: share the rest
        lanes = _greedy_split(units, 0.0)
    if not lanes[1]:
        return None
    child: dict[int, set[str]] = {}
    for _size, workbook, title in lanes[1]:
        child.setdefault(workbook, set()).add(title)
    largest = lanes[0][0]
    return LanePlan(
        child={workbook: frozenset(names) for workbook, names in child.items()},
        child_only=frozenset(workbook for workbook, names in child.items() if names == titles[workbook]),
        wait=largest[0] + lanes[1][0][0] > PARALLEL_XML_BYTES,
        largest=(largest[1], largest[2]),
    )


def _greedy_split(units: list[tuple[int, int, str]], first_share: float) -> list[list[tuple[int, int, str]]]:
    """Largest first, each unit to the lane with less so far; this process's first (largest) unit
    counts ``first_share`` of its size (0: the child waits for it, so nothing runs beside it)."""
    loads = [0.0, 0.0]
    lanes: list[list[tuple[int, int, str]]] = [[], []]
    for unit in units:
        lane = 0 if (loads[0], len(lanes[0])) <= (loads[1], len(lanes[1])) else 1  # a tie: the lane with fewer
        loads[lane] += unit[0] * (first_share if not lanes[lane] and lane == 0 else 1.0)
        lanes[lane].append(unit)
    return lanes


class ChildLane:
    """A forked child computing ``work()``; its result comes back through a pipe.

    >>> child = ChildLane(lambda: sum(range(10)), wait=False)
    >>> child.result()
    45
    """

    def __init__(self, work: Callable[[], Any], *, wait: bool) -> None:
        results_read, results_write = os.pipe()
        gate_read, gate_write = os.pipe() if wait else (-1, -1)
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child_main(work, results_write, gate_read, closing=(results_read, gate_write))
        self.pid = pid
        self._results = results_read
        self._gate = gate_write
        self._done = False
        try:
            os.close(results_write)
            if gate_read >= 0:
                os.close(gate_read)
        except BaseException:  # Ctrl-C just after the fork: the child is not left waiting for a reader
            self.stop()
            raise

    def open_gate(self) -> None:
        """Let a waiting child start (this process has cleaned its largest sheet)."""
        if self._gate >= 0:
            with contextlib.suppress(OSError):
                os.write(self._gate, b"1")
            os.close(self._gate)
            self._gate = -1

    def result(self, patience: float | None = None) -> Any | None:
        """The child's result, or None when it died before sending it whole, or sent nothing within
        ``patience`` seconds (then it is ended: a child stuck for any reason costs that wait, not the run)."""
        self.open_gate()
        if patience is not None and not select.select([self._results], [], [], patience)[0]:
            self.stop()
            return None
        with os.fdopen(self._results, "rb", closefd=True) as pipe:
            self._results = -1
            header = pipe.read(8)
            data = bytearray(int.from_bytes(header, "little") if len(header) == 8 else 0)
            received, view = 0, memoryview(data)  # into one buffer: a big year's parts are not held twice
            while received < len(data) and (count := pipe.readinto(view[received:])):
                received += count
            view.release()
        self._reap()
        if len(header) < 8 or received != len(data):
            return None
        try:
            return pickle.loads(data)
        except Exception:  # noqa: BLE001 — cannot happen for a whole message; the parent does the work
            return None

    def stop(self) -> None:
        """End the child now (this process is stopping)."""
        if not self._done:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        for fd in (self._results, self._gate):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._results = self._gate = -1
        self._reap()

    def _reap(self) -> None:
        if not self._done:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self._done = True


def _child_main(work: Callable[[], Any], results: int, gate: int, closing: tuple[int, int]) -> None:
    """The forked child: ``work()`` pickled into ``results``, then exit without the parent's
    clean-up (its atexit handlers, buffers and open files are the parent's)."""
    status = 1
    try:
        for fd in closing:
            if fd >= 0:
                os.close(fd)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops the child
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not a batch worker's handler
        end_with_parent()
        # a notebook kernel's stdout/stderr send messages through sockets that belong to the parent
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 — for the child's life
        if gate >= 0:
            os.read(gate, 1)
            os.close(gate)
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(results, "wb", closefd=True) as pipe:
            pipe.write(len(data).to_bytes(8, "little"))
            pipe.write(data)
        status = 0
    except BaseException:  # noqa: BLE001, S110 — whatever happened, the parent does the work itself
        pass
    finally:
        os._exit(status)
