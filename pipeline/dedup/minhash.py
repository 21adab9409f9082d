"""Near-duplicate detection: syndicated copies of one wire story share a cluster, earliest copy first.

Exact duplicates already share an ``article_id`` (the canonical URL folds tracking parameters, AMP and
mobile variants). Near-duplicates are found by text: MinHash signatures over word shingles, candidate
pairs from LSH bands (datasketch's parameters, over a numpy matrix of the signatures), confirmed by the
estimated Jaccard similarity. Copies are kept, not deleted: every row gets ``duplicate_cluster`` (the
article_id of the cluster's earliest copy) and ``duplicate_of`` (that same id, or null on the earliest copy
itself), so analysts choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

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


def cluster(members: Sequence[Member], threshold: float) -> dict[str, Assignment]:
    """Cluster members whose estimated Jaccard similarity reaches ``threshold`` (transitively).

    The earliest copy (ties broken by article_id, so the result does not depend on input order)
    names the cluster.
    """
    signatures = np.frombuffer(b"".join(m.signature for m in members), dtype="<u8").reshape(len(members), NUM_PERM)
    parent = list(range(len(members)))

    def root(key: int) -> int:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for bucket in candidate_buckets(signatures, threshold):
        if len({root(index) for index in bucket.tolist()}) == 1:
            continue  # joined already through another band: its pairs cannot change the components
        for position, left in enumerate(bucket[:-1].tolist()):
            others = bucket[position + 1 :]
            shared = np.count_nonzero(signatures[others] == signatures[left], axis=1) / NUM_PERM
            for right in others[shared >= threshold].tolist():
                parent[root(right)] = root(left)
    groups: dict[int, list[Member]] = {}
    for index, member in enumerate(members):
        groups.setdefault(root(index), []).append(member)
    assignments: dict[str, Assignment] = {}
    for group in groups.values():
        first = min(group, key=lambda m: (m.published_at, m.article_id)).article_id
        for member in group:
            assignments[member.article_id] = Assignment(first, None if member.article_id == first else first)
    return assignments


def candidate_buckets(signatures: np.ndarray, threshold: float) -> Iterator[np.ndarray]:
    """The rows of every LSH bucket that holds two or more: rows equal in one band of the signature.

    The bands are those datasketch's MinHashLSH picks for the threshold, so a row's candidates are the ones
    its index would return, and every pair in a bucket is then checked as a query of that index would (the
    share of equal hash values, as MinHash.jaccard estimates it). Hand-written over the signature matrix
    instead of the index because the index keeps Python objects per article and band: ~1 GB at 100k
    articles, against the matrix's 1 KB per article.
    """
    bands, rows = _optimal_param(threshold, NUM_PERM, 0.5, 0.5)
    for band in range(bands):
        keys = np.ascontiguousarray(signatures[:, band * rows : (band + 1) * rows]).view(f"V{rows * 8}").ravel()
        _, bucket, sizes = np.unique(keys, return_inverse=True, return_counts=True)
        if sizes.max(initial=0) < 2:
            continue
        by_bucket = np.argsort(bucket, kind="stable")
        for members in np.split(by_bucket, np.cumsum(sizes)[:-1]):
            if len(members) > 1:
                yield members


def changed(assignments: dict[str, Assignment], current: Iterable[tuple[str, str | None, str | None]]) -> set[str]:
    """Ids of already-published articles whose cluster fields the new assignments change."""
    return {
        article_id
        for article_id, cluster_id, duplicate_of in current
        if article_id in assignments
        and (assignments[article_id].duplicate_cluster, assignments[article_id].duplicate_of)
        != (cluster_id, duplicate_of)
    }
