"""Indicators over many years: every year with ledgers side by side, for the city or one unit.

A trend is one row per year (oldest first) and one column per indicator key, amounts in 万元,
a figure the kit cannot know (no ledger, no previous year for a YoY) left empty, never 0. The
city's figures are those of :func:`helpers.indicators.metrics.compute_metrics` (so they equal the
annual review's headline of each year: its 亿元 figures, which are rounded to 2 decimals, given
back in 万元 so that the presentation step shows exactly them); a reporting unit's are its row of
:func:`helpers.indicators.metrics.county_breakdown` (so they equal the county table of each
year's review). Presentation (Chinese headers, 亿元) is the products' business.

>>> from helpers.paths import default_data_dir
>>> from helpers.reference import load_reference
>>> reference = load_reference()
>>> table = indicator_trend(["outside_province_projects.count"], default_data_dir(), reference, years=[2021, 2022])
>>> table.to_dict("records")
[{'year': 2021, 'outside_province_projects.count': 470}, {'year': 2022, 'outside_province_projects.count': 488}]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.errors import UsageError
from helpers.indicators.metrics import compute_metrics, county_breakdown
from helpers.ingest.cache import load_year
from helpers.normalize import match_name, name_key, suggest_names
from helpers.paths import available_years
from helpers.reference import Reference

__all__ = ["county_ranks", "indicator_trend", "unit_name", "yearly_breakdowns", "yearly_metrics"]


def _years(data_dir: Path, years: Iterable[int] | None) -> list[int]:
    known = available_years(Path(data_dir))
    if years is None:
        return known
    wanted = sorted({int(year) for year in years})
    missing = [year for year in wanted if year not in known]
    if missing:
        raise UsageError(f"没有 {'、'.join(map(str, missing))} 年的台账（{data_dir}/raw/ 下有：{'、'.join(map(str, known)) or '无'}）")
    return wanted


def yearly_metrics(
    data_dir: Path,
    reference: Reference,
    years: Iterable[int] | None = None,
    *,
    loaded: dict[int, Any] | None = None,
    computed: dict[int, dict[str, Any]] | None = None,
) -> dict[int, dict[str, Any]]:
    """Every figure of every year with ledgers (each compared with the year before when it has ledgers).

    ``loaded`` (year → clean year) holds the years already loaded and gets the ones loaded here
    (a caller that asks several times loads each year once); ``computed`` (year → figures)
    holds figures a caller already has that are exactly these (the year compared with the year
    before when it has ledgers, the reference's campaign window), which are not computed again."""
    data_dir = Path(data_dir)
    chosen = _years(data_dir, years)
    known = set(available_years(data_dir))
    loaded = {} if loaded is None else loaded
    computed = computed or {}

    def year_data(year: int) -> Any:
        if year not in loaded:
            loaded[year] = load_year(year, data_dir, reference)
        return loaded[year]

    def figures(year: int) -> dict[str, Any]:
        if year in computed:
            return computed[year]
        return compute_metrics(year_data(year), year_data(year - 1) if year - 1 in known else None, reference)

    return {year: figures(year) for year in chosen}


def yearly_breakdowns(
    data_dir: Path, reference: Reference, years: Iterable[int] | None = None, *, loaded: dict[int, Any] | None = None
) -> pd.DataFrame:
    """The county breakdown of every year, stacked: columns ``year``, ``county`` and the breakdown keys
    (``loaded``: as in :func:`yearly_metrics`)."""
    data_dir = Path(data_dir)
    loaded = {} if loaded is None else loaded
    frames = []
    for year in _years(data_dir, years):
        if year not in loaded:
            loaded[year] = load_year(year, data_dir, reference)
        projects = loaded[year].tables["projects"]
        frames.append(county_breakdown(projects, reference, year).assign(year=year))
    if not frames:
        return pd.DataFrame(columns=["year", "county"])
    stacked = pd.concat(frames, ignore_index=True)
    return stacked[["year", *[c for c in stacked.columns if c != "year"]]]


def _metric(metrics: dict[str, Any], key: str, reference: Reference) -> Any:
    """The figure of ``key`` in ``metrics``; an amount (亿元 there) in 万元, exactly."""
    section, _, measure = key.partition(".")
    value = metrics.get(section, {})
    value = value.get(measure) if isinstance(value, dict) else None
    if value is None or reference.indicator(key).kind != "amount":
        return value
    return float(Decimal(repr(float(value))) * 10_000)


def indicator_trend(
    keys: str | Sequence[str],
    data_dir: Path,
    reference: Reference,
    *,
    county: str | None = None,
    years: Iterable[int] | None = None,
    loaded: dict[int, Any] | None = None,
    computed: dict[int, dict[str, Any]] | None = None,
) -> pd.DataFrame:
    """One row per year, one column per indicator key (万元): the city's figures, or ``county``'s
    (``loaded``, ``computed``: as in :func:`yearly_metrics`).

    ``keys`` are keys of the indicator registry (``indicators.csv``); a unit has only the
    breakdown indicators. A key or unit the reference does not know is a ``UsageError`` naming
    the closest ones.
    """
    keys = [keys] if isinstance(keys, str) else list(keys)
    unknown = [key for key in keys if key not in reference.indicator_registry]
    if unknown:
        closest = suggest_names(unknown[0], reference.indicator_registry)
        raise UsageError(f"未知的指标 {'、'.join(unknown)}（见 data/reference/indicators.csv）；最接近的有：{'、'.join(closest) or '无'}")
    if county is None:
        figures = yearly_metrics(data_dir, reference, years, loaded=loaded, computed=computed)
        rows = [{"year": year, **{key: _metric(metrics, key, reference) for key in keys}} for year, metrics in figures.items()]
        return pd.DataFrame(rows, columns=["year", *keys])
    breakdown_keys = [spec.key for spec in reference.breakdown_indicators()]
    not_per_unit = [key for key in keys if key not in breakdown_keys]
    if not_per_unit:
        raise UsageError(f"指标 {'、'.join(not_per_unit)} 没有分县（市、区）的数据；可用：{'、'.join(breakdown_keys)}")
    unit = unit_name(county, reference)
    stacked = yearly_breakdowns(data_dir, reference, years, loaded=loaded)
    rows = stacked[stacked["county"] == unit]
    return rows[["year", *keys]].reset_index(drop=True)


def unit_name(county: str, reference: Reference) -> str:
    """The canonical name of a reporting unit from any name or alias the reference knows;
    an unknown name is a ``UsageError`` with the closest names.

    >>> from helpers.reference import load_reference
    >>> unit_name("修水", load_reference())
    '修水县'
    """
    key = name_key(county)
    units = reference.lookups["county"]
    exact_unit = any(name_key(alias) == key for alias in units)
    if not exact_unit and any(name_key(alias) == key and city == reference.city for alias, city in reference.lookups["city"].items()):
        # 九江市 is the city, not 九江县 (now 柴桑区) without its suffix
        raise UsageError(f"{county} 是全市，不是县（市、区）；全市的分析见年度分析报告 annual_review")
    resolved = match_name(county, units)
    if resolved is not None:
        return resolved
    names = list(reference.units["name"])
    raise UsageError(f"未知的县（市、区）：{county}；最接近的有：{'、'.join(suggest_names(county, names)) or '无'}")


def county_ranks(
    key: str, data_dir: Path, reference: Reference, years: Iterable[int] | None = None, *, loaded: dict[int, Any] | None = None
) -> pd.DataFrame:
    """Every unit's rank on ``key`` in every year: one row per unit (reference order), one column per year.

    Rank 1 is the largest value; equal values share the better rank (competition ranking, as the
    assessment ranks). ``loaded``: as in :func:`yearly_metrics`.
    """
    stacked = yearly_breakdowns(data_dir, reference, years, loaded=loaded)
    if key not in stacked.columns:
        raise UsageError(f"指标 {key} 没有分县（市、区）的数据")
    stacked = stacked.assign(rank=stacked.groupby("year")[key].rank(method="min", ascending=False).astype("Int64"))
    wide = stacked.pivot(index="county", columns="year", values="rank")
    order = [name for name in reference.units["name"] if name in wide.index]
    wide = wide.loc[order]
    wide.columns = [int(year) for year in wide.columns]
    return wide.reset_index()
