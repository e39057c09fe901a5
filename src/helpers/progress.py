"""Progress bars for long batches, shown only to a person at a terminal.

:func:`progress` wraps an iterable in a ``tqdm`` bar on stderr when stderr is a terminal (or
when asked explicitly); otherwise — a pipe, a log file, ``--json`` output, a test — it returns
the iterable untouched, so nothing but the results reaches a file.

>>> items = [1, 2, 3]
>>> progress(items, enabled=False) is items
True
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TypeVar

__all__ = ["progress", "shows_progress"]

T = TypeVar("T")


def shows_progress(enabled: bool | None = None) -> bool:
    """Whether a bar is shown: never with ``enabled=False``, always with ``True``, and with
    ``None`` only when stderr is a terminal."""
    if enabled is not None:
        return enabled
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):  # a closed stream
        return False


def progress(
    iterable: Iterable[T], *, total: int | None = None, description: str = "", enabled: bool | None = None, unit: str = "个"
) -> Iterable[T]:
    """``iterable`` with a progress bar on stderr (see :func:`shows_progress`), else unchanged.

    ``total``: the number of items when ``iterable`` has no length (a generator);
    ``description``: the words before the bar (``生成月度通报``); ``unit``: what is counted (``份``).
    """
    if not shows_progress(enabled):
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=description or None, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=True)
