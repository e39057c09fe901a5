"""Tests for helpers.ingest.cells and helpers.normalize: real-world ledger cell values and property tests."""

from __future__ import annotations

import dataclasses
import datetime
import doctest
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.ingest import cells as parsers
from helpers.ingest.cells import (
    ParsedDate,
    ParseFailure,
    format_amount,
    format_date,
    normalize_unit,
    parse_amount,
    parse_date,
    parse_integer,
    parse_yes_no,
    split_header,
)
from helpers.normalize import is_blank, is_placeholder, match_name, name_key, normalize_text, suggest_names

D = datetime.date
FAIL = object()  # marker in tables: "expect a ParseFailure"


def check(result: object, expected: object, reason: str) -> None:
    if expected is FAIL:
        assert isinstance(result, ParseFailure), result
        assert result.reason == reason
        assert not result
    elif expected is None:
        assert result is None
    else:
        assert not isinstance(result, ParseFailure), result
        assert result == expected
        assert type(result) is type(expected)


def test_doctests() -> None:
    assert doctest.testmod(parsers).failed == 0


# ------------------------------------------------------------------- types


def test_parse_failure_is_falsy_frozen_and_readable() -> None:
    failure = ParseFailure("无法解析的金额", "待定")
    assert not failure
    assert str(failure) == "无法解析的金额：待定"
    with pytest.raises(dataclasses.FrozenInstanceError):
        failure.reason = "x"  # type: ignore[misc]


def test_parsed_date_is_frozen() -> None:
    parsed = ParsedDate(D(2022, 3, 1), month_only=True)
    assert parsed.month_only and parsed.value == D(2022, 3, 1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.month_only = False  # type: ignore[misc]


# ------------------------------------------------------------------ is_blank

BLANK_CASES = [
    ("none", None, True),
    ("nan", float("nan"), True),
    ("np-nan", np.float64("nan"), True),
    ("np-float32-nan", np.float32("nan"), True),
    ("pd-nat", pd.NaT, True),
    ("pd-na", pd.NA, True),
    ("np-nat", np.datetime64("NaT"), True),
    ("decimal-nan", Decimal("NaN"), True),
    ("empty", "", True),
    ("spaces", "   ", True),
    ("fullwidth-space", "\u3000\u3000", True),
    ("newlines-tabs", "\n\t \r\n", True),
    ("nbsp-zero-width", "\xa0\u200b", True),
    ("dash", "-", True),
    ("em-dash", "—", True),
    ("double-dash", "--", True),
    ("fullwidth-double-dash", "－－", True),
    ("slash", "/", True),
    ("fullwidth-slash", "／", True),
    ("padded-dash", " - ", True),
    ("wu-is-data", "无", False),
    ("zero-int", 0, False),
    ("zero-float", 0.0, False),
    ("zero-text", "0", False),
    ("false", False, False),
    ("text", "项目", False),
    ("triple-dash", "---", True),  # every dash/slash-only text is a placeholder (docs/decisions.md)
    ("double-em-dash", "——", True),
    ("dash-number", "-5", False),
    ("date", D(2022, 3, 5), False),
    ("inf", float("inf"), False),
    ("list", [], False),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in BLANK_CASES], ids=[c[0] for c in BLANK_CASES])
def test_is_blank(raw: object, expected: bool) -> None:
    assert is_blank(raw) is expected


# ------------------------------------------------------------ normalize_text

TEXT_CASES = [
    ("none", None, None),
    ("blank", " \u3000 ", None),
    ("placeholder", "／", None),
    ("strip", "  九江市  ", "九江市"),
    ("fullwidth-latin-digits", "ＬＥＤ产业链２０２２", "LED产业链2022"),
    ("cjk-inner-space", "九江 经开区", "九江经开区"),
    ("cjk-line-break", "本年实际\n进资", "本年实际进资"),
    ("cjk-fullwidth-space", "瑞昌\u3000市", "瑞昌市"),
    ("latin-runs-collapse", "ABC   Holdings\nLtd", "ABC Holdings Ltd"),
    ("mixed-boundary", "比亚迪 BYD 项目", "比亚迪 BYD 项目"),
    ("fullwidth-brackets", "总投资（亿元）", "总投资(亿元)"),
    ("curly-quotes-kept", "“50·20”项目", "“50·20”项目"),
    ("integral-float", 123.0, "123"),
    ("fractional-float", 12.5, "12.5"),
    ("int", 360481, "360481"),
    ("np-int", np.int64(42), "42"),
    ("np-float", np.float64(7.0), "7"),
    ("zero-width", "瑞\u200b昌市\ufeff", "瑞昌市"),
    ("bool", True, "True"),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in TEXT_CASES], ids=[c[0] for c in TEXT_CASES])
def test_normalize_text(raw: object, expected: str | None) -> None:
    assert normalize_text(raw) == expected


# ------------------------------------------------------------------- headers

