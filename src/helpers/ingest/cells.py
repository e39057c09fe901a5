"""Parsers for single raw cell values of messy Excel ledgers (台账).

Every ``parse_*`` function takes one raw cell value of any type and returns

* the parsed value,
* ``None`` when the cell is blank (see :func:`is_blank`), or
* a :class:`ParseFailure` carrying a short Chinese reason and the raw text.

A cell whose value the kit cannot know is never a number: a formula the workbook's writer never
calculated (the reader puts an :class:`UncalculatedFormula` marker in its place) and an Excel
error value (``#REF!``, ``#DIV/0!`` …) are a :class:`ParseFailure` naming the formula or the
error for every parser (see :func:`unknowable_cell`).

They never raise for bad input; callers decide whether a failure quarantines the
row (required field) or is only logged (optional field). ``format_amount`` and
``format_date`` are their inverses, used by the sample-data generator and the
round-trip tests.

All amounts are returned in 万元 (10,000 yuan); arithmetic is done in
:class:`decimal.Decimal` so that e.g. ``'1234.5678亿'`` is exactly 12345678.0.
"""

from __future__ import annotations

import datetime
import functools
import math
import numbers
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal

from helpers.normalize import clean_text, is_blank, normalize_text, safe_str

__all__ = [
    "AMOUNT_UNIT_FACTORS",
    "DATE_STYLES",
    "EXCEL_ERRORS",
    "ParseFailure",
    "ParsedDate",
    "UncalculatedFormula",
    "format_amount",
    "format_date",
    "is_usd",
    "normalize_unit",
    "parse_amount",
    "parse_date",
    "parse_integer",
    "parse_text",
    "parse_yes_no",
    "split_header",
    "unknowable_cell",
]

# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class ParseFailure:
    """A value that could not be parsed; falsy so ``if not result`` catches it.

    >>> f = ParseFailure("无法解析的金额", "待定")
    >>> bool(f), str(f)
    (False, '无法解析的金额：待定')
    """

    reason: str
    raw: str

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return f"{self.reason}：{self.raw}"


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date; ``month_only`` marks month precision (day set to the 1st).

    >>> ParsedDate(datetime.date(2022, 3, 1), month_only=True).month_only
    True
    """

    value: datetime.date
    month_only: bool = False


@dataclass(frozen=True)
class UncalculatedFormula:
    """A raw-cell marker: a formula cell without a cached value (the workbook was written by a
    script or an export tool and never calculated), so its value is unknown.

    >>> str(UncalculatedFormula("=1200+300"))
    '=1200+300'
    """

    formula: str

    def __str__(self) -> str:
        return self.formula


#: The error values Excel shows in a cell whose formula failed.
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!",
     "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)


def unknowable_cell(raw: object) -> ParseFailure | None:
    """The failure of a cell whose value cannot be known (uncalculated formula, Excel error), else None.

    >>> unknowable_cell(UncalculatedFormula("=1200+300")).reason
    '公式未计算（=1200+300），请在 Excel 中打开并保存后重试'
    >>> unknowable_cell(" #REF! ").reason, unknowable_cell("#REF!公司")
    ('Excel 错误值（#REF!），公式出错，请在 Excel 中修正后重试', None)
    """
    if isinstance(raw, UncalculatedFormula):
        return ParseFailure(f"公式未计算（{raw.formula}），请在 Excel 中打开并保存后重试", raw.formula)
    if isinstance(raw, str) and raw[:1] in "# " and raw.strip().upper() in EXCEL_ERRORS:
        error = raw.strip().upper()
        return ParseFailure(f"Excel 错误值（{error}），公式出错，请在 Excel 中修正后重试", raw)
    return None


def parse_text(raw: object) -> str | None | ParseFailure:
    """Normalized text (see :func:`normalize_text`), None if blank, a failure for an unknowable cell.

    >>> parse_text(" 九江 经开区 "), parse_text("—"), bool(parse_text("#N/A"))
    ('九江经开区', None, False)
    """
    unknown = unknowable_cell(raw)  # a ParseFailure is falsy: no ``or`` here
    return normalize_text(raw) if unknown is None else unknown


AMOUNT_FAILURE = "无法解析的金额"
DATE_FAILURE = "无法解析的日期"
YES_NO_FAILURE = "无法识别的是否值"
INTEGER_FAILURE = "无法解析的整数"

#: 万元 per one of each amount unit.
AMOUNT_UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal("0.0001"),
    "万元": Decimal(1),
    "千万元": Decimal(1000),
    "亿元": Decimal(10000),
}
_UNIT_ALIASES = {
    "元": "元",
    "万": "万元",
    "万元": "万元",
    "千万": "千万元",
    "千万元": "千万元",
    "亿": "亿元",
    "亿元": "亿元",
}

DATE_STYLES = ("iso", "slash", "dot", "cn", "compact", "month_cn", "month_iso")
MIN_YEAR, MAX_YEAR = 1990, 2100
_EXCEL_ORIGIN = datetime.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31

_WS = re.compile(r"\s+")
_MAX_NUMBER_TEXT = 64  # longer "numbers" are garbage (and int() limits digits)
_DEC_CTX = Context(prec=80)
_SIX_PLACES = Decimal("0.000001")

# ---------------------------------------------------------------------- headers


_HEADER_MARKS = "*※"
_TRAILING_BRACKET = re.compile(r"^(.*)[(\[【]([^()\[\]【】]*)[)\]】]$", re.DOTALL)
_UNIT_PREFIX = re.compile(r"^单位[:：]?")


_USD = re.compile(r"美元|美金|US\$|USD", re.IGNORECASE)


def is_usd(text: object) -> bool:
    """Whether a header, unit or cell names US dollars (``万美元``, ``USD``): such amounts are
    never read as 元 (domain.md §1: 境外 funds are reported in USD, apart from the 元 figures).

    >>> is_usd("2月（万美元）"), is_usd("单位：万美元"), is_usd("万元")
    (True, True, False)
    """
    return isinstance(text, str) and bool(_USD.search(text))


def normalize_unit(text: str) -> str | None:
    """Canonical amount unit ('元', '万元', '千万元', '亿元') or None.

    >>> normalize_unit("万"), normalize_unit(" 亿元 "), normalize_unit("单位：万元"), normalize_unit("个")
    ('万元', '亿元', '万元', None)
    """
    if not isinstance(text, str):
        return None
    cleaned = _UNIT_PREFIX.sub("", _WS.sub("", clean_text(text)))
    return _UNIT_ALIASES.get(cleaned)


def split_header(raw: object) -> tuple[str, str | None]:
    """Split a header cell into (name, amount unit); drops spaces, breaks and '*'/'※' marks.

    >>> split_header("本年实际进资\\n(万元)"), split_header("*项目名称"), split_header("金额(万)")
    (('本年实际进资', '万元'), ('项目名称', None), ('金额', '万元'))
    """
    text = normalize_text(raw)
    if text is None:
        return "", None
    name = _WS.sub("", text).strip(_HEADER_MARKS)
    match = _TRAILING_BRACKET.match(name)
    if match:
        head = match.group(1).strip(_HEADER_MARKS)
        unit = normalize_unit(match.group(2))
        if unit is not None and head:
            return head, unit
    return name, None


# ---------------------------------------------------------------------- amounts

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_TRADITIONAL = str.maketrans({"萬": "万", "億": "亿", "兩": "两", "貳": "贰", "參": "叁", "陸": "陆"})
_NUMERAL_TOKEN = re.compile(
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"|(?P<cn>[零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖]+)"
    r"|(?P<unit>[十拾百佰千仟万亿])"
)
_SCIENTIFIC = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][+-]?[0-9]{1,4}")
_TEN_THOUSAND = Decimal(10000)
_HUNDRED_MILLION = Decimal(100000000)


@dataclass(frozen=True)
class _Numeral:
    value: Decimal
    has_big_unit: bool  # contained 万 or 亿: value is an absolute count


def _parse_numeral(text: str) -> _Numeral | None:
    """Parse arabic/Chinese numerals with 十百千万亿 (no sign, no 元); None if invalid."""
    if not text or len(text) > _MAX_NUMBER_TEXT:
        return None
    if _SCIENTIFIC.fullmatch(text):
        return _Numeral(Decimal(text), False)
    total = section = Decimal(0)
    num: Decimal | None = None
    num_kind = ""  # 'arabic' | 'digit' (one Chinese digit) | 'positional'
    after_zero = False  # a 零 placeholder stands between the last unit and num
    prev_unit: int | None = None  # unit token immediately before num
    last_small = 10**9
    seen_wan = seen_yi = seen_number = seen_unit = False
    pos = 0
    for match in _NUMERAL_TOKEN.finditer(text):
        if match.start() != pos:
            return None
        pos = match.end()
        kind, token = match.lastgroup, match.group()
        if kind in ("num", "cn"):
            if num is not None:
                return None  # two numbers in a row
            if kind == "num":
                num, num_kind = Decimal(token.replace(",", "")), "arabic"
            else:
                digits = token.lstrip("零〇")
                zeros = len(token) - len(digits)
                if not digits:  # only 零: a placeholder (or the number zero)
                    after_zero, prev_unit, seen_number = True, None, True
                    continue
                if len(digits) == 1:
                    num, num_kind = Decimal(_CN_DIGITS[digits]), "digit"
                else:
                    num = Decimal("".join(str(_CN_DIGITS[c]) for c in digits))
                    num_kind = "positional"
                if zeros:
                    after_zero, prev_unit = True, None
            seen_number = True
            continue
        seen_unit = True
        if token in _CN_SMALL:
            unit = _CN_SMALL[token]
            if unit >= last_small:
                return None
            section += (num if num is not None else Decimal(1)) * unit  # 十二: implicit 一
            last_small, seen_number = unit, True
        elif token == "万":
            if seen_wan or (num is None and section == 0):
                return None
            total += (section + (num or 0)) * _TEN_THOUSAND
            unit, seen_wan = 10000, True
        else:  # 亿
            if seen_yi or (num is None and section == 0 and total == 0):
                return None
            total = (total + section + (num or 0)) * _HUNDRED_MILLION
            unit, seen_yi, seen_wan = 100000000, True, False
        if token in ("万", "亿"):
            section, last_small = Decimal(0), 10**9
        num, num_kind, after_zero, prev_unit = None, "", False, unit
    if pos != len(text) or not seen_number:
        return None
    value = total + section
    if num is not None:
        if not seen_unit or after_zero or prev_unit == 10 and num_kind == "digit":
            value += num
        elif prev_unit is not None and prev_unit > 10 and num_kind == "digit":
            value += num * prev_unit / 10  # colloquial 两万五 = 25000, 一亿五 = 1.5亿
        else:
            return None  # e.g. '2亿5000': unit of the tail is unknown
    return _Numeral(value, seen_wan or seen_yi)


def _to_wan(value: Decimal) -> float | None:
    """Round to 6 decimals and convert to float; None if absurdly large."""
    if value.is_zero():
        return 0.0
    if value.adjusted() > 40:
        return None
    result = float(value.quantize(_SIX_PLACES, rounding=ROUND_HALF_EVEN, context=_DEC_CTX))
    return result + 0.0 if math.isfinite(result) else None  # + 0.0 turns -0.0 into 0.0


@functools.lru_cache(maxsize=64)
def _unit_factor(unit: str) -> Decimal:
    canonical = normalize_unit(unit)
    if canonical is None:
        raise ValueError(f"unknown amount unit: {unit!r}")
    return AMOUNT_UNIT_FACTORS[canonical]


def _real_to_decimal(raw: object) -> Decimal | None:
    """Exact Decimal of an int or the shortest repr of a float; None if not finite."""
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, numbers.Integral):
        return Decimal(int(raw))
    value = float(raw)  # type: ignore[arg-type]
    return Decimal(repr(value)) if math.isfinite(value) else None


def parse_amount(raw: object, default_unit: str = "万元") -> float | None | ParseFailure:
    """Amount in 万元. Bare numbers are in ``default_unit``; a unit in the cell wins.

    >>> parse_amount("2.5亿"), parse_amount("２５，０００"), parse_amount("贰亿伍仟万"), parse_amount(3, "亿元")
    (25000.0, 25000.0, 25000.0, 30000.0)
    >>> parse_amount("约5亿")
    ParseFailure(reason='无法解析的金额', raw='约5亿')
    >>> parse_amount("12万美元")  # dollars are never read as 元
    ParseFailure(reason='无法解析的金额', raw='12万美元')
    """
    factor = _unit_factor(default_unit)  # ValueError: programming error, not bad data
    kind = type(raw)
    if (kind is float or kind is int) and factor == 1:  # the usual cell: a number, in 万元 already
        plain = _plain_wan(raw)  # type: ignore[arg-type]
        if plain is not None:
            return plain
    unknown = unknowable_cell(raw)
    if unknown is not None:
        return unknown
    failure = ParseFailure(AMOUNT_FAILURE, safe_str(raw))
    if isinstance(raw, bool):
        return failure

    if is_blank(raw):
        return None
    try:
        if isinstance(raw, (numbers.Real, Decimal)):
            number = _real_to_decimal(raw)
            if number is None:
                return failure
            wan = _to_wan(number * factor)
        elif isinstance(raw, str):
            wan = _parse_amount_text(raw, factor)
        else:
            return failure
    except (ArithmeticError, ValueError, TypeError, OverflowError):
        return failure
    return failure if wan is None else wan


def _plain_wan(raw: float | int) -> float | None:
    """The amount of a number already in 万元 when the exact path (Decimal, six places) would give
    the number itself: an int below 10^15, a finite float whose shortest repr has no exponent and
    at most six decimals. None: take the exact path.

    >>> _plain_wan(1200), _plain_wan(0.3), _plain_wan(-0.0), _plain_wan(1e-07), _plain_wan(2.1234567)
    (1200.0, 0.3, 0.0, None, None)
    """
    if type(raw) is int:
        return float(raw) + 0.0 if -(10**15) < raw < 10**15 else None
    text = repr(raw)
    point = text.find(".")
    if point < 0 or "e" in text or len(text) - point - 1 > 6:  # inf, nan, 1e+16, 1e-07, 2.1234567
        return None
    return raw + 0.0  # -0.0 → 0.0, as _to_wan


def _parse_amount_text(raw: str, factor: Decimal) -> float | None:
    text = _WS.sub("", clean_text(raw)).translate(_TRADITIONAL).replace("−", "-")
    sign = Decimal(1)
    if text[:1] in ("-", "+"):
        sign = Decimal(-1) if text[0] == "-" else sign
        text = text[1:]
    in_yuan = text.endswith("元")
    if in_yuan:
        text = text[:-1]
    numeral = _parse_numeral(text)
    if numeral is None:
        return None
    if numeral.has_big_unit or in_yuan:
        value = numeral.value / _TEN_THOUSAND
    else:
        value = numeral.value * factor
    return _to_wan(sign * value)


def _format_decimal(value: Decimal) -> str:
    text = format(value.normalize(_DEC_CTX), ",f")
    return "0" if text in ("-0", "0") else text


def format_amount(value_wan: float, unit: str = "万元") -> str:
    """Format an amount given in 万元 in ``unit`` with thousands separators.

    >>> format_amount(25000, "亿元"), format_amount(25000, "万元"), format_amount(0.5, "元")
    ('2.5亿元', '25,000万元', '5,000元')
    """
    canonical = normalize_unit(unit)
    if canonical is None:
        raise ValueError(f"unknown amount unit: {unit!r}")
    number = _real_to_decimal(value_wan)
    if number is None:
        raise ValueError(f"not a finite amount: {value_wan!r}")
    if number.adjusted() <= 40:
        number = number.quantize(_SIX_PLACES, rounding=ROUND_HALF_EVEN, context=_DEC_CTX)
    return _format_decimal(_DEC_CTX.divide(number, AMOUNT_UNIT_FACTORS[canonical])) + canonical


# ------------------------------------------------------------------------ dates

_DATE_FULL = re.compile(
    r"(?P<y>[0-9]{4})(?:(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    r"|年(?P<m2>[0-9]{1,2})月(?P<d2>[0-9]{1,2})[日号]?)"
    r"(?:[T ]?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)
_DATE_MONTH = re.compile(r"(?P<y>[0-9]{4})(?:[-/.](?P<m>[0-9]{1,2})|年(?P<m2>[0-9]{1,2})月份?)")
_DATE_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?")
#: A date as most ledgers type it (``2022-03-05``, ``2022/3/5``, ``2022年3月5日``): text that cleaning leaves as it is
#: and that _DATE_FULL reads, so it is read at once (tests/test_parsers.py: the same result as the whole path).
_PLAIN_DATE = re.compile(r"([0-9]{4})(?:([-/.])([0-9]{1,2})\2([0-9]{1,2})|年([0-9]{1,2})月([0-9]{1,2})[日号]?)")


def _make_date(year: int, month: int, day: int, month_only: bool = False) -> ParsedDate | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return ParsedDate(datetime.date(year, month, day), month_only)
    except ValueError:
        return None


def _date_from_number(value: Decimal) -> ParsedDate | None:
    """8 digits → yyyymmdd, 6 digits → yyyymm, else an Excel serial (time dropped)."""
    if value == value.to_integral_value():
        n = int(value)
        if 10_000_000 <= n <= 99_999_999:
            return _make_date(n // 10000, n // 100 % 100, n % 100)
        if 100_000 <= n <= 999_999:
            return _make_date(n // 100, n % 100, 1, month_only=True)
    elif value >= 100_000:
        return None  # fractional yyyymmdd / yyyymm is nonsense
    if not 1 <= value < _EXCEL_MAX_SERIAL + 1:
        return None
    day = _EXCEL_ORIGIN + datetime.timedelta(days=int(value))
    return _make_date(day.year, day.month, day.day)


def _date_from_text(raw: str) -> ParsedDate | None:
    text = _WS.sub(" ", clean_text(raw))
    text = re.sub(r"(?<=[年月日号])\s+|\s+(?=[年月日号])", "", text)
    text = re.sub(r"\s*([-/.])\s*", r"\1", text)
    if len(text) > _MAX_NUMBER_TEXT:
        return None
    match = _DATE_FULL.fullmatch(text)
    if match:
        month, day = match.group("m") or match.group("m2"), match.group("d") or match.group("d2")
        return _make_date(int(match.group("y")), int(month), int(day))
    match = _DATE_MONTH.fullmatch(text)
    if match:
        month = match.group("m") or match.group("m2")
        return _make_date(int(match.group("y")), int(month), 1, month_only=True)
    if _DATE_NUMBER.fullmatch(text):  # after the patterns: '2022.03' is a month
        return _date_from_number(Decimal(text))
    return None


def parse_date(raw: object) -> ParsedDate | None | ParseFailure:
    """Date from a date/datetime, Excel serial, yyyymmdd, yyyymm or text; years 1990–2100.

    >>> parse_date("2022年3月5号").value, parse_date(44625).value, parse_date("2022-03")
    (datetime.date(2022, 3, 5), datetime.date(2022, 3, 5), ParsedDate(value=datetime.date(2022, 3, 1), month_only=True))
    """
    if type(raw) is str:
        plain = _PLAIN_DATE.fullmatch(raw)
        if plain is not None:
            year, _, month, day, month_cn, day_cn = plain.groups()
            shortcut = _make_date(int(year), int(month or month_cn), int(day or day_cn))
            if shortcut is not None:
                return shortcut
    unknown = unknowable_cell(raw)
    if unknown is not None:
        return unknown
    failure = ParseFailure(DATE_FAILURE, safe_str(raw))
    if isinstance(raw, bool):
        return failure
    if is_blank(raw):
        return None
    try:
        if type(raw).__name__ == "datetime64":
            import pandas as pd  # numpy datetimes only come with pandas

            raw = pd.Timestamp(raw)
        if isinstance(raw, (datetime.datetime, datetime.date)):
            result = _make_date(raw.year, raw.month, raw.day)
        elif isinstance(raw, (numbers.Real, Decimal)):
            number = _real_to_decimal(raw)
            result = None if number is None else _date_from_number(number)
        elif isinstance(raw, str):
            result = _date_from_text(raw)
        else:
            result = None
    except (ArithmeticError, ValueError, TypeError, OverflowError):
        result = None
    return failure if result is None else result


def format_date(d: datetime.date, style: str) -> str:
    """Format a date in one of :data:`DATE_STYLES` (inverse of :func:`parse_date`).

    >>> [format_date(datetime.date(2022, 3, 5), s) for s in ("slash", "cn", "compact", "month_iso")]
    ['2022/3/5', '2022年3月5日', '20220305', '2022-03']
    """
    formats = {
        "iso": f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
        "slash": f"{d.year}/{d.month}/{d.day}",
        "dot": f"{d.year}.{d.month}.{d.day}",
        "cn": f"{d.year}年{d.month}月{d.day}日",
        "compact": f"{d.year:04d}{d.month:02d}{d.day:02d}",
        "month_cn": f"{d.year}年{d.month}月",
        "month_iso": f"{d.year:04d}-{d.month:02d}",
    }
    if style not in formats:
        raise ValueError(f"unknown date style {style!r}; expected one of {DATE_STYLES}")
    return formats[style]


# ------------------------------------------------------------- yes/no, integers

_YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "1", "true", "有", "具备", "对"})
_NO = frozenset({"否", "×", "✗", "✘", "n", "no", "0", "false", "无", "不具备"})


def parse_yes_no(raw: object) -> bool | None | ParseFailure:
    """True for 是/√/Y/1/有/具备…, False for 否/×/N/0/无/不具备…, None if blank.

    >>> parse_yes_no("√"), parse_yes_no(" 否 "), parse_yes_no(1.0), parse_yes_no(None), bool(parse_yes_no("也许"))
    (True, False, True, None, False)
    """
    if type(raw).__name__ in ("bool", "bool_"):  # also numpy booleans
        return bool(raw)
    unknown = unknowable_cell(raw)
    if unknown is not None:
        return unknown
    if is_blank(raw):
        return None
    if isinstance(raw, (numbers.Real, Decimal)):
        if raw == 1:
            return True
        if raw == 0:
            return False
    elif isinstance(raw, str):
        text = _WS.sub("", clean_text(raw)).casefold()
        text = text[:-2] if text.endswith(".0") and text[:-2] in ("0", "1") else text
        if text in _YES:
            return True
        if text in _NO:
            return False
    return ParseFailure(YES_NO_FAILURE, safe_str(raw))


_COUNT_SUFFIX = re.compile(r"[家个次人项户位批条场件]$")


def parse_integer(raw: object) -> int | None | ParseFailure:
    """Non-negative whole count; '12家', '１２', 12.0, '十二个' → 12.

    >>> parse_integer("12家"), parse_integer(12.0), parse_integer("十二"), bool(parse_integer(12.5))
    (12, 12, 12, False)
    """
    unknown = unknowable_cell(raw)
    if unknown is not None:
        return unknown
    failure = ParseFailure(INTEGER_FAILURE, safe_str(raw))
    if isinstance(raw, bool):
        return failure
    if is_blank(raw):
        return None
    try:
        if isinstance(raw, (numbers.Real, Decimal)):
            number = _real_to_decimal(raw)
        elif isinstance(raw, str):
            text = _COUNT_SUFFIX.sub("", _WS.sub("", clean_text(raw)).translate(_TRADITIONAL))
            text = text[1:] if text.startswith("+") else text
            numeral = _parse_numeral(text)
            number = None if numeral is None else numeral.value
        else:
            number = None
        if number is None or number < 0 or number != number.to_integral_value():
            return failure
        return int(number)
    except (ArithmeticError, ValueError, TypeError, OverflowError):
        return failure


