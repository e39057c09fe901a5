"""The annual review: everything the notebook shows, built from one call.

``build_review`` loads the year (and the comparison year), computes the metrics, the county
breakdown and assessment, the lifecycle funnel, the data-quality account and the
reconciliation with the published figures. The ``*_table`` functions turn them into the
Chinese tables of the report (and of ``tables.xlsx``); ``*_chart`` functions draw them.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from helpers.errors import ReferenceDataError
from helpers.indicators import definitions as ind
from helpers.indicators.assessment import county_assessment
from helpers.indicators.metrics import (
    compute_metrics,
    county_breakdown,
    province_comparison,
    reconcile,
)
from helpers.indicators.trends import county_ranks, indicator_trend
from helpers.ingest.cache import load_year, load_year_if_available
from helpers.ingest.clean import CleanYear
from helpers.paths import available_years, resolve
from helpers.products import explore, tables
from helpers.products.highlights import draft_highlights
from helpers.products.labels import label_rows, present, present_indicator_rows
from helpers.products.metric_labels import metric_label, parameter_labels, sum_label
from helpers.reference import Reference, load_reference
from helpers.reference.indicators import ColumnLabel
from helpers.reference.tables import read_yaml
from helpers.viz import charts

PACKAGES = ("helpers", "pandas", "matplotlib", "seaborn", "papermill", "nbconvert", "openpyxl")


@dataclass
class Review:
    """All figures and tables of one annual review."""

    year: int
    compare_year: int
    reference: Reference
    current: CleanYear
    previous: CleanYear | None
    metrics: dict[str, Any]
    previous_metrics: dict[str, Any] | None  # the comparison year's own figures (for the 对比 column)
    breakdown: pd.DataFrame
    published: dict[str, Any] | None
    published_note: str | None = None  # why there is nothing to reconcile with, when so
    data_dir: Path | None = None  # the data folder (for the trends over every year with ledgers)
    campaign_window: tuple[str, str] | None = None  # the parameters' window (None: the reference's)
    # the trends, computed once per review (the notebook's table and chart, and tables.xlsx, share them)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def build_review(
    year: int,
    data_dir: str | Path = "data",
    reference_dir: str | Path = "data/reference",
    *,
    compare_year: int | None = None,
    campaign_start: str = "",
    campaign_end: str = "",
) -> Review:
    """Load the year and the comparison year and compute everything the review shows.

    Relative folders are taken from the project folder (``helpers.paths.resolve``).
    """
    data_dir = resolve(data_dir)
    reference = load_reference(resolve(reference_dir))
    compare_year = compare_year or year - 1
    current = load_year(year, data_dir, reference)
    previous = load_year_if_available(compare_year, data_dir, reference)
    window = (campaign_start, campaign_end) if campaign_start and campaign_end else None
    metrics = compute_metrics(current, previous, reference, campaign_window=window)
    published, published_note = published_figures(data_dir, reference, year)
    return Review(
        year=year,
        compare_year=compare_year,
        reference=reference,
        current=current,
        previous=previous,
        metrics=metrics,
        previous_metrics=compute_metrics(previous, None, reference) if previous is not None else None,
        breakdown=county_breakdown(current.tables["projects"], reference, year),
        published=published,
        published_note=published_note,
        data_dir=data_dir,
        campaign_window=window,
    )


def published_figures(data_dir: Path, reference: Reference, year: int) -> tuple[dict[str, Any] | None, str | None]:
    """The figures the city published for ``year`` (``data/published/<settings.published_figures>``),
    or None and the reason, stated in the reconciliation: no file named, the file is missing,
    it belongs to another city (its ``city:``), or it has no entry for the year. A file that is
    not valid YAML is a ReferenceDataError."""
    name = reference.settings.get("published_figures")
    if not name:
        return None, "settings.yaml 未指定 published_figures（公开数据文件），本期未与公开数据核对"
    path = Path(data_dir) / "published" / str(name)
    if not path.is_file():
        return None, f"找不到公开数据文件 published/{name}（settings.yaml 的 published_figures），本期未与公开数据核对"
    content = read_yaml(path)
    city = content.get("city")
    if city != reference.city:
        return None, f"公开数据文件 published/{name} 属于「{city or '未注明城市'}」，不是参考数据的城市「{reference.city}」，未核对"
    years = content.get("years")
    if not isinstance(years, dict):
        raise ReferenceDataError(f"{name}: years 应为“年度: 指标”映射，实为 {type(years).__name__}")
    if year not in years:
        listed = "、".join(str(y) for y in sorted(years, key=str)) or "（无）"
        return None, f"公开数据文件 published/{name} 中没有 {year} 年的数据（已有：{listed}），本期未与公开数据核对"
    if not isinstance(years[year], dict):
        raise ReferenceDataError(f"{name}: {year} 年的数据应为“指标: 数值”映射，实为 {type(years[year]).__name__}")
    return years[year], None


# ------------------------------------------------------------------------------------ provenance


def provenance_table(review: Review, parameters: dict[str, Any]) -> pd.DataFrame:
    """Parameters (Chinese label and name), input files with SHA-256, and package versions:
    what this run was made from."""
    labels = parameter_labels(review.reference)
    rows = [{"类别": "参数", "名称": f"{labels.get(k, k)}（{k}）", "值": "—" if v in ("", None) else str(v)} for k, v in parameters.items()]
    for name, digest in zip(review.current.inputs["file"], review.current.inputs["sha256"], strict=True):
        rows.append({"类别": f"{review.year}年台账", "名称": name, "值": f"sha256:{digest[:16]}"})
    if review.previous is not None:
        for name, digest in zip(review.previous.inputs["file"], review.previous.inputs["sha256"], strict=True):
            rows.append({"类别": f"{review.compare_year}年台账（对比）", "名称": name, "值": f"sha256:{digest[:16]}"})
    reference_digest = hashlib.sha256()
    for path in sorted(Path(review.reference.directory).glob("*")):
        if path.is_file():
            reference_digest.update(path.name.encode() + path.read_bytes())
    rows.append({"类别": "参考数据", "名称": "data/reference/", "值": f"sha256:{reference_digest.hexdigest()[:16]}"})
    rows.append({"类别": "软件", "名称": "python", "值": platform.python_version()})
    for package in PACKAGES:
        distribution = "zhaoshang-helpers" if package == "helpers" else package
        rows.append({"类别": "软件", "名称": package, "值": importlib.metadata.version(distribution)})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ tables


def tier_labels(reference: Reference) -> dict[str, str]:
    """“50·20” tiers with their bounds from the reference thresholds."""
    t = reference.thresholds
    t20, t50, t100 = (f"{float(t[k]):g}" for k in ("fifty_twenty_min", "tier_50_min", "tier_100_min"))
    return {
        "tier_100": f"“100”项目（{t100}亿元以上）",
        "tier_50": f"“50”项目（{t50}–{t100}亿元）",
        "tier_20": f"“20”项目（{t20}–{t50}亿元）",
    }


def _yi(value: float | None) -> float | None:
    return None if value is None else ind.to_yi(value)


def headline(review: Review) -> pd.DataFrame:
    """主要指标, semantic: one row per headline indicator (key), this year's and the comparison
    year's figure (万元 for amounts), the YoY and the province rank."""

    def wan(spec: Any, value: Any) -> Any:  # the metrics hold 亿元 (2 decimals): back to 万元 exactly
        return value if value is None or spec.kind != "amount" else float(Decimal(repr(float(value))) * 10_000)

    rows = []
    for spec in review.reference.headline_indicators():
        section, measure = spec.key.split(".")
        value = review.metrics[section][measure]
        before = None if review.previous_metrics is None else review.previous_metrics[section][measure]
        rows.append(
            {
                "indicator": spec.key,
                "value": wan(spec, value),
                "previous_value": wan(spec, before),
                "yoy_pct": ind.growth_pct(value, before) if before is not None else None,
                "rank": review.metrics[section].get(f"{measure}_rank"),
            }
        )
    return pd.DataFrame(rows, dtype=object)


