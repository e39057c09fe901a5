"""The command line as a person meets it: Chinese texts and one-line errors, paths relative to the
current directory, what to open and read after a report, county reports, one progress bar."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import DATA_DIR, PROJECT_ROOT

from helpers.cli import report as reporting
from helpers.cli.main import build_parser, main
from helpers.ingest.cache import load_year
from helpers.output.publish import MARKER
from helpers.products.registry import REPORTS, ReportSpec

ZHAOSHANG = [sys.executable, "-m", "helpers"]
ENGLISH = ("usage:", "options:", "positional arguments", "show this help message and exit", "optional arguments")
COMMANDS = ["clean", "metrics", "report", "sample", "refresh-notebooks"]


def run(arguments: list[str], cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*ZHAOSHANG, *arguments], cwd=cwd, capture_output=True, text=True, timeout=600)


# ----------------------------------------------------------------------------- one language


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_page_is_chinese_with_a_description_and_an_example(command, capsys):
    assert main([command, "--help"] if command else ["--help"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("用法：zhaoshang") and "选项：" in page and "显示本帮助并退出" in page
    assert not any(english in page for english in ENGLISH), page
    assert "\n示例：\n  zhaoshang " in page  # the example keeps its line breaks
    description = page.split("\n\n")[1]
    assert description.strip() and not description.startswith("选项")


def test_the_command_list_names_each_command_once_without_a_stray_heading_line(capsys):
    assert main(["--help"]) == 0
    lines = capsys.readouterr().out.splitlines()
    commands = lines[lines.index("命令：") + 1 :]
    assert [line.split()[0] for line in commands[:5]] == COMMANDS


def test_report_help_lists_the_registered_reports_and_their_parameters(capsys):
    assert main(["report", "--help"]) == 0
    page = capsys.readouterr().out
    assert "已登记的报告" in page
    for name, spec in REPORTS.items():
        assert f"  {name}　{spec.title}" in page
    assert 'campaign_start: str = ""　攻坚行动开始日期 YYYY-MM-DD' in page  # papermill's inspection of annual_review
    assert "month: int = 6　通报月份：统计 1 月至该月末的累计数" in page
    assert "位置参数：" in page and "报告名称（如 annual_review）" in page


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["report", "annual_review", "--year", "abc"], "zhaoshang report：错误：参数 --year：'abc' 不是有效的整数"),
        (["report"], "zhaoshang report：错误：缺少必需的参数：报告"),
        (["report", "annual_review", "--bogus"], "zhaoshang：错误：无法识别的参数：--bogus"),
        (["nope"], "zhaoshang：错误：参数 命令：无效的选择：'nope'（可选：'clean', 'metrics', 'report', 'sample', 'refresh-notebooks'）"),
        (["clean", "--year"], "zhaoshang clean：错误：参数 --year：需要一个值"),
        ([], "zhaoshang：错误：缺少必需的参数：命令"),
    ],
    ids=["invalid-int", "required", "unrecognized", "invalid-choice", "no-value", "no-command"],
)
def test_argument_errors_are_one_chinese_line_and_exit_2(arguments, message, capsys):
    assert main(arguments) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [f"{message}（用法见 {message.split('：')[0]} --help）"]


def test_argument_errors_exit_2_from_the_console_too():
    result = run(["metrics", "--month", "六"])
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == "zhaoshang metrics：错误：参数 --month：'六' 不是有效的整数（用法见 zhaoshang metrics --help）"


def test_argparse_is_english_again_outside_the_kit():
    import argparse

    build_parser().format_help()
    assert "usage:" in argparse.ArgumentParser(prog="other").format_help()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["annual_review", "--year", "2022", "-p", "year=2023"], "--year 2022 与 -p year=2023 矛盾，请只给出一个"),
        (["monthly_bulletin", "--year", "2023", "--month", "6", "-p", "month=7"], "--month 6 与 -p month=7 矛盾，请只给出一个"),
        (["annual_review", "--year", "2022", "--county", "修水县"], "报告 annual_review（年度分析报告）不按县区生成，不能使用 --county"),
        (["annual_review", "--year", "2022", "--all-counties"], "不按县区生成，不能使用 --all-counties"),
        (["monthly_bulletin", "--all", "--year", "2023"], "--all 与 --year 不能同时使用"),
    ],
    ids=["year", "month", "county-on-annual-review", "all-counties-on-annual-review", "all-and-year"],
)
def test_contradicting_options_are_an_error_not_a_silent_choice(arguments, message, tmp_path, capsys):
    assert main(["report", *arguments, "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("错误：") and message in error and len(error.splitlines()) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "找不到笔记本 {path}（文件不存在）"),
        ("not json", "{path} 不是有效的 Jupyter 笔记本（Notebook does not appear to be JSON"),
        ('{"cells": 3}', "{path} 不是有效的 Jupyter 笔记本"),
    ],
    ids=["missing", "not-json", "not-a-notebook"],
)
def test_a_notebook_path_that_is_no_notebook_is_one_line_and_exit_2(content, message, tmp_path, capsys):
    path = tmp_path / "我的分析.ipynb"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["report", str(path), "--year", "2022", "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("错误：") and message.format(path=path) in error and len(error.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_an_analysts_notebook_without_parameters_runs_as_it_is_with_a_chinese_note(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook()  # written by a script: no kernelspec, no language, no parameters cell
    notebook.cells = [nbformat.v4.new_markdown_cell("# 我的分析"), nbformat.v4.new_code_cell("print(sum(range(4)))")]
    path = tmp_path / "mine.ipynb"
    nbformat.write(notebook, path)
    assert main(["report", str(path), "--year", "2022", "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert captured.err == "注意：笔记本 mine.ipynb 没有标记为 parameters 的单元格，不接收 year=2022，按笔记本本身运行\n"
    executed = nbformat.read(tmp_path / "out" / "mine.ipynb", as_version=4)
    assert [cell.source for cell in executed.cells] == ["# 我的分析", "print(sum(range(4)))"]  # nothing injected
    assert executed.cells[1].outputs[0]["text"] == "6\n"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [MARKER, "mine.docx", "mine.html", "mine.ipynb"]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["annual_review", "--year", "2022", "-p", "compare_year=2022"], "对比年度 2022 须早于分析年度 2022（0 表示上一年）"),
        (["annual_review", "--year", "2022", "-p", "compare_year=2023"], "对比年度 2023 须早于分析年度 2022"),
        (["explore", "--year", "2022", "-p", "rows=区县"], "参数 rows 的值 '区县' 不是可用的透视字段；可用：county、industry"),
        (["explore", "--year", "2022", "-p", "rows=source"], "参数 rows 与 columns 都是 source"),  # columns: the notebook's default
        (["explore", "--all", "-p", "columns=bogus"], "参数 columns 的值 'bogus' 不是可用的透视字段"),  # checked before a batch too
        (["explore", "--year", "2022", "-p", "industry=造船"], "未知的产业类别：造船"),
        (["explore", "--year", "2022", "-p", "size_threshold=date_window_years_after"], "不是 thresholds.yaml 中的规模门槛；可用：outside_projects_min"),
        (["annual_review", "--year", "2022", "-p", "campaign_start=2019-01-01", "-p", "campaign_end=2019-02-01"],
         "攻坚行动窗口 2019-01-01 至 2019-02-01 与分析年度 2022 没有重叠"),
    ],
    ids=["compare-year-is-year", "compare-year-later", "rows", "rows-is-columns", "all-columns", "industry", "size-threshold", "campaign-elsewhere"],
)
def test_a_bad_parameter_value_is_one_line_and_exit_2_before_a_kernel_runs(arguments, message, tmp_path, capsys):
    assert main(["report", *arguments, "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("错误：") and message in error and len(error.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_an_industry_alias_is_the_industrys_canonical_name_in_the_report(tmp_path):
    from helpers.products.explore import check_parameters

    checked = check_parameters({"industry": "新能源产业", "rows": "county"}, DATA_DIR, DATA_DIR / "reference")
    assert checked == {"industry": "新能源", "rows": "county"}


def _children() -> set[int]:
    return {int(pid) for task in Path("/proc/self/task").glob("*") for pid in (task / "children").read_text().split()}


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the children of this process from /proc")
def test_a_check_that_fails_after_the_kernel_started_leaves_no_kernel_running(tmp_path, capsys):
    """A single run starts its kernel before the checks (its start-up overlaps them); a check
    that fails is still one line and exit 2, and the kernel is shut down."""
    before = _children()
    assert main(["report", "annual_review", "--year", "1999", "--out", str(tmp_path / "out")]) == 2
    assert "1999 年没有台账数据" in capsys.readouterr().err
    assert _children() == before and not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- paths relative to the current directory


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory) -> Path:
    """A folder outside the project with a copy of the 2022 and 2021 ledgers in ``台账/``."""
    import shutil

    root = tmp_path_factory.mktemp("elsewhere")
    for year in (2021, 2022):
        shutil.copytree(DATA_DIR / "raw" / str(year), root / "台账" / "raw" / str(year))
    return root


def test_clean_and_metrics_take_relative_folders_from_the_current_directory(elsewhere):
    result = run(["clean", "--year", "2022", "--data-dir", "台账", "--json"], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["sheets"]["projects"]["clean"] == 1243
    assert (elsewhere / "台账" / "processed" / "2022" / "quarantine.csv").is_file()
    assert not (PROJECT_ROOT / "台账").exists()
    result = run(["metrics", "--year", "2022", "--data-dir", "台账", "--reference-dir", str(PROJECT_ROOT / "data" / "reference")], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["outside_province_projects"]["count"] == 488


def test_report_with_relative_folders_prints_what_to_open_and_read(elsewhere):
    """`report` from another folder: --data-dir and --out relative to it; the notebook gets absolute paths;
    the output names the HTML, the year's rows read / clean / quarantined / warned and the quarantine file."""
    result = run(["report", "explore", "--year", "2022", "--data-dir", "台账", "--out", "成果/九江市/2022/explore"], cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    folder = elsewhere / "成果" / "九江市" / "2022" / "explore"
    clean = load_year(2022, elsewhere / "台账")
    counts = clean.counts()
    read, valid = sum(c["rows_read"] for c in counts.values()), sum(c["clean"] for c in counts.values())
    assert result.stdout.splitlines() == [
        f"报告已生成：{folder / 'explore.html'}",
        f"请先阅读：2022年台账：读取 {read} 行，有效 {valid} 行，隔离 {len(clean.quarantine)} 行，警告 {len(clean.warnings)} 条"
        f"；隔离明细：{elsewhere / '台账' / 'processed' / '2022' / 'quarantine.csv'}",
        f"报告目录：{elsewhere / '成果' / 'index.html'}",
    ]
    assert result.stderr == ""  # nothing else: no warning of the kernel or of the Word document's process at exit
    assert (read, valid, len(clean.quarantine)) == (2896, 2846, 8)
    executed = nbformat.read(folder / "explore.ipynb", as_version=4)
    assert executed.metadata.papermill.parameters["data_dir"] == str(elsewhere / "台账")  # absolute: the kernel runs in notebooks/
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert marker["city"] == "九江市" and marker["title"] == "台账探索" and marker["parameters"] == {"year": 2022}
    assert marker["inputs"] == reporting.inputs_digest([clean, load_year(2021, elsewhere / "台账")], PROJECT_ROOT / "data" / "reference")
    page = (elsewhere / "成果" / "index.html").read_text(encoding="utf-8")
    assert '<td class="kind">台账探索</td><td class="year">2022年</td>' in page
    assert 'href="%E4%B9%9D%E6%B1%9F%E5%B8%82/2022/explore/explore.html"' in page


def test_all_into_a_users_folder_is_refused_and_a_reports_root_is_not(tmp_path, capsys):
    from helpers.output.publish import run_record, write_marker

    own = tmp_path / "own"
    own.mkdir()
    (own / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["report", "annual_review", "--all", "--out", str(own)]) == 2
    assert "输出文件夹已有不是本工具生成的文件" in capsys.readouterr().err and sorted(p.name for p in own.iterdir()) == ["notes.txt"]
    root = tmp_path / "root"  # a reports root the kit wrote into before (a report, no catalogue yet)
    report = root / "九江市" / "2022" / "explore"
    report.mkdir(parents=True)
    write_marker(report, run_record("explore", title="台账探索", city="九江市", parameters={"year": 2022}, inputs=""))
    reporting.check_reports_root(root)
    reporting.check_reports_root(tmp_path / "new")


@pytest.mark.parametrize(
    "arguments, message",
    [(["--years", "2024"], "样例数据只有 2020、2021、2022、2023 年；没有 2024 年的样例"), (["--scale", "0"], "--scale 须是正整数")],
    ids=["year", "scale"],
)
def test_sample_refuses_a_year_or_scale_it_has_no_sample_for(arguments, message, tmp_path, capsys):
    assert main(["sample", *arguments, "--data-dir", str(tmp_path / "d")]) == 2
    error = capsys.readouterr().err.strip()
    assert error == f"错误：{message}" or (error.startswith("错误：") and message in error)
    assert not (tmp_path / "d").exists()


def test_sample_takes_a_relative_data_dir_from_the_current_directory(tmp_path):
    result = run(["sample", "--years", "2021", "--data-dir", "样例"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "样例" / "raw" / "2021").iterdir()) == [
        "2021年九江市招商引资工作台账.xlsx", "永修县2021年项目库.xlsx", "湖口县2021年招商引资项目台账.xlsx", "瑞昌市2021年招商项目台账.xlsx"
    ]
    assert result.stdout.strip() == f"已写入 4 个样例工作簿到 {tmp_path / '样例' / 'raw'}"


# ----------------------------------------------------------------------------- county reports


COUNTY_NOTEBOOK = """\
from helpers.viz.display import show_text, show_title

show_title("九江市", "县区测试报告", f"{year}年{county}")
show_text(f"县区：{county}")
"""
COUNTIES = {2022: ["修水县", "湖口县"], 2023: ["修水县"]}


def _county_runs(data_dir: Path, reference_dir: Path | None) -> list[dict]:
    return [{"year": year, "county": county} for year, counties in COUNTIES.items() for county in counties]


@pytest.fixture
def county_spec(tmp_path, monkeypatch) -> ReportSpec:
    """A report identified by year and county (as county_profile will be), with a tiny notebook."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    parameters = nbformat.v4.new_code_cell('year: int = 2022  # 年度\ncounty: str = "修水县"  # 县区\n'
                                           'data_dir: str = "data"\nreference_dir: str = "data/reference"')
    parameters.metadata["tags"] = ["parameters"]
    notebook = nbformat.v4.new_notebook(cells=[parameters, nbformat.v4.new_code_cell(COUNTY_NOTEBOOK)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nbformat.write(notebook, notebooks / "county_test.ipynb")
    spec = ReportSpec(name="county_test", title="县区测试报告", notebook="county_test.ipynb", identity=("year", "county"), runs=_county_runs)
    monkeypatch.setitem(REPORTS, spec.name, spec)
    monkeypatch.setattr(reporting, "notebooks_dir", lambda: notebooks)
    return spec


def test_county_sets_the_county_parameter(county_spec, tmp_path, capsys):
    out = tmp_path / "reports"
    assert main(["report", "county_test", "--year", "2022", "--county", "湖口县", "--out", str(out / "九江市" / "2022" / "county_test" / "湖口县")]) == 0
    folder = out / "九江市" / "2022" / "county_test" / "湖口县"
    page = (folder / "county_test.html").read_text(encoding="utf-8")
    assert "<title>九江市2022年湖口县县区测试报告</title>" in page and "县区：湖口县" in page
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert marker["parameters"] == {"year": 2022, "county": "湖口县"} and marker["status"] == "ok"
    assert capsys.readouterr().out.splitlines()[-1] == f"报告目录：{out / 'index.html'}"
    assert '<td class="period">湖口县</td>' in (out / "index.html").read_text(encoding="utf-8")


def test_county_and_p_county_naming_one_unit_agree(county_spec, tmp_path, capsys):
    folder = tmp_path / "out"
    assert main(["report", "county_test", "--year", "2022", "--county", "修水县", "-p", "county=修水", "--out", str(folder)]) == 0
    assert json.loads((folder / MARKER).read_text(encoding="utf-8"))["parameters"] == {"year": 2022, "county": "修水县"}


def test_county_contradicting_p_county_is_an_error(county_spec, tmp_path, capsys):
    assert main(["report", "county_test", "--year", "2022", "--county", "湖口县", "-p", "county=修水县", "--out", str(tmp_path / "o")]) == 2
    assert "--county 湖口县 与 -p county=修水县 矛盾" in capsys.readouterr().err


def test_all_counties_needs_a_year(county_spec, tmp_path, capsys):
    assert main(["report", "county_test", "--all-counties", "--out", str(tmp_path / "o")]) == 2
    assert "--all-counties 须与 --year 同用" in capsys.readouterr().err


def test_all_counties_runs_every_county_of_the_year_with_one_progress_bar(county_spec, tmp_path, capsys, monkeypatch):
    import helpers.progress

    bars = []

    def recording_progress(iterable, **options):
        bars.append(options)
        return iterable

    monkeypatch.setattr(helpers.progress, "progress", recording_progress)
    out = tmp_path / "reports"
    assert main(["report", "county_test", "--year", "2022", "--all-counties", "--out", str(out)]) == 0
    assert [(b["total"], b["description"]) for b in bars] == [(2, "生成县区测试报告")]
    base = out / "九江市" / "2022" / "county_test"
    assert sorted(p.name for p in base.iterdir()) == ["修水县", "湖口县"]  # 2023 is not run
    for county in ("修水县", "湖口县"):
        assert f"{county}县区测试报告</title>" in (base / county / "county_test.html").read_text(encoding="utf-8")
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"2022年修水县 县区测试报告：完成 — {base / '修水县' / 'county_test.html'}（台账隔离 8 行，警告 3 条）",
        f"2022年湖口县 县区测试报告：完成 — {base / '湖口县' / 'county_test.html'}（台账隔离 8 行，警告 3 条）",
        f"报告目录：{out / 'index.html'}",
    ]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.index('<td class="period">修水县</td>') < page.index('<td class="period">湖口县</td>')


# ----------------------------------------------------------------------------- progress


def test_progress_only_at_a_terminal(monkeypatch):
    import io

    from helpers.progress import progress, shows_progress

    items = [1, 2]
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress(items) is items and not shows_progress()
    assert progress(items, enabled=False) is items
    shown = progress(items, enabled=True, total=2, description="生成")
    assert list(shown) == items and type(shown).__name__ == "tqdm"
    assert "生成" in sys.stderr.getvalue() and "2/2" in sys.stderr.getvalue()


def test_progress_shows_at_a_terminal(monkeypatch):
    from helpers.progress import progress

    class Terminal:
        def isatty(self):
            return True

        def write(self, text):
            return len(text)

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stderr", Terminal())
    assert type(progress([1], description="生成")).__name__ == "tqdm"


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
def test_sigterm_ends_a_report_like_ctrl_c_with_nothing_left_running(tmp_path):
    """A scheduler's time limit (SIGTERM) while the report runs: exit 143 and one line, and no
    kernel or helper process outlives the run (an orphan would hold the caller's pipes open)."""
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "helpers", "report", "annual_review", "--year", "2022", "--out", str(tmp_path / "out")],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(4)  # the kernel runs the notebook
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)  # returns: no orphan holds the pipes
    assert process.returncode == 143 and err.splitlines()[0] == "已终止。"
    assert not (tmp_path / "out" / "annual_review.html").exists()


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum, status, line", [(signal.SIGTERM, 143, "已终止。"), (signal.SIGINT, 130, "已中断。")], ids=["sigterm", "ctrl-c"])
def test_a_signal_ends_a_batch_at_once_with_one_line(tmp_path, signum, status, line):
    """`--all` interrupted (a scheduler's SIGTERM, Ctrl-C at a terminal: SIGINT to the whole
    process group): the runs not started never start, the running ones end, one line and the
    exit status of the signal; no worker or kernel outlives it, no staging folder stays."""
    import os
    import time

    def kernels() -> set[str]:
        return set(subprocess.run(["pgrep", "-f", "ipykernel_launcher"], capture_output=True, text=True).stdout.split())

    before = kernels()
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers", "report", "annual_review", "--all", "--out", str(tmp_path / "out")],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    # the first runs under way (their staging folders made): a fixed wait broke once the batch got
    # faster than it (the signal then came as the process exited, with status 0)
    deadline = time.monotonic() + 60
    while not [p for p in (tmp_path / "out").rglob("*") if ".tmp-" in p.name] and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(2.5)  # their kernels started: the cells run
    started = time.monotonic()
    os.killpg(process.pid, signum)
    _, err = process.communicate(timeout=60)  # returns: no orphan holds the pipes
    assert process.returncode == status and err.strip() == line, err[-2000:]
    assert time.monotonic() - started < 30  # not after the other years ran (about 5 s each)
    published = sorted(p.parent.name for p in (tmp_path / "out").rglob("annual_review.html"))
    assert published != ["2020", "2021", "2022", "2023"]
    assert not [p for p in (tmp_path / "out").rglob(".*") if ".tmp-" in p.name or ".old-" in p.name]
    time.sleep(1)
    assert subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True).returncode == 1  # nothing left in its session
    assert kernels() <= before  # nor a kernel (they run in sessions of their own)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