HEADER_CASES = [
    ("cn-brackets", "总投资（亿元）", ("总投资", "亿元")),
    ("line-break-ascii-brackets", "本年实际进资\n(万元)", ("本年实际进资", "万元")),
    ("required-mark", "*项目名称", ("项目名称", None)),
    ("fullwidth-required-mark", "＊项目名称", ("项目名称", None)),
    ("trailing-mark", "项目编号*", ("项目编号", None)),
    ("reference-mark", "※所属地区", ("所属地区", None)),
    ("quoted-name", "“50·20”申报日期", ("“50·20”申报日期", None)),
    ("wan-short", "金额(万)", ("金额", "万元")),
    ("yi-short", "总投资【亿】", ("总投资", "亿元")),
    ("square-brackets", "签约金额[万元]", ("签约金额", "万元")),
    ("yuan", "拟投资额（元）", ("拟投资额", "元")),
    ("qianwan", "合同金额（千万元）", ("合同金额", "千万元")),
    ("unit-with-prefix", "总投资(单位：亿元)", ("总投资", "亿元")),
    ("spaces-everywhere", " 本年 实际进资 （ 万元 ） ", ("本年实际进资", "万元")),
    ("mark-and-unit", "*总投资（亿元）", ("总投资", "亿元")),
    ("non-unit-bracket-kept", "投资方（企业）", ("投资方(企业)", None)),
    ("non-unit-bracket-county", "所属地区(县市区)", ("所属地区(县市区)", None)),
    ("bracket-not-at-end", "总投资（亿元）备注", ("总投资(亿元)备注", None)),
    ("month-header", "1月", ("1月", None)),
    ("numeric-header", 2022.0, ("2022", None)),
    ("blank", None, ("", None)),
    ("only-unit", "（万元）", ("(万元)", None)),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in HEADER_CASES], ids=[c[0] for c in HEADER_CASES])
def test_split_header(raw: object, expected: tuple[str, str | None]) -> None:
    assert split_header(raw) == expected


UNIT_CASES = [
    ("wan", "万", "万元"),
    ("wanyuan", "万元", "万元"),
    ("yi", "亿", "亿元"),
    ("yiyuan", " 亿元 ", "亿元"),
    ("yuan", "元", "元"),
    ("qianwan", "千万", "千万元"),
    ("qianwanyuan", "千万元", "千万元"),
    ("unit-line", "单位：万元", "万元"),
    ("unit-line-ascii", "单位:亿元", "亿元"),
    ("count", "个", None),
    ("percent", "%", None),
    ("empty", "", None),
    ("usd", "万美元", None),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in UNIT_CASES], ids=[c[0] for c in UNIT_CASES])
def test_normalize_unit(text: str, expected: str | None) -> None:
    assert normalize_unit(text) == expected


# ------------------------------------------------------------------- amounts

