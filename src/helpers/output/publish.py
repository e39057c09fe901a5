"""Publishing a report folder: all or nothing, and never over anything the kit did not create.

A report is built in a staging folder beside its target and swapped into place in one step, so
a reader sees the old report or the new one, never half of each. Every folder the kit publishes
carries a small marker file (:data:`MARKER`); a target that exists and is not marked (a user's
folder, a file, the data folder) is refused, so ``--out .`` can never delete a user's files, and
so is a folder that holds another report (another notebook, city, year, month or county: its
marker says whose it is), checked again at the swap under a lock of the parent folder, so that
two runs into one ``--out`` never both report success. Staging folders of killed runs are
removed on the next run (their process is gone).

>>> from tempfile import TemporaryDirectory
>>> with TemporaryDirectory() as tmp:
...     notes = Path(tmp) / "notes"; notes.mkdir(); _ = (notes / "a.txt").write_text("mine")
...     try:
...         check_output_folder(notes, protected=[])
...     except UsageError as error:
...         print(str(error).split("：")[0])
输出文件夹已有不是本工具生成的文件，为免覆盖拒绝写入
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from helpers.errors import UsageError, os_reason
from helpers.paths import write_atomic

__all__ = [
    "MARKER",
    "STATUS_FAILED",
    "STATUS_OK",
    "check_output_folder",
    "describe_report",
    "mark_folder",
    "new_staging_folder",
    "publish_folder",
    "read_marker",
    "record_failure",
    "remove_stale_staging",
    "run_record",
    "same_report",
    "some_names",
    "write_marker",
]

#: The file that marks a folder as a report the kit published. Its JSON names the report and,
#: for the catalogue (``helpers.output.catalogue``), the city, the kind of report in Chinese, the
#: identity parameters, the inputs' hash and the status of the last run (with its first error line).
MARKER = ".zhaoshang-report.json"
STATUS_OK, STATUS_FAILED = "ok", "failed"
#: The order of the marker's keys (deterministic bytes).
_MARKER_KEYS = ("kit", "report", "title", "notebook", "city", "parameters", "inputs", "status", "error", "failed_notebook", "files")
_STAGING = re.compile(r"^\.(?P<name>.+)\.(?:tmp|old)-(?P<pid>\d+)-[^.]+$")


def some_names(names: list[str]) -> str:
    """The first three of ``names`` for a message, ``等`` when there are more.

    >>> some_names(["a", "b"]), some_names(["a", "b", "c", "d"])
    ('a、b', 'a、b、c等')
    """
    return "、".join(names[:3]) + ("等" if len(names) > 3 else "")


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def same_report(marker: Mapping[str, Any], owner: Mapping[str, Any]) -> bool:
    """Whether a folder's ``marker`` is the report ``owner`` (a :func:`run_record`) would publish:
    the same notebook and, where both say, the same city and identity parameters.

    >>> bulletin = run_record("monthly_bulletin", title="月度通报", city="九江市", parameters={"year": 2023, "month": 6}, inputs="")
    >>> may = {**bulletin, "parameters": {"year": 2023, "month": 5}}
    >>> same_report(bulletin, {**bulletin, "inputs": "other ledgers"}), same_report(bulletin, may)
    (True, False)
    """
    if marker.get("report") != owner.get("report"):
        return False
    for key in ("title", "notebook", "city", "parameters"):  # a notebook of one's own named like a registered report is another
        if key in marker and key in owner and json.loads(json.dumps(marker[key])) != json.loads(json.dumps(owner[key])):
            return False
    return True


def describe_report(marker: Mapping[str, Any]) -> str:
    """A marker's report in a few Chinese words: ``年度分析报告（九江市 year=2022）``."""
    found = marker.get("parameters")
    parameters: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    words = [str(marker.get("notebook") or ""), str(marker.get("city") or "")] + [f"{k}={v}" for k, v in parameters.items()]
    said = " ".join(word for word in words if word)
    name = str(marker.get("title") or marker.get("report") or "?")
    return f"{name}（{said}）" if said else name


def _refuse_other_report(out: Path, marker: Mapping[str, Any] | None, owner: Mapping[str, Any] | None) -> None:
    if owner is not None and marker is not None and not same_report(marker, owner):
        raise UsageError(
            f"输出文件夹 {out} 已是另一份报告：{describe_report(marker)}；为免覆盖拒绝写入"
            f"（本次为 {describe_report(owner)}）；请指定新的文件夹，或先删除该文件夹"
        )