def headline_table(review: Review) -> pd.DataFrame:
    """主要指标 with year-on-year and province ranks."""
    overrides = {"value": f"{review.year}年", "previous_value": f"{review.compare_year}年"}
    table = present_indicator_rows(headline(review), review.reference, ("value", "previous_value"), overrides)
    # object columns: counts stay integers next to amounts; a missing value stays missing ("—"), never 0
    return table.astype(object).astype({"全省排名": "Int64"})


def fifty_twenty_tiers(review: Review) -> pd.DataFrame:
    """“50·20” applications by tier (labels with the reference bounds) and a 合计 row: count and
    total investment (万元)."""
    applied = ind.fifty_twenty_applied(review.current.tables["projects"], review.reference, review.year)
    rows = []
    for tier, label in tier_labels(review.reference).items():
        here = applied[applied["tier"] == tier]
        rows.append({"tier": label, "count": len(here), "total_investment": here["total_investment"].sum()})
    rows.append({"tier": "合计", "count": len(applied), "total_investment": applied["total_investment"].sum()})
    return pd.DataFrame(rows)


def fifty_twenty_table(review: Review) -> pd.DataFrame:
    """“50·20” applications by tier: count, total investment."""
    return present(fifty_twenty_tiers(review), review.reference)


def fifty_twenty_projects(review: Review) -> pd.DataFrame:
    """The applications themselves, largest first."""
    applied = ind.fifty_twenty_applied(review.current.tables["projects"], review.reference, review.year)
    short_names = {tier: label.split("（")[0] for tier, label in tier_labels(review.reference).items()}
    return present(tables.fifty_twenty_project_list(applied, short_names), review.reference)


