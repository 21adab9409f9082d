"""The Compose deployment: a cluster a user starts with `cp .env.example .env` and `docker compose up`.

No Docker engine is needed: the file is checked as data, by `docker-compose config`, and the set-up
scripts run against a stand-in `airflow` command.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"

SERVICES = {
    "postgres",
    "redis",
    "minio",
    "minio-init",
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
ONE_SHOT = {"minio-init", "airflow-init"}
PROJECT_FOLDERS = ("dags", "config", "schemas", "pipeline")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|JWT")
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}; $$ is a literal dollar.
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
INSTALL_HINT = (
    "docker-compose is not installed: run `apt-get install -y --no-install-recommends docker-compose` "
    "(Debian's Compose v1.29) or install the Docker Compose v2 plugin"
)


def load_compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def compose_variables() -> list[tuple[str, str | None, str]]:
    """Every interpolation in the compose file as (name, operator, default-or-message)."""
    text = COMPOSE_FILE.read_text(encoding="utf-8").replace("$$", "")
    return [(name, op or None, arg) for name, op, arg in VARIABLE.findall(text)]


def env_example() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's substitution for the forms the file uses (enough to resolve port strings)."""

    def value(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if env.get(name):
            return env[name]
        if op in (":-", "-"):
            return arg
        raise KeyError(f"{name} is unset: {arg}")

    return VARIABLE.sub(value, text)


def compose_command() -> list[str]:
    """Debian's docker-compose (v1) or the Docker Compose v2 plugin, whichever is here."""
    if binary := shutil.which("docker-compose"):
        return [binary]
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    pytest.fail(INSTALL_HINT)


def compose_config(env_file: Path) -> subprocess.CompletedProcess[str]:
    # A clean environment, so variables in the caller's shell cannot stand in for the env file.
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(env_file.parent)}
    return subprocess.run(
        [
            *compose_command(),
            "--project-directory",
            str(REPO),
            "--env-file",
            str(env_file),
            "-f",
            str(COMPOSE_FILE),
            "config",
        ],
        capture_output=True,
        text=True,
        env=clean,
        timeout=120,
    )


@pytest.fixture
def resolved(tmp_path: Path) -> dict[str, Any]:
    """The compose file as `docker-compose config` resolves it with .env.example copied to .env."""
    env_file = tmp_path / ".env"
    shutil.copyfile(ENV_EXAMPLE, env_file)
    result = compose_config(env_file)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


@pytest.mark.integration
def test_compose_file_declares_every_service() -> None:
    compose = load_compose()

    assert set(compose["services"]) >= SERVICES


@pytest.mark.integration
def test_airflow_services_run_one_image_built_from_the_repo() -> None:
    services = load_compose()["services"]
    airflow = {name: s for name, s in services.items() if name.startswith("airflow-")}

    assert {(s.get("build"), s.get("image")) for s in airflow.values()} == {(".", "newsflow-airflow:latest")}
    assert all("build" not in s for name, s in services.items() if name not in airflow)
    assert {s["environment"]["AIRFLOW__CORE__EXECUTOR"] for s in airflow.values()} == {"CeleryExecutor"}


@pytest.mark.integration
def test_long_running_services_have_healthchecks() -> None:
    services = load_compose()["services"]

    missing = [name for name in SERVICES - ONE_SHOT if "healthcheck" not in services[name]]

    assert missing == []


@pytest.mark.integration
def test_depends_on_targets_exist_and_can_report_their_condition() -> None:
    services = load_compose()["services"]
    problems = []
    for name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            condition = rule["condition"]
            if target not in services:
                problems.append(f"{name} depends on missing {target}")
            elif condition == "service_healthy" and "healthcheck" not in services[target]:
                problems.append(f"{name} waits for {target} to be healthy but it has no healthcheck")
            elif condition == "service_completed_successfully" and target not in ONE_SHOT:
                problems.append(f"{name} waits for {target} to exit but it runs forever")
            elif condition == "service_started":
                problems.append(f"{name} only waits for {target} to start")

    assert problems == []


