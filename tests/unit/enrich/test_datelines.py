"""Datelines read as the places they name, from literal text (no model)."""

from __future__ import annotations

import pytest

from pipeline.enrich.datelines import dateline_places, with_datelines
from pipeline.enrich.entities import Entity
from pipeline.enrich.gazetteer import Gazetteer


def names(text: str, gazetteer: Gazetteer) -> list[str]:
    return [text[start:end] for start, end in dateline_places(text, gazetteer)]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Rangers win.\nGLASGOW 1996-12-07\nRangers beat Celtic.", "GLASGOW"),
        ("BEIRUT (Reuters) - Jets struck.", "BEIRUT"),
        ("WASHINGTON — The administration said.", "WASHINGTON"),
        ("SAN DIEGO, Calif. (AP) -- A man said.", "SAN DIEGO"),
        ("Headline\nRIO DE JANEIRO 1996-12-06\nText.", "RIO DE JANEIRO"),
        ("Beirut (Reuters) - Jets struck.", "Beirut"),
        ("Missing man found in lake. HUDSON -- Officials say.", "HUDSON"),
        ("Sanford aid after second rebuff. COLUMBIA --- South Carolina's governor said.", "COLUMBIA"),
        ("Crops destroyed. BEIRUT: The body of a man was found.", "BEIRUT"),
    ],
)
def test_a_dateline_names_a_place(text: str, place: str, gazetteer: Gazetteer) -> None:
    assert names(text, gazetteer) == [place]


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "SOCCER - JAPAN GET THEIR FIRST WIN.\nText.",
        "Beirut - the city said.",
        "Officials in HUDSON -- said so.",
        "Officials said.\n" + "x " * 250 + "\nBEIRUT 1996-12-07",
    ],
)
def test_no_dateline_no_place(text: str, gazetteer: Gazetteer) -> None:
    assert names(text, gazetteer) == []


@pytest.mark.unit
def test_the_dateline_place_is_a_gpe_whatever_the_model_said(gazetteer: Gazetteer) -> None:
    text = "BEIRUT (Reuters) - Jets struck."
    entities = [Entity(0, 6, "ORG"), Entity(8, 15, "ORG")]

    assert with_datelines(text, entities, gazetteer) == [Entity(0, 6, "GPE"), Entity(8, 15, "ORG")]
