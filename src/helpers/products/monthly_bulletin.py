"""The monthly bulletin (月度通报): January..M against the annual targets, everything from one call.

``build_bulletin`` loads the year (and the year before), checks the month against the ledgers'
latest month with data, and computes the figures of January..M, of month M alone and of the same
months last year, each unit's completion of its annual targets against 序时进度, the red and black
lists and the reconciliation with what the city published for the period. The ``*_table``
functions present the tables (semantic builders below and in :mod:`helpers.products.tables`,
English keys and 万元; Chinese headers and 亿元 by :mod:`helpers.products.labels`), ``*_chart``
draw them and :func:`opening` drafts the first paragraph from ``bulletin.yaml``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from matplotlib.figure import Figure

from helpers.errors import ReferenceDataError, UsageError
from helpers.indicators import definitions as ind
from helpers.indicators import progress as prg
from helpers.indicators import year_to_date as ytd
from helpers.indicators.metrics import compute_metrics, county_breakdown, get_path, load_published, reconcile
from helpers.indicators.period import Period
from helpers.ingest.cache import load_year, load_year_if_available
from helpers.ingest.clean import CleanYear
from helpers.paths import available_years, reference_dir_for, resolve
from helpers.products import explore, tables
from helpers.products.highlights import check_templates, draft_sentences, fill_clause, format_yi
from helpers.products.labels import present, present_indicator_rows
from helpers.reference import Reference, load_reference
from helpers.reference.tables import safe_load_yaml
from helpers.viz import charts

__all__ = [
    "Bulletin",
    "BulletinSettings",
    "build_bulletin",
    "bulletin_runs",
    "indicator_progress",
    "load_settings",
    "month_projects",
    "outreach_rows",
    "prepare_parameters",
    "write_extra_files",
]

SETTINGS_FILE = "bulletin.yaml"
#: The rows of 五、外出招商与项目信息 (metric keys).
OUTREACH_KEYS = (
    "principal_trips.county_count",
    "principal_trips.city_unit_count",
    "team_trips.count",
    "team_leads.count",
    "team_leads.signed",
    "team_leads.signed_amount",
)


# ------------------------------------------------------------------------------------ settings


@dataclass(frozen=True)
class BulletinSettings:
    """``bulletin.yaml``: the indicator rows, thresholds, list rules, value labels and the opening."""

    indicators: tuple[str, ...]
    schedule: dict[str, float]
    red_list: dict[str, float]
    black_list: dict[str, float]
    labels: dict[str, str]
    preamble: str
    opening: list[list[str]]
    overview: list[list[str]]
    lists: list[list[str]]


def _number(section: object, key: str, where: str) -> float:
    value = section.get(key) if isinstance(section, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ReferenceDataError(f"{SETTINGS_FILE}: {where}.{key} 应为数字，实为 {value!r}")
    return float(value)


def load_settings(reference: Reference) -> BulletinSettings:
    """``bulletin.yaml`` of the reference folder, checked (one-line ReferenceDataError)."""
    path = Path(reference.directory) / SETTINGS_FILE
    if not path.is_file():
        raise ReferenceDataError(f"参考数据缺失：{path}（月度通报的指标、序时进度阈值与红黑榜规则）")
    try:
        content = safe_load_yaml(path.read_text(encoding="utf-8")) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise ReferenceDataError(f"{SETTINGS_FILE}: 无法读取（{type(error).__name__}）") from None
    if not isinstance(content, dict):
        raise ReferenceDataError(f"{SETTINGS_FILE}: 顶层应为“键: 值”映射")
    indicators = content.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        raise ReferenceDataError(f"{SETTINGS_FILE}: indicators 应为指标键的列表")
    for key in indicators:
        if str(key) not in reference.indicator_registry:
            raise ReferenceDataError(f"{SETTINGS_FILE}: indicators 中的 {key} 不在 indicators.csv 中")
    schedule = {k: _number(content.get("schedule"), k, "schedule") for k in ("on_schedule_pp", "behind_pp")}
    red = {k: _number(content.get("red_list"), k, "red_list") for k in ("size", "min_gap_pp")}
    black = {"behind_pp": _number(content.get("black_list"), "behind_pp", "black_list")}
    if schedule["behind_pp"] > schedule["on_schedule_pp"]:  # else no unit could be "slightly behind" and the bands overlap
        raise ReferenceDataError(
            f"{SETTINGS_FILE}: schedule.behind_pp（{schedule['behind_pp']:g}）应不大于 on_schedule_pp（{schedule['on_schedule_pp']:g}）"
        )
    labels = content.get("labels")
    needed = (*prg.STATUSES, "red", "black", "missing", "zero", "city_target", "units_target")
    if not isinstance(labels, dict) or any(not isinstance(labels.get(k), str) for k in needed):
        raise ReferenceDataError(f"{SETTINGS_FILE}: labels 须给出 {'、'.join(needed)} 的中文名称")
    preamble = content.get("preamble")
    if not isinstance(preamble, str):
        raise ReferenceDataError(f"{SETTINGS_FILE}: preamble 应为一句文字")
    check_templates([[preamble]], SETTINGS_FILE, "preamble")
    return BulletinSettings(
        indicators=tuple(str(k) for k in indicators),
        schedule=schedule,
        red_list=red,
        black_list=black,
        labels={str(k): str(v) for k, v in labels.items()},
        preamble=preamble,
        opening=check_templates(content.get("opening"), SETTINGS_FILE, "opening"),
        overview=check_templates(content.get("overview"), SETTINGS_FILE, "overview"),
        lists=check_templates(content.get("lists"), SETTINGS_FILE, "lists"),
    )


# ------------------------------------------------------------------------------------ the bulletin


@dataclass
class Bulletin:
    """All figures and tables of one monthly bulletin (January..``month`` of ``year``)."""

    year: int
    month: int
    compare_year: int
    period: Period
    reference: Reference
    settings: BulletinSettings
    current: CleanYear
    previous: CleanYear | None
    latest_month: int | None
    metrics: dict[str, Any]  # January..M
    month_metrics: dict[str, Any]  # month M alone
    previous_metrics: dict[str, Any] | None  # January..M of the year before
    breakdown: pd.DataFrame  # per unit, January..M (万元)
    previous_breakdown: pd.DataFrame | None
    targets: pd.DataFrame  # county, key, target
    progress: pd.DataFrame  # per unit and target indicator
    standings: pd.DataFrame  # per unit: weighted completion, gap, place, status
    published: list[tuple[int, dict[str, Any]]]  # (year, figures) published for this period


def _period_breakdown(clean: CleanYear, reference: Reference, period: Period) -> pd.DataFrame:
    projects = ytd.period_projects(clean.tables["projects"], clean.tables["monthly_funds"], period)
    return county_breakdown(projects, reference, period)


def _published_for(data_dir: Path, reference: Reference, period: Period) -> list[tuple[int, dict[str, Any]]]:
    """The figures published for January..M of the year (and the same months of the year before)."""
    found: list[tuple[int, dict[str, Any]]] = []
    for name in reference.settings.get("published_period_figures") or []:
        path = data_dir / "published" / str(name)
        if not path.is_file():
            continue
        content = load_published(path)
        months = (content.get("period") or {}).get("months")
        if list(months or []) != [period.first_month, period.last_month]:
            continue
        years = content.get("years") or {}
        if period.year not in years:
            continue
        found.extend((year, years[year]) for year in (period.year, period.year - 1) if year in years)
    return found


def build_bulletin(
    year: int, month: int, data_dir: str | Path = "data", reference_dir: str | Path = "data/reference", *, force: bool = False
) -> Bulletin:
    """Load ``year`` (and the year before) and compute everything the bulletin of January..``month`` shows.

    A month beyond the ledgers' latest month with data is a UsageError unless ``force``.
    Relative folders are taken from the project folder.
    """
    data_dir = resolve(data_dir)
    reference = load_reference(resolve(reference_dir))
    settings = load_settings(reference)
    current = load_year(year, data_dir, reference)
    previous = load_year_if_available(year - 1, data_dir, reference)
    latest = ytd.latest_month_with_data(current)
    ytd.check_month(year, month, latest, force=force)
    period = Period.year_to_date(year, month)
    compared = period.comparison()
    breakdown = _period_breakdown(current, reference, period)
    targets = prg.target_table(current.tables["targets"], reference)
    keys = [spec.key for spec in reference.target_indicators()]
    unit_progress = prg.unit_progress(breakdown, targets, reference, period, keys)
    names = dict(zip(reference.indicators["name"], reference.indicators["key"], strict=True))
    weights = {names[name]: float(w) for name, w in zip(reference.weights["indicator"], reference.weights["weight"], strict=True)}
    standings = prg.weighted_completion(unit_progress, weights, period)
    standings["status"] = [prg.schedule_status(gap, settings.schedule) for gap in standings["gap_pp"]]
    return Bulletin(
        year=year,
        month=month,
        compare_year=year - 1,
        period=period,
        reference=reference,
        settings=settings,
        current=current,
        previous=previous,
        latest_month=latest,
        metrics=compute_metrics(current, previous, reference, period=period),
        month_metrics=compute_metrics(current, None, reference, period=Period.month_of(year, month)),
        previous_metrics=compute_metrics(previous, None, reference, period=compared) if previous is not None else None,
        breakdown=breakdown,
        previous_breakdown=_period_breakdown(previous, reference, compared) if previous is not None else None,
        targets=targets,
        progress=unit_progress,
        standings=standings,
        published=_published_for(data_dir, reference, period),
    )


# ------------------------------------------------------------------------------------ runs


def prepare_parameters(parameters: dict[str, Any], data_dir: Path, reference_dir: Path) -> dict[str, Any]:
    """Check a bulletin's month before a kernel starts (default: the latest month with data)."""
    year = int(parameters["year"])
    reference = load_reference(reference_dir_for(Path(data_dir), reference_dir))
    latest = ytd.latest_month_with_data(load_year(year, Path(data_dir), reference))
    month = parameters.get("month")
    if month is None:
        if latest is None:
            raise UsageError(f"{year} 年台账中没有可确定月份的数据，请用 --month 指定月份")
        month = latest
    ytd.check_month(year, month, latest, force=bool(parameters.get("force", False)))
    return {**parameters, "month": month}