def check_output_folder(out_dir: Path, protected: Iterable[Path], owner: Mapping[str, Any] | None = None) -> None:
    """Raise :class:`UsageError` unless ``out_dir`` may receive a report.

    Allowed: a folder that does not exist yet (its parents must be folders), an empty folder, or
    a folder the kit published before (it holds :data:`MARKER`) for the same report as ``owner``
    (a :func:`run_record`; None: any report). Refused: a file; a folder with anything else in
    it; a folder of another report (:func:`same_report`); any of ``protected`` (the data
    folder, the notebooks), a folder inside one, or a folder that contains one.
    """
    out = Path(out_dir).resolve()
    for folder in protected:
        folder = Path(folder).resolve()
        if _is_within(out, folder) or _is_within(folder, out):
            raise UsageError(f"输出文件夹 {out} 与受保护的文件夹 {folder} 重叠（数据、参考数据与笔记本不能被报告覆盖）；请指定新的文件夹")
    for parent in out.parents:
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"输出位置 {out} 的上级 {parent} 是文件，不是文件夹")
    existing = next((p for p in out.parents if p.exists()), out)  # the report is staged beside ``out``
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"输出位置 {out} 无法写入：没有文件夹 {existing} 的写权限；请指定可写的文件夹")
    if not out.exists():
        return
    if not out.is_dir():
        raise UsageError(f"输出位置 {out} 是已有的文件，不是文件夹；为免覆盖，请指定新的文件夹")
    if (out / MARKER).is_file():
        _refuse_other_report(out, read_marker(out), owner)
        return
    others = sorted(p.name for p in out.iterdir())
    if others:
        shown = some_names(others)
        raise UsageError(f"输出文件夹已有不是本工具生成的文件，为免覆盖拒绝写入：{out}（含 {shown}）；请指定新的或空的文件夹")


def read_marker(folder: Path) -> dict[str, Any] | None:
    """The marker of ``folder`` as a dict, or None (no marker, unreadable, not the kit's).

    >>> from tempfile import TemporaryDirectory
    >>> with TemporaryDirectory() as tmp:
    ...     write_marker(Path(tmp), run_record("monthly_bulletin", title="月度通报", city="九江市",
    ...                  parameters={"year": 2023, "month": 6}, inputs="ab12"))
    ...     marker = read_marker(Path(tmp))
    >>> marker["title"], marker["parameters"], marker["status"]
    ('月度通报', {'year': 2023, 'month': 6}, 'ok')
    """
    path = Path(folder) / MARKER
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return record if isinstance(record, dict) and record.get("kit") == "zhaoshang" else None


def run_record(
    report: str, *, title: str, city: str, parameters: Mapping[str, Any], inputs: str, status: str = STATUS_OK, error: str | None = None,
    failed_notebook: str | None = None,
) -> dict[str, Any]:
    """What a marker says about one run: the report, its kind in Chinese, the city, the identity
    parameters, the inputs' hash and the status (``ok`` or ``failed`` with the first error line)."""
    record: dict[str, Any] = {
        "kit": "zhaoshang", "report": report, "title": title, "city": city, "parameters": dict(parameters), "inputs": inputs,
        "status": status,
    }
    if error is not None:
        record["error"] = error
    if failed_notebook is not None:
        record["failed_notebook"] = failed_notebook
    return record


def write_marker(folder: Path, record: Mapping[str, Any]) -> None:
    """Write ``record`` as the marker of ``folder`` (keys in a fixed order, no time: the same run
    gives the same bytes)."""
    ordered = {key: record[key] for key in _MARKER_KEYS if key in record}
    ordered.update({key: record[key] for key in sorted(record) if key not in ordered})
    text = json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"
    write_atomic(Path(folder) / MARKER, text.encode("utf-8"))


def _files(folder: Path) -> list[str]:
    """Every file below ``folder`` (relative POSIX paths, sorted), the marker left out."""
    return sorted(path.relative_to(folder).as_posix() for path in Path(folder).rglob("*") if not path.is_dir() and path.name != MARKER)


def mark_folder(folder: Path, report: str) -> None:
    """Write the marker that makes ``folder`` the kit's own (deterministic content), listing the
    files the kit wrote there (``files``: what a later run may replace); what a marker already in
    ``folder`` says about the same report (city, parameters, status) is kept."""
    record: dict[str, Any] = {"kit": "zhaoshang", "report": report}
    existing = read_marker(folder)
    if existing is not None and existing.get("report") == report:
        record = {**existing, **record}
    record["files"] = _files(folder)
    write_marker(folder, record)


def _is_kit_file(relative: str, listed: set[str] | None, report: str) -> bool:
    """Whether a file of a report folder is the kit's: listed in its marker (an older marker lists
    none: then the report's own outputs, the tables, the feedback workbooks), the marker itself, or
    a failed run's notebook."""
    if relative == MARKER or relative.startswith("failed/"):
        return True
    if listed is not None:
        return relative in listed
    name = PurePosixPath(relative)
    return len(name.parts) == 1 and (
        name.stem == report or relative in ("metrics.json", "tables.xlsx") or (relative.startswith("反馈_") and name.suffix == ".xlsx")
    )


