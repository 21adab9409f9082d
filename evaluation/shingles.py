"""The article-extraction-benchmark's scoring, reproduced (scrapinghub/article-extraction-benchmark,
``evaluate.py``, MIT licence), so our figures are comparable with the ones it publishes.

Per page: the gold and predicted bodies are cut into ``\\w+`` tokens, then into overlapping 4-token
shingles; true positives are the shingles both hold (with multiplicity), false positives the extra ones
predicted, false negatives the gold ones missed, and the three are divided by their sum so a long page
weighs as much as a short one. Precision and recall are means over pages (a page with nothing predicted
has no precision, one with no gold body no recall); F1 is the harmonic mean of the two means, not a mean
of per-page F1s. Accuracy is the share of pages whose token sequences are equal.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE_SIZE = 4


@dataclass(frozen=True)
class PageCounts:
    """One page's true positives, false positives and false negatives, normalized to sum to 1 (or all 0)."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted (the page is left out of the precision mean)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        """None when the gold body is empty (the page is left out of the recall mean)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None

    @property
    def f1(self) -> float:
        """The page's own F1, used only to find the pages where two systems differ most."""
        precision, recall = self.precision or 0.0, self.recall or 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class TextScores:
    """Benchmark figures over a set of pages."""

    precision: float
    recall: float
    f1: float
    accuracy: float


def tokens(text: str | None) -> list[str]:
    """``\\w+`` runs, the benchmark's language-independent tokens."""
    return TOKEN.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Overlapping ``size``-token shingles with their counts; a text shorter than ``size`` is one shingle."""
    words = tokens(text)
    return Counter(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)) if words[i : i + size])


def page_counts(gold: str | None, predicted: str | None) -> PageCounts:
    """One page's shingle matching between the gold body and the predicted one."""
    true, pred = shingles(gold), shingles(predicted)
    tp = float(sum((true & pred).values()))
    fp = float(sum((pred - true).values()))
    fn = float(sum((true - pred).values()))
    total = tp + fp + fn
    return PageCounts(tp / total, fp / total, fn / total) if total else PageCounts(0.0, 0.0, 0.0)


def score_pages(pairs: Sequence[tuple[str | None, str | None]]) -> TextScores:
    """Benchmark precision, recall, F1 and accuracy over (gold, predicted) body pairs."""
    counts = [page_counts(gold, predicted) for gold, predicted in pairs]
    precisions = [p for c in counts if (p := c.precision) is not None]
    recalls = [r for c in counts if (r := c.recall) is not None]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = statistics.mean(float(tokens(g) == tokens(p)) for g, p in pairs) if pairs else 0.0
    return TextScores(precision, recall, f1, accuracy)
