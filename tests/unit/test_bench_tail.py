"""bench/tail.py: the enriched batch repeated under new keys, so validate and publish meet distinct articles."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from bench.tail import copy_batch, repeat
from pipeline.storage.raw import Store
from schemas import SIGNATURES
from tests.articles import article_row, article_table

pytestmark = pytest.mark.unit


def test_a_copy_renames_every_id_consistently_and_keeps_the_content() -> None:
    head = article_row(1)
    copy_of_head = article_row(2, duplicate_cluster=head["article_id"], duplicate_of=head["article_id"])
    original = article_table([head, copy_of_head])

    copied = copy_batch(original, 3).to_pylist()

    assert copied[0]["article_id"] not in {head["article_id"], copy_of_head["article_id"]}
    assert len(copied[0]["article_id"]) == 32
    assert copied[1]["duplicate_cluster"] == copied[1]["duplicate_of"] == copied[0]["article_id"]
    assert copied[0]["duplicate_of"] is None
    assert copied[0]["url"] == head["url"] + "?copy=3"
    assert copied[0]["text"] == head["text"]
    assert copy_batch(original, 0).equals(original)


def test_repeat_writes_distinct_articles_times_the_batch(tmp_path: Path) -> None:
    store = Store(str(tmp_path), {})
    enriched = store.write_table(str(tmp_path / "enriched.parquet"), article_table([article_row(n) for n in range(5)]))

    repeated = store.read_table(repeat(store, enriched, str(tmp_path / "repeated.parquet"), 4))

    assert repeated.num_rows == 20
    assert len(set(repeated.column("article_id").to_pylist())) == 20
    assert len(set(repeated.column("url").to_pylist())) == 20


def test_repeat_copies_signatures_under_the_ids_their_articles_get(tmp_path: Path) -> None:
    store = Store(str(tmp_path), {})
    rows = [article_row(n) for n in range(3)]
    signed = pa.Table.from_pylist(
        [{**{k: r[k] for k in ("article_id", "published_at", "published_date")}, "signature": b"s"} for r in rows],
        schema=SIGNATURES.schema,
    )
    articles = store.write_table(str(tmp_path / "enriched.parquet"), article_table(rows))
    signatures = store.write_table(str(tmp_path / "signatures.parquet"), signed)

    repeated = store.read_table(repeat(store, articles, str(tmp_path / "a.parquet"), 2))
    resigned = store.read_table(repeat(store, signatures, str(tmp_path / "s.parquet"), 2))

    assert resigned.schema == SIGNATURES.schema
    assert resigned.column("article_id").to_pylist() == repeated.column("article_id").to_pylist()
