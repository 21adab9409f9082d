"""Near-duplicate detection: syndicated copies of one wire story share a cluster, earliest copy first.

Exact duplicates already share an ``article_id`` (the canonical URL folds tracking parameters, AMP and
mobile variants). Near-duplicates are found by text: MinHash signatures over word shingles, candidate
pairs from datasketch's LSH index, confirmed by the estimated Jaccard similarity. Copies are kept, not
deleted: every row gets ``duplicate_cluster`` (the article_id of the cluster's earliest copy) and
``duplicate_of`` (that same id, or null on the earliest copy itself), so analysts choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 5
SEED = 1
SCHEME = "affine32"  # stored signatures must be read back with the scheme that made them
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Member:
    """An article as dedup sees it: identity, time, and the signature of its text."""

    article_id: str
    published_at: datetime
    signature: bytes


@dataclass(frozen=True)
class Assignment:
    """Where an article stands: its cluster and the earliest copy it duplicates (None if it is that)."""

    duplicate_cluster: str
    duplicate_of: str | None


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Overlapping word n-grams, case-folded; a text shorter than ``size`` words is one shingle."""
    words = [w.casefold() for w in WORD.findall(text)]
    if len(words) <= size:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> bytes:
    """MinHash signature of the text as bytes (uint64 values), for storing beside the article."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return bytes(minhash.hashvalues.astype("<u8").tobytes())


def _minhash(value: bytes) -> LeanMinHash:
    """A stored signature as datasketch's LeanMinHash: hash values only, no permutation tables (a MinHash
    builds 2 KB of them per article, which clustering never uses)."""
    return LeanMinHash(seed=SEED, scheme=SCHEME, hashvalues=np.frombuffer(value, dtype="<u8"))


def cluster(members: Sequence[Member], threshold: float) -> dict[str, Assignment]:
    """Cluster members whose estimated Jaccard similarity reaches ``threshold`` (transitively).

    The earliest copy (ties broken by article_id, so the result does not depend on input order)
    names the cluster.
    """
    minhashes = {m.article_id: _minhash(m.signature) for m in members}
    index = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for article_id, minhash in minhashes.items():
        index.insert(article_id, minhash)
    parent = {article_id: article_id for article_id in minhashes}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for article_id, minhash in minhashes.items():
        for other in index.query(minhash):
            if other != article_id and minhash.jaccard(minhashes[other]) >= threshold:
                parent[root(other)] = root(article_id)
    groups: dict[str, list[Member]] = {}
    for member in members:
        groups.setdefault(root(member.article_id), []).append(member)
    assignments: dict[str, Assignment] = {}
    for group in groups.values():
        first = min(group, key=lambda m: (m.published_at, m.article_id)).article_id
        for member in group:
            assignments[member.article_id] = Assignment(first, None if member.article_id == first else first)
    return assignments


def changed(assignments: dict[str, Assignment], current: Iterable[tuple[str, str | None, str | None]]) -> set[str]:
    """Ids of already-published articles whose cluster fields the new assignments change."""
    return {
        article_id
        for article_id, cluster_id, duplicate_of in current
        if article_id in assignments
        and (assignments[article_id].duplicate_cluster, assignments[article_id].duplicate_of)
        != (cluster_id, duplicate_of)
    }
