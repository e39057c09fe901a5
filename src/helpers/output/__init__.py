"""Outputs: executed notebooks rendered and published, and the files a report ships.

Belongs here: running a notebook with papermill and rendering offline HTML (``notebook``), the
deterministic Excel workbook (``excel``) and OOXML zip normalisation (``ooxml``); a new output
format (e.g. Word) gets its own module here. May import: ``errors``, ``paths``, ``normalize``,
``reference``, ``viz`` — never indicators' callers (products) or the CLI.
"""
