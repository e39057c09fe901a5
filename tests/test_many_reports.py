"""Many reports side by side: every kind of report of one year, and a second city's report, in
one reports folder (the default layout, as `zhaoshang report` lays it out). Publishing one never
deletes or changes another, and the catalogue lists them all."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import DATA_DIR, REFERENCE_DIR

from helpers.cli.main import main
from helpers.output.publish import MARKER

SECOND_CITY = "赣州市"  # another city of the province (cities.csv), with the same ledgers


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def second_city(tmp_path_factory) -> Path:
    """A data folder of another city: its own ledgers (a copy of 2021–2022) and its own reference/."""
    data = tmp_path_factory.mktemp("second_city")
    for year in (2021, 2022):
        shutil.copytree(DATA_DIR / "raw" / str(year), data / "raw" / str(year))
    shutil.copytree(REFERENCE_DIR, data / "reference")
    settings = data / "reference" / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("city: 九江市", f"city: {SECOND_CITY}"), encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def published(tmp_path_factory, second_city) -> tuple[Path, dict[Path, dict[str, str]]]:
    """Publish five reports one after another into one root; hash each folder right after its run."""
    root = tmp_path_factory.mktemp("reports")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr("helpers.cli.report.reports_dir", lambda: root)
    runs = [
        (["report", "annual_review", "--year", "2022"], root / "九江市" / "2022" / "annual_review"),
        (["report", "explore", "--year", "2022"], root / "九江市" / "2022" / "explore"),
        (["report", "county_profile", "--year", "2022", "--county", "修水"], root / "九江市" / "2022" / "county_profile" / "修水县"),
        (["report", "monthly_bulletin", "--year", "2022", "--month", "6"], root / "九江市" / "2022" / "monthly_bulletin" / "06"),
        (["report", "annual_review", "--year", "2022", "--data-dir", str(second_city)], root / SECOND_CITY / "2022" / "annual_review"),
    ]
    hashes = {}
    try:
        for arguments, folder in runs:
            assert main(arguments) == 0, arguments
            assert (folder / MARKER).is_file(), folder
            hashes[folder] = _hashes(folder)
    finally:
        monkeypatch.undo()
    return root, hashes


def test_every_report_stays_in_place_unchanged(published):
    root, hashes = published
    for folder, before in hashes.items():
        assert _hashes(folder) == before, folder
    assert len(hashes) == 5


def test_each_report_has_its_own_files(published):
    _, hashes = published
    review = next(files for folder, files in hashes.items() if folder.name == "annual_review")
    assert {"annual_review.html", "annual_review.docx", "tables.xlsx", "metrics.json"} <= set(review)
    county = next(files for folder, files in hashes.items() if folder.name == "修水县")
    assert {"county_profile.html", "tables.xlsx", "metrics.json", "反馈_修水县.xlsx"} <= set(county)
    bulletin = next(files for folder, files in hashes.items() if folder.name == "06")
    assert {"monthly_bulletin.html", "tables.xlsx", "metrics.json"} <= set(bulletin)


def test_the_second_city_is_its_own_report(published):
    root, hashes = published
    ours, theirs = (root / city / "2022" / "annual_review" / "annual_review.html" for city in ("九江市", SECOND_CITY))
    assert f"<title>{SECOND_CITY}2022年" in theirs.read_text(encoding="utf-8")
    assert "<title>九江市2022年" in ours.read_text(encoding="utf-8")
    assert (ours.parent / MARKER).read_text(encoding="utf-8") != (theirs.parent / MARKER).read_text(encoding="utf-8")


def test_the_catalogue_lists_them_all(published):
    root, _ = published
    page = (root / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td.*?</tr>", page)
    cells = [tuple(re.findall(r'<td class="(?:city|kind|year)">([^<]*)</td>', row)) for row in rows]
    assert cells == [
        ("九江市", "年度分析报告", "2022年"),
        ("九江市", "月度通报", "2022年"),
        ("九江市", "县（市、区）招商引资分析报告", "2022年"),
        ("九江市", "台账探索", "2022年"),
        (SECOND_CITY, "年度分析报告", "2022年"),
    ], cells
    assert len(rows) == 5 and all('<td class="status ok">正常</td>' in row for row in rows)
    for row in rows:
        links = re.findall(r'href="([^"]+)"', row)
        assert links and all((root / unquote(link)).is_file() for link in links), links
