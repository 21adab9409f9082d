"""The word lists the place rules read: what follows or names a place, as lookups compare them."""

from __future__ import annotations

import pytest

from pipeline.enrich.place_words import AGREEMENT_WORDS, AREA_WORDS, ATTRIBUTIVE_HEADS, CALENDAR_WORDS


@pytest.mark.unit
@pytest.mark.parametrize(
    ("word", "words"),
    [
        ("province", AREA_WORDS),
        ("oblast", AREA_WORDS),
        ("treaty", AGREEMENT_WORDS),
        ("troops", ATTRIBUTIVE_HEADS),
        ("embassy", ATTRIBUTIVE_HEADS),
        ("march", CALENDAR_WORDS),
        ("sunday", CALENDAR_WORDS),
    ],
)
def test_a_place_kind_word_is_listed(word: str, words: frozenset[str]) -> None:
    assert word in words


@pytest.mark.unit
def test_ordinary_words_are_not_listed() -> None:
    assert not {"city", "said", "the"} & (AREA_WORDS | AGREEMENT_WORDS | ATTRIBUTIVE_HEADS | CALENDAR_WORDS)


@pytest.mark.unit
def test_every_word_is_lower_case_as_the_rules_compare_it() -> None:
    for words in (AREA_WORDS, AGREEMENT_WORDS, ATTRIBUTIVE_HEADS, CALENDAR_WORDS):
        assert all(word == word.lower().strip() for word in words)
    assert len(CALENDAR_WORDS) == 19  # twelve months, seven days
