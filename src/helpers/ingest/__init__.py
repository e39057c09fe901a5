"""Ingestion: ledger workbooks in, validated clean tables out (with quarantine and warnings).

Belongs here: parsing one raw cell (``cells``), finding a sheet's layout in a workbook
(``workbooks``), turning raw rows into clean tables with every row accounted for (``clean``),
sharing a year's sheets between two processes on two cores (``lanes``), the clean tables'
declared schemas (``schema``) and the parquet cache keyed by the inputs (``cache``).
May import: ``helpers.errors``, ``helpers.paths``, ``helpers.normalize``, ``helpers.memory``,
``helpers.processes``, ``helpers.reference`` — never indicators, products, outputs or the CLI.
"""
