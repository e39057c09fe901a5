"""Deterministic synthetic ledgers for 九江市 (2020–2023).

Two layers:

* :func:`build_sample_tables` — the *truth*: the clean tables a perfect cleaner
  must output for one year (amounts in 万元, dates as datetime64, canonical
  categories). The 2022 tables reproduce every figure of
  ``data/published/jiujiang.yaml`` exactly, 2021 the implied ones.
* :func:`write_sample` — the same tables written as messy real-world workbooks
  (``data/raw/<year>/*.xlsx``), byte-deterministically (see
  :mod:`helpers.sample_writer`).

The project population is built constructively: projects pinned by a published
figure first (named projects, “50·20” applications, campaign reserves, event
signings, …), then filler projects whose attributes keep each published set at
its exact size, then amounts fitted so every published sum is hit to the 万元.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from helpers import sample_vocab as V
from helpers.sample_build import _build_projects
from helpers.sample_tables import _chain_map, _leads, _monthly, _peers, _targets, _trips
from helpers.sample_util import fit_sum  # noqa: F401  (re-exported helper)
from helpers.sample_writer import messy_amount, messy_date  # noqa: F401  (re-exported helpers)

DEFAULT_SEED = 20220204
YEARS = (2020, 2021, 2022, 2023)

PROJECT_COLUMNS = [
    "project_id", "name", "investor", "origin", "source", "county", "industry", "chain",
    "total_investment", "funds_year", "entered_on", "signed_on", "started_on", "producing_on",
    "recognized_on", "fifty_twenty_applied_on", "status", "investor_flags", "is_digital", "channel",
    "event", "sourcing_unit", "notes",
]
DATE_FIELDS = ["entered_on", "signed_on", "started_on", "producing_on", "recognized_on", "fifty_twenty_applied_on"]
TEXT_FIELDS = ["project_id", "name", "investor", "origin", "source", "county", "industry", "chain", "status",
               "investor_flags", "channel", "event", "sourcing_unit", "notes"]

# --------------------------------------------------------------------------- plans
# Per-year targets. Amounts in 万元. ab_* = 市外 funded projects recognized in the year with
# total ≥ 1亿 (both outside_*_projects and outside_*_new_100m), a_*_only = funded but not new 1亿+,
# b_*_unf = new 1亿+ without funds. k4 = 省外 new-started (recognized & started in the year),
# lf = 本市/境外 new-started.
PLANS: dict[int, dict] = {
    2020: dict(ab_p=(26, 8_400_000), a_p_only=(9, 2_000_000), b_p_unf=150,
               ab_o=(90, 38, 9_200_000), a_o_only=(320, 1_750_000), b_o_unf=55, emerging_bo=88,
               ns_k4=(1, 7), ns_lf=(70, 1, 5),
               ft=dict(count=20, total=4_900_000, tiers=(0, 2, 18), flagged=13, digital=7),
               trips=dict(team=0, city_principal=70, city_units=38, county_principal=150),
               leads=None, led_present=60),
    2021: dict(ab_p=(28, 9_600_000), a_p_only=(10, 2_300_000), b_p_unf=165,
               ab_o=(100, 40, 10_500_000), a_o_only=(330, 1_882_500), b_o_unf=60, emerging_bo=100,
               ns_k4=(1, 8), ns_lf=(74, 1, 6),
               ft=dict(count=25, total=6_390_000, tiers=(0, 3, 22), flagged=16, digital=10),
               trips=dict(team=0, city_principal=80, city_units=40, county_principal=187),
               leads=None, led_present=63),
    2022: dict(ab_p=(30, 10_854_200), a_p_only=(10, 2_515_600), b_p_unf=172,
               ab_o=(111, 39, 11_460_300), a_o_only=(338, 2_068_800), b_o_unf=61, emerging_bo=112,
               ns_k4=(2, 9), ns_lf=(72, 1, 6),
               ft=dict(count=33, total=9_867_000, tiers=(2, 4, 27), flagged=23, digital=17),
               trips=dict(team=202, city_principal=96, city_units=44, county_principal=251),
               leads=dict(count=411, planned_big=97, signed=73, signed_big=15, signed_amount=9_261_000),
               led_present=65),
    2023: dict(ab_p=(32, 11_500_000), a_p_only=(11, 2_700_000), b_p_unf=180,
               ab_o=(115, 42, 12_600_000), a_o_only=(350, 2_300_000), b_o_unf=63, emerging_bo=121,
               ns_k4=(2, 9), ns_lf=(80, 1, 7),
               ft=dict(count=36, total=11_200_000, tiers=(2, 5, 29), flagged=25, digital=18),
               trips=dict(team=240, city_principal=105, city_units=46, county_principal=270),
               leads=dict(count=450, planned_big=104, signed=80, signed_big=17, signed_amount=10_120_000),
               led_present=66),
}


def _plan(year: int, scale: int) -> dict:
    if year in PLANS:
        plan = {k: (dict(v) if isinstance(v, dict) else v) for k, v in PLANS[year].items()}
    else:  # extrapolate from 2023
        plan = {k: (dict(v) if isinstance(v, dict) else v) for k, v in PLANS[2023].items()}
    if scale > 1:
        s = scale
        plan["ab_p"] = (plan["ab_p"][0] * s, plan["ab_p"][1] * s)
        plan["a_p_only"] = (plan["a_p_only"][0] * s, plan["a_p_only"][1] * s)
        plan["b_p_unf"] *= s
        plan["ab_o"] = (plan["ab_o"][0] * s, plan["ab_o"][1] * s, plan["ab_o"][2] * s)
        plan["a_o_only"] = (plan["a_o_only"][0] * s, plan["a_o_only"][1] * s)
        plan["b_o_unf"] *= s
        plan["emerging_bo"] *= s
        plan["ns_lf"] = (plan["ns_lf"][0] * s, plan["ns_lf"][1], plan["ns_lf"][2])
        plan["trips"] = {k: v * s for k, v in plan["trips"].items()}
        plan["trips"]["city_units"] = min(plan["trips"]["city_units"] * 1, len(V.CITY_DEPARTMENTS))
        if plan["leads"]:
            plan["leads"] = {k: v * s for k, v in plan["leads"].items()}
    plan["scale"] = scale
    return plan


# ---------------------------------------------------------------------------- API

def _ts(d) -> pd.Timestamp:
    return pd.NaT if d is None or d is pd.NaT else pd.Timestamp(d)


def build_sample_tables(year: int, *, scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The clean tables of one year (the truth a perfect cleaner must output)."""
    return {k: v.copy() for k, v in _tables_cached(year, scale, seed).items()}


