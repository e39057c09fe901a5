"""Report runner: execute a parameterized notebook with papermill, render HTML, publish.

:func:`run_notebook_report` executes a notebook in a temporary folder next to
the target, writes ``<name>.ipynb`` (volatile metadata stripped), an
offline, deterministic ``<name>.html`` (no code, table of contents) and its Word
twin ``<name>.docx``, lets the
caller add files, then swaps the folder into place. A failing cell leaves the
previous report untouched and saves the failed notebook under ``failed/``.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import html
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import weakref
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from helpers.errors import ReportError, UsageError, input_error_named
from helpers.output.print_css import REPORT_CSS
from helpers.output.publish import check_output_folder, mark_folder, new_staging_folder, publish_folder, read_marker, same_report
from helpers.paths import write_atomic
from helpers.processes import end_with_parent

__all__ = [
    "ReportError",
    "read_notebook",
    "STABLE_KERNELSPEC",
    "run_notebook_report",
    "strip_volatile_metadata",
    "render_html",
    "notebook_title",
    "add_table_of_contents",
]

#: Kernelspec recorded in every executed notebook (independent of the machine).
STABLE_KERNELSPEC: dict[str, str] = {
    "name": "python3",
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
}
_INJECTED_TAG = "injected-parameters"
_INJECTED_CELL_ID = "papermill-injected-parameters"
_VOLATILE_PAPERMILL_KEYS = ("start_time", "end_time", "duration")
_PATH_PAPERMILL_KEYS = ("input_path", "output_path")
_FAILED_DIR = "failed"
_TEMPLATE_NAME = "zhaoshang_offline.html.j2"

# The lab template loads require.js, MathJax and mermaid from a CDN; a report
# must open offline, so these blocks are emptied (markdown LaTeX stays as text).
_OFFLINE_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style type="text/css">
nav.report-toc {
  max-width: 1100px; margin: 16px auto 8px auto; padding: 12px 20px;
  border: 1px solid #E3E7EC; border-radius: 6px; background: #F7F9FB;
  font-family: var(--jp-content-font-family); font-size: 14px;
}
nav.report-toc .report-toc-title { font-weight: 600; margin: 0 0 6px 0; }
nav.report-toc ul { margin: 0; padding-left: 18px; }
nav.report-toc li.toc-h3 { margin-left: 18px; list-style-type: circle; }
nav.report-toc a { color: #2F6EBA; text-decoration: none; }
nav.report-toc a:hover { text-decoration: underline; }
</style>
{% endblock extra_css %}
{%- block html_head_css -%}
__REPORT_CSS__{%- endblock html_head_css -%}
""".replace("__REPORT_CSS__", REPORT_CSS)  # print and narrow-screen rules (after the lab CSS): helpers.output.print_css

_HEADING_RE = re.compile(r"<h([23])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_IMG_RE = re.compile(r"<img\b([^>]*?)\s*/?>", re.DOTALL)
_ATTR_RE = re.compile(r"([^\s=/>]+)(?:=\"([^\"]*)\")?")
_NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"
_DEFAULT_ALT = "图表"
_MARKDOWN_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)



# --------------------------------------------------------------------------- metadata


