"""Airflow's Celery configuration, plus a worker that preloads the stages before it forks its pool.

Point ``[celery] celery_config_options`` at :data:`CELERY_CONFIG` (docker-compose.yml does). The scheduler
imports this module too, to send tasks; only a worker starting up sends ``worker_init``, and it does so
before it creates its pool processes. So the preload runs once per worker, and every pool process and every
task process (Airflow forks one per task on Linux) inherits what it imported.
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init

from pipeline.stages import preload

LOG = logging.getLogger(__name__)

CELERY_CONFIG: dict[str, Any] = dict(DEFAULT_CELERY_CONFIG)


@worker_init.connect
def preload_stages(**_: Any) -> None:
    """Preload the stages in the worker's main process (see pipeline.stages.preload)."""
    LOG.warning("newsflow: preloaded the stages in %.1f s", preload())
