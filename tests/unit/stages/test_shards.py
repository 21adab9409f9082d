"""How a run's candidates are split into fetch/normalize shards and joined back."""

from __future__ import annotations

import pytest

from pipeline.stages.collect import first_per_key
from pipeline.stages.fetch import plan_shards

pytestmark = pytest.mark.unit


def candidate(source: str, n: int) -> dict[str, str]:
    return {"source_name": source, "url": f"http://{source}.example/{n}"}


def test_candidates_are_split_per_source_then_in_chunks_of_the_chunk_size() -> None:
    candidates = [candidate("voa", n) for n in range(5)] + [candidate("bbc", n) for n in range(2)]

    plan = plan_shards(candidates, chunk_size=2)

    assert [(source, [c["url"] for c in rows]) for source, rows in plan] == [
        ("voa", ["http://voa.example/0", "http://voa.example/1"]),
        ("voa", ["http://voa.example/2", "http://voa.example/3"]),
        ("voa", ["http://voa.example/4"]),
        ("bbc", ["http://bbc.example/0", "http://bbc.example/1"]),
    ]


def test_sources_keep_the_order_of_their_first_candidate_and_no_candidate_is_lost() -> None:
    candidates = [candidate("a", 0), candidate("b", 0), candidate("a", 1)]

    plan = plan_shards(candidates, chunk_size=10)

    assert [source for source, _ in plan] == ["a", "b"]
    assert sorted(c["url"] for _, rows in plan for c in rows) == sorted(c["url"] for c in candidates)


def test_no_candidates_make_no_shards() -> None:
    assert plan_shards([], chunk_size=3) == []


def test_the_first_row_of_each_article_is_kept_in_order() -> None:
    assert first_per_key(["x", "y", "x", "z", "y"]) == [0, 1, 3]