@pytest.mark.integration
def test_host_ports_do_not_conflict() -> None:
    env = env_example()
    published = []
    for name, service in load_compose()["services"].items():
        for port in service.get("ports", []):
            parts = interpolate(str(port), env).split("/")[0].split(":")
            host_ip, host_port = (parts[0], parts[1]) if len(parts) == 3 else ("0.0.0.0", parts[0])
            published.append((host_port, host_ip, name))

    ports = [port for port, _, _ in published]
    assert len(ports) == len(set(ports)), published


@pytest.mark.integration
def test_worker_can_be_scaled() -> None:
    worker = load_compose()["services"]["airflow-worker"]

    assert "container_name" not in worker
    assert "ports" not in worker
    assert worker["command"] == ["celery", "worker"]


@pytest.mark.integration
def test_every_variable_is_documented_in_env_example() -> None:
    documented = env_example()

    missing = sorted({name for name, _, _ in compose_variables()} - set(documented))

    assert missing == []


@pytest.mark.integration
def test_secrets_have_no_default_and_compose_refuses_to_start_without_them() -> None:
    secrets = [(name, op) for name, op, _ in compose_variables() if SECRET_NAME.search(name)]
    literal = []
    for name, service in load_compose()["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key) and not key.endswith("_FILE") and "${" not in str(value):
                literal.append(f"{name}: {key}")

    assert secrets, "the compose file takes no secrets from .env"
    assert [name for name, op in secrets if op != ":?"] == []
    assert literal == []
    assert all(env_example()[name] == "change-me" for name, _ in secrets)


@pytest.mark.integration
def test_docker_compose_config_accepts_the_file_with_env_example(resolved: dict[str, Any]) -> None:
    services = resolved["services"]

    assert set(services) >= SERVICES
    assert services["airflow-apiserver"]["environment"]["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] == ("admin:admin")


@pytest.mark.integration
def test_docker_compose_config_names_a_missing_secret(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    env_file.write_text(
        "\n".join(line for line in lines if not line.startswith("_AIRFLOW_WWW_USER_PASSWORD=")) + "\n",
        encoding="utf-8",
    )

    result = compose_config(env_file)

    assert result.returncode != 0
    assert "set _AIRFLOW_WWW_USER_PASSWORD in .env" in result.stderr


@pytest.mark.integration
def test_worker_environment_loads_into_pipeline_settings(
    resolved: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.settings import Settings, load_settings

    environment = resolved["services"]["airflow-worker"]["environment"]
    for name in [name for name in os.environ if name.startswith("NEWSFLOW_")]:
        monkeypatch.delenv(name)
    newsflow = {name: str(value) for name, value in environment.items() if name.startswith("NEWSFLOW_")}
    for name, value in newsflow.items():
        monkeypatch.setenv(name, value)

    settings = load_settings()

    assert {name.removeprefix("NEWSFLOW_").lower() for name in newsflow} <= set(Settings.model_fields)
    assert settings.data_root == "s3://newsflow/data"
    assert settings.sources_file == "/opt/airflow/config/sources.live.yml"
    assert settings.storage_options == {
        "AWS_ENDPOINT_URL": "http://minio:9000",
        "AWS_ACCESS_KEY_ID": "newsflow-pipeline",
        "AWS_SECRET_ACCESS_KEY": "change-me",
        "AWS_REGION": "us-east-1",
        "AWS_ALLOW_HTTP": "true",
        "AWS_S3_ALLOW_UNSAFE_RENAME": "true",
    }


@pytest.mark.integration
def test_tuning_knobs_default_to_the_pipeline_defaults() -> None:
    from pipeline.settings import Settings

    documented = env_example()
    knobs = [(name, arg) for name, op, arg in compose_variables() if name.startswith("NEWSFLOW_")]

    assert knobs
    for name, compose_default in knobs:
        default = Settings.model_fields[name.removeprefix("NEWSFLOW_").lower()].default
        assert type(default)(compose_default) == default, name
        assert type(default)(documented[name]) == default, name


@pytest.mark.integration
def test_dockerfile_installs_the_locks_with_hashes_and_copies_the_project() -> None:
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    copied = {
        source.rstrip("/")
        for line in dockerfile.splitlines()
        if line.startswith("COPY ")
        for source in line.split()[1:-1]
        if not source.startswith("--")
    }
    ignored = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}

    assert "\nFROM python:3.11-slim-bookworm\n" in dockerfile
    assert "pip install --require-hashes -r requirements-bootstrap.lock" in dockerfile
    assert "uv pip install --system --require-hashes -r requirements.lock" in dockerfile
    assert "AIRFLOW_HOME=/opt/airflow" in dockerfile
    # pipeline finds config/ beside its own folder (PROJECT_ROOT), so it is installed
    # editable where the Dockerfile copies the project.
    assert "\nWORKDIR /opt/airflow\n" in dockerfile
    assert "pip install --no-deps --no-build-isolation --editable ." in dockerfile
    assert "\nUSER airflow\n" in dockerfile
    assert set(PROJECT_FOLDERS) <= copied
    assert [path for path in copied if not (REPO / path).exists()] == []
    assert copied & ignored == set()
    assert ".env" in ignored


@pytest.mark.integration
def test_init_services_run_scripts_that_exist_where_they_are_mounted_or_copied() -> None:
    services = load_compose()["services"]
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    minio_mounts = dict(volume.split(":")[:2] for volume in services["minio-init"]["volumes"])

    assert services["airflow-init"]["entrypoint"][-1] == "/opt/airflow/deploy/airflow-init.sh"
    assert "COPY deploy/airflow-init.sh deploy/airflow-init.sh" in dockerfile
    assert minio_mounts == {"./deploy/minio-init.sh": services["minio-init"]["entrypoint"][-1]}
    assert subprocess.run(["bash", "-n", str(REPO / "deploy/airflow-init.sh")]).returncode == 0
    assert subprocess.run(["sh", "-n", str(REPO / "deploy/minio-init.sh")]).returncode == 0


@pytest.mark.integration
def test_airflow_init_migrates_sets_the_admin_password_and_the_publish_pool(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "airflow-calls.jsonl"
    fake_airflow = bin_dir / "airflow"
    fake_airflow.write_text(
        f"#!{sys.executable}\nimport json, sys\nopen({str(calls)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n",
        encoding="utf-8",
    )
    fake_airflow.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    passwords = tmp_path / "auth" / "simple_auth_manager_passwords.json"
    passwords.parent.mkdir()
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "_AIRFLOW_WWW_USER_USERNAME": "admin",
        "_AIRFLOW_WWW_USER_PASSWORD": 'p@ss "word"',
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
    }

    result = subprocess.run(
        ["bash", str(REPO / "deploy/airflow-init.sh")], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in calls.read_text(encoding="utf-8").splitlines()] == [
        ["db", "migrate"],
        ["pools", "set", "publish", "1", "serialized Delta merges"],
    ]
    assert json.loads(passwords.read_text(encoding="utf-8")) == {"admin": 'p@ss "word"'}
    assert passwords.stat().st_mode & 0o077 == 0


@pytest.mark.integration
def test_simple_auth_manager_takes_the_password_airflow_init_wrote(tmp_path: Path) -> None:
    passwords = tmp_path / "simple_auth_manager_passwords.json"
    passwords.write_text(json.dumps({"admin": "from-dotenv"}) + "\n", encoding="utf-8")
    environment = load_compose()["x-airflow-common"]["environment"]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "AIRFLOW_HOME": str(tmp_path),
        "AIRFLOW__CORE__AUTH_MANAGER": environment["AIRFLOW__CORE__AUTH_MANAGER"],
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": interpolate(
            environment["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"], env_example()
        ),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
    }
    probe = (
        "import importlib, json\n"
        "from airflow.configuration import conf\n"
        "module, _, name = conf.get('core', 'auth_manager').rpartition('.')\n"
        "manager = getattr(importlib.import_module(module), name)\n"
        "print(json.dumps({'users': [[u.username, u.role.upper()] for u in manager.get_users()],\n"
        "                  'passwords': manager.get_passwords()}))\n"
    )

    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "users": [["admin", "ADMIN"]],
        "passwords": {"admin": "from-dotenv"},
    }


@pytest.mark.integration
def test_workers_take_a_celery_config_that_preloads_the_stages() -> None:
    option = load_compose()["x-airflow-common"]["environment"]["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"]
    module, _, name = option.rpartition(".")
    config = getattr(importlib.import_module(module), name)

    assert module == "pipeline.orchestration.celery_worker"
    assert isinstance(config, dict) and config["broker_url"]
