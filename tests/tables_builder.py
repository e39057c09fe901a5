"""Build clean tables (the shape ``helpers.ingest.clean`` produces) from a few dict rows.

Each builder takes rows as dicts keyed by clean-table field; unspecified columns are empty
(NaT / NaN / <NA>), except a few conveniences for projects (auto ``project_id``/``name``,
``funds_year`` 0 as in the ledger format's default). Amounts are in 万元; dates may be given
as ``"2022-03-05"`` strings. Column order and dtypes follow ``data/reference/ledger_format.yaml``
through ``cleaning.typed_frame`` itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from helpers.ingest.clean import CleanYear, typed_frame

LEDGER_FORMAT_PATH = Path(__file__).resolve().parents[1] / "data" / "reference" / "ledger_format.yaml"
PROVENANCE = ("source_file", "source_sheet", "source_row")
WITH_MONTH_PRECISION = ("projects", "trips", "leads")

with LEDGER_FORMAT_PATH.open(encoding="utf-8") as _handle:
    LEDGER_FORMAT: dict[str, Any] = yaml.safe_load(_handle)


def columns_of(table: str) -> list[str]:
    fields = [c["field"] for c in LEDGER_FORMAT[table]["columns"]]
    extra = ["month_precision"] if table in WITH_MONTH_PRECISION else []
    return [*fields, *extra, *PROVENANCE]


def build(table: str, rows: list[dict[str, Any]] | tuple[dict[str, Any], ...] = ()) -> pd.DataFrame:
    """A clean ``table`` with ``rows``; unknown keys are an error (catches typos in tests)."""
    spec = LEDGER_FORMAT[table]
    columns = columns_of(table)
    records = []
    for number, row in enumerate(rows, start=1):
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"{table}: unknown columns {sorted(unknown)}")
        record = {c: None for c in columns}
        record.update({"source_file": "test.xlsx", "source_sheet": spec["sheet"], "source_row": number + 1})
        record.update(row)
        records.append(record)
    extra = ["month_precision"] if table in WITH_MONTH_PRECISION else []
    frame = typed_frame(records, spec, extra)
    return frame


def projects(*rows: dict[str, Any]) -> pd.DataFrame:
    """Projects; ``project_id`` P001…, ``name`` 项目N and ``funds_year`` 0 when not given."""
    filled = []
    for number, row in enumerate(rows, start=1):
        base = {"project_id": f"P{number:03d}", "name": f"项目{number}", "funds_year": 0.0}
        filled.append({**base, **row})
    return build("projects", filled)


def trips(*rows: dict[str, Any]) -> pd.DataFrame:
    return build("trips", rows)


def leads(*rows: dict[str, Any]) -> pd.DataFrame:
    filled = [{"lead_id": f"L{n:03d}", "team": "电子信息产业链招商小分队", "name": f"线索{n}", **row} for n, row in enumerate(rows, 1)]
    return build("leads", filled)


def chain_map(*rows: dict[str, Any]) -> pd.DataFrame:
    return build("chain_map", rows)


def province_peers(*rows: dict[str, Any]) -> pd.DataFrame:
    return build("province_peers", rows)


def targets(*rows: dict[str, Any]) -> pd.DataFrame:
    return build("targets", rows)


def monthly_funds() -> pd.DataFrame:
    return pd.DataFrame({"project_id": [], "month": [], "funds": []}).astype(
        {"project_id": "string", "month": "int64", "funds": "float64"}
    )


def clean_year(year: int, absent: tuple[str, ...] = (), **tables: pd.DataFrame) -> CleanYear:
    """A ``CleanYear`` with the given tables; every other table is present (its sheet was read)
    and empty, except the ``absent`` ones, whose sheet is missing from the year's workbooks."""
    names = ("projects", "trips", "leads", "chain_map", "province_peers", "targets")
    unknown = (set(tables) | set(absent)) - set(names)
    if unknown:
        raise KeyError(f"unknown tables {sorted(unknown)}")
    full = {name: tables[name] if name in tables else build(name) for name in names}
    full["monthly_funds"] = monthly_funds()
    empty = pd.DataFrame()
    sheet_counts = pd.DataFrame(
        [{"file": "test.xlsx", "sheet": LEDGER_FORMAT[name]["sheet"], "table": name, "rows_read": len(full[name]),
          "clean": len(full[name]), "quarantined": 0, "subtotal": 0, "blank": 0, "duplicates_merged": 0}
         for name in names if name not in absent]
    )
    return CleanYear(year=year, tables=full, quarantine=empty, warnings=empty, sheet_counts=sheet_counts)
