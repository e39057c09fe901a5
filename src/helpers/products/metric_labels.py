"""Chinese names for machine keys: metric paths (``outside_city_projects/count``) and notebook
parameters (``year``), from the reference data.

``metric_label`` looks a path up in the indicator registry ``indicators.csv``: every static
figure and its province rank by key, and the rows with ``*`` (a county, event or chain name)
by pattern, ``{1}``, ``{2}`` in their labels standing for what the ``*`` matched, translated
through the words of ``metric_names.csv`` (``tier_100`` → “100”项目) when there is one. A path
with no row gets a name built from its segments, so a new metric is never shown as a bare key.
A reference folder without these (city-independent) tables uses the project's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.paths import default_reference_dir
from helpers.reference import Reference
from helpers.reference.tables import read_csv_table

__all__ = ["metric_label", "sum_label", "parameter_labels", "KIND_UNITS"]

#: Unit of an ``indicators.csv`` kind.
KIND_UNITS = {"count": "个", "amount": "亿元"}


def _table(reference: Reference, name: str, columns: list[str]) -> pd.DataFrame:
    """A reference table of ``reference``'s folder, else of the project's ``data/reference/``."""
    path = Path(reference.directory) / name
    if not path.is_file():
        path = default_reference_dir() / name
    return read_csv_table(path, columns)


def _words(reference: Reference) -> dict[str, str]:
    """Placeholders of the names: size thresholds as they read in labels."""
    return reference.size_words


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders (unknown ones and any other braces stay as written)."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


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
    key = path.replace("/", ".")
    spec = reference.indicator_registry.get(key)  # the registry names every static figure
    if spec is not None:
        return spec.name or spec.label, spec.unit
    base = reference.indicator_registry.get(key.removesuffix("_rank"))
    if key.endswith("_rank") and base is not None:
        return f"{base.name or base.label}全省排名", "位"
    table = _table(reference, "metric_names.csv", ["key", "name", "unit"])
    words = dict(zip(table["key"], table["name"], strict=True))  # words for the segments of a path
    for candidate in reference.indicator_registry.values():  # rows with * name a county, event or chain
        captured = candidate.captures(key) if "*" in candidate.key else None
        if captured is not None:
            values = {str(i): words.get(v, v) for i, v in enumerate(captured, start=1)}
            return _fill(candidate.label, values), candidate.unit
    return "·".join(_fill(words.get(part, part), _words(reference)) for part in path.split("/")), ""


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
    return dict(zip(table["name"], table["label"], strict=True))
