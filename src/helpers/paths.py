"""Where the project's folders are: the one place that knows the layout.

The project root is found from ``ZHAOSHANG_HOME`` if set, else from the package location
(editable install, ``src/helpers`` → root), else from the current folder upwards.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from helpers.errors import UsageError

MARKER = Path("data") / "reference" / "settings.yaml"


def project_root() -> Path:
    """The project folder (holding ``data/``, ``notebooks/``, ``reports/``)."""
    env = os.environ.get("ZHAOSHANG_HOME")
    if env:
        return Path(env).resolve()
    candidates = [Path(__file__).resolve().parents[2], *[p for p in [Path.cwd(), *Path.cwd().parents]]]
    for candidate in candidates:
        if (candidate / MARKER).is_file():
            return candidate
    raise UsageError(
        f"找不到项目目录（需包含 {MARKER}）；请在项目目录下运行，或设置环境变量 ZHAOSHANG_HOME"
    )


def default_data_dir() -> Path:
    return project_root() / "data"


def default_reference_dir() -> Path:
    return project_root() / "data" / "reference"


def reference_dir_for(data_dir: Path, reference_dir: str | Path | None = None) -> Path:
    """The reference tables of ``data_dir``: ``reference_dir`` when given (relative: from the
    project folder), else the data folder's own ``reference/`` (a second city carries its own),
    else the project's ``data/reference/``."""
    if reference_dir is not None:
        return resolve(reference_dir)
    data_dir = Path(data_dir)
    return data_dir / "reference" if (data_dir / "reference").is_dir() else default_reference_dir()


def raw_dir(data_dir: Path, year: int) -> Path:
    return data_dir / "raw" / str(year)


def processed_dir(data_dir: Path, year: int) -> Path:
    return data_dir / "processed" / str(year)


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def reports_dir() -> Path:
    return project_root() / "reports"


LEDGER_SUFFIXES = {".xlsx", ".xls", ".et", ".xlsm", ".xlsb", ".csv", ".ods"}


def year_files(folder: Path) -> list[Path]:
    """Every entry under a year folder that is not a folder, in any subfolder (``县区报送/湖口县.xlsx``),
    sorted by relative path: files, and also broken links and special files (a pipe), so that none
    is passed over without a word; symbolic links to folders are not followed."""
    if not folder.is_dir():
        return []
    found = [Path(root) / name for root, _dirs, names in os.walk(folder) for name in names]
    return sorted((p for p in found if not p.is_dir()), key=lambda p: p.relative_to(folder).as_posix())


def is_ignored_file(path: Path, folder: Path) -> bool:
    """Excel's lock files (``~$…``) and hidden files or folders (``.DS_Store``, ``.git/…``) are never ledgers."""
    parts = path.relative_to(folder).parts
    return path.name.startswith("~$") or any(part.startswith(".") for part in parts)


def ledger_files(folder: Path) -> list[Path]:
    """Files under a year folder (any subfolder) that look like ledgers (any case: ``.XLSX`` too),
    sorted by relative path; lock files and hidden files are not ledgers."""
    return [p for p in year_files(folder) if p.suffix.lower() in LEDGER_SUFFIXES and not is_ignored_file(p, folder)]


def available_years(data_dir: Path) -> list[int]:
    """Years that have a ``raw/<year>/`` folder with at least one ledger file, ascending."""
    base = data_dir / "raw"
    if not base.is_dir():
        return []
    return sorted(
        int(p.name) for p in base.iterdir() if p.is_dir() and p.name.isdigit() and ledger_files(p)
    )


def resolve(path: str | Path) -> Path:
    """An absolute path as given; a relative one is taken from the project folder, not the cwd.

    So notebooks run from ``notebooks/``, ``reports/<year>/`` or JupyterLab's root all find
    ``data`` the same way, and reports carry no machine paths.
    """
    candidate = Path(path)
    return candidate if candidate.is_absolute() else project_root() / candidate


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` via a temporary file in the same folder and ``os.replace``: readers see
    the old file or the new one, never half of it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target
