"""Tests for helpers.output.notebook: papermill execution, offline HTML, atomic publishing."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from helpers.errors import UsageError
from helpers.output.notebook import (
    STABLE_KERNELSPEC,
    EarlyKernel,
    ReportError,
    _kernel_manager_class,
    add_table_of_contents,
    notebook_imports,
    run_notebook_report,
    strip_volatile_metadata,
)
from helpers.output.publish import MARKER, mark_folder

FIXTURES = Path(__file__).parent / "fixtures" / "render"
OK_NOTEBOOK = FIXTURES / "report_ok.ipynb"
FAIL_NOTEBOOK = FIXTURES / "report_fail.ipynb"
NAME = "测试报告"
TIMING_KEYS = ("start_time", "end_time", "duration")


@dataclass(frozen=True)
class Runs:
    """Two successful runs of the fixture notebook into different folders."""

    first: Path
    second: Path


def _write_metrics(folder: Path) -> None:
    (folder / "metrics.json").write_text(json.dumps({"year": 2023}), encoding="utf-8")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    root = tmp_path_factory.mktemp("reports")
    first = run_notebook_report(
        OK_NOTEBOOK, root / "a" / "2022", {"year": 2023}, report_name=NAME,
        extra_files=_write_metrics, progress=False,
    )
    # The second target already holds an old report and a failed/ folder.
    second = root / "b" / "2022"
    (second / "failed").mkdir(parents=True)
    (second / "failed" / f"{NAME}.ipynb").write_text("{}", encoding="utf-8")
    (second / "stale.txt").write_text("old", encoding="utf-8")
    mark_folder(second, NAME)  # the kit published it before
    run_notebook_report(OK_NOTEBOOK, second, {"year": 2023}, report_name=NAME, progress=False)
    return Runs(first=first, second=second)


def test_outputs_written(runs: Runs) -> None:
    names = sorted(p.name for p in runs.first.iterdir())
    assert names == sorted([".zhaoshang-report.json", f"{NAME}.docx", f"{NAME}.html", f"{NAME}.ipynb", "metrics.json"])
    # no temporary or set-aside folders left next to the report
    assert sorted(p.name for p in runs.first.parent.iterdir()) == ["2022"]


def test_html_is_code_free_offline_and_has_toc(runs: Runs) -> None:
    page = (runs.first / f"{NAME}.html").read_text(encoding="utf-8")
    assert "<title>测试报告</title>" in page
    assert "print(" not in page and "use_report_style" not in page
    assert '<img src="data:image/png;base64,' in page
    assert "报告年度：2023" in page
    assert "<script" not in page  # no CDN require.js / MathJax / mermaid
    assert not re.search(r"""(src|href)=["']https?://""", page)
    heading = re.search(r'<h2 id="([^"]+)">第一节', page)
    assert heading is not None
    nav = page[page.index('<nav class="report-toc"'):page.index("</nav>")]
    assert f'<a href="#{heading.group(1)}">第一节</a>' in nav
    assert "签约金额" in nav  # h3 entry
    assert page.index("<h1") < page.index("<nav") < page.index("</nav>") < page.index("<h2")  # below the title


def test_html_prints_on_a4_and_fits_a_phone(runs: Runs) -> None:
    page = (runs.first / f"{NAME}.html").read_text(encoding="utf-8")
    css = page[page.index("/* charts scale with the screen"):]
    assert page.index(".jp-RenderedHTMLCommon table {") < page.index("/* charts scale with the screen")  # ours wins
    assert "size: A4" in css and 'content: "— " counter(page) " —"' in css
    assert "nav.report-toc { display: block;" in css and "display: none; } }" not in page  # the TOC is printed
    assert "break-after: avoid-page" in css and "display: table-header-group" in css
    assert ".jp-OutputArea-output img { max-width: 100%; height: auto; }" in css
    assert "overflow-x: auto" in css and "@media only screen and (max-width: 760px)" in css
    image = re.search(r'<img src="data:image/png;base64,[^"]+" alt="图表"([^>]*)/>', page)
    assert image is not None and 'width="' in image.group(1)  # shown at screen size, rendered for print


