"""Annual targets and 序时进度 (domain.md §1): how far each unit and the city are by the end of a month.

Completion (完成率) = actual of January..M ÷ annual target of the 目标任务 sheet; 序时进度 = M/12
of the target; the gap is completion − 序时进度 in percentage points. A unit without a target, or
with a target of 0, has no completion (None, shown "—"), never 0 % or infinity; a target of 0 is
reported by :func:`target_problems`. The city's target is its own row of the sheet when there is
one, else the sum of the units' targets. A unit's weighted completion (综合完成率) is the mean of
its completion rates weighted as the county assessment weighs the indicators.

>>> schedule_pct(Period.year_to_date(2023, 6)), schedule_pct(Period.year_to_date(2023, 1))
(50.0, 8.33)
>>> completion_pct(8_176_100.0, 14_000_000.0), completion_pct(5.0, 0.0), completion_pct(5.0, None)
(58.4, None, None)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from helpers.indicators.assessment import shared_rank
from helpers.indicators.definitions import round_half_up
from helpers.indicators.period import Period
from helpers.reference import Reference

__all__ = [
    "STATUSES",
    "city_targets",
    "completion_pct",
    "red_black_lists",
    "schedule_pct",
    "schedule_status",
    "target_problems",
    "target_table",
    "unit_progress",
    "weighted_completion",
]

#: Progress against 序时进度, best first: at or above it, a little below, far behind.
STATUSES = ("on_schedule", "slightly_behind", "far_behind")


def schedule_pct(period: Period) -> float:
    """序时进度 in %: the share of the year the period has covered (month M of 12 → M/12)."""
    return round_half_up(100.0 * period.last_month / 12, 2)


def completion_pct(actual: float | None, target: float | None) -> float | None:
    """actual ÷ target in % (2 decimals); None without a target or with a target of 0."""
    if actual is None or target is None or pd.isna(target) or target <= 0 or pd.isna(actual):
        return None
    return round_half_up(100.0 * float(actual) / float(target), 2)


def target_table(targets: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """The 目标任务 rows as ``county``, ``key`` (the indicator's metric key), ``target``.

    >>> from helpers.reference import load_reference
    >>> sheet = pd.DataFrame({"county": ["瑞昌市"], "indicator": ["新签约亿元以上项目个数"], "target": [12.0]})
    >>> target_table(sheet, load_reference()).to_dict("records")
    [{'county': '瑞昌市', 'key': 'signed_100m.count', 'target': 12.0}]
    """
    keys = dict(zip(reference.indicators["name"], reference.indicators["key"], strict=True))
    return pd.DataFrame(
        {"county": targets["county"].astype(object), "key": targets["indicator"].map(keys).astype(object),
         "target": targets["target"].astype(float)}
    ).reset_index(drop=True)


def city_targets(targets: pd.DataFrame, reference: Reference, keys: list[str]) -> dict[str, tuple[float | None, str | None]]:
    """key → (the city's annual target, where it comes from: ``city`` its own row, ``units`` the sum
    of the units' targets, None no target at all).

    >>> from helpers.reference import load_reference
    >>> sheet = pd.DataFrame({"county": ["瑞昌市", "湖口县", "九江市"], "key": ["a.x", "a.x", "b.y"], "target": [3.0, 4.0, 9.0]})
    >>> city_targets(sheet, load_reference(), ["a.x", "b.y", "c.z"])
    {'a.x': (7.0, 'units'), 'b.y': (9.0, 'city'), 'c.z': (None, None)}
    """
    units = set(reference.units["name"])
    result: dict[str, tuple[float | None, str | None]] = {}
    for key in keys:
        rows = targets[targets["key"] == key]
        own = rows[rows["county"] == reference.city]
        if len(own):
            result[key] = (float(own["target"].iloc[0]), "city")
        elif rows["county"].isin(units).any():
            result[key] = (float(rows.loc[rows["county"].isin(units), "target"].sum()), "units")
        else:
            result[key] = (None, None)
    return result


def unit_progress(breakdown: pd.DataFrame, targets: pd.DataFrame, reference: Reference, period: Period, keys: list[str]) -> pd.DataFrame:
    """One row per unit and indicator: ``actual`` (万元 or a count), ``target``, ``completion_pct``, ``gap_pp``.

    ``breakdown`` is ``metrics.county_breakdown`` of the period; ``targets`` is :func:`target_table`.

    >>> from helpers.reference import load_reference
    >>> breakdown = pd.DataFrame({"county": ["瑞昌市", "湖口县"], "signed_100m.count": [6, 1]})
    >>> sheet = pd.DataFrame({"county": ["瑞昌市"], "key": ["signed_100m.count"], "target": [10.0]})
    >>> unit_progress(breakdown, sheet, load_reference(), Period.year_to_date(2023, 6), ["signed_100m.count"]).to_dict("records")
    [{'county': '瑞昌市', 'key': 'signed_100m.count', 'actual': 6.0, 'target': 10.0, 'completion_pct': 60.0, 'gap_pp': 10.0}, \
{'county': '湖口县', 'key': 'signed_100m.count', 'actual': 1.0, 'target': None, 'completion_pct': None, 'gap_pp': None}]
    """
    schedule = schedule_pct(period)
    by_unit = {(c, k): t for c, k, t in targets[["county", "key", "target"]].itertuples(index=False)}
    rows = []
    for county, values in zip(breakdown["county"], breakdown.to_dict("records"), strict=True):
        for key in keys:
            target = by_unit.get((county, key))
            completion = completion_pct(values[key], target)
            rows.append(
                {
                    "county": county,
                    "key": key,
                    "actual": float(values[key]),
                    "target": None if target is None else float(target),
                    "completion_pct": completion,
                    "gap_pp": None if completion is None else round_half_up(completion - schedule, 2),
                }
            )
    # object columns: a missing target or completion stays None ("—"), never NaN turned into 0
    table = pd.DataFrame(rows, columns=["county", "key", "actual", "target", "completion_pct", "gap_pp"], dtype=object)
    return table.astype({"actual": float})


def weighted_completion(progress: pd.DataFrame, weights: Mapping[str, float], period: Period) -> pd.DataFrame:
    """Per unit: the weighted mean of its completion rates (indicators with a completion only),
    the gap to 序时进度 and the place (1 = best; units without any completion come last, place None).

    >>> progress = pd.DataFrame({"county": ["A", "A", "B", "B"], "key": ["x", "y", "x", "y"],
    ...                          "completion_pct": [80.0, 40.0, None, 30.0]})
    >>> weighted_completion(progress, {"x": 3, "y": 1}, Period.year_to_date(2023, 6)).to_dict("records")
    [{'county': 'A', 'weighted_completion_pct': 70.0, 'gap_pp': 20.0, 'indicators': 2, 'place': 1}, \
{'county': 'B', 'weighted_completion_pct': 30.0, 'gap_pp': -20.0, 'indicators': 1, 'place': 2}]
    """
    schedule = schedule_pct(period)
    rows = []
    for county, group in progress.groupby("county", sort=False):
        scored = [(float(weights.get(k, 0.0)), c) for k, c in zip(group["key"], group["completion_pct"], strict=True)
                  if c is not None and not pd.isna(c) and weights.get(k, 0.0) > 0]
        total_weight = sum(w for w, _ in scored)
        value = round_half_up(sum(w * c for w, c in scored) / total_weight, 2) if total_weight else None
        rows.append(
            {
                "county": county,
                "weighted_completion_pct": value,
                "gap_pp": None if value is None else round_half_up(value - schedule, 2),
                "indicators": len(scored),
            }
        )
    table = pd.DataFrame(rows, columns=["county", "weighted_completion_pct", "gap_pp", "indicators"], dtype=object)
    ranks = shared_rank(table["weighted_completion_pct"].astype(float))
    places = [None if pd.isna(v) else int(r) for v, r in zip(table["weighted_completion_pct"], ranks, strict=True)]
    table["place"] = pd.Series(places, index=table.index, dtype=object)  # no completion: no place (None)
    order = table.assign(_value=table["weighted_completion_pct"].astype(float)).sort_values(
        ["_value", "county"], ascending=[False, True], na_position="last", kind="stable"
    )
    return order.drop(columns="_value").reset_index(drop=True).astype({"indicators": "int64"})


def schedule_status(gap_pp: float | None, thresholds: Mapping[str, float]) -> str | None:
    """``on_schedule`` / ``slightly_behind`` / ``far_behind`` by the gap to 序时进度 (None: no gap).

    >>> [schedule_status(g, {"on_schedule_pp": 0, "behind_pp": -10}) for g in (0.0, -3.5, -10.0, -10.01, None)]
    ['on_schedule', 'slightly_behind', 'slightly_behind', 'far_behind', None]
    """
    if gap_pp is None or pd.isna(gap_pp):
        return None
    if gap_pp >= thresholds["on_schedule_pp"]:
        return "on_schedule"
    return "slightly_behind" if gap_pp >= thresholds["behind_pp"] else "far_behind"


def red_black_lists(standings: pd.DataFrame, red: Mapping[str, Any], black: Mapping[str, Any]) -> pd.DataFrame:
    """红榜 (``red``): the ``size`` best weighted completions among the units at least ``min_gap_pp``
    ahead of 序时进度 (ties share a place); 黑榜 (``black``): the units more than ``behind_pp`` behind.

    >>> standings = pd.DataFrame({"county": ["A", "B", "C", "D"], "weighted_completion_pct": [90.0, 70.0, 45.0, 30.0],
    ...                           "gap_pp": [40.0, 20.0, -5.0, -20.0]})
    >>> red_black_lists(standings, {"size": 1, "min_gap_pp": 0}, {"behind_pp": 10})[["list", "county"]].values.tolist()
    [['red', 'A'], ['black', 'D']]
    """
    scored = standings.dropna(subset=["weighted_completion_pct"])
    ahead = scored[scored["gap_pp"] >= float(red["min_gap_pp"])]
    places = shared_rank(ahead["weighted_completion_pct"].astype(float))
    red_rows = ahead.assign(list_place=places.to_numpy())
    red_rows = red_rows[red_rows["list_place"] <= int(red["size"])]
    black_rows = scored[scored["gap_pp"] < -float(black["behind_pp"])]
    black_rows = black_rows.sort_values(["weighted_completion_pct", "county"], kind="stable")
    black_rows = black_rows.assign(list_place=range(1, len(black_rows) + 1))
    columns = ["list", "list_place", "county", "weighted_completion_pct", "gap_pp"]
    table = pd.concat([red_rows.assign(list="red"), black_rows.assign(list="black")], ignore_index=True)
    return table.reindex(columns=columns).astype({"list_place": "int64"}) if len(table) else pd.DataFrame(columns=columns)


def target_problems(targets: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """What is wrong with the targets, per unit and target indicator: ``missing`` (no row in the
    sheet: completion "—") or ``zero`` (a target of 0: completion "—", a data-quality warning).

    >>> from helpers.reference import load_reference
    >>> reference = load_reference()
    >>> sheet = pd.DataFrame({"county": ["瑞昌市"], "key": ["signed_100m.count"], "target": [0.0]})
    >>> problems = target_problems(sheet, reference)
    >>> problems[problems["county"] == "瑞昌市"][["key", "problem"]].head(2).values.tolist()
    [['outside_province_projects.count', 'missing'], ['outside_province_projects.funds', 'missing']]
    >>> problems[problems["problem"] == "zero"][["county", "key"]].values.tolist()
    [['瑞昌市', 'signed_100m.count']]
    """
    given = {(c, k): t for c, k, t in targets[["county", "key", "target"]].itertuples(index=False)}
    rows = []
    for county in reference.units["name"]:
        for spec in reference.target_indicators():
            target = given.get((county, spec.key))
            if target is None:
                rows.append({"county": county, "key": spec.key, "problem": "missing"})
            elif target <= 0:
                rows.append({"county": county, "key": spec.key, "problem": "zero"})
    return pd.DataFrame(rows, columns=["county", "key", "problem"])
