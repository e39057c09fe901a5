"""``python -m helpers …`` is the same as the ``zhaoshang`` command."""

from helpers.cli import main

raise SystemExit(main())
