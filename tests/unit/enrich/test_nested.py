"""A state or a county leading an organization's or a building's name is a place; a country, a town, a
street's namesake and a state of a country the article is not about are not."""

from __future__ import annotations

import re

import pytest

from pipeline.enrich.entities import Entity
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.nested import leading_place, leading_places, located_places


def tagged(text: str, name: str, label: str) -> Entity:
    match = re.search(re.escape(name), text)
    assert match is not None
    return Entity(match.start(), match.end(), label)


def nested(text: str, names: list[tuple[str, str]], gazetteer: Gazetteer) -> list[str]:
    entities = [tagged(text, *n) for n in names]
    return [text[start:end] for start, end in leading_places(text, entities, gazetteer, frozenset(["USA"]))]


@pytest.mark.unit
def test_a_state_and_a_county_leading_a_body_or_a_building_are_places(gazetteer: Gazetteer) -> None:
    text = "Crews of the Texas Fire Service took him to the Henderson County Jail."

    found = nested(text, [("Texas Fire Service", "ORG"), ("Henderson County Jail", "FAC")], gazetteer)

    assert found == ["Texas", "Henderson County"]


@pytest.mark.unit
def test_a_country_a_town_or_a_street_namesake_is_no_nested_place(gazetteer: Gazetteer) -> None:
    text = (
        "The US Central Command, Kansas City Power & Light and Delta Air Lines met on California Street; "
        "Georgia Power did not. Texas said no."
    )
    names = [
        ("US Central Command", "ORG"),
        ("Kansas City Power & Light", "ORG"),
        ("Delta Air Lines", "ORG"),
        ("California Street", "FAC"),
        ("Georgia Power", "ORG"),
        ("Texas", "ORG"),
    ]

    assert nested(text, names, gazetteer) == []


@pytest.mark.unit
def test_a_town_its_own_police_or_mayor_follows_is_a_place(gazetteer: Gazetteer) -> None:
    text = (
        "The Athens Police Department said Roselle police and the Alachua County Sheriff helped; "
        "Delta Air Lines and New York City did not."
    )
    names = [
        ("Athens Police Department", "ORG"),
        ("Roselle", "ORG"),
        ("Alachua County Sheriff", "GPE"),
        ("Delta Air Lines", "ORG"),
        ("New York City", "GPE"),
    ]

    assert nested(text, names, gazetteer) == ["Athens", "Roselle", "Alachua County"]


@pytest.mark.unit
def test_a_place_an_organizations_span_ends_on_after_in_or_on_is_a_place(gazetteer: Gazetteer) -> None:
    text = (
        "Pupils of St. John's Lutheran School in Lombard visited the Brookhaven National Laboratory on Long "
        "Island; Women in Film met the Friends of Lombard."
    )
    names = ["St. John's Lutheran School in Lombard", "Brookhaven National Laboratory on Long Island"]
    entities = [tagged(text, name, "ORG") for name in [*names, "Women in Film", "Friends of Lombard"]]

    found = located_places(text, entities, gazetteer, frozenset(["USA"]))

    assert [text[start:end] for start, end in found] == ["Lombard", "Long Island"]


@pytest.mark.unit
def test_the_longest_lead_the_gazetteer_knows_and_never_the_whole_name_is_the_leading_place(
    gazetteer: Gazetteer,
) -> None:
    def lead(name: str) -> tuple[int, set[str]] | None:
        found = leading_place(name, [m.span() for m in re.finditer(r"\S+", name)], gazetteer)
        return None if found is None else (found[0], {c.place.feature for c in found[1]})

    assert lead("Kansas City Power & Light") == (2, {"city"})
    assert lead("Illinois Department of Transportation") == (1, {"admin1"})
    assert lead("Texas") is None  # a lead is shorter than the name
    assert lead("Qwertyuiop Widgets") is None
