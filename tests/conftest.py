"""Shared fixtures: the project's reference data and folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.reference import Reference, load_reference

PROJECT_ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
DATA_DIR = PROJECT_ROOT / "data"


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference(REFERENCE_DIR)

# Fixture notebooks (one fails on purpose) are inputs of the render tests, not notebooks to validate.
collect_ignore_glob = ["fixtures/*"]
