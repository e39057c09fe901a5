"""Reference data (``data/reference/``): the single place where anything city-specific lives.

Every table is validated on load; a broken table stops with a message naming the file,
the row and the column. Lookups that map an alias to its canonical name are built here,
so the cleaning code never carries a name of its own.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from helpers.errors import ReferenceDataError
from helpers.normalize import NameIndex, match_name
from helpers.paths import default_reference_dir
from helpers.reference.indicators import ColumnLabel, IndicatorSpec, load_column_labels, load_indicator_registry, size_words
from helpers.reference.ledger_format import validate_ledger_format
from helpers.reference.roles import validate_roles

ALIAS_SEPARATOR = "|"
RATE_COLUMNS = ["year", "through_month", "cny_per_usd", "note"]


# Thresholds that are counts of years, not amounts: how far from the ledger's year a date may lie
# before it is reported (签约日期 2099 in the 2022 ledger).
DATE_WINDOW_KEYS = ("date_window_years_before", "date_window_years_after")

# Analysts save the CSVs from Excel/WPS: UTF-8 (with or without BOM) or, on Chinese Windows, GB18030/GBK.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")



def _decode(path: Path) -> str:
    """The text of ``path``: UTF-8 (BOM or not), else GB18030 (Excel's default on Chinese Windows)."""
    data = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReferenceDataError(f"{path.name}: 无法识别文件编码（应为 UTF-8 或 GB18030/GBK），请在 Excel 中另存为“CSV UTF-8”")


def _check_field_counts(text: str, file: str) -> None:
    """Every data row has as many fields as the header: pandas would silently take a first data row
    with one field too many for an index column (shifting every column), and fill short rows."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        return
    for row in reader:
        if len(row) > len(header):
            raise ReferenceDataError(
                f"{file} 第 {reader.line_num} 行: 有 {len(row)} 个字段，表头只有 {len(header)} 列（多了逗号？含逗号的值需加英文双引号）"
            )
        if row and len(row) < len(header) and any(cell.strip() for cell in row):
            raise ReferenceDataError(f"{file} 第 {reader.line_num} 行: 只有 {len(row)} 个字段，表头有 {len(header)} 列（少了逗号？）")


def _read_csv(path: Path, required: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise ReferenceDataError(f"参考数据缺失：{path}")
    text = _decode(path)
    try:
        _check_field_counts(text, path.name)
    except csv.Error as error:
        raise ReferenceDataError(f"{path.name}: 不是有效的 CSV（{error}）") from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise ReferenceDataError(f"{path.name}: 文件为空") from None
    except pd.errors.ParserError as error:
        fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if fields:  # pandas counts file lines from 1 with the header as line 1, as Excel does
            expected, line, saw = fields.groups()
            raise ReferenceDataError(
                f"{path.name} 第 {line} 行: 有 {saw} 个字段，表头只有 {expected} 列（多了逗号？含逗号的值需加英文双引号）"
            ) from None
        detail = " ".join(str(error).split())
        raise ReferenceDataError(f"{path.name}: 不是有效的 CSV（{detail}）") from None
    frame = frame.map(str.strip)
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{path.name}: 缺少列 {missing}；现有列 {list(frame.columns)}")
    for column in required:
        if column == "aliases" or column == "code":
            continue
        empty = frame.index[frame[column] == ""].tolist()
        if empty and column in ("name", "indicator", "key", "weight", "year", "start", "end"):
            raise ReferenceDataError(f"{path.name} 第 {empty[0] + 2} 行: 列 {column} 为空")
    return frame


def read_csv_table(path: Path, required: list[str]) -> pd.DataFrame:
    """A reference CSV as text cells (UTF-8 or GB18030), with its required columns checked."""
    return _read_csv(path, required)


def safe_load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with libyaml's parser where PyYAML has it (ten times faster; the same
    constructor, so the same values); a document it refuses is parsed again by the pure-Python
    parser, whose error (line, column, problem) is the one raised.

    >>> safe_load_yaml("city: 九江市\\nyears: [2022, 2023]")
    {'city': '九江市', 'years': [2022, 2023]}
    """
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)  # noqa: S506 — CSafeLoader is the safe loader
        except yaml.YAMLError:
            pass  # the pure parser's message, below
    return yaml.safe_load(text)


