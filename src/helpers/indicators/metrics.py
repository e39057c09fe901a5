"""The figures of a year in the shape of ``data/published/*.yaml`` (``zhaoshang metrics``).

``compute_metrics`` assembles every indicator of ``indicators`` for one year (and the previous
year for year-on-year figures); ``county_breakdown`` gives the same counts and amounts per
reporting unit; ``reconcile`` puts the result side by side with the city's published figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from helpers.errors import ReferenceDataError
from helpers.indicators import definitions as ind
from helpers.indicators import year_to_date as ytd
from helpers.indicators.period import Period, as_period
from helpers.ingest.clean import CleanYear
from helpers.reference import Reference
from helpers.reference.tables import safe_load_yaml


def breakdown_keys(reference: Reference) -> tuple[str, ...]:
    """The county breakdown's indicator keys, in the order of the registry's ``breakdown`` column."""
    return tuple(spec.key for spec in reference.breakdown_indicators())


def breakdown_labels(reference: Reference) -> dict[str, str]:
    """Chinese column labels of the county breakdown, with units and the reference thresholds in them."""
    return {spec.key: spec.column_label for spec in reference.breakdown_indicators()}


LEAD_KEYS = ("count", "planned_20b_plus", "signed", "signed_20b_plus", "signed_amount")
PRINCIPAL_KEYS = ("city_unit_count", "city_units", "county_count", "county_count_yoy_change")


def county_breakdown(projects: pd.DataFrame, reference: Reference, period: Period | int) -> pd.DataFrame:
    """One row per reporting unit (reference order, units without projects included, zeros there).

    Amount columns are in 万元; the column names are the indicator keys of :func:`breakdown_keys`.
    """
    # the columns the selections read: filtering a narrow frame is many times faster on wide ledgers
    used = ["county", "source", "total_investment", "funds_year", "recognized_on", "signed_on", "started_on", "fifty_twenty_applied_on"]
    narrow = projects[[c for c in used if c in projects.columns]]
    selections = {
        "outside_city_projects": ind.outside_projects(narrow, reference, "outside_city"),
        "outside_province_projects": ind.outside_projects(narrow, reference, "outside_province"),
        "outside_province_new_100m": ind.new_100m_projects(narrow, reference, period, "outside_province"),
        "signed_100m": ind.signed_100m(narrow, reference, period),
        "fifty_twenty_applied": narrow[ind.in_period(narrow["fifty_twenty_applied_on"], period)],
        "new_started_100m": ind.new_started_100m(narrow, reference, period),
        "foreign_funds": narrow[narrow["source"].isin(reference.values_with_role("source", "foreign")).fillna(False).astype(bool)],
    }
    unknown = [key for key in breakdown_keys(reference) if key.split(".")[0] not in selections or not key.endswith((".count", ".funds"))]
    if unknown:  # a typo in indicators.csv: a key the kit cannot compute is an input error, not a KeyError
        raise ReferenceDataError(
            f"indicators.csv: 分县指标 {unknown[0]} 不是本工具能计算的指标；可用：{'、'.join(f'{s}.count、{s}.funds' for s in selections)}"
        )
    counts = {section: frame.groupby("county", observed=True).size() for section, frame in selections.items()}
    funds = {section: frame.groupby("county", observed=True)["funds_year"].sum() for section, frame in selections.items()}
    rows = []
    for county in reference.units["name"]:
        row: dict[str, Any] = {"county": county}
        for key in breakdown_keys(reference):
            section, measure = key.split(".")
            row[key] = int(counts[section].get(county, 0)) if measure == "count" else float(funds[section].get(county, 0.0))
        rows.append(row)
    return pd.DataFrame(rows)


def _peer_values(peers: pd.DataFrame, indicator: str, city: str, kind: str) -> tuple[list[float], float | None]:
    """Other cities' values (in reporting units) and the value the sheet gives for the city itself."""
    rows = peers[peers["indicator"] == indicator]
    convert = ind.to_yi if kind == "amount" else float
    others = [convert(v) for c, v in zip(rows["city"], rows["value"], strict=True) if c != city]
    own = [convert(v) for c, v in zip(rows["city"], rows["value"], strict=True) if c == city]
    return others, (own[0] if own else None)


