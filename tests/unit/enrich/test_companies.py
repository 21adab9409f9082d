"""Companies' names made whole around their legal form, from literal entities (no model)."""

from __future__ import annotations

import pytest

from pipeline.enrich.companies import company_names
from pipeline.enrich.entities import Entity


def spans(text: str, entities: list[Entity]) -> list[tuple[str, str]]:
    return [(text[e.start : e.end], e.label) for e in entities]


def entity(text: str, surface: str, label: str) -> Entity:
    start = text.index(surface)
    return Entity(start, start + len(surface), label)


@pytest.mark.unit
def test_a_span_of_legal_forms_alone_takes_the_name_before_it() -> None:
    text = "Toy maker Russ Berrie and Co Inc said on Friday."
    entities = [entity(text, "Russ Berrie", "PERSON"), entity(text, "Co Inc", "ORG"), entity(text, "Friday", "DATE")]

    assert spans(text, company_names(text, entities)) == [("Russ Berrie and Co Inc", "ORG"), ("Friday", "DATE")]


@pytest.mark.unit
def test_a_leading_legal_form_and_the_capitalized_words_after_it_are_one_company() -> None:
    text = "Shares of PT Telekomunikasi Indonesia rose. Trading opens at 8 a.m. PT Monday."
    entities = [
        entity(text, "Telekomunikasi", "ORG"),
        entity(text, "Indonesia", "GPE"),
        entity(text, "Monday", "DATE"),
    ]

    assert spans(text, company_names(text, entities)) == [
        ("PT Telekomunikasi Indonesia", "ORG"),
        ("Monday", "DATE"),
    ]


@pytest.mark.unit
def test_a_legal_form_followed_by_and_ends_the_first_of_two_companies() -> None:
    text = "It will buy Motorsport Traditions Ltd and Creative Marketing & Promotions Inc for cash."
    entities = [entity(text, "Motorsport Traditions Ltd and Creative Marketing & Promotions Inc", "ORG")]

    assert spans(text, company_names(text, entities)) == [
        ("Motorsport Traditions Ltd", "ORG"),
        ("Creative Marketing & Promotions Inc", "ORG"),
    ]


@pytest.mark.unit
def test_a_name_with_and_but_no_legal_form_before_it_stays_one() -> None:
    text = "The Monopolies and Mergers Commission ruled."
    entities = [entity(text, "Monopolies and Mergers Commission", "ORG")]

    assert spans(text, company_names(text, entities)) == [("Monopolies and Mergers Commission", "ORG")]
