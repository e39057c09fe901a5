# Two commands for a fresh machine with only Python 3.11 and make:
#   make report   install into .venv and run the main job (annual review of the default year)
#   make test     install into .venv and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
YEAR   ?= 2022
STAMP  := $(VENV)/.installed

.PHONY: install report test lab sample clean-cache refresh-notebooks benchmark

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: install
	$(BIN)/zhaoshang report annual_review --year $(YEAR)

test: install
	$(BIN)/python -m pytest

# JupyterLab on the project; the venv's python3 kernel imports helpers (editable install).
lab: install
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root,)

sample: install
	$(BIN)/zhaoshang sample

clean-cache:
	rm -rf data/processed/*

refresh-notebooks: install
	$(BIN)/zhaoshang refresh-notebooks

benchmark: install
	$(BIN)/python benchmarks/bench_cleaning.py
