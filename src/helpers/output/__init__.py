"""Outputs: executed notebooks rendered and published, and the files a report ships.

Belongs here: running a notebook with papermill and rendering offline HTML (``notebook``), the
deterministic Excel workbook (``excel``), OOXML zip normalisation (``ooxml``), atomic publishing
and the report folders' markers (``publish``) and the catalogue of published reports
(``catalogue``, ``reports/index.html``); a new output
format (e.g. Word) gets its own module here. May import: ``errors``, ``paths``, ``normalize``,
``reference``, ``viz`` — never indicators' callers (products) or the CLI.
"""

import sys

# nbformat validates notebooks with jsonschema, whose format checker imports rfc3987_syntax when
# it is installed (a JupyterLab dependency) and compiles 39 IRI grammars at import: 0.8 s of
# every report run, for an "iri" format no notebook schema uses. Marked absent (as when it is not
# installed) before nbformat, papermill or nbconvert are imported; a module already imported
# (another caller's) is left alone.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