AMOUNT_CASES = [
    # numbers are in the default unit
    ("int", 25000, "万元", 25000.0),
    ("float", 2.5, "万元", 2.5),
    ("float-yi-default", 2.5, "亿元", 25000.0),
    ("float-noise", 0.1234, "亿元", 1234.0),
    ("float-yuan-default", 3000, "元", 0.3),
    ("np-int", np.int64(500), "万元", 500.0),
    ("np-float", np.float64(1.5), "亿元", 15000.0),
    ("decimal", Decimal("2.5"), "亿元", 25000.0),
    ("negative-number", -5, "万元", -5.0),
    ("zero", 0, "万元", 0.0),
    ("negative-zero", -0.0, "万元", 0.0),
    # separators, spaces, full-width
    ("comma", "25,000", "万元", 25000.0),
    ("fullwidth-comma", "25，000", "万元", 25000.0),
    ("fullwidth-all", "２５，０００", "万元", 25000.0),
    ("fullwidth-point", "２．５", "万元", 2.5),
    ("comma-decimals", "1,234,567.89", "万元", 1234567.89),
    ("inner-spaces", " 25 000 ", "万元", 25000.0),
    ("text-number-yi-default", "2.5", "亿元", 25000.0),
    ("excel-text-float", "25000.00", "万元", 25000.0),
    ("leading-point", ".5亿", "万元", 5000.0),
    ("scientific", "2.5E+04", "万元", 25000.0),
    # units in the cell override the default
    ("yi", "2.5亿", "万元", 25000.0),
    ("yi-yuan", "2.5 亿元", "万元", 25000.0),
    ("wan-yuan", "25000万元", "万元", 25000.0),
    ("wan-yuan-yi-default", "25000万元", "亿元", 25000.0),
    ("wan", "500万", "亿元", 500.0),
    ("yuan", "3000元", "万元", 0.3),
    ("yuan-comma", "250,000,000元", "万元", 25000.0),
    ("qianwan", "1.2千万", "万元", 1200.0),
    ("qianwan-yuan", "1.2千万元", "亿元", 1200.0),
    ("exact-4-decimals-yi", "1234.5678亿", "万元", 12345678.0),
    ("small-yi", "0.1234亿", "万元", 1234.0),
    ("fullwidth-yi", "２．５亿元", "万元", 25000.0),
    ("comma-yi", "1,234.5亿元", "万元", 12345000.0),
    ("negative-text", "-5", "万元", -5.0),
    ("negative-yi", "-2.5亿", "万元", -25000.0),
    ("fullwidth-minus", "－5", "万元", -5.0),
    ("math-minus", "−5", "万元", -5.0),
    ("plus", "+5", "万元", 5.0),
    # Chinese numerals
    ("capital-yi-qian-wan", "贰亿伍仟万", "万元", 25000.0),
    ("liang-yi", "两亿", "万元", 20000.0),
    ("san-qian-wu-bai-wan", "三千五百万", "万元", 3500.0),
    ("yi-yi-er-qian-wan", "一亿二千万", "万元", 12000.0),
    ("shi-er-yi", "十二亿", "万元", 120000.0),
    ("capital-bai-wan-yuan", "壹佰万元", "万元", 100.0),
    ("mixed-arabic-units", "2亿5000万", "万元", 25000.0),
    ("mixed-arabic-qian", "2亿5千万", "万元", 25000.0),
    ("wu-qian-default-wan", "五千", "万元", 5000.0),
    ("wu-qian-default-yi", "五千", "亿元", 50000000.0),
    ("wu-qian-yuan", "五千元", "万元", 0.5),
    ("shi-er", "十二", "万元", 12.0),
    ("ling-inside", "一百零五", "万元", 105.0),
    ("ling-inside-wan", "一亿零五百万", "万元", 10500.0),
    ("yi-qian-ling-wu-shi", "一千零五十", "万元", 1050.0),
    ("liang-qian-wan", "两千万", "万元", 2000.0),
    ("colloquial-liang-wan-wu", "两万五", "万元", 2.5),
    ("colloquial-yi-yi-wu", "一亿五", "万元", 15000.0),
    ("yi-wan-yi", "一万二千亿", "万元", 120000000.0),
    ("positional", "三〇〇〇万", "万元", 3000.0),
    ("traditional", "貳億伍仟萬", "万元", 25000.0),
    ("capital-shi", "拾贰亿", "万元", 120000.0),
    ("zero-text", "零", "万元", 0.0),
    ("arabic-yi-chinese-wan", "1亿二千万", "万元", 12000.0),
    # blanks
    ("none", None, "万元", None),
    ("nan", float("nan"), "万元", None),
    ("empty", "", "万元", None),
    ("dash", "-", "万元", None),
    ("fullwidth-space", "\u3000", "万元", None),
    # failures
    ("approximate-prefix", "约5亿", "万元", FAIL),
    ("approximate-suffix", "5亿元左右", "万元", FAIL),
    ("tbd", "待定", "万元", FAIL),
    ("letters", "abc", "万元", FAIL),
    ("bool-true", True, "万元", FAIL),
    ("bool-false", False, "万元", FAIL),
    ("inf", float("inf"), "万元", FAIL),
    ("neg-inf", float("-inf"), "万元", FAIL),
    ("text-nan", "nan", "万元", FAIL),
    ("text-inf", "inf", "万元", FAIL),
    ("bad-grouping", "2,5", "万元", FAIL),
    ("bad-grouping-4", "1,2345", "万元", FAIL),
    ("tail-without-unit", "2亿5000", "万元", FAIL),
    ("unit-only", "万元", "万元", FAIL),
    ("yuan-only", "元", "万元", FAIL),
    ("double-wan", "5万3万", "万元", FAIL),
    ("double-yi", "1亿2亿", "万元", FAIL),
    ("wrong-order", "五百三千", "万元", FAIL),
    ("space-inside-number", "2 5亿", "万元", 250000.0),  # spaces are dropped, like "25 000"
    ("two-points", "2.5.1", "万元", FAIL),
    ("usd", "500万美元", "万元", FAIL),
    ("percent", "50%", "万元", FAIL),
    ("range", "1-2亿", "万元", FAIL),
    ("date", D(2022, 3, 5), "万元", FAIL),
    ("datetime", datetime.datetime(2022, 3, 5), "万元", FAIL),
    ("double-sign", "--5", "万元", FAIL),
    ("huge-int", 10**60, "万元", FAIL),
    ("huge-text", "9" * 100, "万元", FAIL),
]


@pytest.mark.parametrize(
    ("raw", "default_unit", "expected"), [c[1:] for c in AMOUNT_CASES], ids=[c[0] for c in AMOUNT_CASES]
)
def test_parse_amount(raw: object, default_unit: str, expected: object) -> None:
    check(parse_amount(raw, default_unit), expected, "无法解析的金额")


def test_parse_amount_failure_keeps_raw_text() -> None:
    failure = parse_amount(" 约5亿 ")
    assert isinstance(failure, ParseFailure)
    assert failure.raw == " 约5亿 "


@pytest.mark.parametrize("unit", ["万", "万元", "亿", "亿元", "元", "千万", "千万元"])
def test_parse_amount_accepts_unit_aliases_as_default(unit: str) -> None:
    assert isinstance(parse_amount(1, unit), float)


def test_parse_amount_rejects_unknown_default_unit() -> None:
    with pytest.raises(ValueError):
        parse_amount(1, "美元")


