"""Messy workbook writer for the synthetic ledgers (see :mod:`helpers.sample`)."""

from __future__ import annotations

COUNTY_BOOKS = ("瑞昌市", "永修县", "湖口县")


def city_project_ids(projects: list[dict]) -> list[str]:
    return [p["project_id"] for p in projects if p["county"] not in COUNTY_BOOKS]
