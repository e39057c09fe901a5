"""Shared constants and small numeric helpers of the sample generator (see :mod:`helpers.sample`)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

# 资金来源 values that count as 市外 (from outside the city): 省内市外 and 省外.
OUTSIDE_CITY = ("省内市外", "省外")

EVENT_SUMMIT = "2022庐山全球商界领袖大会"
EVENT_ACADEMICIANS = "庐山院士创新论坛"
EVENT_CPPCC = "九江市政协智库高峰论坛"
EVENT_YANGTZE_DELTA = "对接长三角地区重点产业推介会"
EVENT_CEREMONY = "“100·50·20”项目集中签约仪式"
EVENT_DATES = {EVENT_SUMMIT: (5, 19), EVENT_ACADEMICIANS: (7, 28), EVENT_CPPCC: (9, 16),
               EVENT_YANGTZE_DELTA: (11, 10), EVENT_CEREMONY: (12, 20)}

# 人民币元 per US dollar the sample converts 境外 funds with (the rates of data/reference/exchange_rates.csv;
# tests/test_sample.py checks that the two agree).
CNY_PER_USD = {2020: 6.8974, 2021: 6.4515, 2022: 6.7261, 2023: 7.0467}

# Size classes of 总投资 (万元, inclusive bounds); tier_N starts at N亿 like the “100·50·20” tiers.
SIZE_CLASSES = {
    "tiny": (500, 1990), "small": (2000, 9990), "medium": (10000, 99900), "medium_large": (10000, 199900),
    "large": (100000, 199900), "tier_20": (200000, 499900), "tier_30": (300000, 499900),
    "tier_50": (500000, 999900), "tier_100": (1000000, 1600000),
}


CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_number(number: int) -> str:
    """A positive whole number below 10,000 in Chinese numerals, as in a project's phase (二期, 十一期).

    >>> [chinese_number(n) for n in (2, 9, 10, 11, 20, 35, 100, 105, 1010, 9999)]
    ['二', '九', '十', '十一', '二十', '三十五', '一百', '一百零五', '一千零一十', '九千九百九十九']
    """
    if not 0 < number < 10000:
        raise ValueError(f"no Chinese numeral for {number}")
    text, zero_pending = "", False
    for unit, word in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
        zero_pending = False
        text += ("" if unit == 10 and digit == 1 and not text else CHINESE_DIGITS[digit]) + word
    return text


def _random_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A uniform random date in ``[lo, hi]`` (``lo`` when the range is empty)."""
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _random_amount(rng: random.Random, size_class: str, skew: float = 1.8) -> int:
    """A random 总投资 in ``size_class``, skewed towards the low end and rounded to a plausible granularity."""
    lo, hi = SIZE_CLASSES[size_class]
    value = lo * (hi / lo) ** (rng.random() ** skew)
    granularity = 100 if lo >= 10000 else 10
    return int(min(hi, max(lo, round(value / granularity) * granularity)))


def fit_sum(values: Sequence[float], bounds: list[tuple[int, int]], total: int, gran: int = 1) -> list[int]:
    """Adjust ``values`` within ``bounds`` so they sum exactly to ``total`` (integers, multiples of gran
    where possible)."""
    count = len(values)
    lows = [bound[0] for bound in bounds]
    highs = [bound[1] for bound in bounds]
    if not (sum(lows) <= total <= sum(highs)):
        raise ValueError(f"fit_sum infeasible: {sum(lows)} <= {total} <= {sum(highs)}")
    current = [min(high, max(low, value)) for value, low, high in zip(values, lows, highs, strict=True)]
    # spread the difference proportionally to each value's room until the real-valued sum matches
    for _ in range(60):
        diff = total - sum(current)
        if abs(diff) < 1e-6:
            break
        room = ([high - value for value, high in zip(current, highs, strict=True)] if diff > 0
                else [value - low for value, low in zip(current, lows, strict=True)])
        fraction = min(1.0, abs(diff) / sum(room))
        current = [value + (slack * fraction if diff > 0 else -slack * fraction) for value, slack in zip(current, room, strict=True)]
    out = []
    for value, low, high in zip(current, lows, highs, strict=True):
        rounded = int(round(value / gran) * gran)
        out.append(min(high, max(low, rounded)))
    # rounding leaves a remainder: hand it out round-robin, a granule (or a unit) at a time
    rest = total - sum(out)
    attempt = 0
    while rest != 0 and attempt < 20 * count + 20:
        index = attempt % count
        step = gran if abs(rest) >= gran else 1
        step = step if rest > 0 else -step
        if lows[index] <= out[index] + step <= highs[index]:
            out[index] += step
            rest -= step
        attempt += 1
    if rest != 0:
        raise ValueError("fit_sum could not distribute the remainder")
    return out


def _random_partition(rng: random.Random, count: int, total: int, sigma: float = 0.6, cap: float = 4.0) -> list[int]:
    """Split ``total`` into ``count`` positive integers with log-normal-ish weights."""
    if count == 0:
        if total:
            raise ValueError("nothing to partition into")
        return []
    weights = [min(cap, rng.lognormvariate(0, sigma)) for _ in range(count)]
    weight_sum = sum(weights)
    raw = [max(1.0, total * weight / weight_sum) for weight in weights]
    return fit_sum(raw, [(1, total)] * count, total, gran=1)


# Funding groups of 市外 projects, named after the published sets they fall in: `funded` = in the
# 2000万+ projects with funds this year, `new_100m` = newly recognized this year with 总投资 ≥ 1亿.
# 省外 projects are `outside_province`, 省内市外 ones `rest_of_province`. The plan gives each group's
# size (and funds); projects in no group must stay outside both sets.
OUTSIDE_PROVINCE_FUNDED_NEW_100M = "outside_province_funded_new_100m"
OUTSIDE_PROVINCE_FUNDED_ONLY = "outside_province_funded_only"
OUTSIDE_PROVINCE_NEW_100M_UNFUNDED = "outside_province_new_100m_unfunded"
REST_OF_PROVINCE_FUNDED_NEW_100M = "rest_of_province_funded_new_100m"
REST_OF_PROVINCE_FUNDED_ONLY = "rest_of_province_funded_only"
REST_OF_PROVINCE_NEW_100M_UNFUNDED = "rest_of_province_new_100m_unfunded"
# the groups whose funds the plan pins, in the order their funds are drawn
FUNDED_GROUPS = (REST_OF_PROVINCE_FUNDED_NEW_100M, REST_OF_PROVINCE_FUNDED_ONLY,
                 OUTSIDE_PROVINCE_FUNDED_NEW_100M, OUTSIDE_PROVINCE_FUNDED_ONLY)