def _read_yaml(path: Path) -> dict[str, Any]:
    """A YAML file whose top level is a mapping; any other content is a ReferenceDataError."""
    if not path.is_file():
        raise ReferenceDataError(f"参考数据缺失：{path}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReferenceDataError(f"{path.name}: 不是 UTF-8 编码（第 {error.start} 字节）") from None
    try:
        content = safe_load_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = f" 第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
        problem = getattr(error, "problem", None) or getattr(error, "context", None) or type(error).__name__
        raise ReferenceDataError(f"{path.name}{where}: YAML 格式错误（{' '.join(str(problem).split())}）") from None
    if not isinstance(content, dict):
        raise ReferenceDataError(f"{path.name}: 顶层应为“键: 值”映射，实为 {_yaml_type(content)}")
    return content


def read_yaml(path: Path) -> dict[str, Any]:
    """A YAML file whose top level is a mapping (a published-figures file, a reference table);
    missing, undecodable or malformed is a one-line ReferenceDataError naming line and column."""
    return _read_yaml(Path(path))


def _yaml_type(value: Any) -> str:
    if value is None:
        return "空内容"
    if isinstance(value, list):
        return "列表"
    return f"{type(value).__name__} {str(value)[:30]!r}"


def _unique(frame: pd.DataFrame, column: str, file: str) -> None:
    duplicated = frame[frame[column].duplicated()][column].tolist()
    if duplicated:
        raise ReferenceDataError(f"{file}: 列 {column} 有重复值 {duplicated}")


def _flag(frame: pd.DataFrame, column: str, file: str) -> pd.Series:
    values = frame[column].str.lower()
    bad = frame.index[~values.isin(["true", "false"])].tolist()
    if bad:
        raise ReferenceDataError(f"{file} 第 {bad[0] + 2} 行: 列 {column} 应为 true/false，实为 {frame.at[bad[0], column]!r}")
    return values == "true"


def _dates(frame: pd.DataFrame, column: str, file: str) -> pd.Series:
    parsed = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
    bad = frame.index[parsed.isna() & (frame[column] != "")].tolist()
    if bad:
        raise ReferenceDataError(f"{file} 第 {bad[0] + 2} 行: 列 {column} 不是 YYYY-MM-DD 日期：{frame.at[bad[0], column]!r}")
    return parsed


def _integers(frame: pd.DataFrame, column: str, file: str) -> pd.Series:
    """``column`` as int; a cell that is not a whole number (e.g. ``2022年``) is a ReferenceDataError."""
    values = []
    for index, cell in frame[column].items():
        try:
            values.append(int(cell))
        except ValueError:
            raise ReferenceDataError(f"{file} 第 {index + 2} 行: 列 {column} 应为整数，实为 {cell!r}") from None
    return pd.Series(values, index=frame.index, dtype="int64")


def _numbers(frame: pd.DataFrame, column: str, file: str) -> pd.Series:
    """``column`` as a finite number; a cell like ``三十`` or ``30%`` is a ReferenceDataError."""
    parsed = pd.to_numeric(frame[column], errors="coerce")
    bad = frame.index[parsed.isna() | parsed.isin([float("inf"), float("-inf")])].tolist()
    if bad:
        raise ReferenceDataError(f"{file} 第 {bad[0] + 2} 行: 列 {column} 应为数字，实为 {frame.at[bad[0], column]!r}")
    return parsed


def alias_map(frame: pd.DataFrame, file: str) -> dict[str, str]:
    """Alias (and canonical name) → canonical name, from ``name`` and ``aliases`` columns.

    >>> alias_map(pd.DataFrame({"name": ["濂溪区"], "aliases": ["庐山区|濂溪"]}), "units.csv")
    {'濂溪区': '濂溪区', '庐山区': '濂溪区', '濂溪': '濂溪区'}
    """
    mapping: dict[str, str] = {}
    for row_number, (name, aliases) in enumerate(zip(frame["name"], frame.get("aliases", [""] * len(frame)), strict=True), start=2):
        for alias in [name, *[a.strip() for a in str(aliases).split(ALIAS_SEPARATOR) if a.strip()]]:
            if mapping.get(alias, name) != name:
                raise ReferenceDataError(f"{file} 第 {row_number} 行: 别名 {alias!r} 同时指向 {mapping[alias]!r} 和 {name!r}")
            mapping[alias] = name
    return mapping


@dataclass(frozen=True)
class Reference:
    """All reference tables of one city, validated."""

    directory: Path
    settings: dict[str, Any]
    units: pd.DataFrame
    cities: pd.DataFrame
    industries: pd.DataFrame
    chains: pd.DataFrame
    events: pd.DataFrame
    campaigns: pd.DataFrame
    thresholds: dict[str, Any]
    indicators: pd.DataFrame
    weights: pd.DataFrame
    categories: dict[str, dict[str, list[str]]]
    ledger_format: dict[str, Any] = field(repr=False)
    roles: dict[str, dict[str, tuple[str, ...]]] = field(repr=False, default_factory=dict)
    indicator_registry: dict[str, IndicatorSpec] = field(repr=False, default_factory=dict)
    column_labels: dict[str, ColumnLabel] = field(repr=False, default_factory=dict)
    # year, through_month (NA: any period of the year), cny_per_usd: 人民币元 per US dollar
    exchange_rates: pd.DataFrame = field(repr=False, default_factory=lambda: pd.DataFrame(columns=RATE_COLUMNS))

    @property
    def city(self) -> str:
        return str(self.settings["city"])

    @property
    def default_year(self) -> int:
        return int(self.settings["default_year"])

    def indicator(self, key: str) -> IndicatorSpec:
        """The registry entry of a metric key (``outside_province_projects.funds``; a county's
        ``by_county.瑞昌市.x`` matches the ``by_county.*.*`` row)."""
        spec = self.indicator_registry.get(key)
        if spec is None:
            spec = next((s for s in self._wildcard_indicators if s.matches(key)), None)
        if spec is None:
            raise ReferenceDataError(f"indicators.csv: 没有指标 {key}（请在指标登记表中补充该行）")
        return spec

    @cached_property
    def _wildcard_indicators(self) -> tuple[IndicatorSpec, ...]:
        """The registry rows with ``*`` (a county's, chain's or event's figures), in file order:
        a key not in the registry is matched against these only."""
        return tuple(spec for spec in self.indicator_registry.values() if "*" in spec.key)

    def breakdown_indicators(self) -> list[IndicatorSpec]:
        """The columns of the county breakdown, in their registry order."""
        return sorted((s for s in self.indicator_registry.values() if s.breakdown), key=lambda s: s.breakdown or 0)

    def headline_indicators(self) -> list[IndicatorSpec]:
        """The rows of the headline table (主要指标), in their registry order."""
        return sorted((s for s in self.indicator_registry.values() if s.headline), key=lambda s: s.headline or 0)

    @cached_property
    def size_words(self) -> dict[str, str]:
        """The size thresholds in words (``{"small": "2000万元", "big": "亿元", "large": "20亿元"}``)."""
        return size_words(self.thresholds)

    def values_with_role(self, vocabulary: str, role: str) -> tuple[str, ...]:
        """The canonical values of ``vocabulary`` that play ``role`` (``roles.yaml``).

        >>> load_reference().values_with_role("source", "outside_city")
        ('省内市外', '省外')
        """
        try:
            return self.roles[vocabulary][role]
        except KeyError:  # validate_roles makes every required role present: this is a bug
            raise KeyError(f"roles.yaml has no role {vocabulary}/{role}; add it to REQUIRED_ROLES") from None

    def date_window(self, year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last day a date of ``year``'s ledger may plausibly have (``thresholds.yaml``).

        >>> [d.date().isoformat() for d in load_reference().date_window(2022)]
        ['2012-01-01', '2023-12-31']
        """
        before, after = (int(self.thresholds[key]) for key in DATE_WINDOW_KEYS)
        return pd.Timestamp(year - before, 1, 1), pd.Timestamp(year + after, 12, 31)

    def threshold_wan(self, name: str) -> float:
        """A size threshold of ``thresholds.yaml`` converted from 亿元 to 万元."""
        return float(self.thresholds[name]) * 10_000

    @cached_property
    def lookups(self) -> dict[str, dict[str, str]]:
        """Alias → canonical maps keyed by value type (``county``, ``industry``, ``category:source`` …)."""
        maps = {
            "county": alias_map(self.units, "units.csv"),
            "city": alias_map(self.cities, "cities.csv"),
            "industry": alias_map(self.industries, "industries.csv"),
            "chain": alias_map(self.chains, "chains.csv"),
            "event": alias_map(self.events, "events.csv"),
            "indicator": alias_map(self.indicators.assign(aliases=""), "indicators.csv"),
        }
        for vocabulary, values in self.categories.items():
            frame = pd.DataFrame(
                {"name": list(values), "aliases": [ALIAS_SEPARATOR.join(a or []) for a in values.values()]}
            )
            maps[f"category:{vocabulary}"] = alias_map(frame, f"categories.yaml/{vocabulary}")
        return maps

    @cached_property
    def name_indexes(self) -> dict[str, NameIndex]:
        """The ``lookups`` prepared for fast matching of raw cells (see ``parsers.NameIndex``)."""
        return {kind: NameIndex(aliases) for kind, aliases in self.lookups.items()}

    @cached_property
    def emerging_industries(self) -> frozenset[str]:
        return frozenset(self.industries.loc[self.industries["emerging"], "name"])

    @cached_property
    def digital_industries(self) -> frozenset[str]:
        return frozenset(self.industries.loc[self.industries["digital"], "name"])

    @cached_property
    def indicator_kinds(self) -> dict[str, str]:
        """Chinese indicator name → ``count`` or ``amount``."""
        return dict(zip(self.indicators["name"], self.indicators["kind"], strict=True))

    def target_indicators(self) -> list[IndicatorSpec]:
        """The indicators the 目标任务 sheet sets annual targets for (``target`` column), in registry order."""
        return [s for s in self.indicator_registry.values() if s.target]

    def cny_per_usd(self, year: int, through_month: int = 12) -> float | None:
        """The rate (人民币元 per US dollar) that converts the 境外 funds of January..``through_month``
        of ``year`` (``exchange_rates.csv``): the row for that month, else the year's row; None
        when the table has neither (the USD figure is then not available, never a guess).

        >>> load_reference().cny_per_usd(2022), load_reference().cny_per_usd(2031)
        (6.7261, None)
        """
        rates = self.exchange_rates[self.exchange_rates["year"] == year]
        exact = rates[(rates["through_month"] == through_month).fillna(False).astype(bool)]
        general = rates[rates["through_month"].isna()]
        chosen = exact if len(exact) else general
        return float(chosen["cny_per_usd"].iloc[0]) if len(chosen) else None

    def campaign(self, year: int) -> dict[str, Any] | None:
        """The campaign window of ``year`` (name, start, end) or None."""
        rows = self.campaigns[self.campaigns["year"] == year]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return {"name": row["name"], "start": row["start"], "end": row["end"]}


def load_reference(reference_dir: Path | None = None) -> Reference:
    """Load and validate every table of ``data/reference/``."""
    directory = Path(reference_dir) if reference_dir else default_reference_dir()
    if not directory.is_dir():
        raise ReferenceDataError(f"参考数据目录不存在：{directory}")
    settings = _read_yaml(directory / "settings.yaml")
    for key in ("city", "province", "default_year"):
        if key not in settings:
            raise ReferenceDataError(f"settings.yaml: 缺少 {key}")
    if isinstance(settings["default_year"], bool) or not isinstance(settings["default_year"], int):
        raise ReferenceDataError(f"settings.yaml: default_year 应为整数，实为 {settings['default_year']!r}")

    units = _read_csv(directory / "units.csv", ["name", "code", "kind", "aliases"])
    _unique(units, "name", "units.csv")
    cities = _read_csv(directory / "cities.csv", ["name", "aliases"])
    _unique(cities, "name", "cities.csv")
    if settings["city"] not in set(cities["name"]):
        raise ReferenceDataError(f"cities.csv: 未列出本市 {settings['city']}")

    industries = _read_csv(directory / "industries.csv", ["name", "emerging", "digital", "aliases"])
    _unique(industries, "name", "industries.csv")
    industries = industries.assign(
        emerging=_flag(industries, "emerging", "industries.csv"), digital=_flag(industries, "digital", "industries.csv")
    )
    chains = _read_csv(directory / "chains.csv", ["name", "scope", "county", "team", "aliases"])
    _unique(chains, "name", "chains.csv")
    bad_scope = chains.index[~chains["scope"].isin(["city", "county"])].tolist()
    if bad_scope:
        raise ReferenceDataError(f"chains.csv 第 {bad_scope[0] + 2} 行: scope 应为 city 或 county")
    unit_names = alias_map(units, "units.csv")
    for row, county in zip(chains.index, chains["county"], strict=True):
        if county and match_name(county, unit_names) is None:  # a typo would leave the chain without its unit
            raise ReferenceDataError(f"chains.csv 第 {row + 2} 行: 县区 {county} 不在 units.csv 中（名称或别名）")

    events = _read_csv(directory / "events.csv", ["name", "date", "aliases"])
    _unique(events, "name", "events.csv")
    events = events.assign(date=_dates(events, "date", "events.csv"))
    campaigns = _read_csv(directory / "campaigns.csv", ["year", "name", "start", "end"])
    campaigns = campaigns.assign(
        year=_integers(campaigns, "year", "campaigns.csv"),
        start=_dates(campaigns, "start", "campaigns.csv"),
        end=_dates(campaigns, "end", "campaigns.csv"),
    )
    reversed_windows = campaigns.index[campaigns["start"] > campaigns["end"]].tolist()
    if reversed_windows:
        raise ReferenceDataError(f"campaigns.csv 第 {reversed_windows[0] + 2} 行: 开始日期晚于结束日期")
    repeated = campaigns.index[campaigns["year"].duplicated()].tolist()
    if repeated:
        year = campaigns.at[repeated[0], "year"]
        first = campaigns.index[campaigns["year"] == year][0]
        raise ReferenceDataError(f"campaigns.csv 第 {repeated[0] + 2} 行: {year} 年已有攻坚行动（第 {first + 2} 行）；每年只能有一行")

    thresholds = _read_yaml(directory / "thresholds.yaml")
    for key in ("outside_projects_min", "hundred_million_min", "fifty_twenty_min", "tier_50_min", "tier_100_min", "big_started_bands"):
        if key not in thresholds:
            raise ReferenceDataError(f"thresholds.yaml: 缺少 {key}")
        values = thresholds[key] if key == "big_started_bands" else [thresholds[key]]
        if not isinstance(values, list) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
        ):
            raise ReferenceDataError(f"thresholds.yaml: {key} 应为数字（亿元），实为 {thresholds[key]!r}")
        if not values or any(v <= 0 for v in values):
            raise ReferenceDataError(f"thresholds.yaml: {key} 应为正数（亿元），实为 {thresholds[key]!r}")
    bands = thresholds["big_started_bands"]
    if any(lower >= upper for lower, upper in zip(bands, bands[1:], strict=False)):
        raise ReferenceDataError(f"thresholds.yaml: big_started_bands 应从小到大排列（如 [10, 30]），实为 {bands!r}")
    tiers = ("outside_projects_min", "hundred_million_min", "fifty_twenty_min", "tier_50_min", "tier_100_min")
    for lower, upper in zip(tiers, tiers[1:], strict=False):  # each band inside the one before
        if thresholds[lower] >= thresholds[upper]:
            raise ReferenceDataError(
                f"thresholds.yaml: {lower}（{thresholds[lower]}）应小于 {upper}（{thresholds[upper]}）：规模门槛须从小到大"
            )
    for key in DATE_WINDOW_KEYS:
        value = thresholds.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            shown = "缺少该项" if key not in thresholds else f"实为 {value!r}"
            raise ReferenceDataError(f"thresholds.yaml: {key} 应为 0–100 之间的整数（年），{shown}")

    registry = load_indicator_registry(_read_csv(directory / "indicators.csv", []), thresholds)
    indicators = pd.DataFrame(
        [{"name": spec.name, "key": spec.key, "kind": spec.kind, "unit": spec.unit} for spec in registry.values() if spec.name],
        columns=["name", "key", "kind", "unit"],
    )
    weights = _read_csv(directory / "assessment_weights.csv", ["indicator", "weight"])
    weights = weights.assign(weight=_numbers(weights, "weight", "assessment_weights.csv"))
    negative = weights.index[weights["weight"] < 0].tolist()
    if negative:
        raise ReferenceDataError(f"assessment_weights.csv 第 {negative[0] + 2} 行: 权重不能为负数（{weights.at[negative[0], 'weight']:g}）")
    # an indicator may be given by its key (threshold-proof) or by its name in the sheets
    names_by_key = {spec.key: spec.name for spec in registry.values() if spec.name}
    weights = weights.assign(indicator=[names_by_key.get(value, value) for value in weights["indicator"]])
    unknown = sorted(set(weights["indicator"]) - set(indicators["name"]))
    if unknown:
        raise ReferenceDataError(f"assessment_weights.csv: 指标 {unknown} 不在 indicators.csv 中")
    repeated = weights.index[weights["indicator"].duplicated()].tolist()
    if repeated:
        name = weights.at[repeated[0], "indicator"]
        first = weights.index[weights["indicator"] == name][0]
        where = f"assessment_weights.csv 第 {repeated[0] + 2} 行"
        raise ReferenceDataError(f"{where}: 指标 {name} 已有权重（第 {first + 2} 行）；每个指标只能有一行")

    categories = _read_yaml(directory / "categories.yaml")
    for vocabulary, values in categories.items():
        if not isinstance(values, dict):
            raise ReferenceDataError(f"categories.yaml: {vocabulary} 应为“规范值: [别名…]”映射，实为 {_yaml_type(values)}")
        for name, aliases in values.items():
            if aliases is not None and not isinstance(aliases, list):
                raise ReferenceDataError(f"categories.yaml: {vocabulary}/{name} 的别名应为列表，实为 {aliases!r}")
    roles = validate_roles(_read_yaml(directory / "roles.yaml"), categories)
    ledger_format = validate_ledger_format(
        _read_yaml(directory / "ledger_format.yaml"), categories, (directory / "ledger_format.yaml").read_text(encoding="utf-8-sig")
    )

    return Reference(
        directory=directory,
        settings=settings,
        units=units,
        cities=cities,
        industries=industries,
        chains=chains,
        events=events,
        campaigns=campaigns,
        thresholds=thresholds,
        indicators=indicators,
        weights=weights,
        categories=categories,
        ledger_format=ledger_format,
        roles=roles,
        indicator_registry=registry,
        column_labels=load_column_labels(_read_yaml(directory / "labels.yaml"), thresholds),
        exchange_rates=_exchange_rates(directory / "exchange_rates.csv"),
    )


def _exchange_rates(path: Path) -> pd.DataFrame:
    """``exchange_rates.csv`` checked (optional: without it USD figures are not available).

    One row per year (``through_month`` blank) or per year-to-date period (``through_month`` 1–12),
    ``cny_per_usd`` a positive number; a year or period listed twice is an error.
    """
    file = path.name
    if not path.is_file():
        return pd.DataFrame(columns=RATE_COLUMNS)
    rates = _read_csv(path, ["year", "through_month", "cny_per_usd"])
    months = pd.Series(pd.NA, index=rates.index, dtype="Int64")
    given = rates["through_month"] != ""
    if given.any():
        months[given] = _integers(rates[given], "through_month", file)
    bad_month = rates.index[months.notna() & ~months.between(1, 12)].tolist()
    if bad_month:
        raise ReferenceDataError(f"{file} 第 {bad_month[0] + 2} 行: 列 through_month 应为 1–12 或留空")
    values = _numbers(rates, "cny_per_usd", file)
    if (values <= 0).any():
        raise ReferenceDataError(f"{file} 第 {rates.index[values <= 0][0] + 2} 行: 列 cny_per_usd 须大于0")
    table = pd.DataFrame(
        {"year": _integers(rates, "year", file), "through_month": months, "cny_per_usd": values.astype(float),
         "note": rates["note"] if "note" in rates.columns else ""}
    )
    duplicated = table.index[table.duplicated(["year", "through_month"])].tolist()
    if duplicated:
        raise ReferenceDataError(f"{file} 第 {duplicated[0] + 2} 行: 年度与截至月份重复")
    return table
