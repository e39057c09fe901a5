"""Schemas of the clean tables: a broken table is caught, a stale cache is rebuilt."""

from __future__ import annotations

import pandas as pd
import pytest
import tables_builder as tb
from messy_ledgers import write_messy_year

from helpers.errors import SchemaError
from helpers.ingest.cache import load_year
from helpers.ingest.schema import check_table, validate_tables


def test_builder_tables_are_valid(reference):
    year = tb.clean_year(2022, projects=tb.projects({"total_investment": 30_000.0, "county": "瑞昌市", "source": "省外",
                                                      "industry": "新材料"}))
    validate_tables(year.tables, reference)


@pytest.mark.parametrize(
    "table, change, message",
    [
        ("projects", lambda f: f.assign(county=pd.array(["九江新区"], dtype="string")), "有未登记的取值"),
        ("projects", lambda f: f.assign(name=pd.array([None], dtype="string")), "有空值"),
        ("projects", lambda f: f.assign(total_investment=-5.0), "有负数"),
        ("projects", lambda f: pd.concat([f, f], ignore_index=True), "有重复的键"),
        ("projects", lambda f: f.assign(total_investment=f["total_investment"].astype(object)), "的类型是 object"),
        ("projects", lambda f: f.drop(columns=["source"]), "缺少列"),
    ],
    ids=["unknown-county", "missing-required", "negative-amount", "duplicate-key", "wrong-dtype", "missing-column"],
)
def test_broken_tables_are_caught(reference, table, change, message):
    projects = tb.projects({"total_investment": 30_000.0, "county": "瑞昌市", "source": "省外", "industry": "新材料"})
    with pytest.raises(SchemaError, match=message):
        check_table(change(projects), table, reference)


def test_monthly_funds_must_belong_to_a_project(reference):
    year = tb.clean_year(2022, projects=tb.projects({"total_investment": 30_000.0, "county": "瑞昌市", "source": "省外",
                                                      "industry": "新材料"}))
    tables = dict(year.tables)
    tables["monthly_funds"] = pd.DataFrame({"project_id": pd.array(["X9"], dtype="string"), "month": [3], "funds": [1.0]})
    with pytest.raises(SchemaError, match="不在项目台账中"):
        validate_tables(tables, reference)


def test_a_stale_cache_is_rebuilt(tmp_path, reference):
    data_dir = tmp_path / "data"
    write_messy_year(data_dir / "raw" / "2022")
    first = load_year(2022, data_dir, reference)
    parquet = data_dir / "processed" / "2022" / "projects.parquet"
    first.tables["projects"].assign(county="九江新区").to_parquet(parquet, index=False)  # same key, broken content
    again = load_year(2022, data_dir, reference)
    pd.testing.assert_frame_equal(again.tables["projects"], first.tables["projects"])
