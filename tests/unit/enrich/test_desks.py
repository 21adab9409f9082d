"""News desks named in a wire story's contact line are organizations, whatever the model tagged inside."""

from __future__ import annotations

import pytest

from pipeline.enrich.desks import with_desks
from pipeline.enrich.entities import Entity


@pytest.mark.unit
def test_a_desk_replaces_the_place_or_person_the_model_read_in_it() -> None:
    text = "Shares fell.\n-- Prague Newsroom, +420 2 2423 0003\n-- Wall Street Desk, 212 859 1610"
    prague = text.index("Prague")
    entities = [Entity(prague, prague + 6, "GPE"), Entity(0, 6, "ORG")]

    found = [(text[e.start : e.end], e.label) for e in with_desks(text, entities)]

    assert found == [("Shares", "ORG"), ("Prague Newsroom", "ORG"), ("Wall Street Desk", "ORG")]


@pytest.mark.unit
def test_a_lone_desk_word_is_no_desk() -> None:
    text = "Desk clerks said so."

    assert with_desks(text, []) == []
