"""The stages after enrich at a size the session cannot enrich: an enriched batch repeated under new keys.

Enriching 100k articles takes about two hours on a 2-core machine, while validate and publish are what hold
whole-batch state (the suites' frames, the merge). ``repeat`` writes a batch of ``times`` copies of an enriched
batch, each copy under its own URLs and article ids (cluster ids follow their articles), so validate and
publish meet as many distinct articles as a real batch of that size would, with real texts and entities.
"""

from __future__ import annotations

import hashlib

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.storage.raw import Store

CHUNK_ROWS = 2000
ID_COLUMNS = ("article_id", "duplicate_cluster", "duplicate_of")


def copy_id(article_id: str | None, copy: int) -> str | None:
    """The id an article has in copy ``copy`` (copy 0 is the original), 32 hex characters like a real one."""
    if article_id is None or copy == 0:
        return article_id
    return hashlib.sha256(f"{article_id}/copy-{copy}".encode()).hexdigest()[:32]


def copy_batch(batch: pa.Table, copy: int) -> pa.Table:
    """``batch`` (articles, or their signatures) as copy ``copy``: ids renamed consistently, URLs given a
    ``copy`` query parameter."""
    if copy == 0:
        return batch
    for name in ID_COLUMNS:
        if name in batch.column_names:
            ids = [copy_id(value, copy) for value in batch.column(name).to_pylist()]
            batch = batch.set_column(batch.schema.get_field_index(name), name, pa.array(ids, pa.string()))
    for name in ("url", "canonical_url"):
        if name in batch.column_names:
            urls = pc.binary_join_element_wise(batch.column(name), f"copy={copy}", "?")
            batch = batch.set_column(batch.schema.get_field_index(name), name, urls)
    return batch


def repeat(store: Store, path: str, target: str, times: int) -> str:
    """Write ``times`` copies of the staging file at ``path`` (an enriched batch, or the signatures enrich
    staged beside it) into ``target``, a chunk at a time."""
    schema = store.read_schema(path)
    chunks = (
        copy_batch(pa.Table.from_batches([batch]), copy).cast(schema)
        for copy in range(times)
        for batch in store.iter_batches(path, CHUNK_ROWS)
    )
    return store.write_batches(target, schema, chunks)