FORMAT_AMOUNT_CASES = [
    ("yi", 25000, "亿元", "2.5亿元"),
    ("wan", 25000, "万元", "25,000万元"),
    ("wan-short-unit", 25000, "万", "25,000万元"),
    ("yuan", 0.3, "元", "3,000元"),
    ("qianwan", 1200, "千万元", "1.2千万元"),
    ("exact-4-decimals", 12345678, "亿元", "1,234.5678亿元"),
    ("zero", 0, "亿元", "0亿元"),
    ("negative", -25000, "亿元", "-2.5亿元"),
    ("float-noise", 0.1 + 0.2, "万元", "0.3万元"),
    ("large", 1e10, "亿元", "1,000,000亿元"),
]


@pytest.mark.parametrize(
    ("value", "unit", "expected"), [c[1:] for c in FORMAT_AMOUNT_CASES], ids=[c[0] for c in FORMAT_AMOUNT_CASES]
)
def test_format_amount(value: float, unit: str, expected: str) -> None:
    assert format_amount(value, unit) == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_format_amount_rejects_non_finite(bad: float) -> None:
    with pytest.raises(ValueError):
        format_amount(bad)


def test_format_amount_rejects_unknown_unit() -> None:
    with pytest.raises(ValueError):
        format_amount(1, "美元")


# --------------------------------------------------------------------- dates


def day(y: int, m: int, d: int) -> ParsedDate:
    return ParsedDate(D(y, m, d), month_only=False)


def month(y: int, m: int) -> ParsedDate:
    return ParsedDate(D(y, m, 1), month_only=True)


DATE_CASES = [
    ("date", D(2022, 3, 5), day(2022, 3, 5)),
    ("datetime", datetime.datetime(2022, 3, 5, 14, 30), day(2022, 3, 5)),
    ("timestamp", pd.Timestamp("2022-03-05 23:59:59"), day(2022, 3, 5)),
    ("np-datetime64", np.datetime64("2022-03-05T10:00"), day(2022, 3, 5)),
    ("serial-int", 44625, day(2022, 3, 5)),
    ("serial-float-with-time", 44625.75, day(2022, 3, 5)),
    ("serial-np-int", np.int64(44625), day(2022, 3, 5)),
    ("serial-text", "44625", day(2022, 3, 5)),
    ("serial-text-float", "44625.0", day(2022, 3, 5)),
    ("serial-1990", 32874, day(1990, 1, 1)),
    ("yyyymmdd-int", 20220305, day(2022, 3, 5)),
    ("yyyymmdd-float", 20220305.0, day(2022, 3, 5)),
    ("yyyymmdd-text", "20220305", day(2022, 3, 5)),
    ("yyyymm-int", 202203, month(2022, 3)),
    ("yyyymm-text", "202203", month(2022, 3)),
    ("iso", "2022-03-05", day(2022, 3, 5)),
    ("iso-short", "2022-3-5", day(2022, 3, 5)),
    ("slash", "2022/3/5", day(2022, 3, 5)),
    ("dot", "2022.3.5", day(2022, 3, 5)),
    ("cn", "2022年3月5日", day(2022, 3, 5)),
    ("cn-hao", "2022年3月5号", day(2022, 3, 5)),
    ("cn-padded", "2022年03月05日", day(2022, 3, 5)),
    ("cn-no-ri", "2022年3月5", day(2022, 3, 5)),
    ("cn-spaces", " 2022 年 3 月 5 日 ", day(2022, 3, 5)),
    ("with-time", "2022-3-5 00:00:00", day(2022, 3, 5)),
    ("with-time-hm", "2022/3/5 9:30", day(2022, 3, 5)),
    ("iso-t", "2022-03-05T08:00:00", day(2022, 3, 5)),
    ("fullwidth-digits", "２０２２年３月５日", day(2022, 3, 5)),
    ("fullwidth-dash", "２０２２－０３－０５", day(2022, 3, 5)),
    ("month-cn", "2022年3月", month(2022, 3)),
    ("month-cn-fen", "2022年3月份", month(2022, 3)),
    ("month-iso", "2022-03", month(2022, 3)),
    ("month-slash", "2022/3", month(2022, 3)),
    ("month-dot", "2022.03", month(2022, 3)),
    ("month-dot-october", "2022.10", month(2022, 10)),
    ("leap-day", "2024-02-29", day(2024, 2, 29)),
    ("year-2100", "2100-12-31", day(2100, 12, 31)),
    # blanks
    ("none", None, None),
    ("nan", float("nan"), None),
    ("nat", pd.NaT, None),
    ("np-nat", np.datetime64("NaT"), None),
    ("empty", "", None),
    ("slash-placeholder", "/", None),
    # failures
    ("feb-30", "2022-02-30", FAIL),
    ("not-leap", "2023-02-29", FAIL),
    ("month-13", "2022年13月", FAIL),
    ("month-0", "2022-00", FAIL),
    ("yyyymmdd-invalid", 20221335, FAIL),
    ("year-too-old", "1989-12-31", FAIL),
    ("year-too-new", "2101-01-01", FAIL),
    ("timestamp-too-old", pd.Timestamp("1900-01-01"), FAIL),
    ("serial-too-small", 1, FAIL),
    ("serial-zero", 0, FAIL),
    ("serial-negative", -5, FAIL),
    ("serial-too-large", 2958466, FAIL),
    ("year-only", "2022", FAIL),
    ("float-year-month", 2022.3, FAIL),
    ("fractional-yyyymmdd", 20220305.5, FAIL),
    ("mixed-separators", "2022-3/5", FAIL),
    ("us-order", "3/5/2022", FAIL),
    ("two-digit-year", "22.3.5", FAIL),
    ("text", "待定", FAIL),
    ("inf", float("inf"), FAIL),
    ("bool", True, FAIL),
    ("time", datetime.time(8, 0), FAIL),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in DATE_CASES], ids=[c[0] for c in DATE_CASES])
