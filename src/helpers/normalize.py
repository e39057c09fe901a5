"""Text normalisation shared by every layer: one raw value → comparable text.

Blank detection, NFKC normalisation of cell text, name keys and alias matching (``NameIndex``),
closest-name suggestions and the display width of CJK text. No dependency on anything else in
the kit, so the reference tables, the cleaning and the outputs all compare text the same way.
"""

from __future__ import annotations

import difflib
import functools
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal

__all__ = [
    "NameIndex",
    "clean_text",
    "display_width",
    "is_blank",
    "is_placeholder",
    "match_name",
    "name_key",
    "normalize_text",
    "number_text",
    "safe_str",
    "suggest_names",
]

# A cell holding only dashes or slashes ('-', '—', '——', '--', '/', '／', '－'…) means "none".
_PLACEHOLDER = re.compile("[-/\\\u2010-\u2015\u2212\u2500\u30fc\uff0d\uff0f]+")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\ufe0e\ufe0f]")
_WS = re.compile(r"\s+")
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)


def safe_str(raw: object) -> str:
    """``str(raw)`` that cannot raise (huge ints, broken ``__str__``)."""
    try:
        return str(raw)
    except Exception:  # noqa: BLE001 - any failure of a foreign __str__
        return f"<{type(raw).__name__}>"


