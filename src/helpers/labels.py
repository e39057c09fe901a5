"""Chinese names for machine keys: metric paths (``outside_city_projects/count``) and notebook
parameters (``year``), from the reference data.

``metric_label`` looks a path up in ``indicators.csv`` first, then in ``metric_names.csv``
(exact keys before patterns; ``*`` stands for one path segment or the rest of one, ``{1}``,
``{2}`` for what it matched, translated through the single-word rows of the same table when
one exists, else kept as it is — county, event and chain names are data). A path with no row
at all gets a name built from its segments, so a new metric is never shown as a bare key.
A reference folder without these (city-independent) tables uses the project's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.paths import default_reference_dir
from helpers.reference import Reference, _read_csv

__all__ = ["metric_label", "sum_label", "parameter_labels", "KIND_UNITS"]

#: Unit of an ``indicators.csv`` kind.
KIND_UNITS = {"count": "个", "amount": "亿元"}


def _table(reference: Reference, name: str, columns: list[str]) -> pd.DataFrame:
    """A reference table of ``reference``'s folder, else of the project's ``data/reference/``."""
    path = Path(reference.directory) / name
    if not path.is_file():
        path = default_reference_dir() / name
    return _read_csv(path, columns)


def _words(reference: Reference) -> dict[str, str]:
    """Placeholders of the names: size thresholds as they read in labels."""
    from helpers.metrics import size_words

    low, high = (float(b) for b in reference.thresholds["big_started_bands"])
    return {**size_words(reference), "band_low": f"{low:g}亿元", "band_high": f"{high:g}亿元"}


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders (unknown ones and any other braces stay as written)."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def _pattern(key: str) -> re.Pattern[str]:
    parts = [re.escape(part).replace(r"\*", "(.+)") for part in key.split("/")]
    return re.compile("^" + "/".join(part.replace("(.+)", "([^/]+)") for part in parts) + "$")


def metric_label(path: str, reference: Reference) -> tuple[str, str]:
    """(Chinese name, unit) of a metric path.

    >>> from helpers.reference import load_reference
    >>> reference = load_reference()
    >>> metric_label("outside_province_projects/funds_rank", reference)
    ('省外2000万元以上项目实际进资全省排名', '位')
    >>> metric_label("campaign/by_county/瑞昌市/signed_tier_100", reference)
    ('攻坚行动期间瑞昌市签约“100”项目', '个')
    >>> metric_label("campaign/新指标/甲", reference)
    ('攻坚行动·新指标·甲', '')
    """
    indicators = reference.indicators
    for name, key, kind in indicators[["name", "key", "kind"]].itertuples(index=False):
        if key.replace(".", "/") == path:
            return name, KIND_UNITS.get(kind, "")
    table = _table(reference, "metric_names.csv", ["key", "name", "unit"])
    words = dict(zip(table["key"], table["name"]))
    values = _words(reference)
    exact = table[table["key"] == path]
    rows = exact if len(exact) else table[table["key"].str.contains("/", regex=False) & table["key"].str.contains("*", regex=False)]
    for key, name, unit in rows[["key", "name", "unit"]].itertuples(index=False):
        match = _pattern(key).match(path)
        if match:
            captured = {str(i): words.get(v, v) for i, v in enumerate(match.groups(), start=1)}
            return _fill(name, {**values, **captured}), unit
    return "·".join(_fill(words.get(part, part), values) for part in path.split("/")), ""


def sum_label(paths: list[str], reference: Reference) -> tuple[str, str]:
    """Name and unit of a published sum over several paths: the shared wording named once.

    >>> from helpers.reference import load_reference
    >>> sum_label(["event_signings/甲论坛/total_investment", "event_signings/乙大会/total_investment"], load_reference())
    ('甲论坛、乙大会签约金额合计', '亿元')
    """
    labels = [metric_label(p, reference) for p in paths]
    units = {unit for _, unit in labels}
    unit = units.pop() if len(units) == 1 else ""
    shapes = {re.sub(r"[^/]+", "*", p) for p in paths}
    parts = [p.split("/") for p in paths]
    varying = [i for i in range(len(parts[0])) if len({tuple(p)[i] for p in parts}) > 1] if len(shapes) == 1 else []
    if len(varying) == 1:
        i = varying[0]
        template = "/".join("\0" if k == i else seg for k, seg in enumerate(parts[0]))
        probe, _ = metric_label(template.replace("\0", "\1"), reference)
        if probe.count("\1") == 1:
            return probe.replace("\1", "、".join(p[i] for p in parts)) + "合计", unit
    return "、".join(name for name, _ in labels) + "合计", unit


def parameter_labels(reference: Reference) -> dict[str, str]:
    """Notebook parameter name → Chinese label (``parameters.csv``)."""
    table = _table(reference, "parameters.csv", ["name", "label"])
    return dict(zip(table["name"], table["label"]))
