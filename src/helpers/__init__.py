"""招商引资分析工具包 — helpers behind the notebooks.

One module per concern:
paths (where things live), reference (city-specific tables), parsers (one raw cell → value),
ingest (workbooks → raw rows), cleaning (raw rows → clean tables + quarantine), cache (parquet
cache keyed by input hashes), indicators / assessment / metrics (figures of the annual review),
style / charts (one chart style), text (auto-drafted highlights), excel_out (tables.xlsx),
render (papermill + nbconvert report runner), sample (synthetic ledgers), cli (``zhaoshang``).
"""

__version__ = "0.1.0"
