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


def _dead_pid() -> int:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.parametrize(
    "name, files, age, removed",
    [
        (".2022-{dead}-abcd1234", ["projects.parquet", "warnings.csv"], 3600, True),  # its writer was killed
        (".2022-old-{dead}", ["manifest.json"], 3600, True),  # the previous cache, moved aside, then killed
        (".2022-abcd1234", ["projects.parquet"], 3600, True),  # named before the pid was in the name
        (".2022-{dead}-abcd1234", ["projects.parquet"], 5, False),  # too young: a writer on another machine?
        (".2022-{alive}-abcd1234", ["projects.parquet"], 3600, False),  # its writer is running
        (".2022-{dead}-abcd1234", ["projects.parquet", "笔记.txt"], 3600, False),  # a file the kit never writes
        (".2022-notes", [], 3600, False),  # not the kit's name
        (".2021-{dead}-abcd1234", ["projects.parquet"], 3600, False),  # another year
    ],
)
def test_staging_left_by_a_killed_clean_is_removed(tmp_path, reference, name, files, age, removed):
    import os
    import time

    from helpers.ingest.cache import remove_stale_staging

    folder = tmp_path / name.format(dead=_dead_pid(), alive=os.getpid())
    folder.mkdir()
    for file in files:
        (folder / file).write_text("x")
    then = time.time() - age
    os.utime(folder, (then, then))
    assert remove_stale_staging(tmp_path, "2022") == ([folder] if removed else [])
    assert folder.exists() is not removed


def test_a_clean_removes_the_staging_a_killed_one_left(tmp_path, reference):
    import os
    import time

    write_messy_year(tmp_path / "raw" / "2022")
    left = tmp_path / "processed" / f".2022-{_dead_pid()}-abcd1234"
    left.mkdir(parents=True)
    (left / "projects.parquet").write_bytes(b"half")
    os.utime(left, (time.time() - 3600, time.time() - 3600))
    load_year(2022, tmp_path, reference)
    assert sorted(p.name for p in (tmp_path / "processed").iterdir()) == ["2022"]
