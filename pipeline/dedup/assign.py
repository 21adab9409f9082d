"""The I/O edge of dedup: signatures of published articles in, cluster assignments out.

Signatures are kept in their own Delta table (``published/signatures``), written when articles are
published, so a batch only reads the signatures of the days around it instead of re-hashing texts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.dedup.minhash import Assignment, Member, changed, cluster
from pipeline.settings import Settings
from pipeline.storage.delta import Rows, arrow_dataset, merge
from pipeline.storage.raw import Store
from schemas import ARTICLES, SIGNATURES

SIGNATURE_CHUNK_ROWS = 2000


def window(dates: Iterable[date], days: int) -> tuple[date, date]:
    """The published dates a batch of these dates is checked against for copies."""
    known = list(dates)
    low, high = min(known), max(known)
    return low - timedelta(days=days), high + timedelta(days=days)


def _published_members(store: Store, low: date, high: date, exclude: set[str]) -> list[Member]:
    table = arrow_dataset(store, SIGNATURES).to_table(filter=_window_filter(low, high))
    return [
        Member(r["article_id"], r["published_at"], r["signature"])
        for r in table.to_pylist()
        if r["article_id"] not in exclude
    ]


def _window_filter(low: date, high: date) -> pc.Expression:
    return (pc.field("published_date") >= low) & (pc.field("published_date") <= high)


def _published_rows(store: Store, article_ids: set[str], low: date, high: date) -> list[dict[str, Any]]:
    """Published rows of ``article_ids`` (all inside the window). The id test runs on the loaded rows:
    deltalake stores strings as string_view, which pyarrow's dataset ``isin`` filter cannot compare."""
    if not article_ids:
        return []
    table = arrow_dataset(store, ARTICLES).to_table(filter=_window_filter(low, high))
    wanted = pc.is_in(table.column("article_id").cast(pa.string()), value_set=pa.array(sorted(article_ids)))
    rows: list[dict[str, Any]] = table.filter(wanted).to_pylist()
    return rows


def cluster_batch(
    store: Store, members: list[Member], low: date, high: date, settings: Settings
) -> tuple[dict[str, Assignment], list[dict[str, Any]]]:
    """Cluster a batch's members with the published ones of [low, high]: every member's assignment, and the
    published rows whose cluster fields change (with the new values)."""
    batch_ids = {m.article_id for m in members}
    known = _published_members(store, low, high, batch_ids)
    assignments = cluster(members + known, settings.dedup_threshold)
    published = _published_rows(store, {m.article_id for m in known}, low, high)
    moved = changed(assignments, [(r["article_id"], r["duplicate_cluster"], r["duplicate_of"]) for r in published])
    repointed = []
    for row in published:
        if row["article_id"] in moved:
            assignment = assignments[row["article_id"]]
            repointed.append(
                {**row, "duplicate_cluster": assignment.duplicate_cluster, "duplicate_of": assignment.duplicate_of}
            )
    return assignments, repointed


def signature_path(store: Store, run_id: str) -> str:
    """Where enrich stages the signatures of a run's batch, for publish to record."""
    return store.staging(run_id, "signatures")


def stage_signatures(store: Store, run_id: str, articles_path: str, signatures: dict[str, bytes]) -> str:
    """Stage the signature of every article of ``articles_path`` (by article_id), as enrich computed them."""

    def signed() -> Iterable[pa.Table]:
        columns = ["article_id", "published_at", "published_date"]
        for batch in store.iter_batches(articles_path, SIGNATURE_CHUNK_ROWS, columns):
            values = pa.array([signatures[key] for key in batch.column(0).to_pylist()], pa.binary())
            yield pa.Table.from_batches([batch]).append_column("signature", values).cast(SIGNATURES.schema)

    return store.write_batches(signature_path(store, run_id), SIGNATURES.schema, signed())


def record_signatures(store: Store, signatures: Rows, articles: Rows) -> None:
    """Keep the signatures of the published articles for later batches' near-duplicate search: those of
    ``signatures`` (staged by enrich, which computed them to cluster) whose article is in ``articles``
    (validate may have dropped some). Published rows an article re-pointed are not among them: their
    signatures are recorded already."""
    published = articles.column("article_id").combine_chunks().cast(pa.string())
    kept = [
        batch.filter(pc.is_in(batch.column("article_id"), value_set=published))
        for batch in signatures.to_reader(max_chunksize=SIGNATURE_CHUNK_ROWS)
    ]
    merge(
        store,
        SIGNATURES,
        pa.Table.from_batches(kept, SIGNATURES.schema),
        update_when_changed=("signature", "published_at"),
    )
