# The like-for-charity research kit. `make help` lists every target.
# Two commands matter: `make all` runs the whole kit, `make test` runs its tests.
# Each does its own set-up: a .venv/ with python3, or the active conda env (CONDA_PREFIX).

SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON3 ?= python3

ifdef CONDA_PREFIX
ifneq ($(CONDA_DEFAULT_ENV),base)
USE_CONDA := 1
endif
endif

ifdef USE_CONDA
PY := python
STAMP := build/.conda-installed
else
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
endif

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
# Offline mirror of the real data sets, used by `make data` when present (see data/raw/README.md).
MIRROR ?= $(wildcard ../shared/data)

.PHONY: help setup lock all notebooks figures test lint lab data bench html clean

help: ## List the targets, one line each
	@grep -E '^[a-z][a-zA-Z_-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The exact environment: every package, version and sha256 hash (`make lock` writes it).
LOCK := requirements.lock
LOCK_PYTHON := 3.11

$(STAMP): pyproject.toml $(LOCK)
	@echo "==> setting up the kit's environment (once, or when pyproject.toml or $(LOCK) changes)"
ifndef USE_CONDA
	$(PYTHON3) -c 'import sys; sys.exit("python >= 3.11 needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON3) -m venv $(VENV)
endif
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (likekit)" >/dev/null
	@mkdir -p $(dir $(STAMP)) && touch $(STAMP)

setup: $(STAMP) ## Create .venv/ (or use the active conda env) and install the kit and its tools

lock: ## Re-resolve requirements.lock (exact versions + hashes) and environment.yml from pyproject.toml
	$(PYTHON3) -m venv build/lock-tool
	build/lock-tool/bin/python -m pip install --quiet --upgrade uv
	build/lock-tool/bin/python -m uv pip compile --quiet --universal --generate-hashes \
	  --fork-strategy fewest --python-version $(LOCK_PYTHON) --extra dask pyproject.toml -o $(LOCK)
	$(PYTHON3) tools/lockfile.py

data: $(STAMP) ## Fetch and verify the real data sets into data/raw/ (MIRROR=DIR), recompute data/calibration.csv
	$(PY) -m analysis data fetch $(if $(MIRROR),--mirror $(MIRROR),)
	$(PY) -m analysis data calibrate

all: $(STAMP) ## Run every notebook in order from a fresh kernel into build/, regenerating figures/
	@$(MAKE) --no-print-directory data || echo "(real data not fetched: notebooks use synthetic defaults)"
	$(PY) -m analysis notebooks $(NOTEBOOKS)

notebooks: all ## Same as `make all`

figures: all ## Regenerate every chart in figures/ (runs the notebooks)

test: $(STAMP) ## Unit tests of analysis/ plus every notebook in quick mode
	@$(MAKE) --no-print-directory data || echo "(real data not fetched: notebooks run on synthetic defaults)"
	$(PY) -m pytest

lint: $(STAMP) ## ruff over the code and the notebooks
	$(PY) -m ruff check analysis tests notebooks docs

lab: $(STAMP) ## Open JupyterLab on the kit's environment
	$(PY) -m jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: $(STAMP) ## Speed and memory benchmarks: the engine, the command line's start-up, the estimators
	$(PY) -m analysis bench
	$(PY) -m analysis bench-cli
	$(PY) -m analysis bench-estimators

html: $(STAMP) ## The book (Sphinx): executed notebooks, glossary, references, gallery in build/html/ (reruns `make all` if a notebook changed)
	@if [ ! -f build/notebooks/.complete ] || ! ls $(NOTEBOOKS:notebooks/%=build/notebooks/%) >/dev/null 2>&1 \
	  || [ -n "$$(find notebooks -name '[0-9][0-9]-*.ipynb' -newer build/notebooks/.complete)" ]; then \
	  $(MAKE) --no-print-directory all; fi
	$(PY) -m analysis.publish.book

clean: ## Remove build products (build/, caches); never data/raw or anything committed
	rm -rf build .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