def province_comparison(metrics: dict[str, Any], peers: pd.DataFrame, reference: Reference, period: Period | None = None) -> pd.DataFrame:
    """Rank the city among the province's cities for every indicator of the 全省对比 sheet, with the
    sheet's rows of ``period`` (default: the whole-year rows; 截至月份 selects a year-to-date's)."""
    peers = ytd.peers_for_period(peers, period) if period is not None else ytd.peers_through_month(peers, 12)
    rows = []
    for indicator, key, kind in reference.indicators[["name", "key", "kind"]].itertuples(index=False):
        others, listed_own = _peer_values(peers, indicator, reference.city, kind)
        section, measure = key.split(".")
        own = metrics.get(section, {}).get(measure)
        if not others or own is None:
            continue
        rows.append(
            {
                "indicator": indicator,
                "key": key,
                "value": own,
                "rank": ind.province_rank(own, others),
                "cities": len(others) + 1,
                "province_max": max([own, *others]),
                "sheet_value": listed_own,
                "sheet_difference": None if listed_own is None else ind.round_half_up(own - listed_own, 2),
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "key", "value", "rank", "cities", "province_max", "sheet_value", "sheet_difference"])


def compute_metrics(
    current: CleanYear,
    previous: CleanYear | None,
    reference: Reference,
    *,
    campaign_window: tuple[str, str] | None = None,
    period: Period | None = None,
) -> dict[str, Any]:
    """Every indicator of ``period`` (default: the whole of ``current.year``).

    Year-on-year figures compare with the same months of ``previous``'s year and need
    ``previous`` (else None). For a part of the year, funds are those of its monthly columns
    (:mod:`helpers.indicators.year_to_date`); the whole year's figures are the annual ones.
    """
    year = current.year
    period = as_period(period or year)
    # the comparison year is the previous ledger's own year (compare_year may be any earlier year)
    previous_period = period.comparison(previous.year if previous is not None else None)
    previous_year = previous_period.year
    projects = ytd.period_projects(current.tables["projects"], current.tables["monthly_funds"], period)
    trips, leads = (current.tables[t] for t in ("trips", "leads"))
    previous_projects = None
    if previous is not None:
        previous_projects = ytd.period_projects(previous.tables["projects"], previous.tables["monthly_funds"], previous_period)
    city_sources, province_sources = "outside_city", "outside_province"  # source roles (roles.yaml)

    outside_province = ind.outside_projects(projects, reference, province_sources)
    metrics: dict[str, Any] = {
        "outside_city_projects": ind.count_and_funds(ind.outside_projects(projects, reference, city_sources)),
        "outside_city_new_100m": ind.count_and_funds(ind.new_100m_projects(projects, reference, period, city_sources)),
        "outside_province_projects": ind.count_and_funds(outside_province),
    }
    previous_funds = None
    if previous_projects is not None:
        previous_funds = ind.to_yi(ind.outside_projects(previous_projects, reference, province_sources)["funds_year"].sum())
    metrics["outside_province_projects"]["previous_funds"] = previous_funds
    metrics["outside_province_projects"]["funds_yoy_pct"] = ind.growth_pct(
        metrics["outside_province_projects"]["funds"], previous_funds
    )
    new_province = ind.new_100m_projects(projects, reference, period, province_sources)
    metrics["outside_province_new_100m"] = ind.count_and_funds(new_province)

    previous_applied = (
        ind.fifty_twenty_applied(previous_projects, reference, previous_period) if previous_projects is not None else None
    )
    metrics["fifty_twenty_applied"] = ind.fifty_twenty_summary(ind.fifty_twenty_applied(projects, reference, period), previous_applied)
    has_trips = current.has_sheet("trips")  # no 外出招商 sheet: not available, not zero trips
    metrics["team_trips"] = ind.team_trips(trips, reference, period) if has_trips else {"count": None}
    metrics["team_leads"] = (
        ind.team_leads(leads, reference, period) if current.has_sheet("leads") else dict.fromkeys(LEAD_KEYS)
    )
    previous_trips = previous.tables["trips"] if previous is not None and previous.has_sheet("trips") else None
    metrics["principal_trips"] = (
        ind.principal_trips(trips, reference, period, previous_trips, previous_year) if has_trips else dict.fromkeys(PRINCIPAL_KEYS)
    )
    metrics["event_signings"] = ind.event_signings(projects, reference, period)
    started = ind.new_started_100m(projects, reference, period)
    previous_started = ind.new_started_100m(previous_projects, reference, previous_period) if previous_projects is not None else None
    metrics["new_started_100m"] = ind.new_started_summary(started, previous_started, reference)
    previous_new = (
        ind.new_100m_projects(previous_projects, reference, previous_period, province_sources) if previous_projects is not None else None
    )
    metrics["emerging_share"] = ind.emerging_share(new_province, previous_new, reference)

    window = reference.campaign(year)
    if campaign_window is not None:
        window = {
            "name": (window or {}).get("name", "攻坚行动"),
            "start": pd.Timestamp(campaign_window[0]),
            "end": pd.Timestamp(campaign_window[1]),
        }
    if window is not None and period.start <= window["end"] and window["start"] <= period.end:
        # a campaign still running at the end of the period: its results so far
        end = min(window["end"], period.end)
        metrics["campaign"] = {"name": window["name"], **ind.campaign(projects, reference, window["start"], end)}

    completeness = ind.chain_completeness(current.tables["chain_map"])
    metrics["chain_completeness"] = {
        county: {
            row.chain: {"present": int(row.present), "listed": int(row.listed), "links": int(row.links), "pct": row.pct}
            for row in group.itertuples(index=False)
        }
        for county, group in completeness.groupby("county", sort=True)
    }
    signed = ind.signed_100m(projects, reference, period)
    metrics["signed_100m"] = {"count": int(len(signed)), "total_investment": ind.to_yi(signed["total_investment"].sum())}
    metrics["foreign_funds"] = {"funds": ind.to_yi(ind.foreign_funds(projects, reference))}
    metrics["outside_province_started"] = ind.count_and_funds(ind.outside_started_projects(projects, reference, period, province_sources))
    metrics["foreign_funds_usd"] = ind.foreign_funds_usd(projects, reference, period)
    metrics["fifty_twenty_started"] = ind.fifty_twenty_dated(projects, reference, period, "started_on")
    metrics["fifty_twenty_signed"] = ind.fifty_twenty_dated(projects, reference, period, "signed_on")

    comparison = province_comparison(metrics, current.tables["province_peers"], reference, period)
    for row in comparison.itertuples(index=False):
        section, measure = row.key.split(".")
        metrics[section][f"{measure}_rank"] = int(row.rank)
    metrics["province_sheet_differences"] = {
        row.indicator: {"ledger": row.value, "sheet": row.sheet_value, "difference": row.sheet_difference}
        for row in comparison.itertuples(index=False)
        if row.sheet_difference not in (None, 0) and not pd.isna(row.sheet_difference)
    }

    breakdown = county_breakdown(projects, reference, period)
    metrics["by_county"] = {
        row["county"]: {
            key.replace(".", "_"): (ind.to_yi(row[key]) if key.endswith(".funds") else int(row[key])) for key in breakdown_keys(reference)
        }
        for row in breakdown.to_dict("records")
    }
    return metrics


