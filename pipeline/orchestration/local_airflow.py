"""``make airflow``: the project's Airflow as a local service, for backfills and the UI.

It uses the home ``make run`` uses (``.airflow/``: SQLite metadata DB, logs; the environment of
:func:`pipeline.dev.demo.airflow_env`), migrates it, creates the ``publish`` pool, parses the DAGs and
unpauses them (a paused DAG's runs, backfills included, wait in ``queued`` without a word), then starts
the API server (UI and execution API), the scheduler and the DAG processor as child processes, each in
its own process group with its output in ``.airflow/logs/<component>.log``. The triggerer is left out:
no task defers. Tasks run under the LocalExecutor. With the bundled sources file the sample site is
served on loopback, as ``make run`` does, so the scheduled runs have something to read. Ctrl-C stops
every component.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from pipeline.dev.demo import PUBLISH_POOL, airflow, airflow_binary, airflow_env
from pipeline.dev.sample_site import serve_site
from pipeline.errors import UserInputError
from pipeline.settings import PROJECT_ROOT, Settings

BUNDLED_SOURCES = PROJECT_ROOT / "config" / "sources.yml"
PASSWORDS_FILE = "simple_auth_manager_passwords.json.generated"
USER = "admin"
PARALLELISM = 4  # task processes at once: the LocalExecutor keeps one worker process per slot
START_TIMEOUT_S = 300  # the API server took over a minute to answer on a busy 2-core machine
STOP_TIMEOUT_S = 30
LOG_TAIL_LINES = 20


class LocalAirflowError(RuntimeError):
    """A setup step or a component failed; the message names it and carries its output."""


class PortInUseError(UserInputError):
    """The UI's port is taken (often by another ``make airflow``)."""


@dataclass(frozen=True)
class LocalAirflow:
    """Where the running service is, how to log in, and its components."""

    url: str
    user: str
    password: str
    passwords_file: Path
    logs: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def dead(self) -> str | None:
        """The first component that exited, with the tail of its log; None while all run."""
        for name, process in self.running.items():
            if process.poll() is not None:
                log = self.logs / f"{name}.log"
                return f"airflow {name} exited ({process.returncode}); {log} ends with:\n{_tail(log)}"
        return None

    def wait(self) -> None:
        """Block while every component runs; raise when one exits (the others are then stopped)."""
        while (dead := self.dead()) is None:
            time.sleep(1)
        raise LocalAirflowError(dead)


def project_env(settings: Settings, sample_site: str | None = None) -> dict[str, str]:
    """The environment every ``airflow`` command on the project's home runs with (the CLI pass-through
    and the components alike)."""
    env = airflow_env(Path(settings.airflow_home), settings.data_root, sample_site, settings.storage_options or None)
    for option in ("SQL_ALCHEMY_CONNECT_ARGS", "SQL_ALCHEMY_CONNECT_ARGS_ASYNC"):
        env[f"AIRFLOW__DATABASE__{option}"] = "pipeline.orchestration.airflow_sqlite.CONNECT_ARGS"
    return env


def service_env(base: dict[str, str], home: Path, host: str, port: int) -> dict[str, str]:
    """What the components add: one executor on this machine, one login, and one JWT secret shared by the
    API server (which checks task tokens) and the scheduler (which issues them), new at every start."""
    url = f"http://{host}:{port}"
    return {
        **base,
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__PARALLELISM": str(PARALLELISM),
        "AIRFLOW__CORE__AUTH_MANAGER": "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{USER}:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / PASSWORDS_FILE),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{url}/execution/",
        "AIRFLOW__API__BASE_URL": url,
        "AIRFLOW__API__SECRET_KEY": secrets.token_hex(32),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
    }


def login_password(home: Path) -> str:
    """The admin password, generated on the first start and kept in the home (the simple auth manager's
    own file format) so it stays the same from one start to the next."""
    path = home / PASSWORDS_FILE
    if not path.exists():
        path.write_text(json.dumps({USER: secrets.token_urlsafe(12)}), encoding="utf-8")
        path.chmod(0o600)
    password: str = json.loads(path.read_text(encoding="utf-8"))[USER]
    return password


def _check_port_free(host: str, port: int) -> None:
    with socket.socket() as sock:
        if sock.connect_ex((host, port)) == 0:
            raise PortInUseError(
                f"{host}:{port} is already in use (another `make airflow`?); stop it, or pick another port: "
                f"make airflow AIRFLOW_ARGS='--port {port + 1}'"
            )


def prepare(env: dict[str, str]) -> None:
    """Migrate the metadata DB, create the pool, parse the DAGs into the DB and unpause them."""
    steps = (
        ["db", "migrate"],
        ["pools", "set", PUBLISH_POOL, "1", "serialized Delta merges"],
        ["dags", "reserialize"],
        ["dags", "unpause", "--treat-dag-id-as-regex", "--yes", ".*"],
    )
    for args in steps:
        done = airflow(args, env)
        if done.returncode != 0:
            output = f"{done.stdout}\n{done.stderr}".strip()
            raise LocalAirflowError(f"airflow {shlex.join(args)} failed ({done.returncode}):\n{output}")


def _tail(path: Path) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []
    return "\n".join(lines[-LOG_TAIL_LINES:])


def _start(name: str, args: list[str], env: dict[str, str], logs: Path) -> subprocess.Popen[bytes]:
    """One component in its own process group (so stopping it stops its children), output to its log."""
    logs.mkdir(parents=True, exist_ok=True)
    with (logs / f"{name}.log").open("ab") as out:
        return subprocess.Popen(
            [airflow_binary(), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


@contextmanager
def _stopped_on_exit(running: dict[str, subprocess.Popen[bytes]]) -> Iterator[None]:
    """SIGTERM every component's process group on the way out, then SIGKILL what is left."""
    try:
        yield
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for process in running.values():
                with suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, sig)
            deadline = time.monotonic() + STOP_TIMEOUT_S
            for process in running.values():
                with suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))


def _api_up(url: str) -> bool:
    with suppress(httpx.HTTPError):
        return httpx.get(f"{url}/api/v2/version", timeout=5).status_code == 200
    return False


@contextmanager
def local_airflow(settings: Settings, host: str, port: int) -> Iterator[LocalAirflow]:
    """Prepare the home, start the components and wait for the API server; stop them all on exit."""
    _check_port_free(host, port)
    home = Path(settings.airflow_home)
    home.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        bundled = Path(settings.sources_file).resolve() == BUNDLED_SOURCES
        site = stack.enter_context(serve_site()) if bundled else None
        env = service_env(project_env(settings, site), home, host, port)
        prepare(env)
        password = login_password(home)  # before the API server starts, or it makes up one of its own
        running: dict[str, subprocess.Popen[bytes]] = {}
        stack.enter_context(_stopped_on_exit(running))
        service = LocalAirflow(f"http://{host}:{port}", USER, password, home / PASSWORDS_FILE, home / "logs", running)
        # The API server first: a task the scheduler starts before the execution API answers fails.
        running["api-server"] = _start(
            "api-server", ["api-server", "--host", host, "--port", str(port), "--workers", "1"], env, service.logs
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _api_up(service.url):
            if (dead := service.dead()) is not None:
                raise LocalAirflowError(dead)
            if time.monotonic() > deadline:
                raise LocalAirflowError(f"the API server did not answer on {service.url} within {START_TIMEOUT_S} s")
            time.sleep(1)
        for name in ("scheduler", "dag-processor"):
            running[name] = _start(name, [name], env, service.logs)
        yield service
