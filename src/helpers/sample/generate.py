"""Deterministic synthetic ledgers for 九江市 (2020–2023).

Two layers:

* :func:`build_sample_tables` — the *truth*: the clean tables a perfect cleaner
  must output for one year (amounts in 万元, dates as datetime64, canonical
  categories). The 2022 tables reproduce every figure of
  ``data/published/jiujiang.yaml`` exactly, 2021 the implied ones, and January–June of
  2023 (and 2022) every figure of ``data/published/jiujiang_2023h1.yaml``: the ``h1`` entries of
  :data:`PLANS` pin the trips, leads, 20亿+ signings and starts of the first half and the monthly
  split of the 省外 and 境外 funds.
* :func:`write_sample` — the same tables written as messy real-world workbooks
  (``data/raw/<year>/*.xlsx``), byte-deterministically (see
  :mod:`helpers.sample.writer`).

The project population is built constructively (:mod:`helpers.sample.build`):
first the groups of projects pinned by a published figure (named projects,
“50·20” applications, campaign reserves, event signings, the funded and newly
recognized 市外 groups of :data:`PLANS`), each to its exact size; then filler
projects whose attributes keep them outside every pinned set, so no published
count moves; then amounts and attributes fitted (:mod:`helpers.sample.fit`) so
every published sum is hit to the 万元. Trips, leads and the other tables come
from :mod:`helpers.sample.tables`. Every part draws from its own seeded
``random.Random`` in a fixed order, so the output never changes.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.errors import UsageError
from helpers.paths import write_atomic
from helpers.sample import vocab
from helpers.sample.build import _build_projects
from helpers.sample.tables import _chain_map, _leads, _monthly_funds, _province_peers, _targets, _trips
from helpers.sample.util import (
    FUNDED_GROUPS,
    OUTSIDE_PROVINCE_NEW_100M_UNFUNDED,
    REST_OF_PROVINCE_NEW_100M_UNFUNDED,
)
from helpers.sample.writer import messy_amount, messy_date, whole_year_only_projects, write_year

__all__ = ["DEFAULT_SEED", "YEARS", "build_sample_tables", "write_sample", "write_sample_files", "messy_amount", "messy_date"]

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
# Per-year targets, amounts in 万元. The six 市外 funding groups (see helpers.sample.util) split
# the published sets: `*_funded_new_100m` are both funded this year (2000万+) and newly recognized
# with 总投资 ≥ 1亿, `*_funded_only` are funded but not new 1亿+, `*_new_100m_unfunded` are new 1亿+
# without funds; `outside_province_funded_new_100m` counts those started this year and earlier apart.
# `outside_province_new_100m_emerging`: how many new 1亿+ 省外 projects are in emerging industries.
# `new_started_*`: projects recognized and started in the year, 30亿+ (tier_30) and 10–20亿 (large);
# for 本市/境外 also the count of all such 1亿+ projects.
# `big_signings` (years without the 2022 campaign): 20亿+ signings of the year besides the “50·20”
# applications, by tier. `h1`: figures of January–June pinned by a published half-year report
# (data/published/jiujiang_2023h1.yaml): trips and leads by the end of June, the 省外 2000万+
# projects started by then with funds in January–June (count, 万元), 实际利用外资 in 亿美元, and the
# 20亿+ projects started / signed in January–June by tier (100, 50, 20).
PLANS: dict[int, dict] = {
    2020: dict(
        rest_of_province_funded_new_100m=dict(count=26, funds=8_400_000),
        rest_of_province_funded_only=dict(count=9, funds=2_000_000),
        rest_of_province_new_100m_unfunded=150,
        outside_province_funded_new_100m=dict(started_in_year=90, started_earlier=38, funds=9_200_000),
        outside_province_funded_only=dict(count=320, funds=1_750_000),
        outside_province_new_100m_unfunded=55,
        outside_province_new_100m_emerging=88,
        new_started_outside_province=dict(tier_30=1, large=7),
        new_started_local_foreign=dict(count=70, tier_30=1, large=5),
        fifty_twenty=dict(count=20, total=4_900_000, tiers=(0, 2, 18), flagged=13, digital=7),
        trips=dict(team=0, city_principal=70, city_units=38, county_principal=150),
        leads=None,
        led_present=60,
    ),
    2021: dict(
        rest_of_province_funded_new_100m=dict(count=28, funds=9_600_000),
        rest_of_province_funded_only=dict(count=10, funds=2_300_000),
        rest_of_province_new_100m_unfunded=165,
        outside_province_funded_new_100m=dict(started_in_year=100, started_earlier=40, funds=10_500_000),
        outside_province_funded_only=dict(count=330, funds=1_882_500),
        outside_province_new_100m_unfunded=60,
        outside_province_new_100m_emerging=100,
        new_started_outside_province=dict(tier_30=1, large=8),
        new_started_local_foreign=dict(count=74, tier_30=1, large=6),
        fifty_twenty=dict(count=25, total=6_390_000, tiers=(0, 3, 22), flagged=16, digital=10),
        trips=dict(team=0, city_principal=80, city_units=40, county_principal=187),
        leads=None,
        led_present=63,
    ),
    2022: dict(
        rest_of_province_funded_new_100m=dict(count=30, funds=10_854_200),
        rest_of_province_funded_only=dict(count=10, funds=2_515_600),
        rest_of_province_new_100m_unfunded=172,
        outside_province_funded_new_100m=dict(started_in_year=111, started_earlier=39, funds=11_460_300),
        outside_province_funded_only=dict(count=338, funds=2_068_800),
        outside_province_new_100m_unfunded=61,
        outside_province_new_100m_emerging=112,
        new_started_outside_province=dict(tier_30=2, large=9),
        new_started_local_foreign=dict(count=72, tier_30=1, large=6),
        fifty_twenty=dict(count=33, total=9_867_000, tiers=(2, 4, 27), flagged=23, digital=17),
        trips=dict(team=202, city_principal=96, city_units=44, county_principal=251),
        leads=dict(count=411, planned_big=97, signed=73, signed_big=15, signed_amount=9_261_000),
        led_present=65,
        h1=dict(trips=dict(county_principal=115)),  # 2023's half-year report: 207 = 115 × (1 + 80 %)
    ),
    2023: dict(
        rest_of_province_funded_new_100m=dict(count=32, funds=11_500_000),
        rest_of_province_funded_only=dict(count=11, funds=2_700_000),
        rest_of_province_new_100m_unfunded=180,
        outside_province_funded_new_100m=dict(started_in_year=115, started_earlier=42, funds=12_600_000),
        outside_province_funded_only=dict(count=350, funds=2_300_000),
        outside_province_new_100m_unfunded=63,
        outside_province_new_100m_emerging=121,
        new_started_outside_province=dict(tier_30=2, large=9),
        new_started_local_foreign=dict(count=80, tier_30=1, large=7),
        fifty_twenty=dict(count=36, total=11_200_000, tiers=(2, 5, 29), flagged=25, digital=18),
        trips=dict(team=240, city_principal=105, city_units=46, county_principal=380),
        leads=dict(count=700, planned_big=104, signed=80, signed_big=17, signed_amount=10_120_000),
        led_present=66,
        big_signings=dict(tier_100=3, tier_50=6, tier_20=35),
        h1=dict(
            trips=dict(team=137, county_principal=207),
            leads=dict(count=389, signed=29, signed_big=2, signed_amount=1_313_000),
            outside_province_started=dict(count=184, funds=8_176_100),
            foreign_funds_usd=1.42,
            fifty_twenty_started=(0, 1, 12),
            big_starts_second_half=4,
            fifty_twenty_signed=(4, 3, 15),
        ),
    ),
}


def _year_plan(year: int, scale: int) -> dict:
    """The plan of ``year`` (later years reuse 2023's), with counts and sums multiplied by ``scale``."""
    base = PLANS.get(year, PLANS[2023])
    plan: dict[str, Any] = {key: (dict(value) if isinstance(value, dict) else value) for key, value in base.items()}
    if scale > 1:
        for group in FUNDED_GROUPS:
            plan[group] = {key: value * scale for key, value in plan[group].items()}
        for key in (REST_OF_PROVINCE_NEW_100M_UNFUNDED, OUTSIDE_PROVINCE_NEW_100M_UNFUNDED,
                    "outside_province_new_100m_emerging"):
            plan[key] *= scale
        plan["new_started_local_foreign"]["count"] *= scale  # the 30亿+ and 10–20亿 ones are not scaled
        plan["trips"] = {key: value * scale for key, value in plan["trips"].items()}
        plan["trips"]["city_units"] = min(plan["trips"]["city_units"], len(vocab.CITY_DEPARTMENTS))
        if plan["leads"]:
            plan["leads"] = {key: value * scale for key, value in plan["leads"].items()}
    plan.setdefault("big_signings", dict(tier_100=1, tier_50=6, tier_20=35))
    plan.setdefault("h1", {})
    if scale > 1:  # the half-year figures are pinned at scale 1 only
        plan["h1"] = {}
    plan["scale"] = scale
    return plan


# ---------------------------------------------------------------------------- API

def _timestamp(value) -> pd.Timestamp:
    """A date as a Timestamp (NaT for missing)."""
    return pd.NaT if value is None or value is pd.NaT else pd.Timestamp(value)


def build_sample_tables(year: int, *, scale: int = 1, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The clean tables of one year (the truth a perfect cleaner must output); ~0.1 s to build."""
    return _build_year(year, scale, seed)[0]


def _build_year(year: int, scale: int, seed: int):
    """Build one year: returns ``(tables, projects, monthly funds)``; every table has its own seeded RNG."""
    plan = _year_plan(year, scale)
    rng = random.Random(seed * 10_007 + year * 31 + scale)
    projects = _build_projects(year, plan, rng)
    projects.sort(key=lambda p: p["project_id"])
    for project in projects:
        project["whole_year_only"] = False
    for project in whole_year_only_projects(projects):
        project["whole_year_only"] = True  # funds for the whole year only: its monthly cells stay blank
    monthly = _monthly_funds(projects, year, random.Random(seed + year), plan["h1"])
    for project in projects:
        if project["whole_year_only"]:
            monthly[project["project_id"]] = [0] * 12
    trips = _trips(year, plan, random.Random(seed + 2 * year))
    leads = _leads(year, plan, projects, random.Random(seed + 3 * year))
    chain_map = _chain_map(year, plan)
    peers = _province_peers(projects, year, random.Random(seed + 5 * year), monthly, plan["h1"])
    targets = _targets(projects, year, random.Random(seed + 6 * year))
    rows = []
    for project in projects:
        row = {column: project.get(column) for column in PROJECT_COLUMNS}
        row["total_investment"] = float(project["total_investment"])
        row["funds_year"] = float(project["funds_year"])
        row["investor_flags"] = "、".join(project["flags"]) if project["flags"] else None
        row["is_digital"] = bool(project["digital"])
        rows.append(row)
    project_table = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    for column in DATE_FIELDS:
        project_table[column] = pd.to_datetime(pd.Series([_timestamp(p[column]) for p in projects],
                                                         dtype="datetime64[ns]"))
    for column in TEXT_FIELDS:
        project_table[column] = pd.Series([row[column] for row in rows], dtype=object)
    project_table["is_digital"] = project_table["is_digital"].astype(bool)
    tables = {
        "projects": project_table,
        "monthly_funds": _monthly_frame(projects, monthly),
        "trips": _frame(trips, ["departed_on", "unit", "unit_kind", "leader", "is_principal", "destination",
                                "companies_met"], dates=["departed_on"]),
        "leads": _frame(leads, ["lead_id", "team", "name", "planned_investment", "found_on", "progress", "signed_on",
                                "signed_amount", "project_id"], dates=["found_on", "signed_on"]),
        "chain_map": _frame(chain_map, ["county", "chain", "link", "item", "present"]),
        "province_peers": _frame(peers, ["city", "indicator", "value", "through_month"]),
        "targets": _frame(targets, ["county", "indicator", "target"]),
    }
    tables["province_peers"]["through_month"] = tables["province_peers"]["through_month"].astype("Int64")
    tables["trips"]["is_principal"] = tables["trips"]["is_principal"].astype(bool)
    tables["trips"]["companies_met"] = tables["trips"]["companies_met"].astype("int64")
    tables["chain_map"]["present"] = tables["chain_map"]["present"].astype(bool)
    for column in ("planned_investment", "signed_amount"):
        tables["leads"][column] = tables["leads"][column].astype(float)
    return tables, projects, monthly


def _monthly_frame(projects, monthly) -> pd.DataFrame:
    """Monthly funds: one row per non-blank month (months without funds are left blank in the
    workbooks; a whole-year-only project has none)."""
    ids = [p["project_id"] for p in projects]
    rows = [dict(project_id=project_id, month=month + 1, funds=float(monthly[project_id][month]))
            for project_id in sorted(ids) for month in range(12) if monthly[project_id][month] != 0]
    frame = pd.DataFrame(rows, columns=["project_id", "month", "funds"])
    frame["project_id"] = frame["project_id"].astype(object)
    frame["month"] = frame["month"].astype("int64")
    return frame


def _frame(rows: list[dict], columns: list[str], dates: Iterable[str] = ()) -> pd.DataFrame:
    """A table of ``rows``: ``dates`` columns as datetime64, text columns as object."""
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column in dates:
            frame[column] = pd.to_datetime(pd.Series([_timestamp(row[column]) for row in rows], dtype="datetime64[ns]"))
        elif rows and isinstance(next((row[column] for row in rows if row[column] is not None), None), str):
            frame[column] = pd.Series([row[column] for row in rows], dtype=object)
        elif not rows:
            frame[column] = pd.Series([], dtype=object)
    return frame


def write_sample(data_dir: Path, years: Iterable[int] = YEARS, *, scale: int = 1,
                 seed: int = DEFAULT_SEED, force: bool = False) -> list[Path]:
    """Write the messy workbooks ``data_dir/raw/<year>/*.xlsx``; returns their paths (see
    :func:`write_sample_files`: a different file already there is refused unless ``force``)."""
    return list(write_sample_files(data_dir, years, scale=scale, seed=seed, force=force))


def write_sample_files(data_dir: Path, years: Iterable[int] = YEARS, *, scale: int = 1,
                       seed: int = DEFAULT_SEED, force: bool = False) -> dict[Path, str]:
    """Write the sample workbooks without destroying anything the generator did not write.

    The workbooks are built in a temporary folder first. A target that exists with other
    content (a real ledger, an edited sample) stops the whole write with a :class:`UsageError`
    naming it, before any file is written, unless ``force``; a target with the same bytes is left
    as it is; no other file is touched. Returns each target with ``new``, ``replaced`` or
    ``unchanged``.
    """
    data_dir = Path(data_dir)
    with tempfile.TemporaryDirectory(prefix="zhaoshang-sample-") as folder:
        staging = Path(folder)
        staged: list[Path] = []
        for year in years:
            tables, projects, monthly = _build_year(year, scale, seed)
            staged.extend(write_year(staging, year, tables, projects, monthly, seed=seed))
        plan: dict[Path, tuple[Path, str]] = {}
        for path in staged:
            target = data_dir / path.relative_to(staging)
            if target.is_dir() or (target.exists() and not target.is_file()):
                raise UsageError(f"样例工作簿的位置已有同名的文件夹：{target}；请移走它或指定其他 --data-dir")
            if not target.exists():
                plan[target] = (path, "new")
            elif target.read_bytes() == path.read_bytes():
                plan[target] = (path, "unchanged")
            else:
                plan[target] = (path, "replaced")
        different = [target for target, (_, state) in plan.items() if state == "replaced"]
        if different and not force:
            more = f"等 {len(different)} 个文件" if len(different) > 1 else ""
            raise UsageError(
                f"已有内容不同的文件，为免覆盖拒绝写入：{different[0]}{more}；"
                "确认要用样例替换时加 --force，或指定其他 --data-dir"
            )
        for target, (path, state) in plan.items():
            if state != "unchanged":
                write_atomic(target, path.read_bytes())
        return {target: state for target, (_, state) in plan.items()}


def main(argv: list[str] | None = None) -> int:
    """Command line: write the sample ledgers and print the paths."""
    import argparse

    parser = argparse.ArgumentParser(description="Write the synthetic sample ledgers.")
    parser.add_argument("data_dir", nargs="?", default="data")
    parser.add_argument("--years", nargs="*", type=int, default=list(YEARS))
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in write_sample(Path(args.data_dir), args.years, scale=args.scale, seed=args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
