"""End-to-end: `zhaoshang report` on the shipped sample years, into temporary folders."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import docx
import nbformat
import openpyxl
import pytest
from conftest import DATA_DIR, PROJECT_ROOT, REFERENCE_DIR

from helpers.cli.main import main, year_metrics
from helpers.output.publish import MARKER
from helpers.paths import available_years

SAMPLE_YEARS = available_years(DATA_DIR)
FAILING_NOTEBOOK = PROJECT_ROOT / "tests" / "fixtures" / "render" / "report_fail.ipynb"
PUBLISHED_SENTENCES = [
    "全市利用市外2000万元以上项目528个，实际进资2689.89亿元，新认定亿元以上项目413个，实际进资2231.45亿元。",
    "全市利用省外2000万元以上项目488个，列全省第一，实际进资1352.91亿元，列全省第二，同比增长9.26%，"
    "新认定亿元以上项目211个，列全省第四，实际进资1146.03亿元，列全省第二。",
    "全年全市新申请认定“50·20”项目33个，总投资金额986.7亿元，其中100亿元项目2个，50亿元项目4个，20亿元项目27个。",
    "共对接项目信息411个（20亿元以上项目信息97个），其中已签约73个（20亿元以上项目15个），签约总金额926.1亿元。",
    "全年全市44个市直单位主要领导外出招商96次，各县（市、区）党政主官外出招商251次，较上年增加64次。",
    "全市新认定亿元以上开工项目183个，同比增加9个，其中10亿元以上项目18个，30亿元以上项目3个。",
    "分别签约项目78个、48个、30个，签约总金额达到1966.5亿元。",
]


def annual_review_folder(root: Path, year: int) -> Path:
    """Where ``--all --out root`` publishes a year's review: the registry's layout below the city."""
    return root / "九江市" / str(year) / "annual_review"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def all_reports(tmp_path_factory) -> Path:
    """`report annual_review --all`: every sample year, in parallel workers."""
    out = tmp_path_factory.mktemp("reports")
    assert main(["report", "annual_review", "--all", "--out", str(out)]) == 0
    return out


def test_sample_years_are_there():
    assert SAMPLE_YEARS == [2020, 2021, 2022, 2023]


@pytest.mark.parametrize("year", SAMPLE_YEARS)
def test_every_sample_year_has_a_complete_report(all_reports, year):
    folder = annual_review_folder(all_reports, year)
    assert sorted(p.name for p in folder.iterdir()) == [
        ".zhaoshang-report.json", "annual_review.docx", "annual_review.html", "annual_review.ipynb", "metrics.json", "tables.xlsx"
    ]
    page = (folder / "annual_review.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    assert "build_review(" not in page and "show_table(" not in page  # no input code
    assert "<script" not in page  # opens offline
    assert f"分析年度：{year}年" in page and "九江市" in page
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    assert metrics == json.loads(json.dumps(year_metrics(year, DATA_DIR, _reference())))
    workbook = openpyxl.load_workbook(folder / "tables.xlsx")
    assert {"主要指标", "分县统计", "县区考核", "数据质量", "核对公开数据"} <= set(workbook.sheetnames)
    assert workbook["主要指标"].freeze_panes == "A2"


def _reference():
    from helpers.reference import load_reference

    return load_reference(REFERENCE_DIR)


def test_2022_report_states_the_published_figures(all_reports):
    page = (annual_review_folder(all_reports, 2022) / "annual_review.html").read_text(encoding="utf-8")
    for sentence in PUBLISHED_SENTENCES:
        assert sentence in page
    assert ">⚠ 不一致<" not in page and page.count(">一致<") == 61  # reconciliation: every published figure matches
    assert ">市外2000万元以上项目个数<" in page and "outside_city_projects" not in page  # in Chinese
    # readers get the highlights first; the run information is the appendix at the end
    assert page.index("一、年度亮点") < page.index("二、主要指标") < page.index("十四、与公开发布数据核对") < page.index("附录　运行信息")
    assert page.index("附录　运行信息") < page.index("分析年度（year）")


def test_2022_tables_hold_the_figures(all_reports):
    sheet = openpyxl.load_workbook(annual_review_folder(all_reports, 2022) / "tables.xlsx")["主要指标"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["省外2000万元以上项目实际进资"][2] == 1352.91
    assert rows["省外2000万元以上项目"][2] == 488
    assert rows["省外2000万元以上项目"][5] == 1


def test_2022_workbook_prints_and_keeps_numbers_as_numbers(all_reports):
    workbook = openpyxl.load_workbook(annual_review_folder(all_reports, 2022) / "tables.xlsx")
    reconciliation = workbook["核对公开数据"]
    assert [c.value for c in reconciliation[1]] == ["指标", "单位", "公开发布", "本工具计算", "差异", "比较方式", "是否一致"]
    first = [c.value for c in reconciliation[2]]
    assert first == ["市外2000万元以上项目个数", "个", 528, 528, 0, "相等", "一致"]
    assert reconciliation["C2"].number_format == "#,##0" and reconciliation["D3"].number_format == "#,##0.00"
    campaign = workbook["攻坚行动"]
    assert campaign["C2"].value == 2 and campaign["C2"].number_format == "#,##0"  # a count, not 2.00
    events = workbook["签约活动"]
    assert events["B2"].is_date and events["B2"].value.date().isoformat() == "2022-05-19"
    monthly = workbook["月度累计进资"]
    assert [c.value for c in monthly[1]][:3] == ["月份", "2021年累计进资（亿元）", "2022年累计进资（亿元）"]
    assert monthly.max_row == 13 and monthly["C13"].value == 2819.25  # December: every monthly amount of 2022
    for sheet in workbook:
        assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.fitToWidth == 1
        assert sheet.oddHeader.right.text == "九江市　2022年度"
        for row in sheet.iter_rows(min_row=2):
            for cell in row:  # no number stored as text
                assert not (isinstance(cell.value, str) and re.fullmatch(r"-?[\d,]+(\.\d+)?", cell.value)), (sheet.title, cell.coordinate)
    assert workbook["县区考核"].page_setup.orientation == "landscape"


def test_2022_word_report_reads_back(all_reports):
    folder = annual_review_folder(all_reports, 2022)
    document = docx.Document(str(folder / "annual_review.docx"))
    notebook = nbformat.read(folder / "annual_review.ipynb", as_version=4)
    sections = [m.group(1).strip() for c in notebook.cells if c.cell_type == "markdown"
                for m in re.finditer(r"^## (.+)$", c.source, re.M)]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == sections and headings[0] == "一、年度亮点（自动生成）" and headings[-1] == "附录　运行信息"
    assert document.paragraphs[0].style.name == "Title" and document.paragraphs[0].text == "九江市2022年招商引资年度分析报告"
    assert "九江市　分析年度：2022年　对比年度：2021年" in [p.text for p in document.paragraphs[:4]]
    assert PUBLISHED_SENTENCES[0] in [p.text.split(".", 1)[-1] for p in document.paragraphs]
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    headline = tables[("指标", "单位", "2022年", "2021年", "同比（%）", "全省排名")]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in headline.rows[1:]}
    funds = metrics["outside_province_projects"]["funds"]
    assert rows["省外2000万元以上项目实际进资"] == ["省外2000万元以上项目实际进资", "亿元", f"{funds:,.2f}", "1,238.25", "9.26", "2"]
    assert rows["省外2000万元以上项目"][2] == str(metrics["outside_province_projects"]["count"])
    reconciliation = tables[("指标", "单位", "公开发布", "本工具计算", "差异", "比较方式", "是否一致")]
    assert [c.text for c in reconciliation.rows[1].cells] == ["市外2000万元以上项目个数", "个", "528", "528", "0", "相等", "一致"]
    charts = sum("image/png" in o.get("data", {}) for c in notebook.cells for o in c.get("outputs", []))
    assert charts == 11 and len(document.inline_shapes) == charts  # 8 charts and the trend section's 3
    assert round(document.sections[0].page_width.mm) == 210 and round(document.sections[0].page_height.mm) == 297
    assert "PAGE" in document.sections[0].footer._element.xml


def test_rerun_is_byte_identical(all_reports, tmp_path):
    out = tmp_path / "2022"
    assert main(["report", "annual_review", "--year", "2022", "--out", str(out)]) == 0
    for name in ("annual_review.html", "metrics.json", "tables.xlsx", "annual_review.ipynb", "annual_review.docx"):
        assert sha256(out / name) == sha256(annual_review_folder(all_reports, 2022) / name), name


def test_report_notebook_is_itself_nbval_reproducible(all_reports):
    notebook = annual_review_folder(all_reports, 2022) / "annual_review.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(notebook), "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         "--nbval-sanitize-with", str(PROJECT_ROOT / "tests" / "nbval_sanitize.cfg")],
        cwd=notebook.parent, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_failing_notebook_keeps_the_previous_report(all_reports, tmp_path, capsys):
    out = tmp_path / "2022"
    (tmp_path / "mine").mkdir()
    notebook = tmp_path / "mine" / FAILING_NOTEBOOK.name  # an analyst's notebook, before and after it broke
    notebook.write_bytes((FAILING_NOTEBOOK.parent / "report_ok.ipynb").read_bytes())
    assert main(["report", str(notebook), "--year", "2022", "--out", str(out)]) == 0
    before = {p.name: sha256(p) for p in out.iterdir() if p.name != MARKER}
    published = json.loads((out / MARKER).read_text(encoding="utf-8"))
    capsys.readouterr()
    notebook.write_bytes(FAILING_NOTEBOOK.read_bytes())
    assert main(["report", str(notebook), "--year", "2022", "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "单元格" in error and "ValueError" in error
    after = {p.name: sha256(p) for p in out.iterdir() if p.is_file() and p.name != MARKER}
    assert after == before
    assert (out / "failed" / "report_fail.ipynb").is_file()
    # the marker still describes the published report, and notes the failure for the catalogue
    marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert published["status"] == "ok" and published["title"] == "report_fail"
    assert marker == {**published, "status": "failed", "failed_notebook": "failed/report_fail.ipynb",
                      "error": "报告生成失败：report_fail.ipynb 第 5 个单元格（In [4]）出错 — ValueError: 坏数据"}


def test_another_notebook_into_a_published_reports_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "2022"
    assert main(["report", "annual_review", "--year", "2022", "--out", str(out)]) == 0
    before = {p.name: sha256(p) for p in out.iterdir() if p.is_file()}
    capsys.readouterr()
    assert main(["report", str(FAILING_NOTEBOOK), "--year", "2022", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "已是另一份报告：年度分析报告（九江市 year=2022）" in error and f"本次为 report_fail（{FAILING_NOTEBOOK} 九江市 year=2022）" in error
    assert {p.name: sha256(p) for p in out.iterdir() if p.is_file()} == before and not (out / "failed").exists()


def test_all_writes_the_catalogue_of_its_root(all_reports):
    page = (all_reports / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td.*?</tr>", page)
    assert [re.search(r'<td class="year">(\d+)年</td>', row).group(1) for row in rows] == ["2020", "2021", "2022", "2023"]
    for year, row in zip(SAMPLE_YEARS, rows, strict=True):
        assert '<td class="city">九江市</td><td class="kind">年度分析报告</td>' in row and '<td class="status ok">正常</td>' in row
        folder = f"%E4%B9%9D%E6%B1%9F%E5%B8%82/{year}/annual_review"
        assert re.findall(r'href="([^"]+)"', row) == [
            f"{folder}/annual_review.html", f"{folder}/annual_review.docx", f"{folder}/tables.xlsx", f"{folder}/metrics.json"
        ]
        marker = json.loads((annual_review_folder(all_reports, year) / MARKER).read_text(encoding="utf-8"))
        assert marker["parameters"] == {"year": year} and marker["city"] == "九江市" and len(marker["inputs"]) == 64
        assert f'title="{marker["inputs"]}">{marker["inputs"][:12]}</td>' in row


def test_all_prints_one_line_per_run_and_the_catalogue(tmp_path, capsys):
    from helpers.ingest.cache import load_year

    out = tmp_path / "r"
    assert main(["report", "explore", "--all", "--out", str(out)]) == 0
    expected = []
    for year in SAMPLE_YEARS:
        clean = load_year(year, DATA_DIR)
        html = out / "九江市" / str(year) / "explore" / "explore.html"
        expected.append(f"{year}年 台账探索：完成 — {html}（台账隔离 {len(clean.quarantine)} 行，警告 {len(clean.warnings)} 条）")
    assert capsys.readouterr().out.splitlines() == [*expected, f"报告目录：{out / 'index.html'}"]
    assert "隔离 8 行" in expected[2]
    assert (out / "index.html").read_text(encoding="utf-8").count('<td class="status ok">正常</td>') == 4


def test_bulletin_title_names_city_period_and_kind():
    """The first heading is show_title's display output: it is the page's <title> and the only h1."""
    from helpers.output.notebook import notebook_title, render_html

    stored = nbformat.read(PROJECT_ROOT / "notebooks" / "monthly_bulletin.ipynb", as_version=4)
    title = notebook_title(stored, "monthly_bulletin")
    assert title == "九江市2023年1—6月招商引资工作月度通报"
    assert not any(re.search(r"^# ", c.source, re.M) for c in stored.cells if c.cell_type == "markdown")  # no static h1
    page = render_html(stored, title=title)
    assert f"<title>{title}</title>" in page and len(re.findall(r"<h1\b", page)) == 1
    assert re.search(r"<h1[^>]*>九江市2023年1—6月招商引资工作月度通报", page)


def test_title_from_a_display_output_is_escaped_in_the_page():
    from helpers.output.notebook import notebook_title, render_html

    cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"text/markdown": "# 甲&lt;script&gt;市2022年报告", "text/plain": "<Markdown>"})])
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("说明，没有标题"), cell])
    title = notebook_title(notebook, "x")
    assert title == "甲<script>市2022年报告"
    assert "<title>甲&lt;script&gt;市2022年报告</title>" in render_html(notebook, title=title)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--year", "2031"], "2031 年没有台账数据"),
        (["--year", "2022", "-p", "colour=red"], "未知参数 colour"),
        (["--year", "2022", "-p", "compare_year=abc"], "compare_year"),
        (["--year", "2022", "-p", "campaign_start=2022-13-01", "-p", "campaign_end=2022-09-30"], "YYYY-MM-DD"),
        (["--year", "2022", "-p", "campaign_start=2022-10-01", "-p", "campaign_end=2022-09-30"], "晚于"),
        (["--year", "2022", "-p", "year"], "名称=值"),
    ],
    ids=["no-data", "unknown-name", "malformed-int", "malformed-date", "reversed-window", "no-value"],
)
def test_bad_parameters_exit_2_before_a_kernel_starts(arguments, message, tmp_path, capsys):
    assert main(["report", "annual_review", *arguments, "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err.strip()
    assert message in error and len(error.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_unknown_notebook_exits_2(capsys):
    assert main(["report", "no_such_notebook", "--year", "2022"]) == 2
    assert "annual_review" in capsys.readouterr().err


def test_module_entry_point_and_help_notebook():
    result = subprocess.run([sys.executable, "-m", "helpers", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "clean" in result.stdout and "report" in result.stdout
    papermill = Path(sys.executable).with_name("papermill")
    result = subprocess.run([str(papermill), "--help-notebook", str(PROJECT_ROOT / "notebooks" / "annual_review.ipynb")],
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert "campaign_start: str" in result.stdout and "攻坚行动开始日期" in result.stdout