def clean_text(text: str) -> str:
    """NFKC, drop zero-width characters, strip."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).strip()


def _is_nan_like(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, Decimal):
        return raw.is_nan()
    if isinstance(raw, numbers.Real) and not isinstance(raw, numbers.Integral):
        try:
            return math.isnan(float(raw))
        except (TypeError, ValueError, OverflowError):
            return False
    name = type(raw).__name__
    if name in ("NaTType", "NAType"):
        return True
    if name in ("datetime64", "timedelta64"):  # numpy NaT
        return safe_str(raw) == "NaT"
    return False


def is_placeholder(raw: object) -> bool:
    """True for text that is only dashes or slashes (``-``, ``—``, ``——``, ``--``, ``/``, ``／``):
    a clerk's way of writing "none". Blank, but worth a warning in an amount cell.

    >>> [is_placeholder(x) for x in ("-", " —— ", "／", "", "-5", 0)]
    [True, True, True, False, False, False]
    """
    return isinstance(raw, str) and _PLACEHOLDER.fullmatch(_WS.sub("", clean_text(raw))) is not None


def is_blank(raw: object) -> bool:
    """True for None/NaN/NaT, empty or whitespace-only text and placeholders ('-', '—', '——', '/', '／').

    >>> [is_blank(x) for x in (None, float("nan"), " \\u3000", "—", "／", "无", 0)]
    [True, True, True, True, True, False, False]
    """
    if isinstance(raw, str):
        # most cells start with a Chinese character or an ASCII letter or digit: NFKC keeps it as it is
        # (tests/test_parsers.py checks every one), so the text is neither empty nor a placeholder
        first = raw[:1]
        if "\u4e00" <= first <= "\u9fff" or (first.isascii() and first.isalnum()):
            return False
        return _is_blank_clean_text(clean_text(raw))
    return _is_nan_like(raw)


def _is_blank_clean_text(text: str) -> bool:
    """``is_blank`` of text that ``clean_text`` gave: empty, or a placeholder (stripped, so a
    placeholder starts with one of its characters: most text is decided by its first one)."""
    return text == "" or (_PLACEHOLDER.match(text[0]) is not None and _PLACEHOLDER.fullmatch(_WS.sub("", text)) is not None)


def number_text(raw: object) -> str:
    """Text of a cell; integral floats as '123' rather than '123.0'."""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, numbers.Integral):
        return safe_str(raw)
    if isinstance(raw, numbers.Real):
        try:
            value = float(raw)
        except (TypeError, ValueError, OverflowError):
            return safe_str(raw)
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    return safe_str(raw)


def _collapse_ws(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if start > 0 and end < len(text) and _CJK.match(text[start - 1]) and _CJK.match(text[end]):
        return ""
    return " "


def normalize_text(raw: object) -> str | None:
    """NFKC, strip, drop whitespace between CJK characters, collapse other runs; None if blank.

    >>> normalize_text(" 九江 经开区\\n（一期） "), normalize_text(123.0), normalize_text("—")
    ('九江经开区 (一期)', '123', None)
    """
    if isinstance(raw, str):  # is_blank's own clean text, not worked out a second time
        text = clean_text(raw)
        if _is_blank_clean_text(text):
            return None
    elif is_blank(raw):
        return None
    else:
        text = clean_text(number_text(raw))
    text = _WS.sub(_collapse_ws, text)
    return text or None


# ------------------------------------------------------------------------ names

_NAME_JUNK = re.compile(
    "[\\s\"'“”‘’\u00b7\u2027\u2219\u22c5\u30fb\u2022"  # quotes and middle dots
    "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]"  # hyphens and dashes
)
_ADMIN_SUFFIXES = ("县", "市", "区")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal, a chart label or an Excel cell: CJK counts double.

    >>> display_width("瑞昌市 LED")
    10
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def name_key(text: str) -> str:
    """Comparison key: normalized, casefolded, without spaces, quotes, middle dots, hyphens.

    >>> name_key(" “50·20” 项目 "), name_key("九江 经开区")
    ('5020项目', '九江经开区')
    """
    if isinstance(text, str):
        return _name_key_cached(text)
    normalized = normalize_text(text)
    return "" if normalized is None else _NAME_JUNK.sub("", normalized).casefold()


@functools.lru_cache(maxsize=8192)
def _name_key_cached(text: str) -> str:  # match_name keys every alias on every call
    normalized = normalize_text(text)
    return "" if normalized is None else _NAME_JUNK.sub("", normalized).casefold()


def _strip_admin_suffix(key: str) -> str:
    return key[:-1] if len(key) > 1 and key.endswith(_ADMIN_SUFFIXES) else key


class NameIndex:
    """Alias lookups prepared once: exact keys, and keys without a trailing 县/市/区.

    ``NameIndex(aliases).match(raw)`` is ``match_name(raw, aliases)`` without re-keying every
    alias on every call (the cleaner matches hundreds of thousands of cells).
    """

    def __init__(self, aliases: Mapping[str, str]) -> None:
        self.exact: dict[str, set[str]] = {}
        self.loose: dict[str, set[str]] = {}
        for alias, canonical in aliases.items():
            for candidate in (alias, canonical):
                candidate_key = name_key(candidate)
                if candidate_key:
                    self.exact.setdefault(candidate_key, set()).add(canonical)
                    self.loose.setdefault(_strip_admin_suffix(candidate_key), set()).add(canonical)

    def match(self, raw: object) -> str | None:
        key = name_key(raw)  # type: ignore[arg-type]
        if not key:
            return None
        exact = self.exact.get(key)
        if exact:
            return next(iter(exact)) if len(exact) == 1 else None
        loose = self.loose.get(_strip_admin_suffix(key), set())
        return next(iter(loose)) if len(loose) == 1 else None


def match_name(raw: object, aliases: Mapping[str, str]) -> str | None:
    """Canonical name for ``raw`` via ``aliases`` (alias or canonical → canonical).

    Falls back to comparing without a trailing 县/市/区; None if unknown or ambiguous.

    >>> aliases = {"瑞昌市": "瑞昌市", "庐山市": "庐山市", "庐山区": "濂溪区", "经开区": "九江经济技术开发区"}
    >>> match_name("瑞昌", aliases), match_name("经开区", aliases), match_name("庐山", aliases)
    ('瑞昌市', '九江经济技术开发区', None)
    """
    return NameIndex(aliases).match(raw)


def suggest_names(raw: object, choices: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` known names closest to ``raw`` (best first, ties in input order).

    Similarity is difflib's ratio on :func:`name_key` without a trailing 县/市/区
    (a shared suffix alone is no resemblance); cutoff 0.3.

    >>> suggest_names("瑞常市", ["修水县", "瑞昌市", "庐山市"])
    ['瑞昌市']
    """
    key = name_key(raw)  # type: ignore[arg-type]
    if not key or n <= 0:
        return []
    core = _strip_admin_suffix(key)
    scored: list[tuple[float, float, int, str]] = []
    seen: set[str] = set()
    for index, choice in enumerate(choices):
        if choice in seen or not isinstance(choice, str):
            continue
        seen.add(choice)
        choice_key = name_key(choice)
        if not choice_key:
            continue
        score = difflib.SequenceMatcher(None, core, _strip_admin_suffix(choice_key), autojunk=False).ratio()
        if score >= 0.3:
            full = difflib.SequenceMatcher(None, key, choice_key, autojunk=False).ratio()
            scored.append((-score, -full, index, choice))
    scored.sort()
    return [entry[-1] for entry in scored[:n]]
