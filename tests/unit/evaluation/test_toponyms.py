"""Toponym detection scoring: a location row finds every gold name among the names it records."""

from __future__ import annotations

import pytest

from evaluation.corpora import GoldDocument, GoldToponym
from evaluation.systems import PredictedLocation, Prediction
from evaluation.toponyms import score_document


def gold(*phrases: str) -> tuple[GoldToponym, ...]:
    return tuple(GoldToponym(p, i * 10, i * 10 + len(p), 6252001, 39.76, -98.5) for i, p in enumerate(phrases))


@pytest.mark.unit
def test_one_row_for_a_place_written_two_ways_finds_both_gold_names() -> None:
    document = GoldDocument("d1", "", "U.S. ... United States ... Ohio", gold("U.S.", "United States", "Ohio"))
    row = PredictedLocation(("United States", "U.S."), 6252001, 39.76, -98.5)
    stray = PredictedLocation(("Nowhere",), None, None, None)

    score = score_document(document, Prediction((), (row, stray)))

    assert (score.detection.tp, score.detection.fp, score.detection.fn) == (2, 1, 1)
    assert [t.phrase for t in score.missed] == ["Ohio"]
    assert [p.names for p in score.spurious] == [("Nowhere",)]
    assert all(r.right for r in score.resolved if r.found)


@pytest.mark.unit
def test_an_unresolved_row_counts_for_detection_but_not_resolution() -> None:
    document = GoldDocument("d2", "", "Laurel County", gold("Laurel County"))
    row = PredictedLocation(("Laurel County", "Laurel County"), None, None, None)

    score = score_document(document, Prediction((), (row,)))

    assert (score.detection.tp, score.detection.fp, score.detection.fn) == (1, 0, 0)
    assert [r.right for r in score.resolved] == [False]