def test_executed_notebook_has_no_volatile_metadata(runs: Runs) -> None:
    nb = nbformat.read(runs.first / f"{NAME}.ipynb", as_version=4)
    papermill = nb.metadata["papermill"]
    assert papermill["parameters"] == {"year": 2023}
    assert not set(TIMING_KEYS) & set(papermill)
    assert "/" not in papermill["input_path"]
    assert dict(nb.metadata.kernelspec) == STABLE_KERNELSPEC
    for cell in nb.cells:
        assert "execution" not in cell.metadata
        assert not set(TIMING_KEYS) & set(cell.metadata.get("papermill", {}))
    text = (runs.first / f"{NAME}.ipynb").read_text(encoding="utf-8")
    assert str(FIXTURES) not in text and "<Figure" not in text
    chart = next(c for c in nb.cells if c.get("id") == "chart")
    assert [sorted(o.data) for o in chart.outputs] == [["image/png", "text/plain"]]  # the PNG and its text twin


def test_two_runs_are_byte_identical(runs: Runs) -> None:
    for suffix in (".html", ".ipynb", ".docx"):
        first = (runs.first / f"{NAME}{suffix}").read_bytes()
        second = (runs.second / f"{NAME}{suffix}").read_bytes()
        assert first == second, suffix


def test_successful_run_replaces_old_folder_and_failed(runs: Runs) -> None:
    assert not (runs.second / "stale.txt").exists()
    assert not (runs.second / "failed").exists()


def test_failing_cell_keeps_previous_report(runs: Runs, tmp_path: Path) -> None:
    out_dir = tmp_path / "2022"
    shutil.copytree(runs.first, out_dir)
    before = {p.name: p.read_bytes() for p in out_dir.iterdir()}
    with pytest.raises(ReportError) as info:
        run_notebook_report(FAIL_NOTEBOOK, out_dir, {"year": 2023}, report_name=NAME, progress=False)
    message = str(info.value)
    assert "ValueError" in message and "坏数据" in message
    assert "In [4]" in message and "单元格" in message
    assert len(message.splitlines()) == 3
    assert message.splitlines()[1].startswith("出错的单元格：")
    assert message.splitlines()[2].startswith("失败的笔记本：")
    assert info.value.ename == "ValueError" and info.value.execution_count == 4
    after = {p.name: p.read_bytes() for p in out_dir.iterdir() if p.is_file()}
    assert after == before
    failed = out_dir / "failed" / f"{NAME}.ipynb"
    assert info.value.failed_notebook == failed and failed.is_file()
    failed_nb = nbformat.read(failed, as_version=4)
    assert any(o.get("ename") == "ValueError" for c in failed_nb.cells for o in c.get("outputs", []))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022"]  # temp folder removed


def test_kernel_runs_current_interpreter() -> None:
    manager = _kernel_manager_class()(kernel_name="python3")
    assert manager.kernel_spec.argv[0] == sys.executable
    assert manager.kernel_spec.argv[1:3] == ["-m", "ipykernel_launcher"]


def test_strip_volatile_metadata_is_pure() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata.update(
        kernelspec={"name": "venv-xyz", "display_name": "X", "language": "python"},
        papermill={"start_time": "t0", "end_time": "t1", "duration": 1.5,
                   "input_path": "/home/u/a.ipynb", "parameters": {"year": 2022}},
    )
    cell = nbformat.v4.new_code_cell("x = 1", metadata={
        "tags": ["injected-parameters"],
        "execution": {"iopub.execute_input": "2024-01-01T00:00:00Z"},
        "papermill": {"start_time": "t0", "end_time": "t1", "duration": 0.1, "status": "completed"},
    })
    nb.cells.append(cell)
    original = json.dumps(nb, sort_keys=True)
    clean = strip_volatile_metadata(nb)
    assert json.dumps(nb, sort_keys=True) == original  # input untouched
    assert clean.metadata.papermill == {"input_path": "a.ipynb", "parameters": {"year": 2022}}
    assert dict(clean.metadata.kernelspec) == STABLE_KERNELSPEC
    assert "execution" not in clean.cells[0].metadata
    assert clean.cells[0].metadata.papermill == {"status": "completed"}
    assert clean.cells[0].id == "papermill-injected-parameters"
    assert strip_volatile_metadata(clean) == clean