def read_notebook(notebook: Path) -> NotebookNode:
    """The notebook at ``notebook``, or :class:`UsageError` in one line when there is no such file
    or it is not a notebook (not JSON, not nbformat 4, a file of another kind renamed)."""
    notebook = Path(notebook)
    if not notebook.is_file():
        raise UsageError(f"找不到笔记本 {notebook.resolve()}（文件不存在）")
    try:
        nb = nbformat.read(notebook, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # noqa: BLE001 — JSON, encoding and schema errors alike
        reason = _first_line(str(error), limit=120) or type(error).__name__
        raise UsageError(f"{notebook.resolve()} 不是有效的 Jupyter 笔记本（{reason}）；请在 JupyterLab 中打开并另存后重试") from None
    return nb


def parameters_cell(nb: NotebookNode) -> NotebookNode | None:
    """The first cell tagged ``parameters`` (papermill's rule), or None."""
    return next((cell for cell in nb.cells if "parameters" in cell.get("metadata", {}).get("tags", [])), None)


def inspect_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    """Papermill's inspection of the notebook's ``parameters`` cell: name → name, type, default,
    help (``{}`` without such a cell). The notebook is read with :func:`read_notebook`; one
    without a kernel in its metadata (written by a script) is inspected as Python."""
    from papermill.translators import PythonTranslator

    cell = parameters_cell(read_notebook(notebook))
    return {} if cell is None else {parameter.name: parameter._asdict() for parameter in PythonTranslator.inspect(cell)}

def strip_volatile_metadata(nb: NotebookNode) -> NotebookNode:
    """Return a copy of ``nb`` without run-dependent metadata.

    Removes papermill start/end times and durations (notebook and cells),
    nbclient's per-cell ``execution`` timestamps and machine paths, gives
    papermill's injected-parameters cell a fixed id and sets a stable
    kernelspec. Papermill's ``parameters`` record is kept.
    """
    clean = copy.deepcopy(nb)
    metadata = clean.setdefault("metadata", nbformat.NotebookNode())
    papermill = metadata.get("papermill")
    if isinstance(papermill, dict):
        for key in _VOLATILE_PAPERMILL_KEYS:
            papermill.pop(key, None)
        for key in _PATH_PAPERMILL_KEYS:
            if papermill.get(key):
                papermill[key] = Path(str(papermill[key])).name
    metadata["kernelspec"] = nbformat.from_dict(dict(STABLE_KERNELSPEC))
    for cell in clean.get("cells", []):
        cell_meta = cell.setdefault("metadata", nbformat.NotebookNode())
        cell_meta.pop("execution", None)
        cell_papermill = cell_meta.get("papermill")
        if isinstance(cell_papermill, dict):
            for key in _VOLATILE_PAPERMILL_KEYS:
                cell_papermill.pop(key, None)
        if _INJECTED_TAG in cell_meta.get("tags", []) and "id" in cell:
            cell["id"] = _INJECTED_CELL_ID
    return clean


def _write_notebook(nb: NotebookNode, path: Path) -> None:
    """Write ``nb`` atomically (same bytes for the same notebook)."""
    text = nbformat.writes(nb, version=nbformat.NO_CONVERT)
    _write_text_atomic(path, text if text.endswith("\n") else text + "\n")


def _write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text (LF line ends) atomically."""
    write_atomic(path, text.encode("utf-8"))


# --------------------------------------------------------------------------- HTML


def _markdown_outputs(cell: NotebookNode) -> list[str]:
    """The Markdown that a code cell displayed (``show_title``, ``show_text``), in order."""
    texts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") in ("display_data", "execute_result"):
            markdown = output.get("data", {}).get("text/markdown")
            if markdown is not None:
                texts.append("".join(markdown) if isinstance(markdown, list) else str(markdown))
    return texts


def notebook_title(nb: NotebookNode, default: str) -> str:
    """Text of the notebook's first heading (``default`` if there is none): in a markdown cell,
    or displayed as Markdown by a code cell (``helpers.viz.display.show_title``, whose text is
    HTML-escaped; the title is returned as plain text).

    >>> cell = nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
    ...     "display_data", data={"text/markdown": "# 九江市2023年1—6月招商引资工作月度通报"})])
    >>> notebook_title(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("说明"), cell]), "x")
    '九江市2023年1—6月招商引资工作月度通报'
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            texts = [str(cell.get("source", ""))]
        elif cell.get("cell_type") == "code":
            texts = [html.unescape(text) for text in _markdown_outputs(cell)]
        else:
            continue
        for text in texts:
            match = _MARKDOWN_HEADING_RE.search(text)
            if match:
                title = re.sub(r"[*_`]", "", match.group(1)).strip()
                if title:
                    return title
    return default


