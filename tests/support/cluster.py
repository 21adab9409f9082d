"""docker-compose.yml's Airflow topology as local processes, for the CeleryExecutor test.

PostgreSQL (a fresh database per test) is the metadata DB and the Celery result backend, Redis (one
dedicated DB number, flushed) the broker; the API server, scheduler, DAG processor and Celery workers are
subprocesses on loopback, each in its own process group with its output in a log file.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import redis

from pipeline.dev.demo import DAG_ID, PUBLISH_POOL, airflow_env
from pipeline.settings import PROJECT_ROOT
from pipeline.storage.raw import Store

PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 13  # dedicated to this test; flushed before and after
# How python-svc machines start their services (its machine doc); used when one is down.
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
START_REDIS = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no'
    " --dir /var/lib/redis --logfile /var/log/redis/ci.log"
)
SERVICE_START_TIMEOUT_S = 60
CLI_TIMEOUT_S = 300
API_START_TIMEOUT_S = 180
DAG_PARSE_TIMEOUT_S = 180
STOP_TIMEOUT_S = 60
LOG_TAIL_LINES = 60
AIRFLOW = str(Path(sys.executable).with_name("airflow"))


class ClusterError(RuntimeError):
    """A component failed to start or a run did not finish; the message carries the logs' tails."""


def _port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def ensure_service(name: str, host: str, port: int, start_command: str) -> None:
    """Start ``name`` with the machine's own command when nothing listens on its port (never skip)."""
    if _port_open(host, port):
        return
    subprocess.run(start_command, shell=True, check=True, timeout=SERVICE_START_TIMEOUT_S)
    deadline = time.monotonic() + SERVICE_START_TIMEOUT_S
    while not _port_open(host, port):
        if time.monotonic() > deadline:
            raise ClusterError(f"{name} still not listening on {host}:{port} after `{start_command}`")
        time.sleep(0.5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database (unique name), dropped afterwards whatever happened."""
    ensure_service("PostgreSQL", PG_HOST, PG_PORT, START_POSTGRES)
    name = f"newsflow_celery_{uuid.uuid4().hex[:12]}"
    _admin_sql(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin_sql(statement: str) -> None:
    conn = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


@contextmanager
def fresh_broker() -> Iterator[str]:
    """The broker URL of Redis DB ``REDIS_DB``, flushed before and after."""
    ensure_service("Redis", REDIS_HOST, REDIS_PORT, START_REDIS)
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    client.flushdb()
    try:
        yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"
    finally:
        client.flushdb()
        client.close()


@dataclass
class Component:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


@dataclass
class Cluster:
    """The running components and how to reach them."""

    home: Path
    env: dict[str, str]
    database: str
    api_url: str
    password: str
    components: list[Component] = field(default_factory=list)

    def start(self, name: str, args: list[str], extra_env: dict[str, str] | None = None) -> None:
        log = self.home / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [AIRFLOW, *args],
                env={**self.env, **(extra_env or {})},
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.components.append(Component(name, process, log))

    def cli(self, args: list[str]) -> str:
        done = subprocess.run(
            [AIRFLOW, *args], env=self.env, capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=False
        )
        if done.returncode != 0:
            raise ClusterError(f"airflow {shlex.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def check_alive(self) -> None:
        dead = [f"{c.name} (exit {c.process.returncode})" for c in self.components if c.process.poll() is not None]
        if dead:
            raise ClusterError(f"stopped unexpectedly: {', '.join(dead)}\n{self.diagnostics()}")

    def stop(self) -> None:
        """SIGTERM every process group, wait, then SIGKILL what is left."""
        for component in self.components:
            _signal_group(component.process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for component in self.components:
            with suppress(subprocess.TimeoutExpired):
                component.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for component in self.components:
            _signal_group(component.process, signal.SIGKILL)
            with suppress(subprocess.TimeoutExpired):
                component.process.wait(timeout=10)

    def diagnostics(self) -> str:
        """The tail of every component's log and of every task log of the run."""
        parts = [f"--- {c.name} ({c.log}) ---\n{_tail(c.log)}" for c in self.components]
        for task_log in sorted((self.home / "logs").glob("dag_id=*/**/*.log")):
            parts.append(f"--- task log {task_log.relative_to(self.home)} ---\n{_tail(task_log)}")
        return "\n".join(parts)

    # The REST API, as an operator (or the UI) uses it.

    def client(self) -> httpx.Client:
        token = httpx.post(
            f"{self.api_url}/auth/token", json={"username": "admin", "password": self.password}, timeout=30
        )
        token.raise_for_status()
        return httpx.Client(
            base_url=f"{self.api_url}/api/v2",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
            timeout=30,
        )

    def wait_for_api(self) -> None:
        def ready() -> bool:
            with suppress(httpx.HTTPError):
                return httpx.get(f"{self.api_url}/api/v2/version", timeout=5).status_code == 200
            return False

        self.wait_until(ready, API_START_TIMEOUT_S, "the API server to answer")

    def wait_until(self, condition: Any, timeout_s: float, what: str) -> Any:
        """Poll ``condition`` until it returns something truthy, every component staying alive."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.check_alive()
            result = condition()
            if result:
                return result
            if time.monotonic() > deadline:
                raise ClusterError(f"timed out after {timeout_s:.0f}s waiting for {what}\n{self.diagnostics()}")
            time.sleep(2)

    def trigger(self, api: httpx.Client, logical_date: datetime) -> str:
        """Unpause the DAG once the DAG processor has parsed it and trigger a run of ``logical_date``, as an
        operator does through the REST API; returns the run id."""
        self.wait_until(
            lambda: api.get(f"/dags/{DAG_ID}").status_code == 200, DAG_PARSE_TIMEOUT_S, "the DAG to be parsed"
        )
        api.patch(f"/dags/{DAG_ID}", json={"is_paused": False}).raise_for_status()
        triggered = api.post(f"/dags/{DAG_ID}/dagRuns", json={"logical_date": logical_date.isoformat()})
        triggered.raise_for_status()
        run_id: str = triggered.json()["dag_run_id"]
        return run_id

    def run_to_end(self, api: httpx.Client, logical_date: datetime, timeout_s: float) -> str:
        """Trigger a run of ``logical_date`` and wait for it to succeed; returns its run id, or raises
        ClusterError with the logs when it fails."""
        run_id = self.trigger(api, logical_date)

        def finished() -> str | None:
            state: str = api.get(f"/dags/{DAG_ID}/dagRuns/{run_id}").json()["state"]
            return state if state in ("success", "failed") else None

        state = self.wait_until(finished, timeout_s, f"run {run_id} to finish")
        if state != "success":
            raise ClusterError(f"run {run_id} ended {state}\n{self.diagnostics()}")
        return run_id

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of one read-only query on the metadata DB."""
        dbname = self.database.rsplit("/", 1)[1]
        conn = psycopg2.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                return list(cur.fetchall())
        finally:
            conn.close()

    def task_hosts(self, run_id: str) -> list[tuple[str, int, str | None, str | None]]:
        """(task_id, map_index, hostname, state) of every task instance of the run, from the metadata DB."""
        return self.query(
            "SELECT task_id, map_index, hostname, state FROM task_instance WHERE dag_id = %s AND run_id = %s",
            (DAG_ID, run_id),
        )


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def cluster_env(home: Path, database: str, broker: str, api_port: int, data: Store, sample_site: str) -> dict[str, str]:
    """docker-compose.yml's x-airflow-common environment, pointed at loopback services and ``home``."""
    from cryptography.fernet import Fernet

    env = airflow_env(home, data.root, sample_site, data.storage_options)
    env.update(
        {
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__CORE__FERNET_KEY": Fernet.generate_key().decode(),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql+psycopg2://{database}",
            "AIRFLOW__CELERY__BROKER_URL": broker,
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+postgresql+psycopg2://{database}",
            "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "pipeline.orchestration.celery_worker.CELERY_CONFIG",
            # A queue of this test's own, so no other worker on the machine takes its tasks.
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE": f"newsflow-{uuid.uuid4().hex[:8]}",
            "AIRFLOW__API__SECRET_KEY": secrets.token_hex(32),
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__CORE__AUTH_MANAGER": (
                "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
            ),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "simple_auth_manager_passwords.json"),
            # Only the triggered run: unpausing must not add the scheduled run of the current hour.
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
        }
    )
    return env


