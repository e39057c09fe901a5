# Two commands for a fresh machine with only Python 3.11 and make:
#   make report   install into .venv and run the main job (annual review of the default year)
#   make test     install into .venv and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
YEAR   ?= 2022
# scales of the benchmark's sample (at least 4 for the exponent; 400 ≈ 900,000 rows, several minutes)
SCALES ?= 10 50 100 200 400
STAMP  := $(VENV)/.installed

.PHONY: install report test lint lock lab sample clean-cache refresh-notebooks benchmark

install: $(STAMP)

# The exact versions of requirements.lock (the ones the stored notebooks were made with), then the
# kit itself without resolving again; pyproject.toml keeps ranges for installs elsewhere. The kit's
# modules are compiled once: an editable install gets no bytecode from pip, and a machine that
# sets PYTHONDONTWRITEBYTECODE would compile them again in every process (parent and kernel).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e '.[dev]'
	$(BIN)/python -m compileall -q src/helpers  # bytecode also where PYTHONDONTWRITEBYTECODE is set (0.2 s per process)
	touch $(STAMP)

report: install
	$(BIN)/zhaoshang report annual_review --year $(YEAR)

test: install lint
	$(BIN)/python -m pytest

# Lint (pyflakes, import order, bugbear, pyupgrade, simplify, pycodestyle) and type check (mypy,
# config in pyproject.toml): clean on the whole tree.
lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# Write the exact versions of the current environment (after an intended upgrade).
lock: install
	{ echo "# Exact versions that produced the stored notebook outputs (nbval compares them), installed by"; \
	  echo "# 'make install'. Regenerate after an intended upgrade with 'make lock' (then 'make refresh-notebooks')."; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock

# JupyterLab on the project; the venv's python3 kernel imports helpers (editable install).
lab: install
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root,)

sample: install
	$(BIN)/zhaoshang sample

clean-cache:
	rm -rf data/processed/*

refresh-notebooks: install
	$(BIN)/zhaoshang refresh-notebooks

# Floors and the kit measured in one run; writes the table to docs/performance.md (ratios are the figures to compare).
benchmark: install
	$(BIN)/python benchmarks/benchmark.py --scales $(SCALES)