def add_table_of_contents(page: str) -> str:
    """Insert a "目录" nav linking to every h2/h3 heading: before the first h2 (so below the
    report's title and introduction), else right after ``<main>``."""
    items: list[str] = []
    for level, anchor, inner in _HEADING_RE.findall(page):
        text = html.unescape(_TAG_RE.sub("", inner)).replace("¶", "").strip()
        if not text:
            continue
        items.append(
            f'<li class="toc-h{level}"><a href="#{anchor}">{html.escape(text, quote=False)}</a></li>'
        )
    if not items:
        return page
    nav = (
        '<nav class="report-toc" aria-label="目录">\n'
        '<p class="report-toc-title">目录</p>\n<ul>\n' + "\n".join(items) + "\n</ul>\n</nav>\n"
    )
    first_section = re.search(r"<h2\b", page)
    if first_section is not None:
        return page[: first_section.start()] + nav + page[first_section.start():]
    marker = "<main>"
    position = page.find(marker)
    if position < 0:
        body = re.search(r"<body\b[^>]*>", page)
        if body is None:
            return nav + page
        position, marker = body.start(), body.group(0)
    cut = position + len(marker)
    return page[:cut] + "\n" + nav + page[cut:]


def _normalise_images(page: str) -> str:
    """Put ``src`` first in every ``<img>``, use a Chinese default alt, drop empty classes.

    nbconvert re-serialises the page with BeautifulSoup, which sorts attributes
    and adds an English alt text.
    """

    def fix(match: re.Match[str]) -> str:
        attrs = [(k, v) for k, v in _ATTR_RE.findall(match.group(1))]
        values = dict(attrs)
        if values.get("alt") in (None, _NBCONVERT_DEFAULT_ALT):
            values["alt"] = _DEFAULT_ALT
        if not values.get("class", "x").strip():
            values.pop("class")
        order = ["src", "alt"] + [k for k, _ in attrs if k not in {"src", "alt"}]
        parts = [f'{k}="{values[k]}"' for k in order if k in values]
        return "<img " + " ".join(parts) + "/>"

    return _IMG_RE.sub(fix, page)


def html_exporter() -> Any:
    """nbconvert's exporter of the report pages (lab template, offline, no code)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file=_TEMPLATE_NAME,
        extra_loaders=[DictLoader({_TEMPLATE_NAME: _OFFLINE_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code="zh",
    )


def render_html(nb: NotebookNode, *, title: str, resource_path: Path | None = None, exporter: Any = None) -> str:
    """Render ``nb`` to a self-contained, offline, code-free HTML page with a TOC (``exporter``:
    one from :func:`html_exporter`, e.g. prepared while the kernel ran)."""
    exporter = exporter if exporter is not None else html_exporter()
    resources: dict[str, Any] = {"metadata": {"name": title}}
    if resource_path is not None:
        resources["metadata"]["path"] = str(resource_path)
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    page = add_table_of_contents(_normalise_images(page))
    return page if page.endswith("\n") else page + "\n"


@functools.lru_cache(maxsize=1)
def _prepared_exporter() -> Any:
    """An exporter that has rendered a one-cell page, and the Word writer imported: the imports,
    the template's compilation and the converters' first use (about 0.7 s) are paid while the
    kernel runs, in a thread of the otherwise waiting parent (the page itself is rendered
    afterwards, by the same code, from the executed notebook). One per process: a batch's worker
    renders all its pages with it (an exporter keeps no state of a page)."""
    exporter = html_exporter()
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## 预备\n\n文字")])
    exporter.from_notebook_node(probe, resources={"metadata": {"name": "预备"}})
    import helpers.output.docx  # noqa: F401 — imported here, used after the kernel

    return exporter


# --------------------------------------------------------------------------- kernel


def _helpers_source_root() -> Path | None:
    """Folder to put on the kernel's PYTHONPATH so it imports this ``helpers``."""
    root = Path(__file__).resolve().parent.parent
    if root.name in {"site-packages", "dist-packages"}:
        return None
    return root


#: Every kernel manager of this process (weakly): a run interrupted while nbclient starts its kernel
#: shuts down the kernel nbclient had not yet taken charge of (:func:`_shut_down_kernels`).
_MANAGERS: weakref.WeakSet[Any] = weakref.WeakSet()


def _shut_down_kernels() -> None:
    """Stop every kernel of this process's kernel managers that is still running."""
    for manager in list(_MANAGERS):
        _shut_down(manager)


