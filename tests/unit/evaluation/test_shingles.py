"""The article-extraction-benchmark's scoring on hand-made bodies, checked against figures worked by hand."""

from __future__ import annotations

import pytest

from evaluation.shingles import page_counts, score_pages, shingles

pytestmark = pytest.mark.unit


def test_shingles_are_overlapping_four_token_runs_and_a_short_text_is_one() -> None:
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("Hello, world!") == {("Hello", "world"): 1}
    assert shingles("") == {} and shingles(None) == {}


def test_page_counts_are_normalized_to_sum_to_one() -> None:
    counts = page_counts("a b c d e f", "a b c d x")  # gold abcd bcde cdef, predicted abcd bcdx
    assert (counts.tp, counts.fp, counts.fn) == pytest.approx((1 / 4, 1 / 4, 2 / 4))
    assert counts.precision == pytest.approx(0.5) and counts.recall == pytest.approx(1 / 3)
    assert page_counts("", "").precision is None and page_counts("", "").recall is None


def test_repeated_shingles_count_with_multiplicity() -> None:
    counts = page_counts("a b c d a b c d", "a b c d")  # gold: abcd twice, bcda, cdab, dabc
    assert (counts.tp, counts.fp, counts.fn) == pytest.approx((1 / 5, 0, 4 / 5))


def test_f1_is_the_harmonic_mean_of_mean_precision_and_mean_recall() -> None:
    pairs = [
        ("a b c d e f", "a b c d x"),  # precision 1/2, recall 1/3
        ("p q r s", "p q r s"),  # exact: 1, 1
        ("u v w x", ""),  # nothing predicted: recall 0, no precision
    ]
    scores = score_pages(pairs)
    precision, recall = (0.5 + 1) / 2, (1 / 3 + 1 + 0) / 3
    assert scores.precision == pytest.approx(precision)
    assert scores.recall == pytest.approx(recall)
    assert scores.f1 == pytest.approx(2 * precision * recall / (precision + recall))
    assert scores.accuracy == pytest.approx(1 / 3)