@contextmanager
def celery_cluster(home: Path, data: Store, sample_site: str, workers: int = 2) -> Iterator[Cluster]:
    """Migrate a fresh metadata DB, create the publish pool, start API server, scheduler, DAG processor and
    ``workers`` Celery workers; stop them all and drop the database on the way out, whatever happened."""
    with fresh_database() as database, fresh_broker() as broker:
        api_port = free_port()
        password = secrets.token_urlsafe(16)
        (home / "simple_auth_manager_passwords.json").write_text(json.dumps({"admin": password}), encoding="utf-8")
        env = cluster_env(home, database, broker, api_port, data, sample_site)
        cluster = Cluster(home, env, database, f"http://127.0.0.1:{api_port}", password)
        try:
            cluster.cli(["db", "migrate"])
            cluster.cli(["pools", "set", PUBLISH_POOL, "1", "serialized Delta merges"])
            cluster.start(
                "api-server", ["api-server", "--host", "127.0.0.1", "--port", str(api_port), "--workers", "1"]
            )
            cluster.start("scheduler", ["scheduler"])
            cluster.start("dag-processor", ["dag-processor"])
            queue = env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"]
            for n in range(1, workers + 1):
                name = f"worker{n}"
                cluster.start(
                    name,
                    [
                        "celery",
                        "worker",
                        "--celery-hostname",
                        f"{name}@%h",
                        "--concurrency",
                        "2",
                        "--queues",
                        queue,
                        "--skip-serve-logs",
                        "--pid",
                        str(home / f"{name}.pid"),
                    ],
                    {
                        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "tests.support.worker_identity.hostname",
                        "NEWSFLOW_WORKER_HOSTNAME": name,
                    },
                )
            cluster.wait_for_api()
            yield cluster
        finally:
            cluster.stop()
