"""Typed CoNLL scoring: short forms folded into the long name, gold and predictions alike."""

from __future__ import annotations

import pytest

from evaluation.corpora import GoldDocument, GoldEntity
from evaluation.systems import PredictedActor, Prediction
from evaluation.typed import PROJECT_TYPES, SPACY_TYPES, gold_items, score_document


def document(*entities: tuple[str, str]) -> GoldDocument:
    return GoldDocument("doc", "", "", entities=tuple(GoldEntity(kind, text) for kind, text in entities))


def labels(doc: GoldDocument) -> list[tuple[str, ...]]:
    return sorted(tuple(sorted(item.names)) for item in gold_items(doc))


@pytest.mark.unit
def test_an_organizations_acronym_and_first_or_last_words_fold_into_its_long_name() -> None:
    doc = document(
        ("ORG", "International Labour Organisation"),
        ("ORG", "ILO"),
        ("ORG", "British Airways Plc"),
        ("ORG", "British Airways"),
        ("ORG", "European Commission"),
        ("ORG", "Commission"),
        ("ORG", "U.N."),
        ("ORG", "United Nations"),
    )

    assert labels(doc) == [
        ("britishairways", "britishairwaysplc"),
        ("commission", "europeancommission"),
        ("ilo", "internationallabourorganisation"),
        ("un", "unitednations"),
    ]


@pytest.mark.unit
def test_an_acronym_inside_another_name_and_unrelated_organizations_stay_apart() -> None:
    doc = document(("ORG", "ILO"), ("ORG", "ILO Workers Group"), ("ORG", "Reuters"), ("ORG", "PKK"))

    assert len(gold_items(doc)) == 4


@pytest.mark.unit
def test_one_actor_for_an_organization_and_its_acronym_is_one_hit_and_two_are_not_paid_twice() -> None:
    doc = document(("ORG", "National League for Democracy"), ("ORG", "NLD"))
    merged = Prediction((PredictedActor(("National League for Democracy",), "organization"),), ())
    listed = Prediction(
        (PredictedActor(("National League for Democracy",), "organization"), PredictedActor(("NLD",), "organization")),
        (),
    )

    merged_counts = score_document(doc, merged, PROJECT_TYPES).counts["ORG"]
    listed_counts = score_document(doc, listed, SPACY_TYPES).counts["ORG"]

    assert (merged_counts.tp, merged_counts.fp, merged_counts.fn) == (1, 0, 0)
    assert (listed_counts.tp, listed_counts.fp, listed_counts.fn) == (1, 0, 0)
