"""The monthly bulletin on the shipped sample: January..M figures, the published half-year figures,
and the report itself (`zhaoshang report monthly_bulletin`)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import openpyxl
import pytest
from conftest import DATA_DIR, PROJECT_ROOT, REFERENCE_DIR

from helpers.cli.main import main, year_metrics
from helpers.cli.report import report_folder
from helpers.indicators.metrics import compute_metrics, load_published, reconcile
from helpers.indicators.period import Period
from helpers.ingest.cache import load_year
from helpers.paths import available_years
from helpers.products.registry import REPORTS
from helpers.reference import load_reference
from helpers.sample.util import CNY_PER_USD

REFERENCE = load_reference(REFERENCE_DIR)
SAMPLE_YEARS = available_years(DATA_DIR)
HALF_YEAR = load_published(DATA_DIR / "published" / "jiujiang_2023h1.yaml")
HALF_YEAR_CASES = [
    (year, row) for year in sorted(HALF_YEAR["years"]) for row in reconcile({}, HALF_YEAR["years"][year]).to_dict("records")
]
# Figures that are not cumulative over the year: ranks, rates, averages, changes, stocks at a date, texts.
NOT_CUMULATIVE = ("_rank", "_pct", "average", "_change", "_at_end", "cny_per_usd", "campaign.", "province_sheet_differences",
                  "chain_completeness", "previous_", "share", "month", "year")


def leaves(tree: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        out.update(leaves(value, path) if isinstance(value, dict) else {path: value})
    return out


# ---------------------------------------------------------------------------------------------
# January..M on the sample years


@pytest.mark.parametrize("year", SAMPLE_YEARS)
def test_month_12_is_the_annual_figures(year):
    annual = year_metrics(year, DATA_DIR, REFERENCE)
    december = year_metrics(year, DATA_DIR, REFERENCE, month=12)
    assert december.pop("month") == 12
    assert leaves(december) == leaves(annual)  # every key, every value


@pytest.mark.parametrize("year", [2023])
def test_cumulative_figures_never_decrease(year):
    current, previous = load_year(year, DATA_DIR, REFERENCE), load_year(year - 1, DATA_DIR, REFERENCE)
    before: dict[str, object] = {}
    for month in range(1, 13):
        figures = leaves(compute_metrics(current, previous, REFERENCE, period=Period.year_to_date(year, month)))
        cumulative = {k: v for k, v in figures.items() if isinstance(v, (int, float)) and not any(p in k for p in NOT_CUMULATIVE)}
        assert len(cumulative) > 60
        fell = {k: (before[k], v) for k, v in cumulative.items() if k in before and v < before[k]}
        assert not fell, f"{year}-{month:02d}: {fell}"
        before = cumulative


def test_the_samples_dollar_rates_are_the_reference_rates():
    assert {year: REFERENCE.cny_per_usd(year) for year in CNY_PER_USD} == CNY_PER_USD


# ---------------------------------------------------------------------------------------------
# The figures Jiujiang published for January–June 2023 (and the same period of 2022)


@pytest.fixture(scope="module")
def half_year():
    return {
        year: reconcile(year_metrics(year, DATA_DIR, REFERENCE, month=6), HALF_YEAR["years"][year]).set_index("path")
        for year in HALF_YEAR["years"]
    }


def test_every_half_year_figure_is_checked():
    assert len([c for c in HALF_YEAR_CASES if c[0] == 2023]) == 20 and len([c for c in HALF_YEAR_CASES if c[0] == 2022]) == 1
    assert HALF_YEAR["period"] == {"year": 2023, "months": [1, 6]}


@pytest.mark.parametrize("year, row", HALF_YEAR_CASES, ids=[f"{year}:{row['path']}" for year, row in HALF_YEAR_CASES])
def test_half_year_figure(half_year, year, row):
    result = half_year[year].loc[row["path"]]
    assert result["match"], f"{year} 1—6月 {row['path']}: published {result['published']!r}, computed {result['computed']!r}"


# ---------------------------------------------------------------------------------------------
# The report


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def june_2023(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bulletin") / "06"
    assert main(["report", "monthly_bulletin", "--year", "2023", "--month", "6", "--out", str(out)]) == 0
    return out


def test_bulletin_files(june_2023):
    assert sorted(p.name for p in june_2023.iterdir()) == [
        ".zhaoshang-report.json", "metrics.json", "monthly_bulletin.docx", "monthly_bulletin.html", "monthly_bulletin.ipynb", "tables.xlsx"
    ]
    metrics = json.loads((june_2023 / "metrics.json").read_text(encoding="utf-8"))
    assert metrics == json.loads(json.dumps(year_metrics(2023, DATA_DIR, REFERENCE, month=6)))
    sheets = openpyxl.load_workbook(june_2023 / "tables.xlsx").sheetnames
    assert {"目标任务进展", "各县完成情况", "红黑榜", "缺少分月进资", "核对公开数据"} <= set(sheets)


def test_bulletin_reads_like_a_bulletin(june_2023):
    page = (june_2023 / "monthly_bulletin.html").read_text(encoding="utf-8")
    assert "现将1—6月份全市招商引资工作情况通报如下：" in page
    assert "其中开工项目184个，列全省第三，实际进资817.61亿元，列全省第一。" in page
    assert "全市实际利用外资1.42亿美元，列全省第一。" in page
    assert "新开工20亿元以上产业项目13个，其中50亿元项目1个，20亿元项目12个。" in page
    assert "各县（市、区）党政主官累计外出招商207次，较去年同期增长80.00%。" in page
    for heading in ("一、目标任务进展情况", "二、各县（市、区）完成情况", "三、红黑榜", "四、本月新签约、新开工亿元以上项目",
                    "五、外出招商与项目信息", "六、数据质量", "七、与公开发布数据核对"):
        assert heading in page
    assert "data:image/png;base64," in page and "<script" not in page and "build_bulletin(" not in page
    assert page.count(">一致<") == 21 and ">⚠ 不一致<" not in page  # every 1–6月 figure reconciles
    assert "缺少分月进资" in page and "年度目标为0" in page


def test_bulletin_outputs_match_the_stored_notebook(june_2023):
    """The report and the stored notebook (the same defaults, another run) give the same outputs: reruns are identical."""
    published = nbformat.read(june_2023 / "monthly_bulletin.ipynb", as_version=4)
    stored = nbformat.read(PROJECT_ROOT / "notebooks" / "monthly_bulletin.ipynb", as_version=4)

    def outputs(notebook):
        return [c.outputs for c in notebook.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
                and "injected-parameters" not in c.metadata.get("tags", [])][:-1]  # the last is 运行信息 (versions)

    assert outputs(published) == outputs(stored)


def test_extra_files_are_byte_identical(june_2023, tmp_path):
    """metrics.json and tables.xlsx written again are the same bytes (the HTML and the notebook
    are the stored notebook's outputs, compared above; the renderer's determinism is tested in test_report)."""
    from helpers.products.monthly_bulletin import write_extra_files

    write_extra_files(tmp_path, {"year": 2023, "month": 6}, DATA_DIR, REFERENCE_DIR)
    for name in ("metrics.json", "tables.xlsx"):
        assert sha256(tmp_path / name) == sha256(june_2023 / name), name


def test_bulletin_publishes_next_to_the_annual_review():
    bulletin, annual = REPORTS["monthly_bulletin"], REPORTS["annual_review"]
    june = report_folder(bulletin, {"year": 2023, "month": 6}, "九江市", Path("/r"))
    assert june.as_posix() == "/r/九江市/2023/monthly_bulletin/06"
    assert report_folder(annual, {"year": 2023}, "九江市", Path("/r")) not in (june, *june.parents)
    runs = bulletin.instances(DATA_DIR, REFERENCE_DIR)
    assert runs == [{"year": y, "month": m} for y in SAMPLE_YEARS for m in range(1, 13)]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--year", "2023", "--month", "13"], "1–12"),
        (["--year", "2031", "--month", "6"], "2031 年没有台账数据"),
        (["--year", "2023", "--month", "6", "-p", "month=7"], "矛盾"),
        (["--all", "--month", "6"], "--all 与 --month"),
        (["--year", "2023", "-p", "force=maybe"], "force"),
    ],
    ids=["month-13", "no-data", "month-twice", "all-and-month", "bad-force"],
)
def test_bad_bulletin_parameters_exit_2_before_a_kernel_starts(arguments, message, tmp_path, capsys):
    assert main(["report", "monthly_bulletin", *arguments, "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err.strip()
    assert message in error and len(error.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_month_for_a_report_without_months_exits_2(tmp_path, capsys):
    assert main(["report", "annual_review", "--year", "2022", "--month", "6", "--out", str(tmp_path / "out")]) == 2
    assert "month" in capsys.readouterr().err


def test_month_beyond_the_data_is_refused_unless_forced(tmp_path, capsys):
    """A ledger that stops in March: --month 4 is refused before a kernel starts; forced, it passes;
    without --month the bulletin is of the latest month with data."""
    from messy_ledgers import write_one_sheet

    from helpers.products.monthly_bulletin import prepare_parameters

    headers = ["项目编号", "项目名称", "资金来源", "所属地区", "产业类别", "总投资", "本年实际进资", "签约日期", "1月", "2月", "3月"]
    write_one_sheet(tmp_path / "raw" / "2023", "a.xlsx", "项目台账",
                    [headers, ["P1", "光电项目", "省外", "瑞昌市", "电子信息", 50_000, 300, "2023-03-05", 100, None, 200]])
    out = tmp_path / "out"
    assert main(["report", "monthly_bulletin", "--year", "2023", "--month", "4", "--data-dir", str(tmp_path), "--out", str(out)]) == 2
    error = capsys.readouterr().err.strip()
    assert "数据截至 3 月" in error and "force=true" in error and len(error.splitlines()) == 1 and not out.exists()
    assert prepare_parameters({"year": 2023, "month": 4, "force": True}, tmp_path, REFERENCE_DIR)["month"] == 4
    assert prepare_parameters({"year": 2023}, tmp_path, REFERENCE_DIR) == {"year": 2023, "month": 3}


def test_stored_notebook_shows_the_june_2023_bulletin():
    stored = nbformat.read(PROJECT_ROOT / "notebooks" / "monthly_bulletin.ipynb", as_version=4)
    text = "".join(
        "".join(o.get("data", {}).get("text/plain", "")) for c in stored.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "2023年1—6月" in text and "实际利用外资" in text
