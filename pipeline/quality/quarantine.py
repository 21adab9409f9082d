"""Quarantine records: every input that did not make it, with the stage and the reason."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

import pyarrow as pa

from pipeline.records import Quarantined
from schemas import QUARANTINE

LOG = logging.getLogger(__name__)


def quarantine_id(run_id: str, item: Quarantined) -> str:
    """Stable key: the same failure of the same input in the same run is one record."""
    key = "\x1f".join((run_id, item.stage, item.url, item.reason_code))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def to_table(items: Iterable[Quarantined], run_id: str, now: datetime | None = None) -> pa.Table:
    """Quarantine rows for the items, one per distinct failure; each is also logged for the operator."""
    when = now or datetime.now(UTC)
    rows: dict[str, dict[str, object]] = {}
    for item in items:
        LOG.warning("quarantined [%s/%s] %s: %s", item.stage, item.reason_code, item.url, item.reason_detail)
        key = quarantine_id(run_id, item)
        rows[key] = {
            "quarantine_id": key,
            "url": item.url,
            "source": item.source,
            "stage": item.stage,
            "reason_code": item.reason_code,
            "reason_detail": item.reason_detail,
            "run_id": run_id,
            "time": when,
            "raw_ref": item.raw_ref,
        }
    return pa.Table.from_pylist(list(rows.values()), schema=QUARANTINE.schema)
