"""reports/index.html: every published report folder found by its marker, sorted, escaped, offline."""

from __future__ import annotations

import re

import nbformat
import pytest

from helpers.output.catalogue import CATALOGUE, period_text, scan_reports, write_catalogue
from helpers.output.publish import MARKER, mark_folder, read_marker, record_failure, run_record, write_marker


def publish(root, city, folder, report, title, parameters, files=(), inputs="0123456789abcdef" * 4):
    target = root / city / folder
    target.mkdir(parents=True)
    for name in files:
        (target / name).write_text("x", encoding="utf-8")
    write_marker(target, run_record(report, title=title, city=city, parameters=parameters, inputs=inputs))
    return target


def fail(folder, report, message):
    """What a failed run leaves: failed/<report>.ipynb with the error, the marker noting it."""
    cell = nbformat.v4.new_code_cell("raise ValueError('坏数据')")
    cell.outputs = [nbformat.v4.new_output("error", ename="ValueError", evalue=message, traceback=[])]
    (folder / "failed").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / "failed" / f"{report}.ipynb")


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "reports"
    publish(root, "九江市", "2023/monthly_bulletin/10", "monthly_bulletin", "月度通报", {"year": 2023, "month": 10},
            ["monthly_bulletin.html", "monthly_bulletin.docx", "tables.xlsx", "metrics.json", "monthly_bulletin.ipynb"])
    publish(root, "九江市", "2023/monthly_bulletin/06", "monthly_bulletin", "月度通报", {"year": 2023, "month": 6},
            ["monthly_bulletin.html", "tables.xlsx", "metrics.json"])
    publish(root, "九江市", "2022/annual_review", "annual_review", "年度分析报告", {"year": 2022},
            ["annual_review.html", "annual_review.docx", "tables.xlsx", "metrics.json"])
    publish(root, "九江市", "2022/county_profile/修水县", "county_profile", "县区报告", {"year": 2022, "county": "修水县"}, ["county_profile.html"])
    publish(root, "九江市", "2022/county_profile/共青城市", "county_profile", "县区报告", {"year": 2022, "county": "共青城市"}, ["county_profile.html"])
    publish(root, "<b>城</b>", "2021/annual_review", "annual_review", "年度分析报告", {"year": 2021}, ["annual_review.html"])
    (root / "九江市" / "2024" / "notes").mkdir(parents=True)  # a folder without a marker is not a report
    (root / "九江市" / "2024" / "notes" / "mine.html").write_text("mine", encoding="utf-8")
    return root


def test_rows_are_sorted_by_city_year_kind_and_month_or_county(root):
    folders = [entry.folder.as_posix() for entry in scan_reports(root)]
    assert "县区报告" < "年度分析报告" and "修水县" < "共青城市"  # kinds and counties in code-point order
    assert folders == [
        "<b>城</b>/2021/annual_review",
        "九江市/2022/county_profile/修水县",
        "九江市/2022/county_profile/共青城市",
        "九江市/2022/annual_review",
        "九江市/2023/monthly_bulletin/06",  # months as numbers: 6 before 10
        "九江市/2023/monthly_bulletin/10",
    ]


def test_page_lists_every_report_with_relative_links_and_escaped_text(root):
    page = write_catalogue(root).read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td.*?</tr>", page)
    assert len(rows) == 6
    assert "<title>招商引资报告目录</title>" in page and '<html lang="zh-CN">' in page
    assert "共 6 份报告，均运行正常" in page
    assert "&lt;b&gt;城&lt;/b&gt;" in page and "<b>城</b>" not in page  # a city name is data
    june = next(r for r in rows if "1—6月" in r)
    assert '<td class="kind">月度通报</td><td class="year">2023年</td><td class="period">1—6月</td>' in june
    assert '<td class="status ok">正常</td>' in june
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', june)
    assert links == [
        ("%E4%B9%9D%E6%B1%9F%E5%B8%82/2023/monthly_bulletin/06/monthly_bulletin.html", "网页"),
        ("%E4%B9%9D%E6%B1%9F%E5%B8%82/2023/monthly_bulletin/06/tables.xlsx", "Excel"),
        ("%E4%B9%9D%E6%B1%9F%E5%B8%82/2023/monthly_bulletin/06/metrics.json", "JSON"),
    ]
    assert '<td class="inputs" title="' + "0123456789abcdef" * 4 + '">0123456789ab</td>' in june
    annual = next(r for r in rows if "九江市</td><td class=\"kind\">年度分析报告" in r)
    assert [label for _, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', annual)] == ["网页", "Word", "Excel", "JSON"]
    assert "mine.html" not in page and "<script" not in page and "http" not in page.replace('content="width=device-width', "")


def test_a_failed_run_shows_its_first_error_line_and_keeps_the_report(root):
    folder = root / "九江市" / "2022" / "annual_review"
    before = read_marker(folder)
    fail(folder, "annual_review", "坏数据\n第二行")
    record_failure(folder, run_record("annual_review", title="年度分析报告", city="九江市", parameters={"year": 2022}, inputs="ff"),
                   "报告生成失败：annual_review.ipynb 第 5 个单元格（In [4]）出错 — ValueError: 坏数据\nReport failed: …",
                   folder / "failed" / "annual_review.ipynb")
    marker = read_marker(folder)
    assert marker == {**before, "status": "failed", "error": "报告生成失败：annual_review.ipynb 第 5 个单元格（In [4]）出错 — ValueError: 坏数据",
                      "failed_notebook": "failed/annual_review.ipynb"}  # what was published is still described
    page = write_catalogue(root).read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr><td.*?</tr>", page) if "2022年</td><td class=\"period\">全年" in r)
    assert ('<td class="status failed">最近一次运行失败：annual_review.ipynb 第 5 个单元格（In [4]）出错 — ValueError: 坏数据（'
            '<a href="%E4%B9%9D%E6%B1%9F%E5%B8%82/2022/annual_review/failed/annual_review.ipynb">失败的笔记本</a>）；上次成功的报告仍保留</td>') in row
    assert "共 6 份报告，其中 1 份最近一次运行失败" in page


