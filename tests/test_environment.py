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


def test_lock_pins_every_dependency_within_its_range():
    """requirements.lock (what `make install` installs) pins every package of pyproject.toml,
    each at a version its range allows."""
    from packaging.requirements import Requirement

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for line in (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.lower().replace("_", "-")] = version
    for text in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in requirements.lock"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {requirement.specifier}"