def test_a_signal_that_a_finalizer_dropped_is_sent_again():
    """SIGTERM arriving while Python runs a weakref callback raises Terminated there, where Python
    drops it ("Exception ignored in …") and the run would go on; the kit's hook sends it again."""
    import importlib
    import time
    import weakref

    cli = importlib.import_module("helpers.cli.main")  # the module (helpers.cli.main is also the package's function)

    previous, hook = signal.signal(signal.SIGTERM, cli._terminate), sys.unraisablehook
    sys.unraisablehook = cli._signal_again(hook)
    try:
        class Thing:
            pass

        thing = Thing()
        finalizer = weakref.ref(thing, lambda ref: cli._terminate(signal.SIGTERM, None))
        with pytest.raises(cli.Terminated):
            del thing  # the callback's Terminated is dropped by Python, the hook signals again
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:  # the handler raises here, in the run's own code
                time.sleep(0.01)
        assert finalizer() is None
    finally:
        sys.unraisablehook = hook
        signal.signal(signal.SIGTERM, previous)


def test_a_batch_worker_asked_to_end_starts_no_queued_run(monkeypatch, tmp_path):
    """The executor hands a worker its next run before the current one ends; after SIGTERM that
    run must not start (it ran to the end and was published while the batch was being stopped)."""
    import threading

    monkeypatch.setattr(reporting, "_ENDING", threading.Event())
    reporting._ENDING.set()
    with pytest.raises(KeyboardInterrupt):
        reporting._run_one(REPORTS["annual_review"], PROJECT_ROOT / "notebooks" / "annual_review.ipynb", {"year": 2022},
                           DATA_DIR, DATA_DIR / "reference", tmp_path / "out")
    assert not (tmp_path / "out").exists()
