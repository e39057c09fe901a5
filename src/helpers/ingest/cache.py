"""The cleaned year, cached as parquet under ``data/processed/<year>/`` keyed by its inputs.

The key hashes every raw workbook, every reference table and the cleaning code itself,
so an unchanged year is read back instead of re-cleaned, and any change re-cleans it.
The cache is written to a temporary folder and moved into place, so a crash never leaves
half a cache behind. The tables are read back from parquet; the CSV files beside them
(``quarantine.csv``, ``warnings.csv``…) are for people and have formula-like text
neutralised (``helpers.safe_text``), so opening them in Excel runs nothing.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from helpers import normalize
from helpers.errors import LedgerError, UsageError, os_reason
from helpers.ingest import cells, clean, lanes, schema, workbooks
from helpers.ingest.clean import OUTPUT_TABLES, CleanYear, clean_year
from helpers.ingest.schema import validate_tables
from helpers.ingest.workbooks import unread_files, workbook_label, workbook_paths
from helpers.paths import default_data_dir, ledger_files, processed_dir, raw_dir
from helpers.reference import Reference, load_reference
from helpers.reference import tables as reference_tables
from helpers.safe_text import neutralise_frame

# The code whose change can change a clean table: a new version of any of them rebuilds the cache.
CODE_FILES = (
    clean.__file__, workbooks.__file__, cells.__file__, normalize.__file__, schema.__file__, reference_tables.__file__, __file__,
    lanes.__file__,
)
# The account of a year besides its tables: read back from parquet, shown to people as CSV.
ACCOUNTS = ("quarantine", "warnings", "sheet_counts", "inputs")
LIBRARIES = ("pandas", "python-calamine", "openpyxl", "pyarrow")  # how cells are read and tables stored


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_table(folder: Path) -> pd.DataFrame:
    """The year's workbooks (named by their path below the year folder) with size and SHA-256
    (also shown in the report's provenance cell)."""
    paths = workbook_paths(folder)
    rows = []
    for path in paths:
        try:
            rows.append({"file": workbook_label(path, folder), "bytes": path.stat().st_size, "sha256": file_sha256(path)})
        except OSError as error:
            raise LedgerError(f"{workbook_label(path, folder)}: 无法读取该文件（{os_reason(error)}）") from None
    return pd.DataFrame(rows, columns=["file", "bytes", "sha256"])


def cache_key(inputs: pd.DataFrame, reference: Reference, unread: list[tuple[str, str]] | None = None) -> str:
    """SHA-256 over the raw workbooks, the files of the year folder that are not read (their
    warnings are part of the result), the reference tables, the cleaning code and the versions
    of the libraries that read and store the tables."""
    digest = hashlib.sha256()
    for name, sha in zip(inputs["file"], inputs["sha256"], strict=True):
        digest.update(f"raw/{name}:{sha}\n".encode())
    for name, _reason in unread or []:
        digest.update(f"unread/{name}\n".encode())
    for path in sorted(reference.directory.glob("*")):
        if path.is_file():
            digest.update(f"reference/{path.name}:{file_sha256(path)}\n".encode())
    for code in CODE_FILES:
        digest.update(f"code/{Path(code).name}:{file_sha256(Path(code))}\n".encode())
    for library in LIBRARIES:
        digest.update(f"library/{library}:{importlib.metadata.version(library)}\n".encode())
    return digest.hexdigest()


def _write(target: Path, result: CleanYear, key: str) -> None:
    """Write the cache; a folder that cannot be written (``processed`` is a file, no permission,
    a full disk) is one line naming it, not a traceback."""
    try:
        _write_cache(target, result, key)
    except OSError as error:
        raise UsageError(
            f"无法写入清洗结果目录 {target}（{os_reason(error)}：{error.filename or target}）；"
            "请检查该位置是文件夹且可写"
        ) from None


#: A staging folder of the cache (``.2022-<pid>-<random>``, ``.2022-old-<pid>``; before the pid was
#: in the name ``.2022-<random>``) and the files the kit writes into one.
_STAGING = re.compile(r"\.(?P<year>\d{4})-(?:old-(?P<old>\d+)|(?P<pid>\d+)-[a-z0-9_]{8}|[a-z0-9_]{8})")
_STAGED_SUFFIXES = {".parquet", ".csv", ".json"}
#: A staging folder is only ever this old when the run that wrote it was killed (SIGKILL, a power
#: cut): a year's cache is written in seconds.
STALE_STAGING_SECONDS = 600


def remove_stale_staging(parent: Path, year_name: str, now: float | None = None) -> list[Path]:
    """Remove the staging folders of ``year_name``'s cache left in ``parent`` by a run that was
    killed while writing (``.2022-12345-ab12cd34``): the writer's process is gone, the folder is
    older than :data:`STALE_STAGING_SECONDS` and holds nothing but the kit's cache files. Returns
    what was removed. A folder of anyone else (another name, other files, a live writer) stays."""
    removed = []
    now = time.time() if now is None else now
    for entry in sorted(parent.glob(f".{year_name}-*")):
        match = _STAGING.fullmatch(entry.name)
        if match is None or match["year"] != year_name or entry.is_symlink() or not entry.is_dir():
            continue
        pid = match["old"] or match["pid"]
        try:
            if pid is not None and _alive(int(pid)):
                continue
            if now - entry.stat().st_mtime < STALE_STAGING_SECONDS:
                continue
            if any(not f.is_file() or f.is_symlink() or f.suffix not in _STAGED_SUFFIXES for f in entry.iterdir()):
                continue
            shutil.rmtree(entry)
        except OSError:
            continue  # not ours to fight over: left as it is
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _write_cache(target: Path, result: CleanYear, key: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target.parent, target.name)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-{os.getpid()}-", dir=target.parent))
    try:
        for table in OUTPUT_TABLES:
            result.tables[table].to_parquet(staging / f"{table}.parquet", index=False)
        for name in ACCOUNTS:
            frame: pd.DataFrame = getattr(result, name)
            frame.to_parquet(staging / f"{name}.parquet", index=False)
            neutralise_frame(frame).to_csv(staging / f"{name}.csv", index=False, encoding="utf-8-sig")
        manifest = {"year": result.year, "key": key, "counts": result.counts()}
        (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        if target.exists():
            old = target.with_name(f".{target.name}-old-{os.getpid()}")
            os.replace(target, old)
            os.replace(staging, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _read(target: Path, year: int) -> CleanYear:
    tables = {table: pd.read_parquet(target / f"{table}.parquet") for table in OUTPUT_TABLES}
    accounts = {name: pd.read_parquet(target / f"{name}.parquet") for name in ACCOUNTS}
    return CleanYear(year=year, tables=tables, **accounts)


def load_year(
    year: int,
    data_dir: Path | None = None,
    reference: Reference | None = None,
    *,
    progress: bool = False,
    use_cache: bool = True,
) -> CleanYear:
    """The clean tables of ``year``: from the cache when the inputs are unchanged, else cleaned now.

    >>> year = load_year(2022)  # the shipped sample ledgers
    >>> year.counts()["projects"]["clean"], len(year.quarantine)
    (1243, 8)
    """
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    reference = reference or load_reference()
    folder = raw_dir(data_dir, year)
    inputs = input_table(folder)
    unread = unread_files(folder)
    key = cache_key(inputs, reference, unread)
    target = processed_dir(data_dir, year)
    manifest = target / "manifest.json"
    if use_cache and manifest.is_file():
        try:
            if json.loads(manifest.read_text(encoding="utf-8")).get("key") == key:
                cached = _read(target, year)
                validate_tables(cached.tables, reference)
                return cached
        except (OSError, ValueError):  # SchemaError is a ValueError
            pass  # a damaged or stale cache is rebuilt below
    result = clean_year(folder, year, reference, progress=progress)
    if result.sheet_counts.empty or "projects" not in set(result.sheet_counts["table"]):
        raise LedgerError(f"{folder}: 没有找到「项目台账」工作表（已读取 {'、'.join(inputs['file'])}）")
    result.inputs = inputs
    _write(target, result, key)
    return result


def load_year_if_available(year: int, data_dir: Path | None = None, reference: Reference | None = None) -> CleanYear | None:
    """Like ``load_year`` but None when the year has no ledger files (e.g. no previous year).

    A folder with ledgers that cannot be read is an error, not "not available".
    """
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    if not ledger_files(raw_dir(data_dir, year)):
        return None
    return load_year(year, data_dir, reference)