def _kernel_manager_class() -> type:
    """A kernel manager that runs ipykernel on *this* interpreter.

    The kernelspec is ipykernel's native one built for ``sys.executable``
    (not whatever "python3" spec a user folder may hold), and the kernel's
    PYTHONPATH starts with the folder this ``helpers`` package was imported from.
    """
    import zmq
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    encryption = "auto" if zmq.has("curve") else "disabled"

    class CurrentInterpreterKernelManager(AsyncKernelManager):
        """AsyncKernelManager pinned to ``sys.executable``."""

        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("transport_encryption", encryption)
            super().__init__(**kwargs)
            _MANAGERS.add(self)

        @property
        def kernel_spec(self) -> KernelSpec:
            if self._kernel_spec is None:
                spec = get_kernel_dict()
                spec["argv"] = [sys.executable, *spec["argv"][1:]]
                self._kernel_spec = KernelSpec(resource_dir=RESOURCES, **spec)
            return self._kernel_spec

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts a kernel before every shutdown request; an idle kernel then
            # logs "KeyboardInterrupt caught in kernel" although nothing was running. Our kernels are
            # only shut down after the last cell (or a failed one), so the interrupt is skipped then.
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            env = dict(kw.pop("env", None) or os.environ)
            root = _helpers_source_root()
            if root is not None:
                parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
                if str(root) not in parts:
                    env["PYTHONPATH"] = os.pathsep.join([str(root), *parts])
            env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
            kw["env"] = env
            return await super()._async_pre_start_kernel(**kw)

    return CurrentInterpreterKernelManager