def test_parse_date(raw: object, expected: object) -> None:
    check(parse_date(raw), expected, "无法解析的日期")


FORMAT_DATE_CASES = [
    ("iso", "2022-03-05"),
    ("slash", "2022/3/5"),
    ("dot", "2022.3.5"),
    ("cn", "2022年3月5日"),
    ("compact", "20220305"),
    ("month_cn", "2022年3月"),
    ("month_iso", "2022-03"),
]


@pytest.mark.parametrize(("style", "expected"), FORMAT_DATE_CASES, ids=[c[0] for c in FORMAT_DATE_CASES])
def test_format_date(style: str, expected: str) -> None:
    assert format_date(D(2022, 3, 5), style) == expected


def test_format_date_rejects_unknown_style() -> None:
    with pytest.raises(ValueError):
        format_date(D(2022, 3, 5), "us")


# -------------------------------------------------------------------- yes/no

YES_NO_CASES = [
    *[(f"yes-{v}", v, True) for v in ["是", "√", "✓", "✔", "✔️", "Y", "y", "yes", "YES", "Yes", "1", "True", "有", "具备", "对"]],
    *[(f"no-{v}", v, False) for v in ["否", "×", "✗", "✘", "N", "n", "no", "NO", "0", "False", "无", "不具备"]],
    ("bool-true", True, True),
    ("bool-false", False, False),
    ("np-bool", np.True_, True),
    ("int-1", 1, True),
    ("int-0", 0, False),
    ("float-1", 1.0, True),
    ("float-0", 0.0, False),
    ("np-int-1", np.int64(1), True),
    ("text-1.0", "1.0", True),
    ("padded", " 是 ", True),
    ("fullwidth-Y", "Ｙ", True),
    ("none", None, None),
    ("nan", float("nan"), None),
    ("empty", "", None),
    ("dash", "-", None),
    ("maybe", "待定", FAIL),
    ("int-2", 2, FAIL),
    ("float-half", 0.5, FAIL),
    ("x-letter", "x", FAIL),
    ("sentence", "是的，已签约", FAIL),
    ("date", D(2022, 1, 1), FAIL),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in YES_NO_CASES], ids=[c[0] for c in YES_NO_CASES])
def test_parse_yes_no(raw: object, expected: object) -> None:
    check(parse_yes_no(raw), expected, "无法识别的是否值")


# ------------------------------------------------------------------ integers

INTEGER_CASES = [
    ("text", "12", 12),
    ("int", 12, 12),
    ("float", 12.0, 12),
    ("np-int", np.int64(12), 12),
    ("np-float", np.float64(12.0), 12),
    ("fullwidth", "１２", 12),
    ("jia", "12家", 12),
    ("ge", "12个", 12),
    ("ci", "3次", 3),
    ("padded", " 12 ", 12),
    ("text-float", "12.0", 12),
    ("comma", "1,200", 1200),
    ("chinese", "十二", 12),
    ("chinese-ge", "十二个", 12),
    ("zero", 0, 0),
    ("zero-text", "0", 0),
    ("plus", "+3", 3),
    ("none", None, None),
    ("nan", float("nan"), None),
    ("empty", "", None),
    ("dash", "—", None),
    ("fractional", 12.5, FAIL),
    ("fractional-text", "12.5", FAIL),
    ("negative", -1, FAIL),
    ("negative-text", "-3", FAIL),
    ("bool", True, FAIL),
    ("inf", float("inf"), FAIL),
    ("text", "若干", FAIL),
    ("approx", "约12家", FAIL),
    ("yuan", "12元", FAIL),
    ("huge-text", "9" * 5000, FAIL),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in INTEGER_CASES], ids=[c[0] for c in INTEGER_CASES])
def test_parse_integer(raw: object, expected: object) -> None:
    check(parse_integer(raw), expected, "无法解析的整数")


# --------------------------------------------------------------------- names

ALIASES = {
    "濂溪区": "濂溪区",
    "庐山区": "濂溪区",
    "鄱阳湖生态科技城": "濂溪区",
    "柴桑区": "柴桑区",
    "九江县": "柴桑区",
    "修水县": "修水县",
    "瑞昌市": "瑞昌市",
    "庐山市": "庐山市",
    "星子县": "庐山市",
    "九江经济技术开发区": "九江经济技术开发区",
    "经开区": "九江经济技术开发区",
    "九江经开区": "九江经济技术开发区",
    "共青城市": "共青城市",
    "九江市": "九江市",
}

