"""Modules a report's kernel imports at start-up, before the notebook's first cell (issue 13).

The kit starts a single report's kernel while the parent still checks the parameters and the
ledgers; the kernel meanwhile imports the modules the notebook's own import statements name
(``helpers.output.notebook.notebook_imports``), so that the notebook's first cell finds them
in ``sys.modules``. Nothing is bound in the notebook's namespace and nothing is printed: a
module that fails to import here is skipped, and the notebook's own import raises the error in
its cell, as it would without this step.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable


def import_modules(names: Iterable[str]) -> list[str]:
    """Import each of ``names`` in order; returns the ones that imported (a name that is not a
    module, e.g. a function in ``from helpers.viz.display import show_table``, or a module
    that fails, is skipped).

    >>> import_modules(["json", "json.no_such_module"])
    ['json']
    """
    imported = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 — the notebook's own import reports it, in its cell
            continue
        imported.append(name)
    return imported