def notebook_imports(notebook: Path) -> list[str]:
    """The modules that the code cells of ``notebook`` import at their top level, in order: the
    module of every ``import`` and ``from … import``, and ``module.name`` for each name (a
    submodule when it is one; :func:`helpers.warmup.import_modules` skips the others). Cells that
    are not plain Python (magics) and relative imports are left out."""
    import ast

    names: list[str] = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names.extend(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level and node.module != "__future__":
                names.append(node.module)
                names.extend(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return list(dict.fromkeys(names))


def _shut_down(manager: Any) -> None:
    """Stop the kernel of ``manager`` at once and remove its connection file (nothing when it is
    already stopped: nbclient shut it down after the last cell)."""
    from jupyter_core.utils import run_sync

    async def removed(manager: Any) -> None:
        cleaned = manager.cleanup_resources()  # its connection file (a coroutine of an asynchronous manager)
        if hasattr(cleaned, "__await__"):
            await cleaned

    with contextlib.suppress(Exception):  # a kernel that is already gone (or was never launched)
        if manager.has_kernel:
            run_sync(manager.shutdown_kernel)(now=True)
        else:
            run_sync(removed)(manager)


class EarlyKernel:
    """A report's kernel started before the parent's checks (issue 13): ipykernel starts up and
    imports the notebook's modules (:func:`notebook_imports`, :mod:`helpers.warmup`) on the
    other core while the parent checks parameters, folders and ledgers, and
    :func:`run_notebook_report` then runs the notebook in it instead of starting one.

    The kernel is the one :func:`run_notebook_report` would start (this interpreter, the
    notebook's folder as working directory, the same arguments); the start-up imports bind no
    name in the notebook's namespace and print nothing. Use as a context manager: a kernel that
    was not handed over (a check failed) is shut down on exit.
    """

    def __init__(self, manager: Any) -> None:
        self._manager: Any = manager

    @classmethod
    def start(cls, notebook: Path) -> EarlyKernel | None:
        """Start the kernel for ``notebook``; None when it cannot start here (the run then starts
        its own kernel and reports what fails)."""
        from jupyter_core.utils import run_sync

        notebook = Path(notebook).resolve()
        modules = notebook_imports(notebook)
        warm = f"import helpers.warmup as _kit_warmup; _kit_warmup.import_modules({modules!r}); del _kit_warmup"
        arguments = ["--HistoryManager.hist_file=:memory:", f"--IPKernelApp.exec_lines={warm}"]  # nbclient's own first
        manager = None
        try:
            manager = _kernel_manager_class()(kernel_name=STABLE_KERNELSPEC["name"])
            run_sync(manager.start_kernel)(extra_arguments=arguments, cwd=str(notebook.parent))
        except Exception:  # noqa: BLE001 — the run starts a kernel the usual way and reports the failure
            return None
        except BaseException:  # interrupted (Ctrl-C, SIGTERM) while starting: the half-started kernel ends too
            if manager is not None:
                cls(manager).close()
            raise
        return cls(manager)

    def hand_over(self) -> Any:
        """The kernel manager, for nbclient (which shuts the kernel down after the last cell)."""
        manager, self._manager = self._manager, None
        return manager

    def close(self) -> None:
        """Shut the kernel down unless it was handed over."""
        if self._manager is None:
            return
        manager, self._manager = self._manager, None
        _shut_down(manager)

    def __enter__(self) -> EarlyKernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_ENGINE_NAME = "zhaoshang"


def _engine_name() -> str:
    """Register (once) and name papermill's nbclient engine extended with a kernel epilogue.

    The epilogue (``kernel_epilogue=`` of ``papermill.execute_notebook``) is code the kernel runs
    after the notebook's last cell, when no cell failed, and that is recorded nowhere in the
    notebook: a report's kernel hands over what it already computed (e.g. writes
    ``metrics.json`` into the staging folder) instead of the parent computing it again. A
    failing epilogue raises :class:`ReportError`. ``kernel_ready=`` (a callable) is called when the
    kernel is ready, before the first cell: work of the parent that should not compete with the
    kernel's start-up for a core starts there.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class EpilogueClient(PapermillNotebookClient):
        """papermill's client that runs ``epilogue`` in the kernel after the last cell."""

        def __init__(self, nb_man: Any, epilogue: str = "", kernel_ready: Callable[[], None] | None = None, **kw: Any) -> None:
            super().__init__(nb_man, **kw)
            self.epilogue = epilogue
            self.kernel_ready = kernel_ready

        def papermill_execute_cells(self) -> None:
            from nbclient.exceptions import DeadKernelError

            if self.kernel_ready is not None:
                self.kernel_ready()
            try:
                super().papermill_execute_cells()
            except DeadKernelError as died:  # papermill saves nothing then: the cells run so far go with the error
                started = [i for i, cell in enumerate(self.nb.cells) if cell.metadata.get("papermill", {}).get("status") != "pending"]
                if started:  # the last cell papermill started is the one that was running
                    self.nb.cells[started[-1]].metadata.papermill["status"] = "failed"
                died.cell_index = started[-1] if started else None  # type: ignore[attr-defined]
                died.notebook = self.nb  # type: ignore[attr-defined]
                raise
            if not self.epilogue or self.nb.metadata.get("papermill", {}).get("exception"):
                return
            reply = self.wait_for_reply(self.kc.execute(self.epilogue, silent=True, store_history=False))
            content = (reply or {}).get("content", {})
            if content.get("status") != "ok":
                ename, evalue = content.get("ename", "?"), _first_line(content.get("evalue", ""))
                raise ReportError(
                    f"报告生成失败：写出报告附件（metrics.json、tables.xlsx 等）时出错 — {ename}: {evalue}",
                    ename=ename,
                    evalue=evalue,
                )

    class EpilogueEngine(NBClientEngine):
        """NBClientEngine with :class:`EpilogueClient` (same arguments, plus ``kernel_epilogue``)."""

        @classmethod
        def execute_managed_notebook(
            cls, nb_man: Any, kernel_name: str, log_output: bool = False, stdout_file: Any = None, stderr_file: Any = None,
            start_timeout: int = 60, execution_timeout: int | None = None, kernel_epilogue: str = "",
            kernel_ready: Callable[[], None] | None = None, **kwargs: Any,
        ) -> Any:
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                # after the last cell (and the epilogue, whose files are written before its reply) the kernel
                # holds nothing to save: stopped at once, not by a shutdown request the parent waits 0.4 s for
                shutdown_kernel="immediate",
            )
            # cleanup_kc: also a kernel started early (``km=``, :class:`EarlyKernel`) is shut down after the last cell
            client = EpilogueClient(nb_man, epilogue=kernel_epilogue, kernel_ready=kernel_ready, **final_kwargs)
            return client.execute(cleanup_kc=True)

    papermill_engines.register(_ENGINE_NAME, EpilogueEngine)
    return _ENGINE_NAME


# --------------------------------------------------------------------------- runner


def _result(future: Future[Any] | None) -> Any:
    """The prepared exporter, or None when there is none or preparing it failed (the page is then
    rendered with a new one, which raises the same error where it is expected)."""
    if future is None:
        return None
    try:
        return future.result()
    except Exception:  # noqa: BLE001
        return None


def _first_line(text: str, limit: int = 200) -> str:
    """First non-empty line of ``text``, shortened to ``limit`` characters."""
    line = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _failed_saved(failed: Path | None) -> str:
    return f"失败的笔记本：{failed}" if failed is not None else "失败的笔记本未能保存"


def _cell_line(executed: Path, index: int) -> str:
    """``出错的单元格：<its first line>`` and a line break (nothing when the notebook or cell is
    not there): which code to look at, before opening the failed notebook."""
    try:
        source = nbformat.read(executed, as_version=nbformat.NO_CONVERT).cells[index].source
    except Exception:  # noqa: BLE001 — the message goes out without it
        return ""
    first = _first_line(source, limit=80)
    return f"出错的单元格：{first}{' …' if len(source.strip().splitlines()) > 1 else ''}\n" if first else ""


def _save_failed(tmp_notebook: Path, out_dir: Path, name: str, owner: Mapping[str, Any] | None = None) -> Path | None:
    """Copy the failed executed notebook to ``out_dir/failed/<name>.ipynb`` (not into the folder of
    another report, which a concurrent run may have published there meanwhile)."""
    marker = read_marker(out_dir) if out_dir.is_dir() else None
    if not tmp_notebook.exists() or (owner is not None and marker is not None and not same_report(marker, owner)):
        return None
    nb = nbformat.read(tmp_notebook, as_version=nbformat.NO_CONVERT)
    target = out_dir / _FAILED_DIR / f"{name}.ipynb"
    created = not out_dir.exists()
    _write_notebook(strip_volatile_metadata(nb), target)
    if created:  # a first run that failed: the folder is still the kit's own
        mark_folder(out_dir, name)
    return target


def run_notebook_report(
    notebook: Path,
    out_dir: Path,
    parameters: Mapping[str, Any],
    *,
    report_name: str | None = None,
    extra_files: Callable[[Path], None] | None = None,
    kernel_files: Callable[[Path], str] | None = None,
    progress: bool = True,
    kernel_name: str | None = None,
    protected: Iterable[Path] = (),
    kernel: EarlyKernel | None = None,
    word_process: bool = False,
    owner: Mapping[str, Any] | None = None,
) -> Path:
    """Execute ``notebook`` with ``parameters`` and publish ``out_dir`` atomically.

    Writes ``<name>.ipynb`` (executed, volatile metadata stripped),
    ``<name>.html`` (no code, offline, table of contents) and ``<name>.docx`` (the same
    content as an official-style Word document, ``helpers.output.docx``), then calls
    ``extra_files(tmp_dir)`` so the caller can add files, then replaces
    ``out_dir`` in one step. ``kernel_files(tmp_dir)`` is code the kernel runs after the
    last cell (when no cell failed; not recorded in the notebook) to write files from what
    it computed into the staging folder. ``name`` defaults to the notebook's stem. With
    ``kernel_name=None`` the kernel is ipykernel on the running interpreter;
    otherwise the named kernelspec is used. The kernel's working directory is
    the notebook's folder; ``kernel`` (:class:`EarlyKernel`, with ``kernel_name=None``) is one
    already started for this notebook; with ``word_process`` (for a run with a core to spare) the
    Word document is written by a process of its own (:func:`word_writer_process`) while the page
    renders. What the parent prepares while the kernel runs (the page's exporter, that process)
    starts when the kernel is ready, not while it starts up. Returns ``out_dir``.

    ``out_dir`` must be new, empty or a report folder the kit published (see
    :func:`helpers.output.publish.check_output_folder`; ``protected`` folders are refused):
    anything else raises :class:`~helpers.errors.UsageError` before a kernel starts. With
    ``owner`` (a marker's record, :func:`helpers.output.publish.run_record`) the folder of another
    report is refused too, before the run and again at the swap.

    Raises :class:`ReportError` when a cell fails: the executed notebook is
    saved to ``out_dir/failed/<name>.ipynb`` and nothing else in ``out_dir``
    changes. A cell that fails on bad input (an :class:`~helpers.errors.InputError`
    raised in the kernel) raises that same error instead, and nothing is written.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = Path(notebook).resolve()
    out_dir = Path(out_dir).resolve()
    if not notebook.is_file():
        raise ReportError(f"报告生成失败：找不到笔记本 {notebook}")
    name = report_name or notebook.stem
    check_output_folder(out_dir, protected=protected, owner=owner)
    tmp_dir = new_staging_folder(out_dir)
    tmp_notebook = tmp_dir / f"{name}.ipynb"
    engine_kwargs: dict[str, Any] = {"engine_name": _engine_name()}
    if kernel_name is None:
        kernel_name = STABLE_KERNELSPEC["name"]
        engine_kwargs["kernel_manager_class"] = _kernel_manager_class()
        if kernel is not None:
            engine_kwargs["km"] = kernel.hand_over()  # shut down by nbclient after the last cell, or below on a failure before
    if kernel_files is not None:
        engine_kwargs["kernel_epilogue"] = kernel_files(tmp_dir)
    prepared: dict[str, Any] = {}

    def kernel_ready() -> None:
        preparing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare-render")
        prepared["exporter"] = preparing.submit(_prepared_exporter)
        preparing.shutdown(wait=False)
        if word_process:
            prepared["word"] = word_writer_process()

    engine_kwargs["kernel_ready"] = kernel_ready
    try:
        try:
            executed = papermill.execute_notebook(
                str(notebook),
                str(tmp_notebook),
                parameters=dict(parameters),
                kernel_name=kernel_name,
                progress_bar=progress,
                request_save_on_cell_execute=False,
                cwd=str(notebook.parent),
                language="python",  # a notebook written by a script may name no kernel or language
                **engine_kwargs,
            )
        except PapermillExecutionError as exc:
            bad_input = input_error_named(exc.ename, _first_line(exc.evalue, limit=2000))
            if bad_input is not None:  # bad input found inside the kernel: one line, exit 2, nothing kept
                raise bad_input from None
            failed = _save_failed(tmp_notebook, out_dir, name, owner)
            evalue = _first_line(exc.evalue)
            where = f"第 {exc.cell_index + 1} 个单元格（In [{exc.exec_count}]）"
            raise ReportError(
                f"报告生成失败：{notebook.name} {where}出错 — {exc.ename}: {evalue}\n"
                f"{_cell_line(tmp_notebook, exc.cell_index)}{_failed_saved(failed)}",
                cell_index=exc.cell_index,
                execution_count=exc.exec_count,
                ename=exc.ename,
                evalue=evalue,
                failed_notebook=failed,
            ) from exc
        except ReportError:
            raise
        except Exception as exc:
            from nbclient.exceptions import DeadKernelError

            if isinstance(exc, DeadKernelError):  # os._exit, a segfault, the out-of-memory killer
                if getattr(exc, "notebook", None) is not None:
                    _write_notebook(exc.notebook, tmp_notebook)  # type: ignore[attr-defined]
                index = getattr(exc, "cell_index", None)
                failed = _save_failed(tmp_notebook, out_dir, name, owner)
                where = "" if index is None else f"第 {index + 1} 个单元格运行时"
                raise ReportError(
                    f"报告生成失败：{notebook.name} {where}内核意外退出（内存不足、进程被终止或代码调用了 os._exit）\n"
                    f"{'' if index is None else _cell_line(tmp_notebook, index)}{_failed_saved(failed)}",
                    cell_index=index,
                    ename="DeadKernelError",
                    evalue="Kernel died",
                    failed_notebook=failed,
                ) from exc
            message = _first_line(str(exc)) or type(exc).__name__
            raise ReportError(f"报告生成失败：笔记本 {notebook.name} 未能执行完成 — {type(exc).__name__}: {message}") from exc

        clean = strip_volatile_metadata(executed)
        _write_notebook(clean, tmp_notebook)
        title = notebook_title(clean, name)
        word = _WordDocument(clean, tmp_dir / f"{name}.docx", title, prepared.get("word"))  # the Word version, from the same notebook
        page = render_html(clean, title=title, resource_path=notebook.parent, exporter=_result(prepared.get("exporter")))
        _write_text_atomic(tmp_dir / f"{name}.html", page)
        word.wait()
        if extra_files is not None:
            extra_files(tmp_dir)
        publish_folder(tmp_dir, out_dir, name, owner=owner)
    except BaseException as error:
        if "word" in prepared:  # stopped first: a document being written would land in the folder removed next
            stop_pool(prepared["word"], signal.SIGKILL)
        shutil.rmtree(tmp_dir, ignore_errors=True)
        if isinstance(error, KeyboardInterrupt):  # interrupted while nbclient started the kernel: it is not left running
            _shut_down_kernels()
        raise
    finally:
        if "km" in engine_kwargs:  # a failure before nbclient took the kernel over: no kernel outlives the run
            _shut_down(engine_kwargs["km"])
        if "word" in prepared:  # waited for (idle by now): shutdown(wait=False) races the interpreter's exit
            prepared["word"].shutdown(wait=True, cancel_futures=True)
    return out_dir


def _import_word_writer() -> None:
    import helpers.output.docx  # noqa: F401 — imported while the kernel runs


def stop_pool(pool: ProcessPoolExecutor, signum: int) -> None:
    """End ``pool``: its work not started is cancelled, its processes get ``signum`` (SIGKILL: at
    once; SIGTERM: they end their task as they choose) and are waited for."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # the executor's own table (shutdown clears it)
    pool.shutdown(wait=False, cancel_futures=True)  # first: no task not yet handed to a process starts
    for process in processes:
        if process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signum)
    pool.shutdown(wait=True, cancel_futures=True)


