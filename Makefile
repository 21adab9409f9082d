# The project's interface. Every target installs what it needs first (scripts/bootstrap.sh).
SHELL := /bin/bash
PY := .venv/bin/python
export GX_ANALYTICS_ENABLED := False

.PHONY: setup run airflow test lint eval eval-extract bench docs clean soak audit

setup:
	@bash scripts/bootstrap.sh

## run: set up, then one news_ingest run on embedded Airflow against the bundled sample site
run: setup
	@$(PY) -m pipeline demo

## airflow: set up, then a local Airflow on .airflow/ (API server and UI, scheduler, DAG processor; DAGs unpaused)
## until Ctrl-C; prints the UI address and login (AIRFLOW_ARGS="--port 8081" for another port)
airflow: setup
	@$(PY) -m pipeline local-airflow $(AIRFLOW_ARGS)

## test: set up, then the whole test suite (unit, integration, DAG, end-to-end)
test: setup
	@bash scripts/run_tests.sh

## lint: ruff, mypy and the import contracts of pyproject.toml (import-linter: the layers of the README)
lint: setup
	@.venv/bin/ruff check . && .venv/bin/mypy && .venv/bin/lint-imports

## soak: a simulated day (96 x 15-minute GDELT intervals, 10% of requests failing) then its backfill; prints the reconciliation
soak: setup
	@NEWSFLOW_SOAK_INTERVALS=96 $(PY) -m pytest tests/integration/test_soak.py -p no:cacheprovider -q -s

## audit: pip-audit over requirements.lock (needs PyPI's vulnerability service; says so when unreachable)
audit: setup
	@bash scripts/audit.sh

## eval: enrichment quality beside spaCy alone: the in-house set (tests/eval) with the seed check, and the public
## gold sets given by path (EVAL_ARGS="--lgl PATH --tr-news PATH --conll PATH", or NEWSFLOW_GOLD_DIR=DIR holding
## lgl.xml, TR-News.xml, eng.testb; "--corpus lgl --limit 50 --errors errors.jsonl" to iterate); not a test
eval: setup
	@$(PY) -m evaluation $(EVAL_ARGS)

## eval-extract: article text and publication day beside bare trafilatura and htmldate, on their own public
## benchmarks given by path (EVAL_ARGS="--articles DIR --htmldate DIR/tests", "--limit 50 --errors misses.jsonl"
## to iterate); not a test
eval-extract: setup
	@$(PY) -m evaluation.extraction $(EVAL_ARGS)

## bench: throughput and peak memory of normalize -> publish at 1k and 10k articles beside a naive baseline
## (BENCH_ARGS="--full --repeat 3" adds 100k and repeats, "--tail 100000" validates and publishes 100k articles
## made of the 10k enriched batch); not a test, writes bench/results/
bench: setup
	@$(PY) -m bench.run $(BENCH_ARGS)

## docs: regenerate the data dictionary from schemas/
docs: setup
	@$(PY) -m schemas docs/data_dictionary.md

clean:
	rm -rf .airflow data .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
