"""The county profile (县（市、区）招商引资分析报告): one reporting unit's year, from one call.

``build_profile`` resolves the unit (any name or alias the reference knows), loads the year and
the year before and computes every unit's breakdown and assessment, so that the unit's figures,
ranks and scores are exactly those of the annual review's county table and assessment. The
semantic builders below return English keys with amounts in 万元; the ``*_table`` functions
present them (Chinese headers, 亿元) through :func:`helpers.products.labels.present`;
``*_chart`` draw them. :func:`county_feedback` selects the unit's quarantined and warned rows,
written as ``反馈_<county>.xlsx`` for the city to send back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from helpers.indicators import definitions as ind
from helpers.indicators.assessment import county_assessment
from helpers.indicators.metrics import county_breakdown
from helpers.indicators.trends import county_ranks, indicator_trend, unit_name
from helpers.ingest.cache import load_year, load_year_if_available
from helpers.ingest.clean import CleanYear
from helpers.normalize import match_name, name_key
from helpers.paths import available_years, reference_dir_for, resolve
from helpers.products import tables
from helpers.products.annual_review import tier_labels
from helpers.products.labels import present, present_indicator_rows
from helpers.reference import Reference, load_reference
from helpers.viz import charts

__all__ = [
    "CountyProfile",
    "assessment_rows",
    "build_profile",
    "county_feedback",
    "county_runs",
    "feedback_file_name",
    "headline_figures",
    "prepare_parameters",
    "project_list",
    "projects_by_stage",
    "projects_by_tier",
    "report_tables",
    "row_counties",
    "workbook_units",
    "write_extra_files",
]


@dataclass
class CountyProfile:
    """All figures and tables of one unit's profile of ``year``."""

    year: int
    county: str  # the canonical name of the reporting unit
    reference: Reference
    data_dir: Path
    current: CleanYear
    previous: CleanYear | None  # the year before, when it has ledgers
    breakdown: pd.DataFrame  # every unit, this year (万元)
    previous_breakdown: pd.DataFrame | None
    assessment: pd.DataFrame  # county_assessment of every unit

    @cached_property
    def trend(self) -> pd.DataFrame:
        """The unit's breakdown figures in every year with ledgers (万元), oldest first."""
        keys = [spec.key for spec in self.reference.breakdown_indicators()]
        return indicator_trend(keys, self.data_dir, self.reference, county=self.county)

    @cached_property
    def ranks(self) -> dict[str, pd.DataFrame]:
        """Every unit's rank in every year with ledgers, per breakdown indicator (``county_ranks``)."""
        return {spec.key: county_ranks(spec.key, self.data_dir, self.reference) for spec in self.reference.breakdown_indicators()}

    @property
    def compare_year(self) -> int:
        return self.year - 1

    @property
    def projects(self) -> pd.DataFrame:
        """The unit's projects of the year's ledgers."""
        projects = self.current.tables["projects"]
        return projects[projects["county"] == self.county]


def build_profile(
    year: int, county: str, data_dir: str | Path = "data", reference_dir: str | Path = "data/reference"
) -> CountyProfile:
    """Load ``year`` (and the year before) and compute everything ``county``'s profile shows.

    ``county`` is any name or alias of a reporting unit (``修水`` → ``修水县``); an unknown one is
    a UsageError naming the closest units. Relative folders are taken from the project folder.
    """
    data_dir = resolve(data_dir)
    reference = load_reference(resolve(reference_dir))
    unit = unit_name(county, reference)
    current = load_year(year, data_dir, reference)
    previous = load_year_if_available(year - 1, data_dir, reference)
    breakdown = county_breakdown(current.tables["projects"], reference, year)
    return CountyProfile(
        year=year,
        county=unit,
        reference=reference,
        data_dir=data_dir,
        current=current,
        previous=previous,
        breakdown=breakdown,
        previous_breakdown=county_breakdown(previous.tables["projects"], reference, year - 1) if previous is not None else None,
        assessment=county_assessment(breakdown, current.tables["targets"], reference),
    )


