from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHashLSH

from pipeline.dedup.minhash import NUM_PERM, SCHEME, SEED, Assignment, Member, changed, cluster, shingles, signature

pytestmark = pytest.mark.unit

WIRE = (
    "GOMA, Democratic Republic of Congo — Fighting between M23 rebels and pro-government militias flared on "
    "Friday north of Goma, forcing thousands of families to flee toward the city, residents and aid workers "
    "said. The clashes around Kibumba and Kanyaruchinya broke a week of relative calm along the front line. "
    "The United Nations refugee agency said at least 12,000 people had arrived in camps on the edge of Goma "
    "since Thursday, many of them women and children who walked through the night. Congo's army said it "
    "repelled an attack on its positions and accused Rwanda of backing the rebels, a charge Kigali denies."
)
SYNDICATED = WIRE.replace("on Friday", "on Friday morning") + " Reporting by Patrick Ilunga; editing by Sarah Mbeki."
OTHER = (
    "KHARKIV, Ukraine — Russian missiles and drones struck energy facilities across the Kharkiv region overnight, "
    "leaving hundreds of thousands of homes without power as temperatures dropped below freezing, officials said. "
    "The regional governor said repair crews were working to restore heating to hospitals first."
)


def member(article_id: str, text: str, day: int) -> Member:
    return Member(article_id, datetime(2026, 11, day, tzinfo=UTC), signature(text))


def test_syndicated_copies_share_a_cluster_named_after_the_earliest_copy() -> None:
    members = [member("b-later", SYNDICATED, 22), member("a-first", WIRE, 21), member("c-other", OTHER, 21)]
    result = cluster(members, threshold=0.5)
    assert result["a-first"] == Assignment("a-first", None)
    assert result["b-later"] == Assignment("a-first", "a-first")
    assert result["c-other"] == Assignment("c-other", None)


def test_the_result_does_not_depend_on_input_order() -> None:
    members = [member("x", WIRE, 21), member("y", SYNDICATED, 21), member("z", OTHER, 23)]
    assert cluster(members, 0.5) == cluster(list(reversed(members)), 0.5)
    assert cluster(members, 0.5)["y"] == Assignment("x", "x")


def test_signatures_are_deterministic_bytes() -> None:
    assert signature(WIRE) == signature(WIRE)
    assert len(signature(WIRE)) == 128 * 8
    assert signature(WIRE) != signature(OTHER)


def test_shingles_fold_case_and_short_texts_are_one_shingle() -> None:
    assert shingles("Breaking news from Goma today, officials said") == shingles(
        "BREAKING NEWS FROM GOMA TODAY, officials SAID"
    )
    assert shingles("Too short") == {b"too short"}


def test_changed_reports_published_rows_whose_cluster_fields_move() -> None:
    assignments = {"old": Assignment("new", "new"), "same": Assignment("same", None)}
    current = [("old", "old", None), ("same", "same", None), ("unrelated", "u", None)]
    assert changed(assignments, current) == {"old"}


def components_by_datasketch(members: list[Member], threshold: float) -> set[frozenset[str]]:
    """The clusters datasketch's own LSH index finds: every member queried, every candidate checked."""
    minhashes = {
        m.article_id: LeanMinHash(seed=SEED, scheme=SCHEME, hashvalues=np.frombuffer(m.signature, dtype="<u8"))
        for m in members
    }
    index = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for key, minhash in minhashes.items():
        index.insert(key, minhash)
    parent = {key: key for key in minhashes}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    for key, minhash in minhashes.items():
        for other in index.query(minhash):
            if minhash.jaccard(minhashes[other]) >= threshold:
                parent[root(other)] = root(key)
    groups: dict[str, set[str]] = {}
    for key in minhashes:
        groups.setdefault(root(key), set()).add(key)
    return {frozenset(group) for group in groups.values()}


def test_the_clusters_are_those_datasketchs_lsh_index_finds() -> None:
    rng = np.random.default_rng(3)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    signatures = []
    for _ in range(300):  # chains of copies, each a few hash values away from the one before
        current = rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64)
        for _ in range(int(rng.integers(1, 5))):
            signatures.append(current.copy())
            current[rng.choice(NUM_PERM, int(rng.integers(5, 30)), replace=False)] = rng.integers(0, 2**32)
    signatures += [signatures[0].copy() for _ in range(50)]  # one text copied many times
    members = [
        Member(f"{n:04d}", start + timedelta(minutes=n), values.astype("<u8").tobytes())
        for n, values in enumerate(signatures)
    ]

    result = cluster(members, 0.8)
    groups: dict[str, set[str]] = {}
    for article_id, assignment in result.items():
        groups.setdefault(assignment.duplicate_cluster, set()).add(article_id)

    expected = components_by_datasketch(members, 0.8)
    assert {frozenset(group) for group in groups.values()} == expected
    assert 1 < len(expected) < len(members)  # some copies joined, some chains broken
