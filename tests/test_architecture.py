"""The package's layers: a lower layer never imports a higher one, and no module imports itself
back through another (every import counts, also those inside functions).

Layers, lowest first (see each subpackage's docstring): the core modules, ``reference``,
``ingest``, ``indicators``, ``viz``, ``output``, ``products``, ``sample``, ``cli``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "helpers"

LAYERS = [
    {"helpers", "helpers.__main__", "helpers.errors", "helpers.paths", "helpers.normalize", "helpers.safe_text", "helpers.progress",
     "helpers.memory", "helpers.processes", "helpers.warmup"},
    {"helpers.reference"},
    {"helpers.ingest"},
    {"helpers.indicators"},
    {"helpers.viz"},
    {"helpers.output"},
    {"helpers.products"},
    {"helpers.sample"},
    {"helpers.cli"},
]
# ``python -m helpers`` is an entry point like the console script: it may call the CLI.
ENTRY_POINTS = {"helpers.__main__"}


def module_name(path: Path) -> str:
    parts = ["helpers", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    for depth in (2, 1):
        prefix = ".".join(module.split(".")[:depth])
        for index, members in enumerate(LAYERS):
            if prefix in members or module in members:
                return index
    raise AssertionError(f"{module} is in no layer: add it to LAYERS and say in its docstring what belongs there")


def imported_modules(path: Path) -> set[str]:
    """Every ``helpers…`` module that ``path`` imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "helpers":
            found.add(node.module)
            for alias in node.names:  # ``from helpers.ingest import cells`` imports helpers.ingest.cells
                candidate = f"{node.module}.{alias.name}"
                if (PACKAGE / Path(*candidate.split(".")[1:])).with_suffix(".py").is_file():
                    found.add(candidate)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "helpers")
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_higher_layer(module):
    if module in ENTRY_POINTS:
        return
    own = layer_of(module)
    higher = sorted(m for m in imported_modules(MODULES[module]) if layer_of(m) > own)
    assert not higher, f"{module} (layer {own}) imports higher layers: {higher}"


def test_every_subpackage_says_what_belongs_there():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "Belongs here" in doc and "import" in doc, f"{init.parent.name}/__init__.py needs a docstring with its rules"


def test_no_import_cycles():
    graph = {m: {i for i in imported_modules(p) if i in MODULES and i != m} for m, p in MODULES.items()}
    # a package's __init__ re-exporting its own modules is not a cycle between modules
    graph = {m: {i for i in deps if not m.startswith(i + ".") and not i.startswith(m + ".")} for m, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_the_layer_check_catches_an_upward_import(tmp_path):
    """The checker itself: an indicator module importing a product is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from helpers.products import annual_review\n", encoding="utf-8")
    imports = imported_modules(bad)
    assert "helpers.products.annual_review" in imports
    assert max(layer_of(m) for m in imports) > layer_of("helpers.indicators.metrics")