# ------------------------------------------------------------------------------------ runs


def prepare_parameters(parameters: dict[str, Any], data_dir: Path, reference_dir: Path) -> dict[str, Any]:
    """The county parameter as the unit's canonical name, before a kernel starts (so that the
    folder is ``…/county_profile/修水县/`` also for ``-p county=修水``); unknown → UsageError."""
    reference = load_reference(reference_dir_for(Path(data_dir), reference_dir))
    county = parameters.get("county")
    if county is None:
        county = str(reference.units["name"].iloc[0])
    return {**parameters, "county": unit_name(str(county), reference)}


def county_runs(data_dir: Path, reference_dir: Path | None = None) -> list[dict[str, Any]]:
    """The runs of ``--all``: every reporting unit (reference order) of every year with ledgers."""
    reference = load_reference(reference_dir_for(Path(data_dir), reference_dir))
    return [{"year": year, "county": str(name)} for year in available_years(Path(data_dir)) for name in reference.units["name"]]


# ------------------------------------------------------------------------------------ semantic tables


def _unit_row(breakdown: pd.DataFrame, county: str) -> pd.Series:
    return breakdown.set_index("county").loc[county]


def headline_figures(
    breakdown: pd.DataFrame, previous_breakdown: pd.DataFrame | None, county: str, reference: Reference
) -> pd.DataFrame:
    """Every breakdown indicator of ``county``: value, previous year's value, YoY (%) and its rank
    among the reporting units (1 = largest, ties share the better rank), amounts in 万元.

    >>> from helpers.reference import load_reference
    >>> reference = load_reference()
    >>> keys = [spec.key for spec in reference.breakdown_indicators()]
    >>> now = pd.DataFrame({"county": ["甲", "乙", "丙"], **{k: [5, 8, 5] for k in keys}})
    >>> before = pd.DataFrame({"county": ["甲", "乙", "丙"], **{k: [4, 0, 5] for k in keys}})
    >>> headline_figures(now, before, "甲", reference).iloc[0].to_dict()
    {'indicator': 'outside_city_projects.count', 'value': 5, 'previous_value': 4, 'yoy_pct': 25.0, 'unit_rank': 2, 'units': 3}
    """
    rows = []
    for spec in reference.breakdown_indicators():
        values = breakdown[spec.key]
        ranks = values.rank(method="min", ascending=False).astype(int)
        mine = breakdown.index[breakdown["county"] == county][0]
        value = values[mine]
        before = None if previous_breakdown is None else _unit_row(previous_breakdown, county)[spec.key]
        rows.append(
            {
                "indicator": spec.key,
                "value": value.item() if hasattr(value, "item") else value,
                "previous_value": before.item() if before is not None and hasattr(before, "item") else before,
                "yoy_pct": ind.growth_pct(value, before),
                "unit_rank": int(ranks[mine]),
                "units": int(values.notna().sum()),
            }
        )
    return pd.DataFrame(rows, dtype=object).astype({"unit_rank": "int64", "units": "int64"})


def _weights(reference: Reference) -> list[tuple[str, str, int | float]]:
    """(name in the assessment, indicator key, weight) of every weighted indicator."""
    keys = dict(zip(reference.indicators["name"], reference.indicators["key"], strict=True))
    pairs = zip(reference.weights["indicator"], reference.weights["weight"], strict=True)
    return [(name, keys[name], int(w) if float(w).is_integer() else float(w)) for name, w in pairs]