def test_a_failure_without_a_note_in_the_marker_reads_the_failed_notebook(root):
    folder = root / "九江市" / "2022" / "county_profile" / "修水县"
    fail(folder, "county_profile", "没有 <县区> 数据\n详情")
    entry = next(e for e in scan_reports(root) if e.folder.name == "修水县")
    assert entry.failed and entry.error == "ValueError: 没有 <县区> 数据"
    assert "没有 &lt;县区&gt; 数据" in write_catalogue(root).read_text(encoding="utf-8")


def test_first_run_that_failed_has_a_row_without_links(tmp_path):
    folder = tmp_path / "r" / "九江市" / "2023" / "explore"
    folder.mkdir(parents=True)
    fail(folder, "explore", "坏数据")
    mark_folder(folder, "explore")  # what a first failed run's marker says before the CLI adds to it
    page = write_catalogue(tmp_path / "r").read_text(encoding="utf-8")
    assert '<td class="kind">explore</td><td class="year">2023年</td>' in page  # an older marker: year from the path
    assert '<td class="links">—</td>' in page and "ValueError: 坏数据" in page


def test_the_page_is_deterministic_and_staging_folders_are_not_reports(root):
    first = write_catalogue(root).read_bytes()
    staging = root / "九江市" / "2022" / ".annual_review.tmp-1-abc"
    staging.mkdir()
    write_marker(staging, run_record("annual_review", title="年度分析报告", city="九江市", parameters={"year": 2022}, inputs="x"))
    assert write_catalogue(root).read_bytes() == first
    assert not re.search(r"20\d\d-\d\d-\d\d|\d\d:\d\d:\d\d", first.decode("utf-8"))  # no clock time


def test_an_index_html_the_kit_did_not_write_is_left_alone(root):
    (root / CATALOGUE).write_text("<html>我的首页</html>", encoding="utf-8")
    assert write_catalogue(root) is None
    assert (root / CATALOGUE).read_text(encoding="utf-8") == "<html>我的首页</html>"


def test_empty_root_says_so(tmp_path):
    page = write_catalogue(tmp_path).read_text(encoding="utf-8")
    assert "尚无已生成的报告" in page and "<table>" not in page


def test_marker_keeps_its_fields_when_the_folder_is_published_again(tmp_path):
    write_marker(tmp_path, run_record("explore", title="台账探索", city="九江市", parameters={"year": 2022}, inputs="ab"))
    mark_folder(tmp_path, "explore")  # publish_folder marks the staging folder after the report's files are written
    assert read_marker(tmp_path)["title"] == "台账探索"
    assert (tmp_path / MARKER).read_text(encoding="utf-8").startswith('{\n  "kit": "zhaoshang",\n  "report": "explore",\n  "title": "台账探索"')


def test_period_text():
    assert period_text({"year": 2023, "month": 1}) == "1月"
    assert period_text({"year": 2023, "month": 12}) == "1—12月"
    assert period_text({"year": 2022, "county": "修水县"}) == "修水县"


def test_an_older_marker_gets_its_kind_and_county_from_the_registry_and_the_path(tmp_path):
    """Reports published before the marker named city, kind and parameters: read from the layout."""
    folder = tmp_path / "九江市" / "2022" / "county_profile" / "修水县"
    folder.mkdir(parents=True)
    (folder / "county_profile.html").write_text("<html></html>", encoding="utf-8")
    (folder / MARKER).write_text('{"kit": "zhaoshang", "report": "county_profile"}\n', encoding="utf-8")
    [entry] = scan_reports(tmp_path, {"annual_review": "年度分析报告", "county_profile": "县（市、区）招商引资分析报告"})
    assert (entry.city, entry.kind, entry.year, entry.parameters) == ("九江市", "县（市、区）招商引资分析报告", 2022, {"year": 2022, "county": "修水县"})
    assert period_text(entry.parameters) == "修水县"