_CACHE: dict[tuple[int, int, int], dict[str, pd.DataFrame]] = {}


def _tables_cached(year: int, scale: int, seed: int) -> dict[str, pd.DataFrame]:
    key = (year, scale, seed)
    if key not in _CACHE:
        _CACHE[key] = _build(year, scale, seed)[0]
    return _CACHE[key]


def _build(year: int, scale: int, seed: int):
    plan = _plan(year, scale)
    rng = random.Random(seed * 10_007 + year * 31 + scale)
    projects = _build_projects(year, plan, rng)
    projects.sort(key=lambda p: p["project_id"])
    monthly = _monthly(projects, year, random.Random(seed + year))
    trips = _trips(year, plan, random.Random(seed + 2 * year))
    leads = _leads(year, plan, projects, random.Random(seed + 3 * year))
    chain_map = _chain_map(year, plan, random.Random(seed + 4 * year))
    peers = _peers(projects, year, random.Random(seed + 5 * year))
    targets = _targets(projects, year, random.Random(seed + 6 * year))
    rows = []
    for p in projects:
        r = {c: p.get(c) for c in PROJECT_COLUMNS}
        r["total_investment"] = float(p["total_investment"])
        r["funds_year"] = float(p["F"])
        r["investor_flags"] = "、".join(p["flags"]) if p["flags"] else None
        r["is_digital"] = bool(p["digital"])
        rows.append(r)
    proj = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    for c in DATE_FIELDS:
        proj[c] = pd.to_datetime(pd.Series([_ts(p[c]) for p in projects], dtype="datetime64[ns]"))
    for c in TEXT_FIELDS:
        proj[c] = pd.Series([r[c] for r in rows], dtype=object)
    proj["is_digital"] = proj["is_digital"].astype(bool)
    tables = {
        "projects": proj,
        "monthly_funds": _monthly_frame(projects, monthly),
        "trips": _frame(trips, ["departed_on", "unit", "unit_kind", "leader", "is_principal", "destination",
                                "companies_met"], dates=["departed_on"]),
        "leads": _frame(leads, ["lead_id", "team", "name", "planned_investment", "found_on", "progress", "signed_on",
                                "signed_amount", "project_id"], dates=["found_on", "signed_on"]),
        "chain_map": _frame(chain_map, ["county", "chain", "link", "item", "present"]),
        "province_peers": _frame(peers, ["city", "indicator", "value"]),
        "targets": _frame(targets, ["county", "indicator", "target"]),
    }
    tables["trips"]["is_principal"] = tables["trips"]["is_principal"].astype(bool)
    tables["trips"]["companies_met"] = tables["trips"]["companies_met"].astype("int64")
    tables["chain_map"]["present"] = tables["chain_map"]["present"].astype(bool)
    for c in ("planned_investment", "signed_amount"):
        tables["leads"][c] = tables["leads"][c].astype(float)
    return tables, projects, monthly


def _monthly_frame(projects, monthly) -> pd.DataFrame:
    """Monthly funds of the projects whose rows carry 1月…12月 columns: one row per non-blank month
    (months without funds are left blank in the workbooks)."""
    from helpers.sample_writer import city_project_ids  # local import: writer depends on this module

    ids = city_project_ids(projects)
    rows = [dict(project_id=pid, month=m + 1, funds=float(monthly[pid][m])) for pid in sorted(ids) for m in range(12)
            if monthly[pid][m] != 0]
    df = pd.DataFrame(rows, columns=["project_id", "month", "funds"])
    df["project_id"] = df["project_id"].astype(object)
    df["month"] = df["month"].astype("int64")
    return df


def _frame(rows: list[dict], cols: list[str], dates: Iterable[str] = ()) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=cols)
    for c in cols:
        if c in dates:
            df[c] = pd.to_datetime(pd.Series([_ts(r[c]) for r in rows], dtype="datetime64[ns]"))
        elif rows and isinstance(next((r[c] for r in rows if r[c] is not None), None), str):
            df[c] = pd.Series([r[c] for r in rows], dtype=object)
        elif not rows:
            df[c] = pd.Series([], dtype="datetime64[ns]" if c in dates else object)
    return df


def write_sample(data_dir: Path, years: Iterable[int] = YEARS, *, scale: int = 1,
                 seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the messy workbooks ``data_dir/raw/<year>/*.xlsx``; returns the paths written."""
    from helpers.sample_writer import write_year

    out: list[Path] = []
    for y in years:
        tables, projects, monthly = _build(y, scale, seed)
        out.extend(write_year(Path(data_dir), y, tables, projects, monthly, seed=seed))
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Write the synthetic sample ledgers.")
    ap.add_argument("data_dir", nargs="?", default="data")
    ap.add_argument("--years", nargs="*", type=int, default=list(YEARS))
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    a = ap.parse_args(argv)
    for p in write_sample(Path(a.data_dir), a.years, scale=a.scale, seed=a.seed):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