def assessment_rows(assessment: pd.DataFrame, county: str, reference: Reference) -> pd.DataFrame:
    """``county``'s row of the assessment, one weighted indicator per row: weight, actual, target
    (万元 for amounts), completion (%), score (60–100) and the points of the total it lost
    (weight × (100 − score) ÷ Σ weights of the scored indicators, so the lost points add up to
    100 − total score); most points lost first, an indicator without a target (no score) last."""
    row = assessment.set_index("county").loc[county]
    weights = _weights(reference)
    scored_weight = sum(w for name, _, w in weights if pd.notna(row[f"{name}|score"]))
    rows = []
    for name, key, weight in weights:
        score = row[f"{name}|score"]
        lost = None if pd.isna(score) or not scored_weight else ind.round_half_up(weight * (100.0 - score) / scored_weight, 2)
        rows.append(
            {
                "indicator": key,
                "weight": weight,
                "actual": row[f"{name}|actual"],
                "target": None if pd.isna(row[f"{name}|target"]) else row[f"{name}|target"],
                "completion_pct": None if pd.isna(row[f"{name}|completion_pct"]) else row[f"{name}|completion_pct"],
                "score": None if pd.isna(score) else float(score),
                "lost_points": lost,
            }
        )
    table = pd.DataFrame(rows, dtype=object)
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["lost_points"] is None, -(rows[i]["lost_points"] or 0.0), i))
    return table.iloc[order].reset_index(drop=True)


def assessment_summary(assessment: pd.DataFrame, county: str) -> dict[str, Any]:
    """``county``'s total score and rank, and how many units were scored."""
    row = assessment.set_index("county").loc[county]
    total = row["total_score"]
    return {
        "total_score": None if pd.isna(total) else float(total),
        "rank": int(row["rank"]) if pd.notna(total) else None,
        "units": int(assessment["total_score"].notna().sum()),
    }


def _tier_names(reference: Reference) -> dict[str | None, str]:
    names: dict[str | None, str] = {tier: label for tier, label in tier_labels(reference).items()}
    low = f"{float(reference.thresholds['fifty_twenty_min']):g}"
    names[None] = f"{reference.column_labels['tier_none'].label}（{low}亿元以下）"
    return names


