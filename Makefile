# The project's interface. Every target installs what it needs first (scripts/bootstrap.sh).
SHELL := /bin/bash
PY := .venv/bin/python
export GX_ANALYTICS_ENABLED := False

.PHONY: setup run test lint eval bench docs clean

setup:
	@bash scripts/bootstrap.sh

## run: set up, then one news_ingest run on embedded Airflow against the bundled sample site
run: setup
	@$(PY) -m pipeline demo

## test: set up, then the whole test suite (unit, integration, DAG, end-to-end)
test: setup
	@bash scripts/run_tests.sh

## lint: ruff and mypy
lint: setup
	@.venv/bin/ruff check . && .venv/bin/mypy

## eval: precision/recall/F1 of enrichment on tests/eval, beside spaCy NER alone
eval: setup
	@$(PY) -m pipeline.evaluate

## docs: regenerate the data dictionary from schemas/
docs: setup
	@$(PY) -m schemas docs/data_dictionary.md

clean:
	rm -rf .airflow data .pytest_cache .mypy_cache .ruff_cache
