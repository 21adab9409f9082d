"""Place names the gazetteer cannot place are kept as unresolved location rows, unless a rule claimed them."""

from __future__ import annotations

import re

import pytest

from pipeline.enrich.entities import Entity
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.unresolved import read_place_kinds, unresolved_places


def tagged(text: str, names: list[str], label: str = "GPE") -> list[Entity]:
    return [Entity(m.start(), m.end(), label) for name in names for m in re.finditer(re.escape(name), text)]


@pytest.mark.unit
def test_a_county_a_street_and_a_region_become_rows_without_a_point(gazetteer: Gazetteer) -> None:
    text = "Deputies in Laurel County closed Main Street. Laurel County officials said the Middle East can wait."
    entities = (
        tagged(text, ["Laurel County"]) + tagged(text, ["Main Street"], "FAC") + tagged(text, ["Middle East"], "LOC")
    )

    rows = {row.name: row for row in unresolved_places(text, entities, [], gazetteer)}

    assert set(rows) == {"Laurel County", "Main Street", "Middle East"}
    county = rows["Laurel County"]
    assert (county.canonical, county.mentions) == ("Laurel County", 2)
    assert (county.geonameid, county.feature, county.latitude, county.longitude) == (None, None, None, None)


@pytest.mark.unit
def test_a_coast_and_a_gulf_of_a_country_are_places(gazetteer: Gazetteer) -> None:
    text = "Warnings for the Gulf of Mexico and the Pacific Coast; Gulf Coast prices fell."
    entities = tagged(text, ["Gulf of Mexico", "Pacific Coast", "Gulf Coast"], "LOC")

    rows = unresolved_places(text, entities, [], gazetteer)

    assert sorted(row.name for row in rows) == ["Gulf Coast", "Gulf of Mexico", "Pacific Coast"]


@pytest.mark.unit
def test_claimed_spans_agreements_and_months_are_no_unresolved_places(gazetteer: Gazetteer) -> None:
    text = "Under the Pine Valley agreement, signed in May near Otter Creek by the Acme Lake Co, talks resumed."
    entities = tagged(text, ["Pine Valley", "May", "Otter Creek", "Acme Lake"])
    claimed = [(m.start(), m.end()) for m in re.finditer("Acme Lake", text)]

    rows = unresolved_places(text, entities, claimed, gazetteer)

    assert [row.name for row in rows] == ["Otter Creek"]


@pytest.mark.unit
def test_buildings_people_and_other_labels_are_left_out(gazetteer: Gazetteer) -> None:
    text = "At City Hall, Saakashvili met John Smith of the Henderson County Jail; the downtown crowd cheered."
    entities = tagged(text, ["City Hall", "Henderson County Jail"], "FAC") + tagged(text, ["Saakashvili", "downtown"])
    entities += tagged(text, ["John Smith"], "PERSON")

    assert unresolved_places(text, entities, [], gazetteer) == []


@pytest.mark.unit
def test_a_place_kind_word_in_lower_case_makes_no_name(gazetteer: Gazetteer) -> None:
    text = "Aid reached a Pacific island and Lake Lanier."
    entities = tagged(text, ["Pacific island"], "LOC") + tagged(text, ["Lake Lanier"], "LOC")

    assert [row.name for row in unresolved_places(text, entities, [], gazetteer)] == ["Lake Lanier"]


@pytest.mark.unit
def test_two_names_in_one_span_and_a_county_the_model_took_for_a_person(gazetteer: Gazetteer) -> None:
    text = "They met at City Hall on Main Street. DANIELSVILLE - Madison County commissioners voted."
    entities = tagged(text, ["City Hall on Main Street"], "FAC") + tagged(text, ["Madison County"], "PERSON")

    assert unresolved_places(text, entities, [], gazetteer) == []
    assert read_place_kinds().names_an_area("Madison County") and not read_place_kinds().names_an_area("Linda Park")


@pytest.mark.unit
def test_closes_crescents_circles_terraces_stadiums_and_fields_are_places_and_close_and_field_end_names() -> None:
    kinds = read_place_kinds()

    assert all(kinds.names_a_street(name) for name in ("Dunnock Close", "Froom Crescent", "Freeman Circle"))
    assert kinds.names_a_place("Park Terrace") and not kinds.ends_in_a_place_word("Glenn Close")
    assert kinds.ends_in_a_place_word("Cairo Stadium") and not kinds.ends_in_a_place_word("Sally Field")
    assert kinds.names_a_place("Cox Field")
