"""The hostname a Celery worker of the process-topology test reports ([core] hostname_callable).

Both workers run on one machine; each reports the name it was started with, as each worker container
of docker-compose reports its own hostname, so a task instance's ``hostname`` tells which ran it.
"""

from __future__ import annotations

import os


def hostname() -> str:
    return os.environ["NEWSFLOW_WORKER_HOSTNAME"]