def word_writer_process() -> ProcessPoolExecutor:
    """A process of its own for a single run's Word document (started now: python-docx is
    imported while the kernel runs), so that the document is written on the core the page's
    rendering leaves free. A fresh interpreter (spawn), not a fork of a process with kernel
    client threads."""
    import multiprocessing

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=end_with_parent)
    pool.submit(_import_word_writer)
    return pool


class _WordDocument:
    """The Word document of an executed notebook: written by ``process`` (:func:`word_writer_process`)
    while the caller renders the page, or here when there is no such process or it died."""

    def __init__(self, nb: NotebookNode, path: Path, title: str, process: ProcessPoolExecutor | None) -> None:
        from helpers.output.docx import write_report_docx

        self._write = lambda: write_report_docx(nb, path, title=title)
        self._future: Future[Any] | None = None
        if process is not None:
            try:
                self._future = process.submit(write_report_docx, nb, path, title=title)
            except BrokenProcessPool:
                self._future = None

    def wait(self) -> None:
        """Wait for the document (an error of the writer is raised here, as when written in place)."""
        if self._future is None:
            self._write()
            return
        try:
            self._future.result()
        except BrokenProcessPool:  # the process died (not the writer's error): written here instead
            self._write()


def refresh_stored_notebook(notebook: Path, *, progress: bool = False) -> None:
    """Re-execute a notebook of ``notebooks/`` in place with its default parameters.

    Used after an intended change (``make refresh-notebooks``): the stored outputs become the
    new reference that nbval compares against. Volatile metadata is stripped before writing.
    """
    import papermill

    notebook = Path(notebook).resolve()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / notebook.name
        papermill.execute_notebook(
            str(notebook),
            str(target),
            kernel_name=STABLE_KERNELSPEC["name"],
            progress_bar=progress,
            request_save_on_cell_execute=False,
            cwd=str(notebook.parent),
            kernel_manager_class=_kernel_manager_class(),
        )
        executed = nbformat.read(target, as_version=nbformat.NO_CONVERT)
    executed.metadata.pop("papermill", None)
    executed.metadata["language_info"] = nbformat.from_dict({"name": "python"})  # no interpreter version
    for cell in executed.cells:
        cell.metadata.pop("papermill", None)
    _write_notebook(strip_volatile_metadata(executed), notebook)