NAME_KEY_CASES = [
    ("spaces", " 瑞昌 市 ", "瑞昌市"),
    ("quotes-dots", "“50·20”项目", "5020项目"),
    ("katakana-dot", "100・50・20", "1005020"),
    ("ascii-quotes", "'LED' \"产业\"", "led产业"),
    ("hyphens", "九江-经开区", "九江经开区"),
    ("en-dash", "长三角–对接会", "长三角对接会"),
    ("fullwidth", "ＬＥＤ", "led"),
    ("blank", "  ", ""),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in NAME_KEY_CASES], ids=[c[0] for c in NAME_KEY_CASES])
def test_name_key(text: str, expected: str) -> None:
    assert name_key(text) == expected


MATCH_CASES = [
    ("canonical", "瑞昌市", "瑞昌市"),
    ("without-shi", "瑞昌", "瑞昌市"),
    ("without-xian", "修水", "修水县"),
    ("alias", "经开区", "九江经济技术开发区"),
    ("alias-spaces", " 九江 经开区 ", "九江经济技术开发区"),
    ("old-name", "庐山区", "濂溪区"),
    ("old-county", "九江县", "柴桑区"),
    ("old-xingzi", "星子县", "庐山市"),
    ("exact-beats-suffix", "庐山市", "庐山市"),
    ("ambiguous-lushan", "庐山", None),
    ("ambiguous-jiujiang", "九江", None),
    ("wrong-suffix-still-unique", "瑞昌县", "瑞昌市"),
    ("gongqingcheng", "共青城", "共青城市"),
    ("zone", "鄱阳湖生态科技城", "濂溪区"),
    ("fullwidth-space", "修水\u3000县", "修水县"),
    ("unknown", "南昌县", None),
    ("blank", "", None),
    ("none", None, None),
    ("nan", float("nan"), None),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in MATCH_CASES], ids=[c[0] for c in MATCH_CASES])
def test_match_name(raw: object, expected: str | None) -> None:
    assert match_name(raw, ALIASES) == expected


def test_match_name_canonical_only_in_values() -> None:
    assert match_name("都昌", {"都昌": "都昌县"}) == "都昌县"
    assert match_name("都昌县", {"都昌": "都昌县"}) == "都昌县"


def test_match_name_conflicting_exact_aliases_are_ambiguous() -> None:
    assert match_name("新区", {"新区": "八里湖新区", "新 区": "濂溪区"}) is None


COUNTIES = ["濂溪区", "浔阳区", "柴桑区", "武宁县", "修水县", "永修县", "德安县", "都昌县", "湖口县", "彭泽县", "瑞昌市", "共青城市", "庐山市"]

SUGGEST_CASES = [
    ("typo-shared-suffix-ignored", "瑞常市", 3, ["瑞昌市"]),
    ("wrong-suffix", "修水市", 2, ["修水县", "永修县"]),
    ("n-limits", "修水市", 1, ["修水县"]),
    ("shared-char", "南昌", 3, ["都昌县", "瑞昌市"]),
    ("nothing-close", "abc", 3, []),
    ("old-name", "星子", 3, []),
    ("blank", "", 3, []),
    ("zero-n", "瑞昌", 0, []),
]


@pytest.mark.parametrize(
    ("raw", "n", "expected"), [c[1:] for c in SUGGEST_CASES], ids=[c[0] for c in SUGGEST_CASES]
)
def test_suggest_names(raw: str, n: int, expected: list[str]) -> None:
    assert suggest_names(raw, COUNTIES, n) == expected


def test_suggest_names_is_stable_and_deduplicated() -> None:
    choices = ["永修县", "修水县", "永修县", "武宁县"]
    assert suggest_names("修", choices, n=5) == ["永修县", "修水县"]
    assert suggest_names("修", iter(choices), n=5) == ["永修县", "修水县"]


# ------------------------------------------------------------ property tests

ANY_CELL = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.,，-/年月日号亿万千百十元零一二两三五贰伍仟 ．２５\u3000"),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.none(),
    st.datetimes(),
    st.dates(),
    st.booleans(),
    st.decimals(allow_nan=True, allow_infinity=True),
)
FAST = settings(max_examples=200, deadline=None)


@FAST
@given(ANY_CELL)
def test_parsers_never_raise(raw: object) -> None:
    amount = parse_amount(raw)
    assert amount is None or isinstance(amount, (float, ParseFailure))
    if isinstance(amount, float):
        assert math.isfinite(amount)
    parsed = parse_date(raw)
    assert parsed is None or isinstance(parsed, (ParsedDate, ParseFailure))
    if isinstance(parsed, ParsedDate):
        assert 1990 <= parsed.value.year <= 2100
        assert not parsed.month_only or parsed.value.day == 1
    assert parse_yes_no(raw) in (True, False, None) or isinstance(parse_yes_no(raw), ParseFailure)
    integer = parse_integer(raw)
    assert integer is None or isinstance(integer, ParseFailure) or (type(integer) is int and integer >= 0)
    for result in (amount, parsed, parse_yes_no(raw), integer):
        if isinstance(result, ParseFailure):
            assert isinstance(result.reason, str) and isinstance(result.raw, str) and not result