def _keep_user_files(out_dir: Path, staging: Path, marker: Mapping[str, Any]) -> None:
    """Copy into ``staging`` every file and folder of ``out_dir`` the kit did not write (a
    reviewer's notes beside the report): the new report keeps them. A file of the user's that has
    the name of one of the new report's files stops the publication (:class:`UsageError`)."""
    listed = marker.get("files")
    kit_files = set(listed) if isinstance(listed, list) else None
    report = str(marker.get("report") or "")
    for path in sorted(out_dir.rglob("*")):
        relative = path.relative_to(out_dir).as_posix()
        if relative == "failed" or _is_kit_file(relative, kit_files, report):
            continue
        target = staging / relative
        if path.is_dir() and not path.is_symlink():
            target.mkdir(parents=True, exist_ok=True)
            continue
        if target.exists() or target.is_symlink():
            raise UsageError(
                f"报告文件夹 {out_dir} 中的 {relative} 不是本工具生成的，而新报告要写出同名文件；为免覆盖，未发布报告：请移走该文件后重试"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target, follow_symlinks=False)


def record_failure(folder: Path, record: Mapping[str, Any], error: str, failed_notebook: Path | None) -> None:
    """Note in the marker of ``folder`` that its last run failed (first error line, the failed
    notebook below ``folder``). What the marker says about the report published there before
    (its name, kind, parameters, inputs) is kept, and so is every file of that report; ``record``
    only fills in what a first, failed run's marker lacks. A folder without the kit's marker is
    left alone, and so is the folder of another report (:func:`same_report`)."""
    folder = Path(folder)
    existing = read_marker(folder)
    if existing is None or not same_report(existing, record):  # not the kit's, or another report's
        return
    relative = None
    if failed_notebook is not None and _is_within(Path(failed_notebook).resolve(), folder.resolve()):
        relative = Path(failed_notebook).resolve().relative_to(folder.resolve()).as_posix()
    first = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    kept = {key: value for key, value in existing.items() if key not in ("status", "error", "failed_notebook")}
    failed = {**dict(record), **kept, "status": STATUS_FAILED, "error": first}
    if relative is not None:
        failed["failed_notebook"] = relative
    write_marker(folder, failed)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Delete staging folders of ``out_dir`` left by killed runs (whose process no longer exists)."""
    removed: list[Path] = []
    parent = Path(out_dir).parent
    if not parent.is_dir():
        return removed
    for path in parent.iterdir():
        match = _STAGING.match(path.name)
        if match and match["name"] == Path(out_dir).name and path.is_dir() and not _process_alive(int(match["pid"])):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def new_staging_folder(out_dir: Path) -> Path:
    """A fresh hidden folder beside ``out_dir`` (same file system, so the swap is atomic)."""
    out_dir = Path(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(out_dir)
        return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-{os.getpid()}-", dir=out_dir.parent))
    except OSError as error:  # read-only file system, no permission, a full disk
        raise UsageError(f"输出位置 {out_dir} 无法写入（{os_reason(error)}）；请指定可写的文件夹") from None


@contextlib.contextmanager
def _parent_locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock of ``out_dir``'s parent folder (no lock file is left behind): two
    runs never swap into the same place at once."""
    descriptor = os.open(Path(out_dir).parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def publish_folder(staging: Path, out_dir: Path, report: str, owner: Mapping[str, Any] | None = None) -> None:
    """Swap ``staging`` into ``out_dir``; the previous report there (incl. ``failed/``) is deleted,
    and what the kit did not write there (a reviewer's notes) is kept in the new one.

    ``out_dir`` must have passed :func:`check_output_folder`; it is checked again under a lock
    (another run may have published there meanwhile): a folder that is no longer new, empty or
    the same report's (``owner``) raises :class:`UsageError` and nothing changes.
    """
    mark_folder(staging, report)
    os.chmod(staging, 0o755)
    with _parent_locked(out_dir):
        if out_dir.is_dir() and not (out_dir / MARKER).is_file() and any(out_dir.iterdir()):
            raise UsageError(f"输出文件夹 {out_dir} 在生成报告期间被写入了不是本工具生成的文件；为免覆盖，未发布报告")
        if out_dir.is_dir():
            marker = read_marker(out_dir)
            _refuse_other_report(out_dir, marker, owner)
            _keep_user_files(out_dir, staging, marker or {"report": report})
        if not out_dir.exists():
            os.replace(staging, out_dir)
            return
        aside_root = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-{os.getpid()}-", dir=out_dir.parent))
        aside = aside_root / "old"
        os.replace(out_dir, aside)
        try:
            os.replace(staging, out_dir)
        except BaseException:
            os.replace(aside, out_dir)
            shutil.rmtree(aside_root, ignore_errors=True)
            raise
    shutil.rmtree(aside_root, ignore_errors=True)
