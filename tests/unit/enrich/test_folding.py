"""Surface-text helpers: case and accent folding, offset-keeping lower-casing, cleaning and word boundaries."""

from __future__ import annotations

import pytest

from pipeline.enrich.folding import (
    SpanIndex,
    clean_surface,
    fold,
    is_word_boundary,
    lower_same_length,
    overlaps,
    straight_apostrophes,
    surface_bounds,
)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("surface", "folded"),
    [
        ("Erdoğan’s", "erdogan's"),
        ("erdogan's", "erdogan's"),
        ("  New   York ", "new york"),
        ("Ḩalab", "halab"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
    ],
)
def test_fold_ignores_case_accents_apostrophes_and_spacing(surface: str, folded: str) -> None:
    assert fold(surface) == folded


@pytest.mark.unit
@pytest.mark.parametrize("text", ["Erdoğan’s ISIS", "İstanbul and Ankara", "ẞ and ǅ"])
def test_lower_same_length_keeps_every_offset(text: str) -> None:
    lowered = lower_same_length(text)

    assert len(lowered) == len(text)


@pytest.mark.unit
def test_lower_same_length_lowers_and_straightens() -> None:
    assert lower_same_length("Assad’s ISIS") == "assad's isis"
    assert lower_same_length("İzmir")[1:] == "zmir"  # "İ".lower() is two characters: kept as is


@pytest.mark.unit
def test_straight_apostrophes_changes_only_apostrophes() -> None:
    assert straight_apostrophes("Assad’s ‘regime’") == "Assad's 'regime'"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("surface", "cleaned"),
    [("the Kremlin's", "Kremlin"), ("The  White House’", "White House"), ('"Aleppo",', "Aleppo")],
)
def test_clean_surface_drops_article_possessive_and_punctuation(surface: str, cleaned: str) -> None:
    assert clean_surface(surface) == cleaned


@pytest.mark.unit
def test_surface_bounds_trim_article_possessive_and_punctuation() -> None:
    text = "in the Kremlin’s view, near Aleppo, on Monday"
    aleppo = text.index("Aleppo")

    start, end = surface_bounds(text, 3, 16)

    assert (start, end) == (7, 14)
    assert text[slice(*surface_bounds(text, aleppo, aleppo + 7))] == "Aleppo"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("IS fighters", 0, 2, True),
        ("the town is quiet", 9, 11, True),
        ("ISIS", 0, 2, False),
        ("this", 2, 4, False),
        ("(UN)", 1, 3, True),
        ("G20", 0, 1, False),
    ],
)
def test_is_word_boundary(text: str, start: int, end: int, expected: bool) -> None:
    assert is_word_boundary(text, start, end) is expected


@pytest.mark.unit
def test_overlaps_is_half_open() -> None:
    assert overlaps(3, 6, [(0, 4)])
    assert not overlaps(4, 6, [(0, 4), (6, 9)])


@pytest.mark.unit
def test_a_span_index_answers_as_overlaps_does() -> None:
    spans = [(40, 45), (0, 4), (6, 9), (10, 30), (12, 14), (50, 50)]
    index = SpanIndex(spans)

    for start in range(0, 56):
        for end in range(start, 57):
            assert index.overlaps(start, end) == overlaps(start, end, spans), (start, end)
    assert not SpanIndex([]).overlaps(0, 10)