def test_toc_lists_h2_and_h3_only() -> None:
    page = ("<html><body><main><h1 id=\"t\">标题</h1><h2 id=\"a\">第一节<a class=\"anchor-link\" "
            "href=\"#a\">¶</a></h2><h3 id=\"b\">小节</h3><h4 id=\"c\">细节</h4></main></body></html>")
    out = add_table_of_contents(page)
    nav = out[out.index("<nav"):out.index("</nav>")]
    assert '<a href="#a">第一节</a>' in nav and '<a href="#b">小节</a>' in nav
    assert "标题" not in nav and "细节" not in nav
    assert add_table_of_contents("<main><p>无标题</p></main>") == "<main><p>无标题</p></main>"


def test_a_folder_the_kit_did_not_create_is_refused_and_untouched(tmp_path: Path) -> None:
    """A user's folder (here with notes) is never replaced by a report, and no kernel starts."""
    folder = tmp_path / "我的资料"
    folder.mkdir()
    (folder / "笔记.txt").write_text("不要删除", encoding="utf-8")
    with pytest.raises(UsageError, match="不是本工具生成"):
        run_notebook_report(OK_NOTEBOOK, folder, {"year": 2023}, report_name=NAME, progress=False)
    assert sorted(p.name for p in folder.iterdir()) == ["笔记.txt"]
    assert (folder / "笔记.txt").read_text(encoding="utf-8") == "不要删除"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["我的资料"]  # no staging folder left


def test_a_file_and_a_protected_folder_are_refused(tmp_path: Path) -> None:
    document = tmp_path / "年度总结.docx"
    document.write_bytes(b"user document")
    with pytest.raises(UsageError, match="是已有的文件"):
        run_notebook_report(OK_NOTEBOOK, document, {"year": 2023}, report_name=NAME, progress=False)
    assert document.read_bytes() == b"user document"
    data = tmp_path / "data"
    (data / "raw" / "2022").mkdir(parents=True)
    for target in (data, data / "raw" / "2022", tmp_path):
        with pytest.raises(UsageError, match="受保护"):
            run_notebook_report(OK_NOTEBOOK, target, {"year": 2023}, report_name=NAME, progress=False, protected=[data])


