"""County assessment (考核评比, docs/domain.md §5): completion rates, efficacy-coefficient scores, ranks.

Each indicator's completion rate = actual ÷ target (目标任务 sheet). Scores use the efficacy
coefficient method: ``60 + 40 × (x − min) / (max − min)`` over the units that have a target
(all 100 when max = min). The weighted total is Σ weight × score / Σ weights, so it stays on
the 60–100 scale. Indicators and weights come from ``assessment_weights.csv``.
"""

from __future__ import annotations

import pandas as pd

from helpers.indicators.definitions import round_half_up
from helpers.reference import Reference


def _round2(value: float) -> float:
    """Half up to 2 decimals, as the city rounds; missing stays missing."""
    return value if pd.isna(value) else round_half_up(value, 2)


def efficacy_scores(values: pd.Series) -> pd.Series:
    """Efficacy-coefficient scores (60–100) of the non-missing values; missing stay missing.

    >>> efficacy_scores(pd.Series([0.5, 1.0, 1.5])).tolist()
    [60.0, 80.0, 100.0]
    >>> efficacy_scores(pd.Series([1.0, 1.0])).tolist()
    [100.0, 100.0]
    """
    present = values.dropna()
    if present.empty:
        return pd.Series(float("nan"), index=values.index)
    low, high = present.min(), present.max()
    if high == low:
        return values.where(values.isna(), 100.0).astype(float)
    return (60.0 + 40.0 * (values - low) / (high - low)).map(_round2)


def shared_rank(values: pd.Series) -> pd.Series:
    """1 = largest; ties share the smaller rank (``min`` method); missing values rank last."""
    return values.rank(ascending=False, method="min", na_option="bottom").astype(int)


def county_assessment(breakdown: pd.DataFrame, targets: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """One row per unit with, for each weighted indicator, actual, target, completion % and score;
    then the weighted total and the rank.

    ``breakdown`` is ``metrics.county_breakdown`` (amounts in 万元, columns keyed as indicators.csv).
    """
    keys = dict(zip(reference.indicators["name"], reference.indicators["key"], strict=True))
    result = breakdown[["county"]].copy()
    weighted = pd.Series(0.0, index=breakdown.index)
    weight_sum = pd.Series(0.0, index=breakdown.index)
    for indicator, weight in zip(reference.weights["indicator"], reference.weights["weight"], strict=True):
        actual = breakdown[keys[indicator]].astype(float)
        target_map = targets[targets["indicator"] == indicator].set_index("county")["target"]
        target = breakdown["county"].map(target_map).astype(float)
        completion = (actual / target.where(target > 0)).astype(float)
        score = efficacy_scores(completion)
        result[f"{indicator}|actual"] = actual
        result[f"{indicator}|target"] = target
        result[f"{indicator}|completion_pct"] = (completion * 100).map(_round2)
        result[f"{indicator}|score"] = score
        weighted += score.fillna(0.0) * float(weight)
        weight_sum += score.notna() * float(weight)
    result["total_score"] = (weighted / weight_sum.where(weight_sum > 0)).map(_round2)
    result["rank"] = shared_rank(result["total_score"])
    return result.sort_values(["rank", "county"], kind="stable", ignore_index=True)
