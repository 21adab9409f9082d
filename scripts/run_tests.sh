#!/usr/bin/env bash
# The test command: lint, then pytest over the whole suite. Services the integration tests need are
# started by the tests' own fixtures when they are down.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
