"""Ledger text is data: the one rule that keeps it from becoming a formula in a spreadsheet.

A core module (no dependency on the rest of the kit) because both the cleaning cache
(``quarantine.csv``, ``warnings.csv``) and the outputs (``tables.xlsx``) write spreadsheet cells.

A CSV or Excel cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is taken for a formula by Excel and WPS (CSV injection, OWASP). Such text is prefixed with a
single quote, which spreadsheets show as text; everything else is returned unchanged. The
full-width forms (``＝``, ``＋``, ``－``, ``＠``) are included: Chinese input methods produce them
and some spreadsheet programs convert them. A plain signed number (``-5``, ``+1.5``) computes
nothing and stays as it is.

>>> [neutralise_formula(t) for t in ("=1+2", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0", "-5", "九江市", "")]
["'=1+2", "'@SUM(A1)", "'-2+3+cmd|' /C calc'!A0", '-5', '九江市', '']
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["FORMULA_STARTS", "neutralise_formula", "neutralise_frame"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-][0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?%?")


def neutralise_formula(text: object) -> object:
    """``text`` with a leading ``'`` when it would start a formula; any non-text value as is."""
    if isinstance(text, str) and text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` (e.g. ``quarantine.csv`` before writing) with every text cell and
    column name neutralised; numbers stay numbers."""
    shown = frame.copy()
    for column in shown.columns:
        if shown[column].dtype == object or pd.api.types.is_string_dtype(shown[column].dtype):
            shown[column] = shown[column].map(neutralise_formula, na_action="ignore")
    shown.columns = [neutralise_formula(str(c)) for c in shown.columns]
    return shown
