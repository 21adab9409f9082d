#!/usr/bin/env bash
# One-shot set-up run by the airflow-init service before any other Airflow component starts.
# Safe to run again: migrations, the admin password and the pool are all set, not appended.
set -euo pipefail

: "${_AIRFLOW_WWW_USER_USERNAME:?}" "${_AIRFLOW_WWW_USER_PASSWORD:?}"
: "${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:?}"

airflow db migrate

# SimpleAuthManager reads {"user": "password"} from this file at every login; a user already in it keeps
# the given password instead of a generated one.
umask 077
python - <<'PY'
import json
import os

path = os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
user = os.environ["_AIRFLOW_WWW_USER_USERNAME"]
with open(path, "w", encoding="utf-8") as handle:
    json.dump({user: os.environ["_AIRFLOW_WWW_USER_PASSWORD"]}, handle)
    handle.write("\n")
print(f"UI user {user!r} set in {path}")
PY

# Delta merges into published/ are serialized: one publish task at a time across all workers.
airflow pools set publish 1 "serialized Delta merges"