def bulletin_runs(data_dir: Path, reference_dir: Path | None = None) -> list[dict[str, Any]]:
    """The runs of ``--all``: every month, up to the latest with data, of every year with ledgers."""
    reference = load_reference(reference_dir_for(Path(data_dir), reference_dir))
    runs: list[dict[str, Any]] = []
    for year in available_years(Path(data_dir)):
        latest = ytd.latest_month_with_data(load_year(year, Path(data_dir), reference)) or 0
        runs.extend({"year": year, "month": month} for month in range(1, latest + 1))
    return runs


def write_extra_files(folder: Path, parameters: Mapping[str, Any], data_dir: Path, reference_dir: Path) -> None:
    """metrics.json (the figures of January..month, as ``zhaoshang metrics --month``) and tables.xlsx."""
    from helpers.output.excel import write_tables_xlsx
    from helpers.paths import write_atomic

    bulletin = build_bulletin(
        int(parameters["year"]), int(parameters["month"]), data_dir, reference_dir, force=bool(parameters.get("force", False))
    )
    metrics = {"year": bulletin.year, "month": bulletin.month, **bulletin.metrics}
    write_atomic(folder / "metrics.json", (json.dumps(metrics, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    write_tables_xlsx(report_tables(bulletin), folder / "tables.xlsx")


# ------------------------------------------------------------------------------------ words


def period_words(period: Period) -> str:
    """How a 通报 names the months: ``1—6月份``, ``1月份``.

    >>> period_words(Period.year_to_date(2023, 6)), period_words(Period.year_to_date(2023, 1))
    ('1—6月份', '1月份')
    """
    if period.first_month == period.last_month:
        return f"{period.last_month}月份"
    return f"{period.first_month}—{period.last_month}月份"


def _tier_words(figures: Mapping[str, Any], reference: Reference) -> str | None:
    """``其中50亿元项目1个，20亿元项目12个`` (tiers with projects only), or None."""
    bounds = {"tier_100": "tier_100_min", "tier_50": "tier_50_min", "tier_20": "fifty_twenty_min"}
    parts = [f"{float(reference.thresholds[bounds[t]]):g}亿元项目{figures[t]}个" for t in ind.TIERS if figures.get(t)]
    return ("其中" + "，".join(parts)) if parts else None


def _city_progress(bulletin: Bulletin) -> dict[str, dict[str, dict[str, Any]]]:
    """The city's progress per indicator of the bulletin: target (reporting units), completion, gap."""
    table = _indicator_values(bulletin)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for row in indicator_progress(table, bulletin.reference, prg.schedule_pct(bulletin.period)).to_dict("records"):
        section, measure = row["indicator"].split(".")
        spec = bulletin.reference.indicator(row["indicator"])
        target = row["target"]
        shown = None if target is None else (ind.to_yi(target) if spec.kind == "amount" else target)
        out.setdefault(section, {})[measure] = {"target": shown, "completion_pct": row["completion_pct"], "gap_pp": row["gap_pp"]}
    return out


def _context(bulletin: Bulletin) -> dict[str, Any]:
    """What the opening's templates may name: the metrics, the city's progress and derived words."""
    settings, standings = bulletin.settings, bulletin.standings
    lists = prg.red_black_lists(standings, settings.red_list, settings.black_list)
    missing_monthly = ytd.whole_year_only_funds(bulletin.current.tables["projects"], bulletin.current.tables["monthly_funds"])
    derived = {
        "period_words": period_words(bulletin.period),
        "schedule_pct": prg.schedule_pct(bulletin.period),
        "fifty_twenty_started_tiers": _tier_words(bulletin.metrics["fifty_twenty_started"], bulletin.reference),
        "fifty_twenty_signed_tiers": _tier_words(bulletin.metrics["fifty_twenty_signed"], bulletin.reference),
        "ahead_count": int((standings["status"] == "on_schedule").sum()),
        "behind_count": int((lists["list"] == "black").sum()) if len(lists) else 0,
        "black_list_pp": int(settings.black_list["behind_pp"]) if float(settings.black_list["behind_pp"]).is_integer()
        else settings.black_list["behind_pp"],
        "red_size": int(settings.red_list["size"]),
        "red_list": "、".join(lists.loc[lists["list"] == "red", "county"]) if len(lists) else "",
        "black_list": "、".join(lists.loc[lists["list"] == "black", "county"]) if len(lists) else "",
        "whole_year_only_count": 0 if bulletin.period.is_whole_year else len(missing_monthly),
        "whole_year_only_funds": ind.to_yi(missing_monthly["funds_year"].sum()),
    }
    derived["red_list"] = derived["red_list"] or "无"
    derived["black_list"] = derived["black_list"] or "无"
    return {**bulletin.metrics, "progress": _city_progress(bulletin), "derived": derived}


def opening(bulletin: Bulletin) -> list[str]:
    """The opening paragraphs: the preamble (“现将1—6月份全市招商引资工作情况通报如下：”) and the
    overview, one sentence per template whose first clause has its data (the rules of highlights)."""
    context = _context(bulletin)
    preamble = fill_clause(bulletin.settings.preamble, context)
    bodies = ("".join(draft_sentences(templates, context)) for templates in (bulletin.settings.opening, bulletin.settings.overview))
    paragraphs = [preamble, *bodies]
    return [p for p in paragraphs if p]


def list_sentences(bulletin: Bulletin) -> list[str]:
    """The red and black lists in words (``lists`` templates of bulletin.yaml)."""
    return draft_sentences(bulletin.settings.lists, _context(bulletin))


def header_line(bulletin: Bulletin) -> str:
    """The bulletin's heading line: city, period, the ledgers' latest month with data."""
    latest = f"台账数据最新月份：{bulletin.year}年{bulletin.latest_month}月" if bulletin.latest_month else "台账中没有可确定月份的数据"
    forced = "（超出台账最新月份，按要求强制计算）" if bulletin.latest_month is None or bulletin.month > bulletin.latest_month else ""
    return (
        f"**{bulletin.reference.city}　统计期：{bulletin.period.label}　序时进度：{prg.schedule_pct(bulletin.period):.2f}%"
        f"　{latest}{forced}**"
    )


# ------------------------------------------------------------------------------------ semantic builders


def indicator_progress(values: pd.DataFrame, reference: Reference, schedule: float) -> pd.DataFrame:
    """Each indicator's completion of its annual target against 序时进度, and its same-period YoY.

    ``values``: ``indicator`` (metric key), ``value``, ``target``, ``previous_value`` (万元 for
    amounts, counts as they are; None when not available) and ``rank``. The YoY compares the
    values as reported (亿元 with 2 decimals), like the metrics' own year-on-year figures.

    >>> from helpers.reference import load_reference
    >>> values = pd.DataFrame({"indicator": ["outside_province_projects.funds", "foreign_funds_usd.funds"],
    ...                        "value": [8_176_100.0, 1.42], "target": [14_000_000.0, None],
    ...                        "previous_value": [7_000_000.0, None], "rank": [1, 1]})
    >>> indicator_progress(values, load_reference(), 50.0)[["completion_pct", "gap_pp", "yoy_pct"]].values.tolist()
    [[58.4, 8.4, 16.8], [None, None, None]]
    """
    rows = []
    for row in values.to_dict("records"):
        spec = reference.indicator(row["indicator"])

        def reported(value: Any, kind: str = spec.kind) -> Any:
            return None if value is None or pd.isna(value) else ind.to_yi(value) if kind == "amount" else value

        completion = prg.completion_pct(row["value"], row["target"])
        now, before = reported(row["value"]), reported(row["previous_value"])
        rows.append(
            {
                **row,
                "completion_pct": completion,
                "schedule_pct": schedule if completion is not None else None,
                "gap_pp": None if completion is None else ind.round_half_up(completion - schedule, 2),
                "yoy_pct": ind.growth_pct(now, before) if now is not None else None,
            }
        )
    columns = ["indicator", "value", "target", "completion_pct", "schedule_pct", "gap_pp", "previous_value", "yoy_pct", "rank"]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def month_projects(projects: pd.DataFrame, reference: Reference, period: Period, date_field: str) -> pd.DataFrame:
    """亿元以上 projects (any source) whose ``date_field`` (``signed_on``, ``started_on``) falls in
    ``period``: county, id, name, source, industry, 总投资 (万元) and the date; largest first.

    >>> from helpers.reference import load_reference
    >>> frame = pd.DataFrame({"county": ["瑞昌市", "湖口县"], "project_id": ["A", "B"], "name": ["甲", "乙"],
    ...                       "source": ["省外", "本市"], "industry": ["新材料", "建材"], "total_investment": [50_000.0, 9_000.0],
    ...                       "signed_on": pd.to_datetime(["2023-06-30", "2023-06-02"])})
    >>> month_projects(frame, load_reference(), Period.month_of(2023, 6), "signed_on")[["project_id", "signed_on"]].values.tolist()
    [['A', '2023-06-30']]
    """
    big = projects[projects["total_investment"] >= reference.threshold_wan("hundred_million_min")]
    selected = big[period.contains(big[date_field])]
    selected = selected.sort_values(["total_investment", "project_id"], ascending=[False, True], kind="stable")
    columns = ["county", "project_id", "name", "source", "industry", "total_investment"]
    table = selected[columns].astype({c: object for c in columns if c != "total_investment"})
    return table.assign(**{date_field: selected[date_field].dt.strftime("%Y-%m-%d")}).reset_index(drop=True)


def outreach_rows(keys: tuple[str, ...], month: Mapping[str, Any], ytd_metrics: Mapping[str, Any],
                  previous: Mapping[str, Any] | None, reference: Reference) -> pd.DataFrame:
    """Trips and leads: this month, January..M and the same months last year, with the YoY (%).

    Figures come from metrics (reporting units); amounts go back to 万元 for the presentation step.

    >>> from helpers.reference import load_reference
    >>> now, before = {"team_trips": {"count": 137}}, {"team_trips": {"count": 100}}
    >>> outreach_rows(("team_trips.count",), {"team_trips": {"count": 20}}, now, before, load_reference()).values.tolist()
    [['team_trips.count', 20, 137, 100, 37.0]]
    """
    def value(figures: Mapping[str, Any] | None, key: str) -> Any:
        found = None if figures is None else get_path(dict(figures), key.replace(".", "/"))
        if found is None:
            return None
        return found * 10_000 if reference.indicator(key).kind == "amount" else found

    rows = []
    for key in keys:
        current = get_path(dict(ytd_metrics), key.replace(".", "/"))
        before = None if previous is None else get_path(dict(previous), key.replace(".", "/"))
        rows.append(
            {
                "indicator": key,
                "month_value": value(month, key),
                "ytd_value": value(ytd_metrics, key),
                "previous_ytd": value(previous, key),
                "yoy_pct": None if current is None else ind.growth_pct(current, before),
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "month_value", "ytd_value", "previous_ytd", "yoy_pct"], dtype=object)


# ------------------------------------------------------------------------------------ tables


def _value(metrics: Mapping[str, Any] | None, breakdown: pd.DataFrame | None, key: str, reference: Reference) -> Any:
    """An indicator's value in 万元 (amounts) or as counted: the units' sum where the county
    breakdown has it (exact 万元), else the metric (reporting units, back to 万元 for amounts)."""
    if metrics is None:
        return None
    if breakdown is not None and key in breakdown.columns:
        return float(breakdown[key].sum())
    found = get_path(dict(metrics), key.replace(".", "/"))
    if found is None:
        return None
    return found * 10_000 if reference.indicator(key).kind == "amount" else found


def _indicator_values(bulletin: Bulletin) -> pd.DataFrame:
    reference = bulletin.reference
    targets = prg.city_targets(bulletin.targets, reference, list(bulletin.settings.indicators))
    rows = []
    for key in bulletin.settings.indicators:
        section, measure = key.split(".")
        rows.append(
            {
                "indicator": key,
                "value": _value(bulletin.metrics, bulletin.breakdown, key, reference),
                "target": targets[key][0],
                "target_basis": targets[key][1],
                "previous_value": _value(bulletin.previous_metrics, bulletin.previous_breakdown, key, reference),
                "rank": bulletin.metrics.get(section, {}).get(f"{measure}_rank"),
            }
        )
    return pd.DataFrame(rows, dtype=object)


def _period_header(bulletin: Bulletin) -> str:
    return f"{bulletin.period.label}累计"


def progress_table(bulletin: Bulletin) -> pd.DataFrame:
    """一、目标任务进展情况: each indicator's January..M value, annual target, completion, 序时进度,
    same period last year, YoY and province rank."""
    values = _indicator_values(bulletin)
    table = indicator_progress(values.drop(columns="target_basis"), bulletin.reference, prg.schedule_pct(bulletin.period))
    basis = [None if b is None else bulletin.settings.labels[f"{b}_target"] for b in values["target_basis"]]
    table.insert(table.columns.get_loc("target") + 1, "target_basis", basis)
    overrides = {"value": _period_header(bulletin), "previous_value": f"{bulletin.period.comparison().label}"}
    shown = present_indicator_rows(table, bulletin.reference, ("value", "target", "previous_value"), overrides)
    return shown.astype({"全省排名": "Int64"}) if "全省排名" in shown.columns else shown


def _status_label(bulletin: Bulletin, status: Any) -> Any:
    return None if status is None else bulletin.settings.labels[status]


def standings_table(bulletin: Bulletin) -> pd.DataFrame:
    """二、各县（市、区）完成情况: weighted completion, gap, place, status and each target indicator's completion."""
    standings = bulletin.standings
    wide = bulletin.progress.pivot(index="county", columns="key", values="completion_pct")
    keys = [spec.key for spec in bulletin.reference.target_indicators()]
    table = standings[["place", "county", "weighted_completion_pct", "gap_pp", "status"]].copy()
    table["status"] = [_status_label(bulletin, s) for s in table["status"]]
    overrides = {}
    for key in keys:
        column = f"completion:{key}"
        table[column] = pd.Series([None if pd.isna(v) else v for v in table["county"].map(wide[key])], index=table.index, dtype=object)
        spec = bulletin.reference.indicator(key)
        overrides[column] = f"{spec.label}{'' if spec.kind == 'amount' else '（' + spec.unit + '数）'}完成率（%）"
    return present(table.astype({"place": object}), bulletin.reference, overrides)


def lists_table(bulletin: Bulletin) -> pd.DataFrame:
    """三、红黑榜: the units of the red and the black list with their weighted completion and gap."""
    table = prg.red_black_lists(bulletin.standings, bulletin.settings.red_list, bulletin.settings.black_list)
    table = table.assign(list=[bulletin.settings.labels[v] for v in table["list"]])
    return present(table, bulletin.reference)


def month_projects_table(bulletin: Bulletin, date_field: str) -> pd.DataFrame:
    """四、本月新签约 (``signed_on``) / 新开工 (``started_on``) 亿元以上项目 of month M."""
    month = Period.month_of(bulletin.year, bulletin.month)
    return present(month_projects(bulletin.current.tables["projects"], bulletin.reference, month, date_field), bulletin.reference)


def month_projects_caption(bulletin: Bulletin, date_field: str) -> str:
    """``6月新签约亿元以上项目（共 n 个，总投资 x 亿元）``."""
    month = Period.month_of(bulletin.year, bulletin.month)
    projects = month_projects(bulletin.current.tables["projects"], bulletin.reference, month, date_field)
    what = {"signed_on": "新签约", "started_on": "新开工"}[date_field]
    total = format_yi(ind.to_yi(projects["total_investment"].sum()))
    return f"{bulletin.month}月{what}亿元以上项目（共{len(projects)}个，总投资{total}亿元）"


def outreach_table(bulletin: Bulletin) -> pd.DataFrame:
    """五、外出招商与项目信息: this month, January..M, the same months last year and the YoY."""
    table = outreach_rows(OUTREACH_KEYS, bulletin.month_metrics, bulletin.metrics, bulletin.previous_metrics, bulletin.reference)
    overrides = {
        "month_value": f"{bulletin.month}月",
        "ytd_value": _period_header(bulletin),
        "previous_ytd": f"{bulletin.period.comparison().label}累计",
    }
    return present_indicator_rows(table, bulletin.reference, ("month_value", "ytd_value", "previous_ytd"), overrides)


def quality_table(bulletin: Bulletin) -> pd.DataFrame:
    """六、数据质量: rows read per sheet and where each went."""
    return present(tables.sheet_counts(bulletin.current, bulletin.reference), bulletin.reference)


def missing_monthly_table(bulletin: Bulletin) -> pd.DataFrame:
    """缺少分月进资: projects with 本年实际进资 but no monthly figures (counted in the whole year only)."""
    projects = ytd.whole_year_only_funds(bulletin.current.tables["projects"], bulletin.current.tables["monthly_funds"])
    columns = ["project_id", "name", "county", "source", "funds_year"]
    table = projects[columns].astype({c: object for c in columns if c != "funds_year"}).reset_index(drop=True)
    return present(table, bulletin.reference)


def target_problems_table(bulletin: Bulletin) -> pd.DataFrame:
    """Targets the completion rates cannot use: missing (“—”) or 0 (a data-quality warning)."""
    problems = prg.target_problems(bulletin.targets, bulletin.reference)
    problems = problems.assign(problem=[bulletin.settings.labels[p] for p in problems["problem"]])
    shown = problems.rename(columns={"key": "indicator"})[["county", "indicator", "problem"]]
    return present_indicator_rows(shown, bulletin.reference, ()).drop(columns=["单位"])


def quarantine_table(bulletin: Bulletin) -> pd.DataFrame:
    return explore.quarantine_table(bulletin.current)


def reconciliation_table(bulletin: Bulletin) -> pd.DataFrame:
    """Computed vs published for this period (this year and, where published, the same months last year)."""
    frames = []
    for year, figures in bulletin.published:
        metrics = bulletin.metrics if year == bulletin.year else bulletin.previous_metrics
        if metrics is None:
            continue
        compared = reconcile(metrics, figures)
        labels = [_path_label(path, bulletin.reference) for path in compared["path"]]
        frames.append(compared.assign(year=f"{year}年{bulletin.period.first_month}—{bulletin.period.last_month}月", indicator=labels))
    columns = ["year", "indicator", "path", "published", "computed", "rule", "match"]
    if not frames:
        return present(pd.DataFrame(columns=columns), bulletin.reference)
    table = pd.concat(frames, ignore_index=True)[columns]
    table = table.assign(
        published=[_figure_text(v) for v in table["published"]],
        computed=[_figure_text(v) for v in table["computed"]],
        match=table["match"].map({True: "一致", False: "⚠ 不一致"}),
    )
    return present(table, bulletin.reference)


def _path_label(path: str, reference: Reference) -> str:
    """A metric path in words: ``outside_province_started/count_rank`` → 省外2000万元以上开工项目（全省排名）."""
    key = path.replace("/", ".")
    if key.endswith("_rank") and key[: -len("_rank")] in reference.indicator_registry:
        return f"{reference.indicator(key[: -len('_rank')]).label}（全省排名）"
    try:
        spec = reference.indicator(key)
    except ReferenceDataError:
        return path
    return spec.column_label


def _figure_text(value: Any) -> str:
    """A figure as the city writes it: 184, 817.61, 131.3; "—" when not available."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "—"
    return format_yi(float(value)) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def report_tables(bulletin: Bulletin) -> dict[str, pd.DataFrame]:
    """Every table of the bulletin, by sheet name (for tables.xlsx)."""
    return {
        "目标任务进展": progress_table(bulletin),
        "各县完成情况": standings_table(bulletin),
        "红黑榜": lists_table(bulletin),
        "本月新签约亿元以上项目": month_projects_table(bulletin, "signed_on"),
        "本月新开工亿元以上项目": month_projects_table(bulletin, "started_on"),
        "外出招商与项目信息": outreach_table(bulletin),
        "数据质量": quality_table(bulletin),
        "缺少分月进资": missing_monthly_table(bulletin),
        "目标任务问题": target_problems_table(bulletin),
        "隔离记录": quarantine_table(bulletin),
        "核对公开数据": reconciliation_table(bulletin),
    }


# ------------------------------------------------------------------------------------ charts


def standings_chart(bulletin: Bulletin) -> Figure:
    """Weighted completion per unit against the 序时进度 line, coloured by status (units with a target)."""
    table = bulletin.standings.dropna(subset=["weighted_completion_pct"])
    labels = bulletin.settings.labels
    data = pd.DataFrame(
        {"county": table["county"], "completion": table["weighted_completion_pct"].astype(float),
         "status": [labels[s] for s in table["status"]]}
    )
    return charts.progress_chart(
        data, "county", "completion", f"{bulletin.period.label}各县（市、区）综合完成率", "综合完成率（%）",
        schedule=prg.schedule_pct(bulletin.period), status="status", status_order=[labels[s] for s in prg.STATUSES],
    )


def missing_monthly_note(bulletin: Bulletin) -> str:
    """One line on the projects without monthly funds (what the period's funds leave out)."""
    projects = ytd.whole_year_only_funds(bulletin.current.tables["projects"], bulletin.current.tables["monthly_funds"])
    if projects.empty:
        return "所有有本年进资的项目均填报了分月进资。"
    where = "已计入全年（1—12月）数" if bulletin.period.is_whole_year else f"未计入{bulletin.period.label}的进资数，只计入全年（1—12月）数"
    return (
        f"{len(projects)}个项目只填报了本年实际进资、未填报分月进资（合计{format_yi(ind.to_yi(projects['funds_year'].sum()))}亿元），"
        f"无法按月拆分，{where}；请补报分月数据。"
    )