def test_a_killed_runs_staging_folder_is_removed_next_time(tmp_path: Path) -> None:
    out = tmp_path / "2022"
    stale = tmp_path / ".2022.tmp-999999999-abcd"  # no such process
    stale.mkdir()
    (stale / "half.html").write_text("…", encoding="utf-8")
    run_notebook_report(OK_NOTEBOOK, out, {"year": 2023}, report_name=NAME, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2022"]
    assert (out / MARKER).is_file()


def _year_file(folder: Path) -> str:
    return f"from pathlib import Path\nPath({str(folder)!r}, 'year.txt').write_text(str(year), encoding='utf-8')\n"


def test_kernel_files_are_written_by_the_kernel_and_leave_no_trace(tmp_path: Path) -> None:
    out = run_notebook_report(OK_NOTEBOOK, tmp_path / "r", {"year": 2023}, report_name=NAME, kernel_files=_year_file, progress=False)
    assert (out / "year.txt").read_text(encoding="utf-8") == "2023"  # the kernel's own value, after the last cell
    executed = nbformat.read(out / f"{NAME}.ipynb", as_version=4)
    assert len(executed.cells) == len(nbformat.read(OK_NOTEBOOK, as_version=4).cells) + 1  # + papermill's parameters only
    assert "year.txt" not in (out / f"{NAME}.ipynb").read_text(encoding="utf-8")


def test_a_failing_kernel_epilogue_keeps_the_previous_report(tmp_path: Path) -> None:
    target = tmp_path / "r"
    target.mkdir()
    (target / "old.txt").write_text("old", encoding="utf-8")
    mark_folder(target, NAME)

    def broken(folder: Path) -> str:
        return "undefined_name_in_kernel\n"

    with pytest.raises(ReportError, match="NameError"):
        run_notebook_report(OK_NOTEBOOK, target, {"year": 2023}, report_name=NAME, kernel_files=broken, progress=False)
    assert sorted(p.name for p in target.iterdir()) == sorted([MARKER, "old.txt"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no staging folder left


def test_the_kernel_epilogue_does_not_run_after_a_failing_cell(tmp_path: Path) -> None:
    outside = tmp_path / "outside"  # not the staging folder, which a failure removes anyway
    outside.mkdir()
    with pytest.raises(ReportError):
        run_notebook_report(
            FAIL_NOTEBOOK, tmp_path / "r", {"year": 2023}, report_name=NAME, kernel_files=lambda _: _year_file(outside), progress=False
        )
    assert not (outside / "year.txt").exists()


def test_rendering_does_not_compile_jsonschemas_iri_grammars() -> None:
    """jsonschema's format checker imports rfc3987_syntax (0.8 s of lark grammars) for an "iri"
    format no notebook schema uses: the output package keeps it out of a report's process, and
    nbformat still validates notebooks."""
    import subprocess

    code = (
        "import sys; import helpers.output.notebook, papermill, nbformat; "
        "nbformat.validate(nbformat.v4.new_notebook()); print(sys.modules.get('rfc3987_syntax', 'absent'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "None"  # marked absent: `import rfc3987_syntax` raises ImportError


# ----------------------------------------------------------------------------- a kernel started early


def _notebook(folder: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("year = 2022", metadata={"tags": ["parameters"]})]
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.metadata["kernelspec"] = dict(STABLE_KERNELSPEC)
    path = folder / "early.ipynb"
    nbformat.write(notebook, path)
    return path


def test_notebook_imports_names_the_top_level_imports_of_code_cells_in_order(tmp_path: Path) -> None:
    notebook = _notebook(
        tmp_path,
        "from __future__ import annotations\nimport json, email.mime as mime\nfrom helpers.viz import charts, style as s",
        "%time x = 1",  # a magic: not Python, left out
        "from . import sibling\nfrom os.path import *\nif year:\n    import csv\n",  # relative, star, nested: left out
        "import json\nfrom html import escape",
    )
    assert notebook_imports(notebook) == [
        "json", "email.mime", "helpers.viz", "helpers.viz.charts", "helpers.viz.style", "os.path", "html", "html.escape",
    ]


def _children() -> set[int]:
    pids: set[int] = set()
    for task in Path("/proc/self/task").glob("*"):
        pids.update(int(pid) for pid in (task / "children").read_text().split())
    return pids


NAMES = "print(sorted(k for k in dir() if not k.startswith('__')))"
IMPORTED = "import sys\nprint('email.mime' in sys.modules)"


def test_a_report_in_an_early_kernel_is_the_report_of_a_kernel_started_late(tmp_path: Path) -> None:
    """The early kernel imported the notebook's modules before the first cell, bound no name
    and printed nothing: the executed notebook and the page are byte for byte the same."""
    notebook = _notebook(tmp_path, NAMES, "from email import mime\nprint(mime.__name__)")
    late = run_notebook_report(notebook, tmp_path / "late", {"year": 2023}, report_name=NAME, progress=False)
    with EarlyKernel.start(notebook) as kernel:
        assert kernel is not None
        early = run_notebook_report(notebook, tmp_path / "early", {"year": 2023}, report_name=NAME, progress=False, kernel=kernel)
    for suffix in (".ipynb", ".html"):
        assert (early / f"{NAME}{suffix}").read_bytes() == (late / f"{NAME}{suffix}").read_bytes()
    names = nbformat.read(early / f"{NAME}.ipynb", as_version=4).cells[2].outputs[0]["text"]
    assert "year" in names and "_kit_warmup" not in names


@pytest.mark.parametrize("early, imported", [(False, "False"), (True, "True")], ids=["late", "early"])
def test_an_early_kernel_has_imported_the_notebooks_modules_when_the_first_cell_runs(tmp_path: Path, early: bool, imported: str) -> None:
    notebook = _notebook(tmp_path, IMPORTED, "from email import mime")
    with (EarlyKernel.start(notebook) if early else contextlib.nullcontext()) as kernel:
        out = run_notebook_report(notebook, tmp_path / "r", {"year": 2023}, report_name=NAME, progress=False, kernel=kernel)
    assert nbformat.read(out / f"{NAME}.ipynb", as_version=4).cells[2].outputs[0]["text"].strip() == imported


def test_an_early_kernel_that_was_not_used_is_shut_down(tmp_path: Path) -> None:
    before = _children()
    with EarlyKernel.start(_notebook(tmp_path, "import json")) as kernel:
        assert kernel is not None
        assert len(_children() - before) == 1  # the kernel
    assert _children() == before


def test_the_word_document_written_in_a_process_of_its_own_is_the_same_document(tmp_path: Path) -> None:
    here = run_notebook_report(OK_NOTEBOOK, tmp_path / "here", {"year": 2023}, report_name=NAME, progress=False)
    there = run_notebook_report(OK_NOTEBOOK, tmp_path / "there", {"year": 2023}, report_name=NAME, progress=False, word_process=True)
    assert (there / f"{NAME}.docx").read_bytes() == (here / f"{NAME}.docx").read_bytes()


def test_a_word_process_that_died_leaves_the_document_to_the_run(tmp_path: Path) -> None:
    """Not the writer's error (the process is gone): the document is written in the run's own process."""
    import os
    import signal

    from helpers.output import notebook as runner

    process = runner.word_writer_process()
    try:
        os.kill(process.submit(os.getpid).result(), signal.SIGKILL)
        nb = nbformat.read(OK_NOTEBOOK, as_version=4)
        document = runner._WordDocument(nb, tmp_path / "r.docx", "标题", process)
        document.wait()
    finally:
        process.shutdown()
    assert (tmp_path / "r.docx").stat().st_size > 0


def test_a_kernel_that_dies_names_its_cell_and_keeps_the_failed_notebook(tmp_path: Path) -> None:
    """os._exit (or the out-of-memory killer) in a cell: a ReportError naming the cell, the cells
    run so far in failed/, no kernel left running."""
    notebook = _notebook(tmp_path, "print('before')", "import os\nos._exit(3)", "print('never')")
    before = _children()
    with EarlyKernel.start(notebook) as kernel, pytest.raises(ReportError) as info:
        run_notebook_report(notebook, tmp_path / "r", {"year": 2023}, report_name=NAME, progress=False, kernel=kernel)
    chinese, cell, saved = str(info.value).splitlines()
    assert chinese == "报告生成失败：early.ipynb 第 4 个单元格运行时内核意外退出（内存不足、进程被终止或代码调用了 os._exit）"
    assert cell == "出错的单元格：import os …" and saved == f"失败的笔记本：{info.value.failed_notebook}"
    failed = nbformat.read(info.value.failed_notebook, as_version=4)
    assert info.value.cell_index == 3 and failed.cells[3].source == "import os\nos._exit(3)"
    assert failed.cells[3].metadata.papermill.status == "failed" and failed.cells[2].outputs[0]["text"] == "before\n"
    assert _children() == before


def test_a_failed_cell_is_named_by_its_number_and_its_first_line_in_chinese(runs: Runs, tmp_path: Path) -> None:
    with pytest.raises(ReportError) as info:
        run_notebook_report(FAIL_NOTEBOOK, tmp_path / "r", {"year": 2023}, report_name=NAME, progress=False)
    where, cell, saved = str(info.value).splitlines()
    executed = nbformat.read(info.value.failed_notebook, as_version=4)
    assert f"第 {info.value.cell_index + 1} 个单元格（In [4]）出错" in where
    assert cell == f"出错的单元格：{executed.cells[info.value.cell_index].source.strip().splitlines()[0]}" + (
        " …" if len(executed.cells[info.value.cell_index].source.strip().splitlines()) > 1 else ""
    )
    assert saved == f"失败的笔记本：{info.value.failed_notebook}" and not re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}", where + saved)


def test_a_kernel_handed_over_is_shut_down_when_the_run_fails_before_its_first_cell(tmp_path: Path, monkeypatch) -> None:
    import papermill

    def refuses(*args, **kwargs):
        raise ValueError("papermill refused the notebook")

    monkeypatch.setattr(papermill, "execute_notebook", refuses)
    notebook = _notebook(tmp_path, "import json")
    before = _children()
    with EarlyKernel.start(notebook) as kernel, pytest.raises(ReportError, match="papermill refused"):
        run_notebook_report(notebook, tmp_path / "r", {"year": 2023}, report_name=NAME, progress=False, kernel=kernel)
    assert _children() == before


def test_a_kernel_that_never_launched_leaves_no_connection_file(tmp_path: Path) -> None:
    """Interrupted between writing its connection file and launching (Ctrl-C 1.5 s into a run):
    the file is removed (the asynchronous manager's cleanup is awaited, not dropped)."""
    from helpers.output import notebook as runner

    manager = _kernel_manager_class()(kernel_name="python3", connection_file=str(tmp_path / "kernel-early.json"))
    manager.write_connection_file()
    assert Path(manager.connection_file).is_file() and not manager.has_kernel
    runner._shut_down(manager)
    assert not Path(manager.connection_file).exists()
