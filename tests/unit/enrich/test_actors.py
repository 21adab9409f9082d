"""find_actors over literal entities and dictionary matches (no model): one actor per entity, typed."""

from __future__ import annotations

import pytest

from pipeline.enrich.actors import find_actors
from pipeline.enrich.aliases import AliasEntry, AliasMatch
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.entities import Entity
from pipeline.enrich.gazetteer import Gazetteer


def entity(text: str, surface: str, label: str) -> Entity:
    start = text.index(surface)
    return Entity(start, start + len(surface), label)


@pytest.mark.unit
def test_people_organizations_and_dictionary_actors_are_merged_and_typed(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "Iraqi Prime Minister Mohammed Shia al-Sudani met ISIS envoys. Al-Sudani told Acme Bank he would not."
    entities = [
        entity(text, "Mohammed Shia al-Sudani", "PERSON"),
        entity(text, "Al-Sudani", "PERSON"),
        entity(text, "Acme Bank", "ORG"),
    ]
    isis = AliasEntry("Islamic State", "group", None, None, ("ISIS",))
    matches = [AliasMatch(text.index("ISIS"), text.index("ISIS") + 4, 0)]

    result = find_actors(text, entities, [(0, len(text))], matches, [isis], countries, gazetteer)

    found = {(a.canonical, a.type, a.country_code, a.role, a.mentions) for a in result.actors}
    assert found == {
        ("Mohammed Shia al-Sudani", "person", "IRQ", "Prime Minister", 2),
        ("Islamic State", "group", None, None, 1),
        ("Acme Bank", "organization", None, None, 1),
    }
    assert (text.index("ISIS"), text.index("ISIS") + 4) in result.spans


@pytest.mark.unit
def test_a_country_word_before_an_organization_gives_its_country_and_canonical_name_not_its_name(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "Shares of Japan NTT rose after NTT said it would expand abroad."
    entities = [entity(text, "Japan NTT", "ORG")]

    result = find_actors(text, entities, [(0, len(text))], [], [], countries, gazetteer)

    assert [(a.name, a.canonical, a.type, a.country_code, a.mentions) for a in result.actors] == [
        ("NTT", "Japan NTT", "organization", "JPN", 2)
    ]


@pytest.mark.unit
def test_a_dictionary_party_inside_another_countrys_party_name_is_that_party(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "The ruling Czech Civic Democratic Party met. The U.S. Democratic Party did not."
    entities = [entity(text, "Czech Civic Democratic Party", "ORG"), entity(text, "U.S. Democratic Party", "ORG")]
    democrats = AliasEntry("Democratic Party", "organization", "USA", None, ())
    matches = [
        AliasMatch(start, start + len("Democratic Party"), 0)
        for start in (text.index("Democratic Party"), text.rindex("Democratic Party"))
    ]

    result = find_actors(text, entities, [(0, len(text))], matches, [democrats], countries, gazetteer)

    assert sorted(a.canonical for a in result.actors) == ["Czech Civic Democratic Party", "Democratic Party"]


@pytest.mark.unit
def test_an_organization_written_like_a_place_the_text_names_is_that_place(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "The plane landed in Butte. Butte officials met the Butte Silver Bow Council."
    first = text.index("Butte")
    second = text.index("Butte", first + 1)
    entities = [Entity(first, first + 5, "ORG"), Entity(second, second + 5, "ORG")]
    entities.append(entity(text, "Butte Silver Bow Council", "ORG"))

    result = find_actors(text, entities, [(0, len(text))], [], [], countries, gazetteer, frozenset(["USA"]))

    assert [text[start:end] for start, end in result.places] == ["Butte"]
    assert [actor.name for actor in result.actors] == ["Butte Silver Bow Council"]
