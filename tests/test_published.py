"""The shipped sample ledgers reproduce every figure the city published, entry by entry.

Runs the whole pipeline (workbooks → cleaning → metrics), as `zhaoshang metrics` does.
"""

from __future__ import annotations

import pytest
from conftest import DATA_DIR, REFERENCE_DIR

from helpers.cli.main import year_metrics
from helpers.indicators.metrics import load_published, reconcile
from helpers.reference import load_reference

PUBLISHED = load_published(DATA_DIR / "published" / "jiujiang.yaml")["years"]
CASES = [(year, row) for year in sorted(PUBLISHED) for row in reconcile({}, PUBLISHED[year]).to_dict("records")]


@pytest.fixture(scope="module")
def computed():
    reference = load_reference(REFERENCE_DIR)
    return {year: reconcile(year_metrics(year, DATA_DIR, reference), PUBLISHED[year]).set_index("path") for year in PUBLISHED}


def test_every_published_entry_is_checked():
    assert len([c for c in CASES if c[0] == 2022]) == 61 and len([c for c in CASES if c[0] == 2021]) == 3


@pytest.mark.parametrize("year, row", CASES, ids=[f"{year}:{row['path']}" for year, row in CASES])
def test_published_figure(computed, year, row):
    result = computed[year].loc[row["path"]]
    assert result["match"], (
        f"{year} {row['path']}: published {result['published']!r} ({result['rule']}), computed {result['computed']!r}"
    )
