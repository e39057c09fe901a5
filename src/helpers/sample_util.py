"""Shared constants and small numeric helpers of the sample generator (see :mod:`helpers.sample`)."""

from __future__ import annotations

import datetime as dt
import random

OUTSIDE = ("省内市外", "省外")
EV_SUMMIT = "2022庐山全球商界领袖大会"
EV_ACAD = "庐山院士创新论坛"
EV_CPPCC = "九江市政协智库高峰论坛"
EV_YRD = "对接长三角地区重点产业推介会"
EV_CEREMONY = "“100·50·20”项目集中签约仪式"
EVENT_DATES = {EV_SUMMIT: (5, 19), EV_ACAD: (7, 28), EV_CPPCC: (9, 16), EV_YRD: (11, 10), EV_CEREMONY: (12, 20)}

# Size classes of 总投资 (万元, inclusive bounds).
TCLASS = {
    "xs": (500, 1990), "s": (2000, 9990), "m": (10000, 99900), "ml": (10000, 199900), "l": (100000, 199900),
    "t20": (200000, 499900), "t20lo": (200000, 299900), "t30": (300000, 499900),
    "t50": (500000, 999900), "t100": (1000000, 1600000),
}

# ------------------------------------------------------------------------ helpers

def _d(y: int, m: int, d: int) -> dt.date:
    return dt.date(y, m, d)


def _rand_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _rand_amount(rng: random.Random, cls: str, skew: float = 1.8) -> int:
    lo, hi = TCLASS[cls]
    v = lo * (hi / lo) ** (rng.random() ** skew)
    gran = 100 if lo >= 10000 else 10
    return int(min(hi, max(lo, round(v / gran) * gran)))


def fit_sum(values: list[float], bounds: list[tuple[int, int]], total: int, gran: int = 1) -> list[int]:
    """Adjust ``values`` within ``bounds`` so they sum exactly to ``total`` (integers, multiples of gran
    where possible)."""
    n = len(values)
    lo = [b[0] for b in bounds]
    hi = [b[1] for b in bounds]
    if not (sum(lo) <= total <= sum(hi)):
        raise ValueError(f"fit_sum infeasible: {sum(lo)} <= {total} <= {sum(hi)}")
    v = [min(h, max(l_, x)) for x, l_, h in zip(values, lo, hi)]
    for _ in range(60):
        diff = total - sum(v)
        if abs(diff) < 1e-6:
            break
        room = [h - x for x, h in zip(v, hi)] if diff > 0 else [x - l_ for x, l_ in zip(v, lo)]
        s = sum(room)
        f = min(1.0, abs(diff) / s)
        v = [x + (r * f if diff > 0 else -r * f) for x, r in zip(v, room)]
    out = []
    for x, l_, h in zip(v, lo, hi):
        q = int(round(x / gran) * gran)
        out.append(min(h, max(l_, q)))
    rest = total - sum(out)
    i = 0
    while rest != 0 and i < 20 * n + 20:
        k = i % n
        step = gran if abs(rest) >= gran else 1
        step = step if rest > 0 else -step
        if lo[k] <= out[k] + step <= hi[k]:
            out[k] += step
            rest -= step
        i += 1
    if rest != 0:
        raise ValueError("fit_sum could not distribute the remainder")
    return out


def _partition(rng: random.Random, n: int, total: int, sigma: float = 0.6, cap: float = 4.0) -> list[int]:
    """Split ``total`` into ``n`` positive integers with log-normal-ish weights."""
    if n == 0:
        if total:
            raise ValueError("nothing to partition into")
        return []
    w = [min(cap, rng.lognormvariate(0, sigma)) for _ in range(n)]
    s = sum(w)
    raw = [max(1.0, total * x / s) for x in w]
    return fit_sum(raw, [(1, total)] * n, total, gran=1)