@FAST
@given(ANY_CELL)
def test_text_helpers_never_raise(raw: object) -> None:
    assert isinstance(is_blank(raw), bool)
    text = normalize_text(raw)
    assert text is None or (isinstance(text, str) and text == text.strip() and text)
    name, unit = split_header(raw)
    assert isinstance(name, str) and unit in (None, "元", "万元", "千万元", "亿元")
    assert isinstance(name_key(raw), str)  # type: ignore[arg-type]
    assert match_name(raw, ALIASES) in (None, *ALIASES.values())
    suggestions = suggest_names(raw, COUNTIES)
    assert len(suggestions) <= 3 and set(suggestions) <= set(COUNTIES)


@FAST
@given(st.text())
def test_normalize_text_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert once is None or normalize_text(once) == once


@FAST
@given(
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("999999.9999"), places=4),
    st.sampled_from(["元", "万元", "千万元", "亿元"]),
    st.sampled_from(["万元", "亿元"]),
)
def test_amount_round_trip(value_yi: Decimal, unit: str, default_unit: str) -> None:
    value_wan = float(value_yi * 10000)  # an integer number of 万元
    assert value_wan.is_integer()
    text = format_amount(value_wan, unit)
    assert parse_amount(text, default_unit) == value_wan


@FAST
@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4))
def test_amount_numbers_in_yi_are_exact(value_yi: Decimal) -> None:
    assert parse_amount(float(value_yi), "亿元") == float(value_yi * 10000)
    assert parse_amount(f"{value_yi}亿") == float(value_yi * 10000)


_CN_DIGITS = "零一二三四五六七八九"
_CAPITAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")


def _cn_section(n: int) -> str:
    """1..9999 in Chinese numerals, with 零 for inner zeros."""
    out, zero = "", False
    for unit, power in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        digit = n // power % 10
        if digit == 0:
            zero = bool(out)
        else:
            out += ("零" if zero else "") + _CN_DIGITS[digit] + unit
            zero = False
    return out


def to_chinese(n: int) -> str:
    """Reference writer of Chinese numerals (standard reading) for 0 < n < 10**16."""
    out, pending_zero = "", False
    for group, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if group == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or group < 1000):
            out += "零"
        out += (to_chinese(group) if group >= 10**4 else _cn_section(group)) + unit
        pending_zero = False
    return out[1:] if out.startswith("一十") else out


@pytest.mark.parametrize(
    ("n", "expected"),
    [(12, "十二"), (105, "一百零五"), (1050, "一千零五十"), (3500_0000, "三千五百万"), (2_5000_0000, "二亿五千万"),
     (1_0005_0000, "一亿零五万"), (1_0000_0001, "一亿零一")],
)  # fmt: skip
def test_reference_writer(n: int, expected: str) -> None:
    assert to_chinese(n) == expected


@FAST
@given(st.integers(min_value=1, max_value=10**14), st.booleans())
def test_chinese_numeral_yuan_round_trip(n: int, capital: bool) -> None:
    text = to_chinese(n)
    text = text.translate(_CAPITAL) if capital else text
    assert parse_amount(text + "元") == round(n / 10000, 6)


@FAST
@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["", "万", "亿"]))
def test_chinese_numeral_with_unit_round_trip(n: int, unit: str) -> None:
    factor = {"": 1, "万": 1, "亿": 10000}[unit]
    assert parse_amount(to_chinese(n) + unit) == n * factor
    assert parse_integer(to_chinese(n)) == n


DATES = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))


@FAST
@given(DATES, st.sampled_from(["iso", "slash", "dot", "cn", "compact"]))
def test_date_round_trip_day_styles(d: datetime.date, style: str) -> None:
    assert parse_date(format_date(d, style)) == ParsedDate(d, month_only=False)


@FAST
@given(DATES, st.sampled_from(["month_cn", "month_iso"]))
def test_date_round_trip_month_styles(d: datetime.date, style: str) -> None:
    assert parse_date(format_date(d, style)) == ParsedDate(d.replace(day=1), month_only=True)


@FAST
@given(DATES)
def test_excel_serial_round_trip(d: datetime.date) -> None:
    serial = (d - D(1899, 12, 30)).days
    assert parse_date(serial) == ParsedDate(d)
    assert parse_date(float(serial) + 0.5) == ParsedDate(d)
    assert parse_date(str(serial)) == ParsedDate(d)


@FAST
@given(st.integers(min_value=0, max_value=10**6))
def test_integer_round_trip(n: int) -> None:
    assert parse_integer(n) == n
    assert parse_integer(str(n)) == n
    assert parse_integer(f"{n:,}") == n
    assert parse_integer(float(n)) == n


# ------------------------------------------------- cells whose value is unknown