def projects_by_tier(projects: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Projects by “50·20” size tier (total investment), then those below, then the total:
    count, total investment and funds of the year (万元)."""
    tiers = ind.size_tier(projects["total_investment"], reference)
    rows = []
    for tier, label in _tier_names(reference).items():
        here = projects[tiers.isna()] if tier is None else projects[tiers == tier]
        rows.append(_sums(label, here))
    rows.append(_sums(reference.column_labels["total"].label, projects))
    return pd.DataFrame(rows).rename(columns={"label": "tier"})


def _sums(label: str, projects: pd.DataFrame) -> dict[str, Any]:
    return {
        "label": label,
        "count": int(len(projects)),
        "total_investment": float(projects["total_investment"].sum()),
        "funds": float(projects["funds_year"].sum()),
    }


def stage_reached(projects: pd.DataFrame, year: int) -> pd.Series:
    """Each project's furthest lifecycle stage (入库/签约/开工/投产) by the end of ``year`` (a later
    stage's date counts, as in the funnel); None for a project with no stage date by then.

    >>> frame = pd.DataFrame({"entered_on": pd.to_datetime(["2022-01-01", None, "2023-02-01"]),
    ...     "signed_on": pd.to_datetime([None, None, None]), "started_on": pd.to_datetime(["2022-05-01", None, None]),
    ...     "producing_on": pd.to_datetime([None, None, None])})
    >>> stage_reached(frame, 2022).tolist()
    ['开工', None, None]
    """
    end = pd.Timestamp(year, 12, 31)
    stage = pd.Series([None] * len(projects), index=projects.index, dtype=object)
    for field, label in ind.LIFECYCLE:
        stage[(projects[field] <= end).fillna(False).astype(bool)] = label
    return stage


def projects_by_stage(projects: pd.DataFrame, year: int, reference: Reference) -> pd.DataFrame:
    """Projects by their furthest stage at the end of ``year`` (each counted once), then those
    without a stage date and the total: count, total investment and funds of the year (万元)."""
    stages = stage_reached(projects, year)
    rows = [_sums(label, projects[stages == label]) for _, label in ind.LIFECYCLE]
    if stages.isna().any():
        rows.append(_sums(reference.column_labels["not_entered"].label, projects[stages.isna()]))
    rows.append(_sums(reference.column_labels["total"].label, projects))
    return pd.DataFrame(rows).rename(columns={"label": "stage"})


def project_list(projects: pd.DataFrame, year: int, reference: Reference) -> pd.DataFrame:
    """The unit's projects, largest total investment first: name, industry, source, total
    investment and funds of the year (万元), tier, furthest stage and its dates."""
    table = projects.sort_values(["total_investment", "project_id"], ascending=[False, True], kind="stable")
    short = {tier: label.split("（")[0] for tier, label in _tier_names(reference).items() if tier is not None}
    tiers = ind.size_tier(table["total_investment"], reference)

    def day(values: pd.Series) -> list[Any]:
        return [None if pd.isna(d) else d.date() for d in values]

    return pd.DataFrame(
        {
            "project_id": table["project_id"].astype(object),
            "name": table["name"].astype(object),
            "industry": table["industry"].astype(object),
            "source": table["source"].astype(object),
            "total_investment": table["total_investment"].astype(float),
            "funds_year": table["funds_year"].astype(float),
            "tier": [short.get(t, "") if isinstance(t, str) else "" for t in tiers],
            "stage": stage_reached(table, year).tolist(),
            "signed_on": day(table["signed_on"]),
            "started_on": day(table["started_on"]),
        }
    ).reset_index(drop=True)


# ------------------------------------------------------------------------------------ data-quality feedback


def _header_fields(reference: Reference, table: str) -> dict[str, str]:
    """name_key of every header, alias and field name of ``table``'s sheet → the field."""
    spec = reference.ledger_format.get(table) or {}
    fields: dict[str, str] = {}
    for column in spec.get("columns", []):
        for name in (column["field"], column["header"], *column.get("aliases", [])):
            fields.setdefault(name_key(name), column["field"])
    return fields


def _county_of(table: str, values: Mapping[str, Any], reference: Reference) -> str | None:
    """The reporting unit a row belongs to: its county-typed field, or a trip's unit when it is
    a unit; None when it has none or names no known unit."""
    spec = reference.ledger_format.get(table) or {}
    fields = [c["field"] for c in spec.get("columns", []) if c["type"] == "county"]
    if table == "trips":
        fields = ["unit"]
    for field in fields:
        value = values.get(field)
        if value is not None and not (not isinstance(value, str) and pd.isna(value)):
            found = match_name(value, reference.lookups["county"])
            if found is not None:
                return found
    return None


def _raw_fields(raw: str, table: str, reference: Reference) -> dict[str, Any]:
    """A quarantined row's raw values (keyed by the headers as found, or by field) → by field."""
    try:
        record = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        return {}
    headers = _header_fields(reference, table)
    return {headers[name_key(k)]: v for k, v in record.items() if name_key(k) in headers}


def row_counties(clean: CleanYear, reference: Reference) -> pd.DataFrame:
    """The unit of every clean and quarantined row whose unit is known: file, sheet, row, county."""
    rows: list[dict[str, Any]] = []
    for table, frame in clean.tables.items():
        if not {"source_file", "source_sheet", "source_row"} <= set(frame.columns):
            continue
        for record in frame.to_dict("records"):
            county = _county_of(table, record, reference)
            if county is not None:
                where = {"file": record["source_file"], "sheet": record["source_sheet"], "row": int(record["source_row"])}
                rows.append({**where, "county": county})
    for record in clean.quarantine.to_dict("records"):
        county = _county_of(record["table"], _raw_fields(record["raw"], record["table"], reference), reference)
        if county is not None:
            rows.append({"file": record["file"], "sheet": record["sheet"], "row": int(record["row"]), "county": county})
    return pd.DataFrame(rows, columns=["file", "sheet", "row", "county"]).drop_duplicates(["file", "sheet", "row"], ignore_index=True)


def workbook_units(files: list[str], counties: pd.DataFrame, reference: Reference) -> dict[str, str]:
    """The unit that reported each workbook: the unit its file name names (the longest name or
    alias found, if only one unit has it), else the unit of all its rows with a known unit;
    a workbook of several units (the city's) has none.

    >>> from helpers.reference import load_reference
    >>> rows = pd.DataFrame({"file": ["a.xlsx", "a.xlsx", "b.xlsx"], "sheet": "s", "row": [1, 2, 1],
    ...                      "county": ["修水县", "修水县", "永修县"]})
    >>> workbook_units(["瑞昌市2022年项目库.xlsx", "a.xlsx", "b.xlsx", "2022年九江市台账.xlsx"], rows, load_reference())
    {'瑞昌市2022年项目库.xlsx': '瑞昌市', 'a.xlsx': '修水县', 'b.xlsx': '永修县'}
    """
    names = sorted(reference.lookups["county"].items(), key=lambda item: (-len(item[0]), item[0]))
    owners: dict[str, str] = {}
    for file in files:
        stem = name_key(Path(file).name)
        longest = max((len(name_key(alias)) for alias, _ in names if name_key(alias) and name_key(alias) in stem), default=0)
        found = {unit for alias, unit in names if name_key(alias) and name_key(alias) in stem and len(name_key(alias)) == longest}
        if len(found) == 1:
            owners[file] = found.pop()
            continue
        units = set(counties.loc[counties["file"] == file, "county"])
        if len(units) == 1:
            owners[file] = units.pop()
    return owners


def _split_reason(reason: str, raw_fields: Mapping[str, Any], headers: Mapping[str, str]) -> tuple[str, str, str]:
    """``县市区：未知的所属地区「九江新区」`` → (column, raw value, reason); a reason that names no column
    (a conflicting duplicate) → ("", "", reason)."""
    head, separator, rest = reason.partition("：")
    if separator and name_key(head) in headers:
        value = raw_fields.get(headers[name_key(head)])
        return head, "" if value is None else str(value), rest
    return "", "", reason


def county_feedback(clean: CleanYear, county: str, reference: Reference) -> pd.DataFrame:
    """The unit's quarantined and warned rows, one reason per row, by file, sheet and row: what
    the city sends back to the unit to correct.

    A row is the unit's when its own county value (a trip: its unit) names the unit; a row whose
    unit is not known (an unknown name, a subtotal row, a whole workbook) is the unit's when it is
    in a workbook the unit reported (:func:`workbook_units`). ``outcome`` says what the kit did:
    quarantined (not counted) or warned (the value left empty, the row counted).
    """
    counties = row_counties(clean, reference)
    by_row = {(f, s, int(r)): c for f, s, r, c in counties.itertuples(index=False)}
    files = sorted({*clean.inputs.get("file", pd.Series(dtype=object)), *clean.quarantine["file"], *clean.warnings["file"]})
    owners = workbook_units(files, counties, reference)

    def mine(file: str, sheet: str, row: int) -> bool:
        known = by_row.get((file, sheet, int(row)))
        return known == county if known is not None else owners.get(file) == county

    quarantined, warned = reference.column_labels["quarantined"].label, reference.column_labels["warnings"].label
    rows: list[dict[str, Any]] = []
    for record in clean.quarantine.to_dict("records"):
        if not mine(record["file"], record["sheet"], record["row"]):
            continue
        fields = _raw_fields(record["raw"], record["table"], reference)
        headers = _header_fields(reference, record["table"])
        for reason in str(record["reasons"]).split("；"):
            column, raw, why = _split_reason(reason, fields, headers)
            rows.append({"file": record["file"], "sheet": record["sheet"], "row": int(record["row"]), "column": column,
                         "raw": raw, "reason": why, "outcome": quarantined})
    for record in clean.warnings.to_dict("records"):
        if mine(record["file"], record["sheet"], record["row"]):
            rows.append({"file": record["file"], "sheet": record["sheet"], "row": int(record["row"]), "column": record["column"],
                         "raw": "" if record["raw"] is None else str(record["raw"]), "reason": record["reason"], "outcome": warned})
    table = pd.DataFrame(rows, columns=["file", "sheet", "row", "column", "raw", "reason", "outcome"])
    return table.sort_values(["file", "sheet", "row", "outcome", "column", "reason"], kind="stable", ignore_index=True)


def feedback_file_name(county: str) -> str:
    """``反馈_修水县.xlsx``."""
    return f"反馈_{county}.xlsx"


# ------------------------------------------------------------------------------------ presented tables


def title_kind(profile: CountyProfile) -> str:
    """The kind of report in the title: ``修水县招商引资分析报告``."""
    return f"{profile.county}招商引资分析报告"


def header_line(profile: CountyProfile) -> str:
    """The line under the title: unit, year and comparison year."""
    compared = f"{profile.compare_year}年" if profile.previous is not None else "无（上一年没有台账）"
    return f"**{profile.reference.city}　{profile.county}　分析年度：{profile.year}年　对比年度：{compared}**"


def headline_table(profile: CountyProfile) -> pd.DataFrame:
    """The unit's figures with last year's, YoY and its rank among the units."""
    figures = headline_figures(profile.breakdown, profile.previous_breakdown, profile.county, profile.reference)
    years = {"value": f"{profile.year}年", "previous_value": f"{profile.compare_year}年"}
    return present_indicator_rows(figures, profile.reference, ("value", "previous_value"), years)


def assessment_table(profile: CountyProfile) -> pd.DataFrame:
    """Completion, score and points lost per weighted indicator, most points lost first."""
    rows = assessment_rows(profile.assessment, profile.county, profile.reference)
    return present_indicator_rows(rows, profile.reference, ("actual", "target"))


def assessment_words(profile: CountyProfile) -> str:
    """One sentence: total score, rank among the scored units, and where it lost most points."""
    summary = assessment_summary(profile.assessment, profile.county)
    if summary["total_score"] is None:
        return f"{profile.county}{profile.year}年没有可计算的考核得分（目标任务表中没有该单位的目标）。"
    rows = assessment_rows(profile.assessment, profile.county, profile.reference)
    worst = [(k, p) for k, p in zip(rows["indicator"], rows["lost_points"], strict=True) if p is not None and p > 0][:2]
    lost = "、".join(f"{profile.reference.indicator(k).label}（失{p:.2f}分）" for k, p in worst)
    sentence = (f"{profile.county}{profile.year}年考核综合得分{summary['total_score']:.2f}分，"
                f"在{summary['units']}个县（市、区）中排第{summary['rank']}位")
    return sentence + (f"；失分最多的是{lost}。" if lost else "。")


def chain_rows(profile: CountyProfile) -> pd.DataFrame:
    """The unit's industry chains, most complete first (semantic: links, items, present, %)."""
    ranked = tables.chain_completeness_ranked(profile.current.tables["chain_map"])
    return ranked[ranked["county"] == profile.county].drop(columns="county").reset_index(drop=True)


def chain_table(profile: CountyProfile) -> pd.DataFrame:
    return present(chain_rows(profile), profile.reference)


def chain_words(profile: CountyProfile) -> str:
    """How many chains the unit maps and the most complete one, or that it maps none."""
    rows = chain_rows(profile)
    if rows.empty:
        return f"{profile.year}年产业链图谱（四图五清单）中没有{profile.county}的产业链。"
    best = rows.iloc[0]
    shown = "—" if best["pct"] is None or pd.isna(best["pct"]) else f"{best['pct']:.2f}%"
    return f"{profile.county}{profile.year}年在产业链图谱中填报产业链{len(rows)}条，完整度最高的是{best['chain']}（{shown}）。"


def tier_table(profile: CountyProfile) -> pd.DataFrame:
    return present(projects_by_tier(profile.projects, profile.reference), profile.reference)


def stage_table(profile: CountyProfile) -> pd.DataFrame:
    return present(projects_by_stage(profile.projects, profile.year, profile.reference), profile.reference)


def projects_table(profile: CountyProfile) -> pd.DataFrame:
    return present(project_list(profile.projects, profile.year, profile.reference), profile.reference)


def trend_table(profile: CountyProfile) -> pd.DataFrame:
    """One row per indicator, one column per year with ledgers (each in the indicator's unit)."""
    trend = profile.trend
    long = trend.set_index("year").T
    years = [int(y) for y in long.columns]
    long.columns = [str(y) for y in years]
    rows = long.reset_index().rename(columns={"index": "indicator"})
    return present_indicator_rows(rows, profile.reference, tuple(str(y) for y in years), {str(y): f"{y}年" for y in years})


def rank_table(profile: CountyProfile) -> pd.DataFrame:
    """The unit's rank among the units on every breakdown indicator in every year with ledgers."""
    rows = []
    for spec in profile.reference.breakdown_indicators():
        ranks = profile.ranks[spec.key]
        mine = ranks[ranks["county"] == profile.county].iloc[0]
        rows.append({"指标": spec.label, **{f"{y}年": mine[y] for y in ranks.columns if y != "county"}})
    table = pd.DataFrame(rows)
    return table.astype({c: "Int64" for c in table.columns if c != "指标"})


def feedback_table(profile: CountyProfile) -> pd.DataFrame:
    """The unit's quarantined and warned rows with Chinese headers."""
    return present(county_feedback(profile.current, profile.county, profile.reference), profile.reference)


def feedback_words(profile: CountyProfile) -> str:
    feedback = county_feedback(profile.current, profile.county, profile.reference)
    if feedback.empty:
        return f"{profile.year}年台账中没有需要{profile.county}核对的行。"
    quarantined = profile.reference.column_labels["quarantined"].label
    rows = feedback.drop_duplicates(["file", "sheet", "row", "outcome"])
    count_q = int((rows["outcome"] == quarantined).sum())
    count_w = int((rows["outcome"] != quarantined).sum())
    return (f"{profile.county}{profile.year}年台账中有{count_q}行被隔离（未计入统计）、{count_w}行有警告（该值留空，其余照常计入），"
            f"明细见下表及报告目录中的 {feedback_file_name(profile.county)}，可直接发回核对。")


def report_tables(profile: CountyProfile) -> dict[str, pd.DataFrame]:
    """Every table of the report, by sheet name (for tables.xlsx)."""
    return {
        "主要指标": headline_table(profile),
        "考核得分": assessment_table(profile),
        "产业链完整度": chain_table(profile),
        "项目档次": tier_table(profile),
        "项目阶段": stage_table(profile),
        "项目清单": projects_table(profile),
        "历年指标": trend_table(profile),
        "历年排名": rank_table(profile),
        "数据质量反馈": feedback_table(profile),
    }


def feedback_tables(profile: CountyProfile) -> dict[str, pd.DataFrame]:
    """The sheet of ``反馈_<county>.xlsx``; when there is nothing to correct, the sheet says so."""
    table = feedback_table(profile)
    if table.empty:
        table = pd.DataFrame({"说明": [feedback_words(profile)]})
    return {"数据质量反馈": table}


def profile_metrics(profile: CountyProfile) -> dict[str, Any]:
    """The unit's figures for metrics.json: each breakdown indicator (amounts in 亿元) with last
    year's value, YoY and rank; the assessment; the chains; the feedback counts."""
    figures = headline_figures(profile.breakdown, profile.previous_breakdown, profile.county, profile.reference)
    reference = profile.reference

    def shown(key: str, value: Any) -> Any:
        if value is None or pd.isna(value):
            return None
        return ind.to_yi(value) if reference.indicator(key).kind == "amount" else int(value)

    indicators = {
        row["indicator"]: {
            "unit": reference.indicator(row["indicator"]).unit,
            "value": shown(row["indicator"], row["value"]),
            "previous_value": shown(row["indicator"], row["previous_value"]),
            "yoy_pct": row["yoy_pct"],
            "unit_rank": int(row["unit_rank"]),
            "units": int(row["units"]),
        }
        for row in figures.to_dict("records")
    }
    rows = assessment_rows(profile.assessment, profile.county, reference)
    assessment = {
        **assessment_summary(profile.assessment, profile.county),
        "indicators": {
            row["indicator"]: {"completion_pct": row["completion_pct"], "score": row["score"], "lost_points": row["lost_points"]}
            for row in rows.to_dict("records")
        },
    }
    chains = {row["chain"]: row["pct"] for row in chain_rows(profile).to_dict("records")}
    feedback = county_feedback(profile.current, profile.county, reference)
    quarantined = reference.column_labels["quarantined"].label
    distinct = feedback.drop_duplicates(["file", "sheet", "row", "outcome"])
    return {
        "year": profile.year,
        "county": profile.county,
        "compare_year": profile.compare_year if profile.previous is not None else None,
        "indicators": indicators,
        "assessment": assessment,
        "chain_completeness_pct": chains,
        "feedback": {"quarantined_rows": int((distinct["outcome"] == quarantined).sum()),
                     "warned_rows": int((distinct["outcome"] != quarantined).sum())},
    }


def write_extra_files(folder: Path, parameters: Mapping[str, Any], data_dir: Path, reference_dir: Path) -> None:
    """tables.xlsx (every table of the report), metrics.json (the unit's figures) and 反馈_<county>.xlsx."""
    from helpers.output.excel import write_tables_xlsx
    from helpers.paths import write_atomic

    profile = build_profile(int(parameters["year"]), str(parameters["county"]), data_dir, reference_dir)
    period = f"{profile.reference.city}　{profile.county}　{profile.year}年度"
    metrics = profile_metrics(profile)
    write_atomic(folder / "metrics.json", (json.dumps(metrics, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    write_tables_xlsx(report_tables(profile), folder / "tables.xlsx", period=period)
    write_tables_xlsx(feedback_tables(profile), folder / feedback_file_name(profile.county), period=period)


# ------------------------------------------------------------------------------------ charts


def trend_long(profile: CountyProfile, kind: str) -> pd.DataFrame:
    """The trend of the counts (``kind="count"``) or the amounts (``"amount"``, 亿元) in long
    format for a line chart: 年度, 指标, value."""
    trend = profile.trend
    rows = []
    for spec in profile.reference.breakdown_indicators():
        if spec.kind != kind:
            continue
        for year, value in zip(trend["year"], trend[spec.key], strict=True):
            shown = None if pd.isna(value) else (ind.to_yi(value) if kind == "amount" else int(value))
            rows.append({"年度": f"{int(year)}年", "指标": spec.label, "value": shown})
    return pd.DataFrame(rows, columns=["年度", "指标", "value"])


def trend_chart(profile: CountyProfile, kind: str) -> Figure:
    """The unit's counts (个) or amounts (亿元) over the years with ledgers, one line per indicator."""
    long = trend_long(profile, kind)
    unit = "亿元" if kind == "amount" else "个"
    what = "实际进资" if kind == "amount" else "项目个数"
    y_label = f"{what}（{unit}）"
    order = list(dict.fromkeys(long["指标"]))
    return charts.line_chart(
        long.rename(columns={"value": y_label}),
        "年度",
        y_label,
        "指标",
        f"{profile.county}历年{what}",
        y_label,
        x_label="年度",
        number_format="{:,.2f}" if kind == "amount" else "{:,.0f}",
        series_order=order,
    )


def unit_funds_chart(profile: CountyProfile) -> Figure:
    """Every unit's 省外 funds of the year, the profile's unit highlighted."""
    key = "outside_province_projects.funds"
    table = present(profile.breakdown[["county", key]], profile.reference)
    county, funds = table.columns
    title = f"{profile.year}年各县（市、区）{profile.reference.indicator(key).label}"
    return charts.bar_chart(table, county, funds, title, "实际进资（亿元）", highlight=profile.county)
