"""Child processes of a run that must not outlive it."""

from __future__ import annotations

import contextlib
import signal


def end_with_parent() -> None:
    """On Linux, this process is killed when its parent dies, whatever kills the parent: never an
    orphan that goes on working or holds the caller's stdout and stderr open."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
