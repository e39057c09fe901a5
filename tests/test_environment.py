"""environment.yml (conda) and pyproject.toml (pip) must list the same packages and bounds."""

from __future__ import annotations

import re
import tomllib

import yaml
from conftest import PROJECT_ROOT


def _requirement(text: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$", text)
    assert match, text
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_matches_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_side = dict(_requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]])
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_side: dict[str, str] = {}
    for entry in environment["dependencies"]:
        entries = entry["pip"] if isinstance(entry, dict) else [entry]
        for item in entries:
            name, bound = _requirement(item.split("=", 1)[0] if item.startswith("python=") else item)
            if name in {"python", "pip", "-e"}:
                continue
            conda_side[name] = bound
    assert conda_side == pip_side
