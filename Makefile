# Two entry points for a fresh machine (see README): `make sample` and `make test`.
# Every target installs what it needs; re-running is cheap (stamps skip finished steps).

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.telaah-installed
SAMPLE_OUT ?= out/sample

.PHONY: setup sample test lint bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	$(BIN)/telaah models build
	@# headless browser for the review app's end-to-end tests (Debian's chromium, driven by Playwright)
	@if [ "$$(id -u)" = "0" ]; then command -v chromium >/dev/null 2>&1 || (apt-get update && apt-get install -y chromium); \
	else command -v chromium >/dev/null 2>&1 || echo "note: chromium missing; the review app's browser tests will be skipped (install: apt-get install chromium)"; fi

sample: setup
	$(BIN)/telaah code corpora/sample --codebook mitchell --out $(SAMPLE_OUT)

test: setup
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pipeline models flows tests bench
	$(BIN)/ruff format --check pipeline models flows tests bench

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(SAMPLE_OUT) .pytest_cache .ruff_cache
