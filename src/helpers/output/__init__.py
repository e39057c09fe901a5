"""Outputs: executed notebooks rendered and published, and the files a report ships.

Belongs here: running a notebook with papermill and rendering offline HTML (``notebook``), the
deterministic Excel workbook (``excel``), OOXML zip normalisation (``ooxml``), atomic publishing
and the report folders' markers (``publish``) and the catalogue of published reports
(``catalogue``, ``reports/index.html``); a new output
format (e.g. Word) gets its own module here. May import: ``errors``, ``paths``, ``normalize``,
``reference``, ``viz`` — never indicators' callers (products) or the CLI.
"""
