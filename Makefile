# Two commands on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install dev demo test lint bench screenshots

# torch first, from its CPU wheel: a bare `torch` requirement would pull a multi-GB CUDA build.
$(VENV)/.torch:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	touch $@

# What the service runs: amends alone (no test tools), copied into the venv rather than
# linked to the checkout, so editing or updating the checkout never changes a running install.
$(BIN)/amends: pyproject.toml $(VENV)/.torch
	$(BIN)/python -m pip install --quiet .
	touch $@

# Development and CI: an editable install with the test tools (pytest, ruff, mypy).
$(VENV)/.dev: pyproject.toml $(VENV)/.torch
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/amends $@

# The classifier's ONNX encoders, built now (with torch, in child processes) so the daemon
# never has to: into AMENDS_CACHE_DIR, else ~/.cache/amends; the unit's ExecStartPre= builds
# into the configured cache_dir.
install: $(BIN)/amends
	$(BIN)/amends build-model

dev: $(VENV)/.dev

demo: install
	$(BIN)/amends demo

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

bench: dev
	$(BIN)/python benchmarks/bench_classify.py
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_paging.py
	$(BIN)/python benchmarks/bench_checker.py

# The inbox at phone (390x844) and desktop (1280x800) size, in headless Chromium
# (Debian's chromium and chromium-driver), on the demo's data: docs/screenshots/*.png.
screenshots: dev
	$(BIN)/python -m tests.web.screenshots docs/screenshots
