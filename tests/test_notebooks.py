"""The stored notebooks: thin controllers, stored executed, clean for version control.

(nbval itself re-executes them and compares outputs: that runs as part of the suite because
pytest's ``testpaths`` include ``notebooks/`` with ``--nbval``.)
"""

from __future__ import annotations

import ast
import json
import re

import nbformat
import pytest
from conftest import PROJECT_ROOT

from helpers.output.notebook import STABLE_KERNELSPEC

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
MACHINE_PATH = re.compile(r"(/work/|/tmp/|/home/|/root/|/Users/|[A-Z]:\\\\)")
LEAKED_REPR = re.compile(r"<(Figure size|matplotlib\.|pandas\.io\.formats\.style)|\bat 0x[0-9a-f]+|^Text\(", re.M)


def _code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {"annual_review", "explore"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_literals_only(path):
    cells = [c for c in _code_cells(path) if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    for node in ast.parse(cells[0].source).body:
        assert isinstance(node, (ast.Assign, ast.AnnAssign)), ast.dump(node)
        assert isinstance(node.value, ast.Constant), f"parameter {ast.unparse(node)} is not a literal"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_thin_controller(path):
    source = "\n".join(c.source for c in _code_cells(path))
    tree = ast.parse(source)
    defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))]
    assert not defined, "notebooks call helpers; functions belong in src/helpers/"
    assert len(source.splitlines()) < 200


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_executed_and_clean(path):
    raw = path.read_text(encoding="utf-8")
    notebook = json.loads(raw)
    assert notebook["metadata"]["kernelspec"] == STABLE_KERNELSPEC
    assert "papermill" not in notebook["metadata"]
    assert not MACHINE_PATH.search(raw), MACHINE_PATH.search(raw)
    counts = []
    for cell in notebook["cells"]:
        assert "execution" not in cell.get("metadata", {}), "execution timestamps"
        assert "papermill" not in cell.get("metadata", {})
        if cell["cell_type"] == "code":
            counts.append(cell["execution_count"])
            for output in cell["outputs"]:
                assert output["output_type"] != "error"
                text = "".join(output.get("data", {}).get("text/plain", "")) + "".join(output.get("text", ""))
                assert not LEAKED_REPR.search(text), text[:200]
    assert counts == list(range(1, len(counts) + 1)), "stored notebooks are executed top to bottom once"