# ---------------------------------------------------------------------------------------------
# Published figures: flatten, apply the `_rounded` and `sums` conventions, compare.


def load_published(path: Path) -> dict[str, Any]:
    return safe_load_yaml(Path(path).read_text(encoding="utf-8"))


def _flatten(tree: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, value in tree.items():
        path = f"{prefix}/{key}" if prefix else str(key)
        if isinstance(value, dict):
            items.extend(_flatten(value, path))
        else:
            items.append((path, value))
    return items


def get_path(tree: dict[str, Any], path: str) -> Any:
    node: Any = tree
    for part in path.split("/"):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def reconcile(metrics: dict[str, Any], published_year: dict[str, Any]) -> pd.DataFrame:
    """Computed vs published, one row per published figure (and per published sum).

    A key ending in ``_rounded`` is compared as round(computed value of the key without the
    suffix); a ``sums`` entry compares the sum of its paths with ``equals``.
    """
    rows = []
    published = {k: v for k, v in published_year.items() if k != "sums"}
    for path, expected in _flatten(published):
        if path.endswith("_rounded"):
            computed_path = path[: -len("_rounded")]
            value = get_path(metrics, computed_path)
            comparable = None if value is None else int(ind.round_half_up(value, 0))
            rule = "四舍五入取整"
        else:
            computed_path, value, rule = path, get_path(metrics, path), "相等"
            comparable = value
        rows.append({"path": computed_path, "published": expected, "computed": value, "rule": rule, "match": comparable == expected})
    for entry in published_year.get("sums", []):
        values = [get_path(metrics, p) for p in entry["paths"]]
        total = None if any(v is None for v in values) else ind.round_half_up(sum(values), 2)
        rows.append(
            {
                "path": " + ".join(entry["paths"]),
                "published": entry["equals"],
                "computed": total,
                "rule": "合计",
                "match": total == entry["equals"],
            }
        )
    # object columns: counts stay integers next to amounts (528, not 528.0)
    return pd.DataFrame(rows, columns=["path", "published", "computed", "rule", "match"], dtype=object)
