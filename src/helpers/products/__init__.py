"""Products: the reports the kit publishes, one module per report, and what they share.

Belongs here: the report registry (``registry``: each report's notebook, the parameters that
identify one run, its outputs), each report's tables, charts and text (``annual_review``,
``explore``, …), the auto-drafted text (``highlights``). A new report is a notebook in
``notebooks/``, a module here and an entry in the registry. May import every lower layer
(``errors``, ``paths``, ``normalize``, ``reference``, ``ingest``, ``indicators``, ``viz``,
``output``) — never ``sample`` or the CLI.
"""
