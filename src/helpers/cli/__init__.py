"""The ``zhaoshang`` command: argument parsing, parameter checks, batch runs.

Belongs here: ``main`` (sub-commands, exit statuses) and ``report`` (notebook parameters,
validation before a kernel starts, ``--all``). The top layer: may import anything.
"""

from helpers.cli.main import main

__all__ = ["main"]