def teams_table(review: Review) -> pd.DataFrame:
    """Industry-chain teams: trips and leads per team (the city-wide figures, team by team)."""
    reference = review.reference
    activity = tables.team_activity(
        ind.trips_in_period(review.current.tables["trips"], review.year),
        review.current.tables["leads"],
        reference.values_with_role("unit_kind", "team"),
        reference.values_with_role("progress", "signed"),
        reference.threshold_wan("fifty_twenty_min"),
    )
    return present(activity, reference)


def principal_trips_table(review: Review) -> pd.DataFrame:
    """Trips by the principal officials: city units' heads and counties' principals."""
    rows = label_rows(tables.principal_trip_rows(review.metrics["principal_trips"]), "category", review.reference)
    return present(rows, review.reference)


def events_table(review: Review) -> pd.DataFrame:
    """Signing events of the year: date, projects signed there, their total investment."""
    projects = review.current.tables["projects"]
    return present(tables.event_signing_table(projects, review.reference.events, review.year), review.reference)


def campaign_table(review: Review) -> pd.DataFrame:
    """The campaign's results and reserves by tier."""
    results = label_rows(tables.campaign_results(review.metrics.get("campaign")), "item", review.reference)
    return present(results, review.reference, tier_labels(review.reference))


def campaign_county_table(review: Review) -> pd.DataFrame:
    """The campaign's “50·20” signings per county, by tier, emerging and digital."""
    by_county = (review.metrics.get("campaign") or {}).get("by_county") or {}
    return present(tables.campaign_signings_by_county(by_county), review.reference)


def started_bands(review: Review) -> pd.DataFrame:
    """Newly started 亿元以上 projects by size band (bounds from the reference): count and total
    investment (万元)."""
    started = ind.new_started_100m(review.current.tables["projects"], review.reference, review.year)
    low, high = (float(b) for b in review.reference.thresholds["big_started_bands"])
    bands = pd.cut(
        started["total_investment"] / 10_000,
        bins=[0, low, high, float("inf")],
        right=False,
        labels=[f"{review.reference.thresholds['hundred_million_min']:g}–{low:g}亿元", f"{low:g}–{high:g}亿元", f"{high:g}亿元以上"],
    )
    grouped = started.assign(band=bands).groupby("band", observed=False)
    return pd.DataFrame(
        {
            "band": [str(b) for b in grouped.size().index],
            "count": grouped.size().astype(int).values,
            "total_investment": grouped["total_investment"].sum().values,
        }
    )


def started_table(review: Review) -> pd.DataFrame:
    """Newly started 亿元以上 projects by size band."""
    return present(started_bands(review), review.reference)


