"""The indicator registry (``indicators.csv``): every figure the kit computes, described once.

One row per metric key (``section.measure``, ``*`` for a county, chain or event name): its
Chinese label, the name it has in the 全省对比 / 目标任务 sheets (blank: not used there), unit,
precision, whether the province may rank it, whether it has a year-on-year comparison, its
position in the county breakdown and in the headline table, and whether it is a target indicator
(``target``: the 目标任务 sheet gives each unit an annual target for it; optional column, default
false). Labels, key lists, units and the
validation of the sheets' indicator names are generated from it; ``{small}``, ``{big}`` and
``{large}`` (and ``{band_low}``, ``{band_high}``) in a label or name are the size thresholds of
``thresholds.yaml`` in words; ``{1}``, ``{2}`` in a row with ``*`` are what the ``*`` matched.

>>> size_words({"outside_projects_min": 0.2, "hundred_million_min": 1, "fifty_twenty_min": 20, "big_started_bands": [10, 30]})
{'small': '2000万元', 'big': '亿元', 'large': '20亿元', 'band_low': '10亿元', 'band_high': '30亿元'}
>>> spec = IndicatorSpec("outside_city_projects.funds", "市外2000万元以上项目实际进资", None, "亿元", 2, True, True, 2, 2)
>>> spec.kind, spec.column_label
('amount', '市外2000万元以上项目实际进资（亿元）')
"""

from __future__ import annotations

import fnmatch
import re
import string
from dataclasses import dataclass
from typing import Any

import pandas as pd

from helpers.errors import ReferenceDataError

__all__ = ["ColumnLabel", "IndicatorSpec", "UNITS", "load_column_labels", "load_indicator_registry", "size_words"]

FILE = "indicators.csv"
COLUMNS = ["key", "label", "name", "unit", "precision", "ranked", "yoy", "breakdown", "headline"]
OPTIONAL_COLUMNS = {"target": "false"}
#: The units a figure may have; 亿元 is the only amount unit of reports (万元 inside). A 亿美元
#: figure (实际利用外资) is held in its own unit: US dollars are never mixed into 万元.
UNITS = ("个", "亿元", "亿美元", "%", "百分点", "次", "数值", "文本", "日期")
SIZE_WORDS = ("small", "big", "large")


@dataclass(frozen=True)
class IndicatorSpec:
    """One row of the registry (labels already carry the thresholds in words)."""

    key: str
    label: str
    name: str | None  # the indicator's name in the 全省对比 / 目标任务 sheets
    unit: str
    precision: int | None
    ranked: bool
    yoy: bool
    breakdown: int | None  # column position in the county breakdown
    headline: int | None  # row position in the headline table
    target: bool = False  # the 目标任务 sheet carries an annual target for it (monthly bulletin)

    @property
    def kind(self) -> str:
        """``amount`` (亿元 in reports, 万元 inside) or ``count`` (every other number)."""
        return "amount" if self.unit == "亿元" else "count"

    @property
    def column_label(self) -> str:
        """The label with its unit, as a table header: ``省外2000万元以上项目（个）``."""
        return f"{self.label}（{self.unit}）"

    def matches(self, key: str) -> bool:
        return fnmatch.fnmatchcase(key, self.key) if "*" in self.key else key == self.key

    def captures(self, key: str) -> tuple[str, ...] | None:
        """The segments of ``key`` that this row's ``*`` stand for (None: no match).

        >>> IndicatorSpec("event_signings.*.count", "{1}签约项目", None, "个", 0, False, False, None, None).captures(
        ...     "event_signings.庐山论坛.count")
        ('庐山论坛',)
        """
        pattern = "^" + r"\.".join("([^.]+)" if part == "*" else re.escape(part) for part in self.key.split(".")) + "$"
        match = re.match(pattern, key)
        return None if match is None else match.groups()


def size_words(thresholds: dict[str, Any]) -> dict[str, str]:
    """How the size thresholds read in labels: 0.2 亿 → "2000万元", 1 亿 → "亿元", 20 亿 → "20亿元"."""

    def words(yi: float) -> str:
        if yi == 1:
            return "亿元"
        return f"{yi * 10_000:g}万元" if yi < 1 else f"{yi:g}亿元"

    low, high = (float(band) for band in thresholds.get("big_started_bands", [10, 30]))
    return {
        "small": words(float(thresholds["outside_projects_min"])),
        "big": words(float(thresholds["hundred_million_min"])),
        "large": words(float(thresholds["fifty_twenty_min"])),
        "band_low": words(low),
        "band_high": words(high),
    }


def _fill(text: str, words: dict[str, str], row: int, column: str, file: str = FILE) -> str:
    """``text`` with the threshold words in; an unknown placeholder is an error naming the cell."""
    fields = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    unknown = sorted(f for f in fields - set(words) if not f.isdigit())  # {1}, {2}: a key's * segments
    if unknown:
        where = f"{file} 第 {row} 行: 列 {column}" if row else f"{file}: {column}"
        raise ReferenceDataError(f"{where} 的占位符 {{{unknown[0]}}} 未知；可用：{'、'.join('{' + w + '}' for w in words)}")
    return re.sub(r"\{(" + "|".join(words) + r")\}", lambda m: words[m.group(1)], text)


