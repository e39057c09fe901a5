"""The kit's one error hierarchy: what went wrong decides the exit status.

- :class:`InputError` (exit 2, one line on stderr): the user's input is wrong — a ledger, a
  reference table, a parameter. The message names the file, sheet, row and column where it can;
  the CLI catches these and nothing else.
- :class:`ReportFailure` (exit 1): a report could not be produced although its input was
  accepted (a notebook cell failed); the failed notebook is kept.
- :class:`KitBug` and any other exception: a bug in the kit. It is never caught as bad input;
  the CLI writes its traceback to a log file, prints that file's path in one line and exits 1.

An :class:`InputError` raised inside a notebook's kernel reaches the CLI as a failed cell whose
exception name is the class's; :func:`input_error_named` turns it back into the same error, so
bad input gives the same one line and exit 2 from a notebook as from ``zhaoshang clean``.

>>> issubclass(LedgerError, InputError), issubclass(ReportError, InputError)
(True, False)
"""

from __future__ import annotations

import errno
from pathlib import Path

__all__ = [
    "FontNotFoundError",
    "InputError",
    "KitBug",
    "KitError",
    "LedgerError",
    "ReferenceDataError",
    "ReportError",
    "ReportFailure",
    "SchemaError",
    "UsageError",
    "input_error_named",
    "os_reason",
]

#: What the system's errors mean, in the user's language (the system's own text is English).
_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "只读文件系统",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "已存在",
    errno.EISDIR: "是文件夹，不是文件",
    errno.ENOTDIR: "上级不是文件夹",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EIO: "读写设备出错",
    errno.ENAMETOOLONG: "路径太长",
    errno.EMFILE: "打开的文件过多",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
}


def os_reason(error: OSError) -> str:
    """Why a file operation failed, in Chinese (the system's text for an error it does not know).

    >>> os_reason(OSError(28, "No space left on device")), os_reason(PermissionError(13, "Permission denied"))
    ('磁盘空间不足', '没有权限')
    """
    return _OS_REASONS.get(error.errno or -1) or error.strerror or type(error).__name__


#: Exit statuses of the ``zhaoshang`` command.
EXIT_OK, EXIT_REPORT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class KitError(Exception):
    """Base of every error the kit raises on purpose."""


class InputError(KitError):
    """Bad input: reported in one line, exit status 2."""


class LedgerError(InputError):
    """A ledger that stops the run (no workbook, unreadable file, missing required column)."""


class ReferenceDataError(InputError):
    """A reference table (``data/reference/``) is missing, malformed or lacks what the code needs."""


class UsageError(InputError):
    """A bad command-line or notebook parameter."""


class ReportFailure(KitError):
    """A report could not be produced although its input was accepted: exit status 1."""


class ReportError(ReportFailure):
    """A notebook did not run to the end; the message is Chinese + English, 1–2 lines.

    For a failing cell, ``cell_index`` / ``execution_count`` / ``ename`` / ``evalue`` describe it
    and ``failed_notebook`` is the saved executed notebook.
    """

    def __init__(
        self,
        message: str,
        *,
        cell_index: int | None = None,
        execution_count: int | None = None,
        ename: str | None = None,
        evalue: str | None = None,
        failed_notebook: Path | None = None,
    ) -> None:
        super().__init__(message)
        self.cell_index = cell_index
        self.execution_count = execution_count
        self.ename = ename
        self.evalue = evalue
        self.failed_notebook = failed_notebook


class KitBug(KitError):
    """An internal contract was broken: a bug in the kit, not bad input."""


class SchemaError(KitBug, ValueError):
    """A clean table breaks its schema (a bug in the kit or a stale cache, not bad input)."""


class FontNotFoundError(KitBug, RuntimeError):
    """No CJK-capable font could be found (the shipped font is missing from the install)."""


def input_error_named(name: str | None, message: str) -> InputError | None:
    """The :class:`InputError` whose class is called ``name`` (an exception name reported by a
    notebook kernel), carrying ``message``; None for any other name.

    >>> type(input_error_named("LedgerError", "a.xlsx: 无法读取")).__name__, input_error_named("ValueError", "x")
    ('LedgerError', None)
    """
    classes = {cls.__name__: cls for cls in (InputError, LedgerError, ReferenceDataError, UsageError)}
    return classes[name](message) if name in classes else None