def industry_counts(review: Review) -> pd.DataFrame:
    """Newly recognized 省外亿元以上 projects per industry and year (long: industry, year, count)."""
    frames = []
    for clean in (review.previous, review.current):
        if clean is None:
            continue
        selected = ind.new_100m_projects(clean.tables["projects"], review.reference, clean.year, "outside_province")
        counts = selected.groupby("industry").size()
        frames.append(pd.DataFrame({"industry": counts.index, "year": clean.year, "count": counts.values}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["industry", "year", "count"])


def _industry_counts(review: Review) -> pd.DataFrame:
    """Newly recognized 省外亿元以上 projects per industry and year (long format, for the chart)."""
    counts = industry_counts(review)
    return present(counts.assign(year=counts["year"].astype(str) + "年"), review.reference)


def industry_table(review: Review) -> pd.DataFrame:
    """Newly recognized 省外亿元以上 projects by industry (reference order), both years, with the emerging share."""
    table = tables.industry_structure(industry_counts(review), review.reference)
    years = [column for column in table.columns if column not in ("industry", "is_emerging")]
    return present(table, review.reference, {year: f"{year}年（个）" for year in years})


def county_table(review: Review) -> pd.DataFrame:
    """Every count and amount per reporting unit (amounts in 亿元), with a total row."""
    # the total is summed in 万元 before rounding, so it equals the city-wide figure exactly
    return present(tables.with_city_total(review.breakdown, review.reference), review.reference)


def assessment_table(review: Review) -> pd.DataFrame:
    """County assessment: completion and score per weighted indicator, total and rank."""
    reference = review.reference
    scored = county_assessment(review.breakdown, review.current.tables["targets"], reference)
    keys = ["county", "total_score", "rank"]
    overrides = {"rank": reference.column_labels["assessment_rank"].header}
    for indicator in reference.weights["indicator"]:
        for measure in ("completion_pct", "score"):
            label = reference.column_labels[measure]
            keys.append(f"{indicator}|{measure}")
            overrides[keys[-1]] = ColumnLabel(f"{indicator}{label.label}", label.unit).header
    return present(scored[keys], reference, overrides)


def chain_table(review: Review) -> pd.DataFrame:
    """Chain completeness per county and chain, most complete first."""
    return present(tables.chain_completeness_ranked(review.current.tables["chain_map"]), review.reference)


def funnel_table(review: Review) -> pd.DataFrame:
    """The lifecycle funnel: projects per stage, missing dates, conversion and median days."""
    return present(tables.lifecycle_stages(review.current.tables["projects"], review.year), review.reference)


def monthly_funds_table(review: Review) -> pd.DataFrame:
    """Cumulative monthly funds (亿元) of the projects that report monthly columns, per year."""
    frames = [
        tables.monthly_cumulative_funds(clean.tables["monthly_funds"], clean.year)
        for clean in (review.previous, review.current)
        if clean is not None and not clean.tables["monthly_funds"].empty
    ]
    empty = pd.DataFrame({"month": pd.Series(dtype="int64"), "year": pd.Series(dtype=object), "cumulative_funds": pd.Series(dtype=float)})
    return present(pd.concat(frames, ignore_index=True) if frames else empty, review.reference)


def monthly_funds_grid(review: Review) -> pd.DataFrame:
    """Cumulative monthly funds as a month × year grid (1月 … 12月 down, years across), with
    the year-on-year growth of the latest year when there are two."""
    long = monthly_funds_table(review)
    if long.empty:
        return pd.DataFrame(columns=["月份"])
    grid = long.pivot(index="月份", columns="年度", values="累计进资（亿元）").sort_index()
    years = list(grid.columns)
    table = pd.DataFrame({"月份": [f"{m}月" for m in grid.index]})
    for year in years:
        table[f"{year}累计进资（亿元）"] = grid[year].to_numpy()
    if len(years) == 2:
        table["同比（%）"] = [ind.growth_pct(now, before) for before, now in zip(grid[years[0]], grid[years[1]], strict=True)]
    return table


def quality_counts(review: Review) -> pd.DataFrame:
    """Rows read / clean / quarantined / subtotal / blank / merged per sheet, plus warnings."""
    counts = review.current.counts()
    warnings = review.current.warnings.groupby("table").size()
    measures = ("rows_read", "clean", "quarantined", "subtotal", "blank", "duplicates_merged")
    rows = [
        {
            "table": review.reference.ledger_format[table]["sheet"],
            **{measure: c[measure] for measure in measures},
            "warnings": int(warnings.get(table, 0)),
        }
        for table, c in counts.items()
    ]
    return pd.DataFrame(rows)


def quality_table(review: Review) -> pd.DataFrame:
    """Rows read / clean / quarantined / subtotal / blank / merged per sheet kind, plus warnings."""
    return present(quality_counts(review), review.reference)


def top_reasons_table(review: Review, limit: int = 10) -> pd.DataFrame:
    """The most frequent quarantine reasons and warning reasons."""
    counted = tables.reason_counts(review.current.quarantine, review.current.warnings, review.reference, limit)
    return present(label_rows(counted, "category", review.reference), review.reference)


def quarantine_table(review: Review) -> pd.DataFrame:
    return explore.quarantine_table(review.current)


def reconciliation_table(review: Review) -> pd.DataFrame:
    """Computed vs published, one row per published figure: Chinese indicator name and unit
    (``helpers.products.metric_labels``), both values as numbers, the difference at the published precision
    (computed, rounded as the rule says, minus published) and the status."""
    columns = ["indicator", "unit", "published", "computed", "difference", "rule", "match"]
    if not review.published:  # say why (no file, another city's file, no entry for the year)
        return present(pd.DataFrame({"note": [review.published_note or "本期没有公开发布的数据"]}), review.reference)
    table = reconcile(review.metrics, review.published)
    rows = []
    for path, published, computed, rule, match in table[["path", "published", "computed", "rule", "match"]].itertuples(index=False):
        paths = path.split(" + ")
        name, unit = sum_label(paths, review.reference) if len(paths) > 1 else metric_label(path, review.reference)
        comparable = None if computed is None else int(ind.round_half_up(computed, 0)) if rule == "四舍五入取整" else computed
        difference = None if comparable is None else ind.round_half_up(comparable - published, 2)
        if isinstance(published, int) and isinstance(comparable, int) and difference is not None:
            difference = int(difference)
        status = "一致" if match else "⚠ 无计算值" if computed is None else "⚠ 不一致"
        rows.append(dict(zip(columns, [name, unit, published, computed, difference, rule, status], strict=True)))
    return present(pd.DataFrame(rows, columns=columns, dtype=object), review.reference)


def province_table(review: Review) -> pd.DataFrame:
    table = province_comparison(review.metrics, review.current.tables["province_peers"], review.reference)
    counts = table["key"].str.endswith(".count")

    def shown(column: str) -> list[Any]:  # counts as integers, amounts in 亿元
        return [None if pd.isna(v) else int(v) if is_count else v for v, is_count in zip(table[column], counts, strict=True)]

    return pd.DataFrame(
        {
            "指标": table["indicator"],
            "单位": [review.reference.indicator(key).unit for key in table["key"]],  # 实际利用外资 is in 亿美元
            "本市（台账计算）": shown("value"),
            "全省排名": table["rank"],
            "参与排名设区市": table["cities"],
            "全省最高值": shown("province_max"),
            "对比表所列本市数值": shown("sheet_value"),
            "差异": table["sheet_difference"],
        },
        dtype=object,
    )


# ------------------------------------------------------------------------------------ trends


def trend_years(review: Review) -> list[int]:
    """Every year with ledgers up to the review's year (a later year is not yet history)."""
    return [year for year in available_years(_data_dir(review)) if year <= review.year]


def _data_dir(review: Review) -> Path:
    return review.data_dir if review.data_dir is not None else resolve("data")


def _loaded_years(review: Review) -> dict[int, Any]:
    """The clean years the trends read (year → clean year), starting with those the review holds."""
    if "years" not in review.memo:
        loaded = {review.year: review.current}
        if review.previous is not None:
            loaded[review.compare_year] = review.previous
        review.memo["years"] = loaded
    return review.memo["years"]


def _computed_metrics(review: Review) -> dict[int, dict[str, Any]]:
    """The figures the review already holds that are a trend's figures of their year (each year
    compared with the year before when it has ledgers, the reference's campaign window): the
    review's own, unless compared with another year or given a window; the comparison year's,
    when the year before it has no ledgers."""
    known = set(available_years(_data_dir(review)))
    computed = {}
    if review.compare_year == review.year - 1 and review.campaign_window is None:
        computed[review.year] = review.metrics
    if review.previous_metrics is not None and review.compare_year - 1 not in known:
        computed[review.compare_year] = review.previous_metrics
    return computed


def _trend(review: Review, key: str, compute: Any) -> pd.DataFrame:
    """``compute()`` once per review and ``key``; each caller gets its own copy."""
    if key not in review.memo:
        review.memo[key] = compute()
    return review.memo[key].copy()


def headline_trend(review: Review) -> pd.DataFrame:
    """The headline indicators in every year with ledgers: one row per year, one column per key (万元),
    each year's figures those of its own annual review."""
    keys = [spec.key for spec in review.reference.headline_indicators()]
    return _trend(
        review,
        "headline_trend",
        lambda: indicator_trend(
            keys, _data_dir(review), review.reference, years=trend_years(review), loaded=_loaded_years(review),
            computed=_computed_metrics(review),
        ),
    )


def headline_trend_table(review: Review) -> pd.DataFrame:
    """历年主要指标: one row per headline indicator (label, unit), one column per year (亿元 amounts)."""
    trend = headline_trend(review)
    years = [str(year) for year in trend["year"]]
    rows = trend.drop(columns="year").T
    rows.columns = years
    rows = rows.rename_axis("indicator").reset_index()
    return present_indicator_rows(rows, review.reference, tuple(years), {year: f"{year}年" for year in years})


def headline_trend_chart(review: Review) -> Figure:
    """The headline indicators over the years, one small panel each (label and unit as its title)."""
    table = present(headline_trend(review), review.reference)
    year = table.columns[0]
    table[year] = [f"{value}年" for value in table[year]]
    first, last = trend_years(review)[0], trend_years(review)[-1]
    return charts.small_multiples(table, year, list(table.columns[1:]), f"{first}—{last}年主要指标")


def ranked_trend_keys(review: Review) -> list[str]:
    """The main ranked indicators: those the county assessment weighs most (``assessment_weights.csv``)."""
    reference = review.reference
    weights = reference.weights
    top = weights[weights["weight"] == weights["weight"].max()]["indicator"]
    keys_by_name = {spec.name: spec.key for spec in reference.indicator_registry.values() if spec.name}
    return [keys_by_name[name] for name in top]


def county_rank_trend(review: Review, key: str) -> pd.DataFrame:
    """Every unit's rank on ``key`` in every year with ledgers: one row per unit, one column per year."""
    return _trend(
        review,
        f"county_ranks:{key}",
        lambda: county_ranks(key, _data_dir(review), review.reference, years=trend_years(review), loaded=_loaded_years(review)),
    )


def county_rank_trend_table(review: Review, key: str) -> pd.DataFrame:
    """历年县（市、区）排名 on ``key``: one row per unit (reference order), years as columns."""
    ranks = county_rank_trend(review, key)
    return present(ranks, review.reference, {year: f"{year}年" for year in ranks.columns if year != "county"})


def county_rank_title(review: Review, key: str) -> str:
    years = trend_years(review)
    return f"{years[0]}—{years[-1]}年各县（市、区）{review.reference.indicator(key).label}排名"


def county_rank_chart(review: Review, key: str) -> Figure:
    """The units' ranks on ``key`` over the years, the latest year's first on top."""
    table = county_rank_trend_table(review, key)
    return charts.rank_chart(table, table.columns[0], list(table.columns[1:]), county_rank_title(review, key))


def highlights(review: Review) -> list[str]:
    return draft_highlights(review.metrics, review.reference)


def report_tables(review: Review) -> dict[str, pd.DataFrame]:
    """Every table of the report, by sheet name (for tables.xlsx)."""
    return {
        "主要指标": headline_table(review),
        "全省排名": province_table(review),
        "50·20项目": fifty_twenty_table(review),
        "50·20项目清单": fifty_twenty_projects(review),
        "产业链小分队": teams_table(review),
        "主要领导外出招商": principal_trips_table(review),
        "签约活动": events_table(review),
        "攻坚行动": campaign_table(review),
        "攻坚行动分县": campaign_county_table(review),
        "新开工亿元以上项目": started_table(review),
        "新兴产业结构": industry_table(review),
        "分县统计": county_table(review),
        "县区考核": assessment_table(review),
        "产业链完整度": chain_table(review),
        "全生命周期": funnel_table(review),
        "月度累计进资": monthly_funds_grid(review),
        "数据质量": quality_table(review),
        "主要问题": top_reasons_table(review),
        "隔离记录": quarantine_table(review),
        "核对公开数据": reconciliation_table(review),
        "历年主要指标": headline_trend_table(review),
        **{f"历年排名·{review.reference.indicator(key).label}": county_rank_trend_table(review, key) for key in ranked_trend_keys(review)},
    }


def write_extra_files(review: Review, folder: str | Path) -> None:
    """``metrics.json`` (the year and every figure) and ``tables.xlsx`` (:func:`report_tables`) of
    the review, in ``folder``: run by the report's kernel after the notebook's last cell."""
    import json

    from helpers.output.excel import write_tables_xlsx
    from helpers.paths import write_atomic

    folder = Path(folder)
    metrics = {"year": review.year, **review.metrics}
    write_atomic(folder / "metrics.json", (json.dumps(metrics, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    write_tables_xlsx(report_tables(review), folder / "tables.xlsx", period=f"{review.reference.city}　{review.year}年度")


# ------------------------------------------------------------------------------------ charts


def county_funds_chart(review: Review) -> Figure:
    key = "outside_province_projects.funds"
    table = present(review.breakdown[["county", key]], review.reference)  # the units only, no total row
    county, funds = table.columns
    title = f"{review.year}年各县（市、区）{review.reference.indicator(key).label}"
    return charts.bar_chart(table, county, funds, title, "实际进资（亿元）")


def fifty_twenty_chart(review: Review) -> Figure:
    table = fifty_twenty_table(review)
    table = table[table["档次"] != "合计"]
    return charts.bar_chart(
        table, "档次", "项目数（个）", f"{review.year}年新申请认定“50·20”项目档次分布", "项目数（个）", sort=False, number_format="{:,.0f}"
    )


def events_chart(review: Review) -> Figure:
    return charts.bar_chart(
        events_table(review), "签约活动", "签约金额（亿元）", f"{review.year}年重大招商活动签约金额", "签约金额（亿元）"
    )


def industry_chart(review: Review) -> Figure:
    years = f"{review.compare_year}年与{review.year}年" if review.previous is not None else f"{review.year}年"
    return charts.grouped_bar_chart(
        _industry_counts(review),
        "产业类别",
        "年度",
        "项目数（个）",
        f"{years}新认定省外亿元以上项目产业分布",
        "项目数（个）",
        horizontal=True,
        number_format="{:,.0f}",
    )


def assessment_chart(review: Review) -> Figure:
    table = assessment_table(review).dropna(subset=["综合得分"])
    leader = table.iloc[0]["县（市、区）"] if len(table) else None
    return charts.bar_chart(
        table, "县（市、区）", "综合得分", f"{review.year}年县（市、区）招商引资考核综合得分", "综合得分（分）", highlight=leader
    )


def chain_chart(review: Review) -> Figure:
    table = chain_table(review).assign(名称=lambda t: t["县（市、区）"] + "·" + t["产业链"])
    return charts.bar_chart(table, "名称", "完整度（%）", "产业链完整度（四图五清单）", "完整度（%）", category_label="县（市、区）·产业链")


def funnel_chart(review: Review) -> Figure:
    table = ind.lifecycle_funnel(review.current.tables["projects"], review.year)
    return charts.funnel_chart(table, f"截至{review.year}年底项目全生命周期转化")


def monthly_chart(review: Review) -> Figure:
    return charts.line_chart(
        monthly_funds_table(review),
        "月份",
        "累计进资（亿元）",
        "年度",
        "分月累计实际进资（填报分月数据的项目）",
        "累计进资（亿元）",
        x_label="月份",
    )
