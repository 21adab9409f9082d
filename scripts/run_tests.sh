#!/usr/bin/env bash
# The test command: lint, then pytest over the whole suite. Services the integration tests need are
# started by the tests' own fixtures when they are down.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/lint-imports
audit=0
bash scripts/audit.sh || audit=$?
if [ "$audit" = 1 ] || { [ "$audit" != 0 ] && [ "${NEWSFLOW_AUDIT_STRICT:-0}" = 1 ]; }; then
  exit "$audit"
fi
.venv/bin/python -m pytest "$@"