UNKNOWABLE = [
    ("uncalculated", parsers.UncalculatedFormula("=1200+300"), "公式未计算（=1200+300），请在 Excel 中打开并保存后重试"),
    ("ref", "#REF!", "Excel 错误值（#REF!），公式出错，请在 Excel 中修正后重试"),
    ("div0", " #DIV/0! ", "Excel 错误值（#DIV/0!），公式出错，请在 Excel 中修正后重试"),
    ("na", "#N/A", "Excel 错误值（#N/A），公式出错，请在 Excel 中修正后重试"),
    ("value", "#VALUE!", "Excel 错误值（#VALUE!），公式出错，请在 Excel 中修正后重试"),
]


@pytest.mark.parametrize("raw, reason", [c[1:] for c in UNKNOWABLE], ids=[c[0] for c in UNKNOWABLE])
@pytest.mark.parametrize(
    "parse", [parse_amount, parse_date, parse_integer, parse_yes_no, parsers.parse_text],
    ids=["amount", "date", "integer", "yes_no", "text"],
)
def test_a_cell_whose_value_is_unknown_is_never_a_value(parse, raw, reason) -> None:
    """Every parser gives the same failure naming the formula or the error, never a number or a blank."""
    result = parse(raw)
    assert isinstance(result, ParseFailure) and result.reason == reason


def test_text_that_merely_contains_an_error_word_is_text() -> None:
    assert parsers.parse_text("#REF!科技公司") == "#REF!科技公司"
    assert parsers.unknowable_cell("N/A") is None and parsers.unknowable_cell(1500) is None


@FAST
@given(st.text(alphabet=st.sampled_from(list(" \u3000\t\n-/—－／\u200b\ufeffa无0９ー─")), max_size=8) | st.text(max_size=8))
def test_is_blank_of_text_is_empty_or_a_placeholder_after_cleaning(raw: str) -> None:
    """The first-character shortcut of is_blank gives what its definition says."""
    from helpers.normalize import clean_text, is_placeholder

    assert is_blank(raw) is (clean_text(raw) == "" or is_placeholder(raw))


def test_text_starting_with_a_chinese_character_or_an_ascii_letter_or_digit_is_never_blank() -> None:
    """The proof of is_blank's shortcut, over every such character: NFKC keeps it as it is, and
    it is no space or placeholder character, whatever follows it."""
    import unicodedata

    from helpers.normalize import clean_text

    starts = [chr(point) for point in range(0x4E00, 0xA000)] + [c for c in map(chr, range(128)) if c.isalnum()]
    for character in starts:
        assert unicodedata.normalize("NFKC", character) == character, hex(ord(character))
        assert clean_text(character + " —\u200b") == character + " —" and not is_placeholder(character + "—")
        assert not is_blank(character) and not is_blank(character + "\u3000")


@FAST
@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers(min_value=-(10**20), max_value=10**20)
       | st.decimals(places=9, min_value=-10**9, max_value=10**9, allow_nan=False).map(float))
def test_amount_of_a_plain_number_in_wan_is_the_exact_reading(raw: float | int) -> None:
    """parse_amount's shortcut for numbers already in 万元 gives what the exact Decimal path gives."""
    from helpers.ingest.cells import _real_to_decimal, _to_wan

    number = _real_to_decimal(raw)
    exact = None if number is None or (isinstance(raw, float) and math.isnan(raw)) else _to_wan(number)
    result = parse_amount(raw)
    if isinstance(raw, float) and math.isnan(raw):
        assert result is None  # a NaN cell is blank
    elif exact is None:
        assert isinstance(result, ParseFailure)
    else:
        assert result == exact and type(result) is float and str(result) == str(exact)


@FAST
@given(
    st.tuples(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99), st.sampled_from(["-", "/", ".", "cn", "cn-号", "cn-"]))
    | st.text(alphabet=st.sampled_from(list("0123456789-/.年月日号 ")), max_size=14)
)
def test_a_plain_text_date_reads_as_the_whole_path_reads_it(value: tuple | str) -> None:
    """parse_date's shortcut for dates as ledgers type them gives what cleaning the text and
    matching every pattern gives (also for impossible days and years out of range)."""
    from helpers.ingest.cells import _date_from_text

    if isinstance(value, tuple):
        year, month, day, style = value
        ending = {"cn": "日", "cn-号": "号", "cn-": ""}.get(style)
        value = f"{year:04d}年{month}月{day}{ending}" if ending is not None else f"{year:04d}{style}{month}{style}{day}"
    whole = _date_from_text(value)
    result = parse_date(value)
    if whole is None:
        assert isinstance(result, ParseFailure) or result is None
    else:
        assert result == whole


def _normalize_text_by_definition(raw: object) -> str | None:
    """normalize_text as its docstring defines it: blank → None, else the clean text of the
    cell's text with whitespace collapsed (the fast path for text must give exactly this)."""
    from helpers.normalize import _WS, _collapse_ws, clean_text, number_text

    if is_blank(raw):
        return None
    return _WS.sub(_collapse_ws, clean_text(number_text(raw))) or None


@FAST
@given(ANY_CELL | st.text(alphabet=st.sampled_from(list(" \u3000\t\n-/—－／\u200b\ufeffe\u0301a无0９ー─九江")), max_size=10))
def test_normalize_text_is_its_definition(raw: object) -> None:
    assert normalize_text(raw) == _normalize_text_by_definition(raw)
