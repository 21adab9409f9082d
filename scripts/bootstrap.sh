#!/usr/bin/env bash
# Set up everything a fresh machine needs: system packages (apt-get, only when missing), the project
# virtualenv in .venv with every Python dependency pinned by hash, and the project itself (editable).
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v python3.11 >/dev/null 2>&1 || need+=(python3.11 python3.11-venv)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v chromium >/dev/null 2>&1 || need+=(chromium)  # the report and Data Docs tests look at pages in it
if [ ${#need[@]} -gt 0 ]; then
  echo "bootstrap: installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

PYTHON=$(command -v python3.11)
STAMP=.venv/.installed-$(sha256sum requirements.lock requirements-bootstrap.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$STAMP" ]; then
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements-bootstrap.lock
  VIRTUAL_ENV=.venv .venv/bin/uv pip install -q --require-hashes -r requirements.lock
  VIRTUAL_ENV=.venv .venv/bin/uv pip install -q --no-deps -e .
  rm -f .venv/.installed-*
  touch "$STAMP"
fi
echo "bootstrap: .venv ready ($(.venv/bin/python --version))"