def _flag(value: str, row: int, column: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in ("true", "false"):
        raise ReferenceDataError(f"{FILE} 第 {row} 行: 列 {column} 应为 true/false，实为 {value!r}")
    return lowered == "true"


def _position(value: str, row: int, column: str) -> int | None:
    if value == "":
        return None
    if not value.isdigit() or int(value) < 1:
        raise ReferenceDataError(f"{FILE} 第 {row} 行: 列 {column} 应为正整数（位置）或留空，实为 {value!r}")
    return int(value)


def load_indicator_registry(frame: pd.DataFrame, thresholds: dict[str, Any]) -> dict[str, IndicatorSpec]:
    """The registry from the rows of ``indicators.csv`` (strings), validated; key → spec in file order."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ReferenceDataError(f"{FILE}: 缺少列 {missing}；现有列 {list(frame.columns)}")
    frame = frame.assign(**{c: default for c, default in OPTIONAL_COLUMNS.items() if c not in frame.columns})
    words = size_words(thresholds)
    registry: dict[str, IndicatorSpec] = {}
    names: dict[str, int] = {}
    positions: dict[str, dict[int, int]] = {"breakdown": {}, "headline": {}}
    for index, values in enumerate(frame[[*COLUMNS, *OPTIONAL_COLUMNS]].itertuples(index=False)):
        row = index + 2  # the header is line 1, as Excel shows it
        key, label, name, unit, precision, ranked, yoy, breakdown, headline, target = values
        if not key or not label:
            raise ReferenceDataError(f"{FILE} 第 {row} 行: 列 {'key' if not key else 'label'} 为空")
        if key in registry:
            raise ReferenceDataError(f"{FILE} 第 {row} 行: 指标 {key} 重复")
        if unit not in UNITS:
            raise ReferenceDataError(f"{FILE} 第 {row} 行: 单位 {unit!r} 不可用；可用：{'、'.join(UNITS)}")
        if precision not in ("", "0", "1", "2", "3", "4"):
            raise ReferenceDataError(f"{FILE} 第 {row} 行: 列 precision 应为 0–4 的整数或留空，实为 {precision!r}")
        spec = IndicatorSpec(
            key=key,
            label=_fill(label, words, row, "label"),
            name=_fill(name, words, row, "name") or None,
            unit=unit,
            precision=int(precision) if precision else None,
            ranked=_flag(ranked, row, "ranked"),
            yoy=_flag(yoy, row, "yoy"),
            breakdown=_position(breakdown, row, "breakdown"),
            headline=_position(headline, row, "headline"),
            target=_flag(target or "false", row, "target"),
        )
        if spec.name is not None:
            if spec.name in names:
                raise ReferenceDataError(f"{FILE} 第 {row} 行: 名称 {spec.name} 与第 {names[spec.name]} 行重复")
            names[spec.name] = row
        if spec.ranked and spec.name is None:
            raise ReferenceDataError(f"{FILE} 第 {row} 行: 可排名（ranked）的指标须有全省对比表中的名称（name）")
        for column in ("breakdown", "headline"):
            position = getattr(spec, column)
            if position is not None:
                if position in positions[column]:
                    raise ReferenceDataError(f"{FILE} 第 {row} 行: 列 {column} 的位置 {position} 与第 {positions[column][position]} 行重复")
                positions[column][position] = row
        if "*" in key and (spec.name or spec.breakdown or spec.headline or spec.ranked or spec.target):
            raise ReferenceDataError(f"{FILE} 第 {row} 行: 含 * 的键只用于说明，不能有名称、排名、目标或表中位置")
        if spec.target and spec.name is None:
            raise ReferenceDataError(f"{FILE} 第 {row} 行: 目标指标（target）须有目标任务表中的名称（name）")
        registry[key] = spec
    return registry


@dataclass(frozen=True)
class ColumnLabel:
    """How a table column reads: its label and unit (None: no unit); 亿元 marks an amount.

    >>> ColumnLabel("总投资", "亿元").header, ColumnLabel("县（市、区）").header
    ('总投资（亿元）', '县（市、区）')
    """

    label: str
    unit: str | None = None

    @property
    def header(self) -> str:
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    @property
    def is_amount(self) -> bool:
        return self.unit == "亿元"


def load_column_labels(
    content: dict[str, Any], thresholds: dict[str, Any], file: str = "labels.yaml"
) -> dict[str, ColumnLabel]:
    """``labels.yaml`` (column key → {label, unit}) checked: a label is text (``{large}`` etc. are
    the thresholds in words), a unit one of :data:`UNITS`."""
    words = size_words(thresholds)
    labels: dict[str, ColumnLabel] = {}
    for key, entry in content.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("label"), str) or not entry["label"].strip():
            raise ReferenceDataError(f"{file}: {key} 应写成 {{label: 中文名, unit: 单位}}，实为 {entry!r}")
        unit = entry.get("unit")
        if unit is not None and str(unit) not in UNITS:
            raise ReferenceDataError(f"{file}: {key} 的单位 {unit!r} 不可用；可用：{'、'.join(UNITS)}")
        label = _fill(entry["label"].strip(), words, 0, str(key), file)
        labels[str(key)] = ColumnLabel(label, None if unit is None else str(unit))
    return labels
