"""What a name looks like, on literal names."""

from __future__ import annotations

import pytest

from pipeline.enrich.countries import CountryTable
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.names import (
    has_org_word,
    initials,
    is_non_actor_name,
    is_organization_name,
    is_person_name,
    name_tokens,
    organization_type,
    strip_leading_titles,
)


@pytest.mark.unit
def test_name_parts_drop_particles_so_short_and_full_forms_compare() -> None:
    assert name_tokens("Bashar al-Assad") == {"bashar", "assad"}
    assert name_tokens("al-Assad") <= name_tokens("Bashar al-Assad")


@pytest.mark.unit
def test_people_and_organizations_are_told_from_titles_demonyms_and_generic_words(countries: CountryTable) -> None:
    assert is_person_name("Mohammed Shia al-Sudani", countries)
    assert not is_person_name("Prime Minister", countries)
    assert not is_person_name("Iraqi", countries)
    assert is_organization_name("Popular Mobilization Forces", countries)
    assert not is_organization_name("Government", countries)


@pytest.mark.unit
def test_organization_types_follow_the_words_of_the_name() -> None:
    assert organization_type("Kataib Hezbollah Brigades") == "group"
    assert organization_type("Interior Ministry") == "government"
    assert organization_type("Reuters News") == "organization"
    assert has_org_word("Bank of England") and not has_org_word("Sylvain Ekenge")
    assert initials("Lebanese Armed Forces") == "LAF"


@pytest.mark.unit
def test_laws_storms_and_named_facilities_do_not_act(gazetteer: Gazetteer) -> None:
    text = "The Patriot Act passed. Storm Daniel hit. The Mosul Dam held. He posted on Telegram."
    assert is_non_actor_name(text, 4, 15, gazetteer)
    assert is_non_actor_name(text, 24, 36, gazetteer)
    assert is_non_actor_name(text, text.index("Mosul"), text.index(" held"), gazetteer)
    assert is_non_actor_name(text, text.index("Telegram"), len(text) - 1, gazetteer)


@pytest.mark.unit
def test_a_name_a_park_follows_does_not_act(gazetteer: Gazetteer) -> None:
    text = "They flew from the Garamba national park. Garamba Holdings said so."
    assert is_non_actor_name(text, text.index("Garamba"), text.index(" national"), gazetteer)
    assert not is_non_actor_name(text, text.rindex("Garamba"), text.index(" said"), gazetteer)


@pytest.mark.unit
def test_leading_titles_are_stripped_off_a_name() -> None:
    text = "President Joe Biden"
    assert text[strip_leading_titles(text, 0, len(text)) :] == "Joe Biden"
