"""The synthetic-ledger generator (``zhaoshang sample``), fenced off from the pipeline.

Belongs here: the plans of each sample year, the project population, the fitting of amounts
and the writing of messy workbooks calibrated to the published figures. Nothing in the pipeline imports
it (only the CLI and the tests do). May import: ``errors``, ``paths``, ``normalize``,
``reference``, ``ingest``, ``output`` (zip normalisation).
"""
