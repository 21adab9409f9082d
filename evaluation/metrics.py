"""Metrics every evaluation shares: name folding, counts and their ratios, one-to-one matching, distances.

Kept apart from any corpus so the in-house set and the public gold sets score with the same arithmetic.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

GEO_TOLERANCE_KM = 161.0


def normalize_name(name: str) -> str:
    """Fold a name so trivial spelling differences do not count as misses.

    Case, diacritics (Erdoğan, Erdogan), punctuation and spaces (al-Assad, al Assad, alAssad; U.S., US)
    are ignored; letters and digits are kept, so a wrong name still misses.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def ratio(numerator: int, denominator: int, empty: float) -> float:
    """numerator / denominator, or ``empty`` when there is nothing to divide by."""
    return numerator / denominator if denominator else empty


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives; summing them micro-averages."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """Share of predictions that are right; with no predictions, 1.0 only if nothing was due."""
        return ratio(self.tp, self.tp + self.fp, empty=1.0 if self.fn == 0 else 0.0)

    @property
    def recall(self) -> float:
        """Share of gold items found; 1.0 when there was nothing to find."""
        return ratio(self.tp, self.tp + self.fn, empty=1.0)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, float | int]:
        """Counts and ratios as plain values, for JSON."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def max_matching(edges: Sequence[Sequence[int]], right_size: int) -> dict[int, int]:
    """Maximum one-to-one matching left -> right, where left i may pair with any right in ``edges[i]``.

    Maximum rather than greedy so the order in which a system lists its predictions cannot change the
    score (scipy's Hopcroft-Karp).
    """
    rows = [i for i, targets in enumerate(edges) for _ in targets]
    cols = [j for targets in edges for j in targets]
    if not rows:
        return {}
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(edges), right_size))
    matched = maximum_bipartite_matching(graph, perm_type="column")
    return {left: int(right) for left, right in enumerate(matched) if right >= 0}
