"""The indicator registry (data/reference/indicators.csv) and compute_metrics agree key for key."""

from __future__ import annotations

import pytest
from conftest import DATA_DIR, REFERENCE_DIR

from helpers.cli.main import year_metrics
from helpers.paths import available_years
from helpers.reference import load_reference

REFERENCE = load_reference(REFERENCE_DIR)


def leaf_keys(tree: dict, prefix: str = "") -> list[str]:
    keys = []
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        keys.extend(leaf_keys(value, path) if isinstance(value, dict) else [path])  # {} has no figure
    return keys


def described(key: str) -> bool:
    """A metric key is described by a registry row, or is the province rank of a ranked row."""
    if any(spec.matches(key) for spec in REFERENCE.indicator_registry.values()):
        return True
    base, _, suffix = key.rpartition("_")
    return suffix == "rank" and base in REFERENCE.indicator_registry and REFERENCE.indicator_registry[base].ranked


# every sample year, and January..M figures (the monthly bulletin's): same keys, same registry
PERIODS = [(year, None) for year in available_years(DATA_DIR)] + [(2023, 6), (2022, 1)]
PERIOD_IDS = [f"{year}" if month is None else f"{year}-{month:02d}" for year, month in PERIODS]


@pytest.mark.parametrize("year, month", PERIODS, ids=PERIOD_IDS)
def test_every_computed_figure_is_in_the_registry(year, month):
    metrics = year_metrics(year, DATA_DIR, REFERENCE, month=month)
    keys = [k for k in leaf_keys(metrics) if k not in ("year", "month")]
    undescribed = [k for k in keys if not described(k)]
    assert not undescribed, f"add these to data/reference/indicators.csv: {undescribed}"


@pytest.mark.parametrize("year, month", PERIODS, ids=PERIOD_IDS)
def test_every_registered_figure_is_computed(year, month):
    metrics = year_metrics(year, DATA_DIR, REFERENCE, month=month)
    keys = set(leaf_keys(metrics))
    sections = set(metrics)
    missing = [
        spec.key for spec in REFERENCE.indicator_registry.values()
        if "*" not in spec.key and spec.key.split(".")[0] in sections and spec.key not in keys
    ]
    assert not missing, f"registered but not computed: {missing}"


def test_registry_drives_the_labels():
    """Labels carry the thresholds in words and the unit; the breakdown and headline orders are data."""
    breakdown = [spec.column_label for spec in REFERENCE.breakdown_indicators()]
    assert breakdown[:2] == ["市外2000万元以上项目（个）", "市外2000万元以上项目实际进资（亿元）"]
    assert breakdown[-2:] == ["申报“50·20”项目（个）", "新开工亿元以上项目（个）"]
    assert [spec.key for spec in REFERENCE.headline_indicators()][-2:] == ["signed_100m.count", "foreign_funds.funds"]
    assert REFERENCE.indicator("by_county.瑞昌市.signed_100m_count").key == "by_county.*.*"
    assert set(REFERENCE.indicators["name"]) == {s.name for s in REFERENCE.indicator_registry.values() if s.name}
