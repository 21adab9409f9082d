"""Bylines read as the reporters they name, from literal text (no model)."""

from __future__ import annotations

import pytest

from pipeline.enrich.bylines import byline_people, with_bylines
from pipeline.enrich.entities import Entity
from pipeline.enrich.gazetteer import Gazetteer


def names(text: str, gazetteer: Gazetteer) -> list[str]:
    return [text[start:end] for start, end in byline_people(text, gazetteer)]


@pytest.mark.unit
def test_the_name_between_headline_and_dateline_is_the_reporter(gazetteer: Gazetteer) -> None:
    assert names("Russia warns Norilsk.\nLynnley Browning\nMOSCOW 1996-12-06\nText.", gazetteer) == ["Lynnley Browning"]
    assert names("Talks stall.\nLuiz da Silva\nGENEVA 1996-12-06\nText.", gazetteer) == ["Luiz da Silva"]


@pytest.mark.unit
@pytest.mark.parametrize(
    "text",
    [
        "Lynnley Browning\nMOSCOW 1996-12-06\nText.",  # the first line is the headline
        "Prices.\nBank Of Japan\nTOKYO 1996-12-06\nText.",  # a body's name
        "Prices.\nNew York\nTOKYO 1996-12-06\nText.",  # a place
        "Prices.\nSugar prices rose\nTOKYO 1996-12-06\nText.",  # prose
        "Prices.\nLynnley Browning\nThe bank said.",  # no dateline follows
    ],
)
def test_other_lines_before_a_dateline_are_no_byline(text: str, gazetteer: Gazetteer) -> None:
    assert names(text, gazetteer) == []


@pytest.mark.unit
def test_a_byline_replaces_the_models_entity(gazetteer: Gazetteer) -> None:
    text = "Russia warns Norilsk.\nLynnley Browning\nMOSCOW 1996-12-06\nText."
    start = text.index("Lynnley")
    entities = [Entity(start, start + len("Lynnley Browning"), "FAC")]

    assert with_bylines(text, entities, gazetteer) == [Entity(start, start + len("Lynnley Browning"), "PERSON")]
