"""Giving freed memory back to the operating system between the big steps of a run.

CPython and the Rust reader free a big sheet's cells into the C allocator, which keeps most of
that memory for later use instead of returning it: the process's resident size (what a 1 GiB
machine has to hold) then carries every big sheet it has read. glibc's ``malloc_trim`` returns
the free pages (elsewhere, macOS, musl or Windows, it is not called), and pyarrow's memory pool
(mimalloc or jemalloc: pandas' string columns) is asked to release what it keeps.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache


@cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


def release_freed_memory() -> None:
    """Return the allocators' free memory to the operating system."""
    if "pyarrow" in sys.modules:  # never imported for this
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
