"""Indicators: the figures of a period, computed from clean tables (docs/domain.md §3, §5).

Belongs here: the period a figure covers (``period``), the indicator definitions as row
selections and summaries (``definitions``), all figures of a period in the shape of the
published files (``metrics``) and the county assessment (``assessment``). Amounts stay in
万元 until a figure is rounded for reporting. May import: ``errors``, ``paths``, ``normalize``,
``reference``, ``ingest`` — never viz, products, outputs or the CLI.
"""
