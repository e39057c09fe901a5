"""招商引资分析工具包 — helpers behind the notebooks.

One module per concern:
paths (where things live, atomic writes), reference (city-specific tables), parsers (one raw
cell → value), ingest (workbooks → raw rows), cleaning (raw rows → clean tables + quarantine),
cache (parquet cache keyed by input hashes), indicators / metrics / assessment (figures of the
annual review), text (auto-drafted highlights), review (the annual review's tables and charts),
explore (data dictionary, pivots), style / charts / display (one chart style, notebook output),
excel_out / xlsx_zip (deterministic workbooks), render (papermill + nbconvert), reporting
(parameter checks, ``--all``), sample* (synthetic ledgers), cli (``zhaoshang``).
"""

__version__ = "0.1.0"
