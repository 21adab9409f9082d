"""enrich: actors, locations and countries for every article of the batch, and near-duplicate clusters."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from pipeline.language import UNDETERMINED
from pipeline.records import Enrichment, Quarantined
from pipeline.settings import Settings
from pipeline.sources.config import source_traits
from pipeline.stages.common import conform_rows, quarantine_failures
from pipeline.storage.raw import Store
from pipeline.workers import map_chunks, worker_count
from schemas import ARTICLES

if TYPE_CHECKING:
    from pipeline.enrich import Enricher

LOG = logging.getLogger(__name__)
# English, and text whose language could not be told (a results table, a list of names): the model is
# English, and running it on an undetermined text costs little against losing every actor and place in it.
NER_LANGUAGES = frozenset({"en", UNDETERMINED})
ENRICH_CHUNK_ROWS = 64

_ENRICHERS: dict[str, Enricher] = {}


def _enricher(settings: Settings) -> Enricher:
    """One enricher per worker process and model: the spaCy model and gazetteer load once, then are
    reused by every later task the process runs."""
    from pipeline.enrich import Enricher

    if settings.spacy_model not in _ENRICHERS:
        LOG.info("loading enrichment resources for %s", settings.spacy_model)
        _ENRICHERS[settings.spacy_model] = Enricher.load(settings)
    return _ENRICHERS[settings.spacy_model]


def enrich_rows(rows: list[dict[str, Any]], enricher: Enricher, home_countries: list[str | None]) -> None:
    """Fill actors, locations and countries in place; languages without NER keep them empty."""
    targets = [i for i, row in enumerate(rows) if row["language"] in NER_LANGUAGES]
    results: list[Enrichment] = enricher.enrich_many(
        [rows[i]["text"] for i in targets], home_countries=[home_countries[i] for i in targets]
    )
    for index, enrichment in zip(targets, results, strict=True):
        rows[index]["ner_applied"] = True
        rows[index]["actors"] = [vars(a) for a in enrichment.actors]
        rows[index]["locations"] = [vars(p) for p in enrichment.locations]
        rows[index]["countries"] = list(enrichment.countries)


def enrich(settings: Settings, run_id: str, normalized_path: str) -> str:
    """Add actors and locations to every article of the batch, and cluster near-duplicates.

    Published rows whose cluster an article of this batch changes (an earlier copy arrived, e.g. in a
    backfill) are carried along with their new cluster fields, so the publish merge re-points them.
    Articles are enriched in chunks on every core and kept on disk until clustered, so memory does not grow
    with the batch (only each article's MinHash signature is held). The signatures are staged for publish
    to record. An empty batch stays empty, without loading models or MinHash.
    """
    store = Store.from_settings(settings)
    rows_in = store.count_rows(normalized_path)
    if rows_in == 0:
        return store.write_rows(store.staging(run_id, "enriched"), [], ARTICLES.schema)
    from pipeline.dedup import Member
    from pipeline.dedup_store import cluster_batch, stage_signatures, window

    homes = {name: traits.country for name, traits in source_traits(settings.sources_file).items()}
    members: list[Member] = []
    dates: set[date] = set()
    rejected: list[Quarantined] = []

    def enriched() -> Iterator[pa.Table]:
        chunks = ((settings, rows, homes) for rows in store.iter_rows(normalized_path, ENRICH_CHUNK_ROWS))
        for rows, signatures in map_chunks(_enrich_chunk, chunks, worker_count(settings.workers, rows_in)):
            members.extend(
                Member(r["article_id"], r["published_at"], sig) for r, sig in zip(rows, signatures, strict=True)
            )
            dates.update(r["published_date"] for r in rows)
            yield conform_rows(rows, "enrich", rejected)

    unclustered = store.write_batches(store.staging(run_id, "enriched-unclustered"), ARTICLES.schema, enriched())
    assignments, repointed = (
        cluster_batch(store, members, *window(dates, settings.dedup_window_days), settings) if members else ({}, [])
    )
    stage_signatures(store, run_id, unclustered, {m.article_id: m.signature for m in members})

    def clustered() -> Iterator[pa.Table]:
        for rows in store.iter_rows(unclustered, ENRICH_CHUNK_ROWS):
            for row in rows:
                assignment = assignments[row["article_id"]]
                row["duplicate_cluster"], row["duplicate_of"] = assignment.duplicate_cluster, assignment.duplicate_of
            yield pa.Table.from_pylist(rows, schema=ARTICLES.schema)
        yield conform_rows(repointed, "enrich", rejected)

    path = store.write_batches(store.staging(run_id, "enriched"), ARTICLES.schema, clustered())
    store.fs().rm(unclustered)
    quarantine_failures(store, run_id, rejected)
    return path


def _enrich_chunk(
    job: tuple[Settings, list[dict[str, Any]], dict[str, str | None]],
) -> tuple[list[dict[str, Any]], list[bytes]]:
    """enrich_rows over a chunk of articles (in a worker process, which loads the Enricher once), and the
    MinHash signature of each article's text."""
    from pipeline.dedup import signature

    settings, rows, homes = job
    if any(row["language"] in NER_LANGUAGES for row in rows):
        enrich_rows(rows, _enricher(settings), [homes.get(row["source_name"]) for row in rows])
    return rows, [signature(row["text"]) for row in rows]
