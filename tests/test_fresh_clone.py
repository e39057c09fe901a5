"""A clean clone has everything the README's commands need (nothing relies on untracked files).

CI itself runs `make test` on a fresh machine (which proves the install half); this test
proves the other half: from a `git clone` of the project, the main job produces the same
report as here. It uses this test run's interpreter, with the clone's own `src/` first on the
path, so it does not reinstall the dependencies.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT

pytestmark = pytest.mark.skipif(not (PROJECT_ROOT / ".git").exists(), reason="not a git checkout")


def test_readme_states_the_two_commands_and_ci_runs_the_test_one():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make report\b", readme, re.M) and re.search(r"^make test\b", readme, re.M)
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^report: install$", makefile, re.M) and re.search(r"^test: install( lint)?$", makefile, re.M)
    ci = [line for line in (PROJECT_ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == "make test"


def test_main_job_from_a_clean_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT_ROOT), str(clone)], check=True)
    env = {**os.environ, "PYTHONPATH": str(clone / "src"), "ZHAOSHANG_HOME": str(clone)}
    result = subprocess.run(
        [sys.executable, "-m", "helpers", "report", "annual_review", "--year", "2022"],
        cwd=clone, env=env, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = clone / "reports" / "九江市" / "2022" / "annual_review"
    assert sorted(p.name for p in report.iterdir()) == [
        ".zhaoshang-report.json", "annual_review.docx", "annual_review.html", "annual_review.ipynb", "metrics.json", "tables.xlsx"
    ]
    assert f"报告已生成：{report / 'annual_review.html'}" in result.stdout
    metrics = json.loads((report / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["outside_province_projects"]["funds"] == 1352.91
    assert str(clone) not in (report / "annual_review.html").read_text(encoding="utf-8")
    assert Path(clone / "data" / "processed" / "2022" / "manifest.json").is_file()
