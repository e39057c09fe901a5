"""``python -m helpers …`` is the same as the ``zhaoshang`` command."""

from helpers.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
