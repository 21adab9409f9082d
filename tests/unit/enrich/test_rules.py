"""Issue 4's general rules on small literal articles: what analysts see in the actors and locations."""

from __future__ import annotations

import pytest

from pipeline.enrich import Enricher
from pipeline.records import Enrichment
from pipeline.settings import Settings


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher.load(Settings())


def canonicals(enrichment: Enrichment) -> set[str]:
    return {actor.canonical for actor in enrichment.actors}


def places(enrichment: Enrichment) -> dict[str, tuple[int, str, str]]:
    return {loc.name: (loc.geonameid, loc.country_code, loc.feature) for loc in enrichment.locations}


@pytest.mark.unit
def test_country_name_beats_a_same_named_town_even_in_a_us_story(enricher: Enricher) -> None:
    text = "Farmers in Iowa and Texas said US soybean exports to Brazil and Peru fell sharply this spring."

    result = enricher.enrich(text, home_country="USA")

    found = places(result)
    assert found["Brazil"] == (3469034, "BRA", "country")
    assert found["Peru"] == (3932488, "PER", "country")


@pytest.mark.unit
def test_a_qualified_mention_resolves_inside_the_qualifying_place(enricher: Enricher) -> None:
    text = "Students in Moscow, Idaho, held a vigil on Friday. The city should not be confused with Moscow in Russia."

    result = enricher.enrich(text)

    moscows = {(loc.country_code, loc.feature) for loc in result.locations if loc.name == "Moscow"}
    assert moscows == {("USA", "city"), ("RUS", "city")}


@pytest.mark.unit
def test_continents_regions_and_areas_are_not_towns(enricher: Enricher) -> None:
    text = (
        "Leaders from across Africa and the Middle East met in Nairobi. Shelling hit the Kharkiv region "
        "overnight, officials said."
    )

    result = enricher.enrich(text)

    assert places(result)["Africa"] == (6255146, None, "other")  # the continent (no country), no town
    assert places(result)["Middle East"] == (None, None, None)  # a region: a place without a point, no town
    assert all(loc.feature != "city" for loc in result.locations if loc.name == "Kharkiv")  # the oblast if any
    assert places(result)["Nairobi"][1] == "KEN"
    assert "" not in result.countries


@pytest.mark.unit
def test_a_country_written_only_as_a_modifier_is_not_a_location(enricher: Enricher) -> None:
    text = "US troops and Iran-backed militias traded fire near Kirkuk on Sunday, police said."

    result = enricher.enrich(text)

    assert set(places(result)) == {"Kirkuk"}


@pytest.mark.unit
def test_laws_storms_operations_and_weapons_are_not_actors(enricher: Enricher) -> None:
    text = (
        "Tropical Storm Melissa flooded coastal towns. Lawmakers debated the Clean Water Act while "
        "Operation Northern Shield continued, and the army asked for more Patriot missile systems."
    )

    result = enricher.enrich(text)

    assert result.actors == []


@pytest.mark.unit
def test_countries_act_in_lists_relative_clauses_passives_and_through_capitals(enricher: Enricher) -> None:
    text = (
        "Norway and Iceland mediated the talks in Geneva. Chile, which has long supported the plan, offered "
        "help. The final text was drafted by Canada. Ottawa expelled two diplomats on Friday."
    )

    result = enricher.enrich(text)

    countries = {a.canonical for a in result.actors if a.type == "country"}
    assert countries == {"Norway", "Iceland", "Chile", "Canada"}


@pytest.mark.unit
def test_intentions_situations_and_own_security_are_not_country_acts(enricher: Enricher) -> None:
    text = (
        "Finland will seek to protect its borders. Estonia scrambled jets to protect its airspace. "
        "Latvia has historically maintained close relations with Lithuania. Officials in Poland met."
    )

    result = enricher.enrich(text)

    assert [a for a in result.actors if a.type == "country"] == []


@pytest.mark.unit
def test_a_surname_joins_the_full_name_given_earlier(enricher: Enricher) -> None:
    text = (
        "Prime Minister Janek Kowalczyk met union leaders in Warsaw on Monday. Kowalczyk said wages would "
        "rise, and critics accused Kowalczyk of dodging the pension question."
    )

    result = enricher.enrich(text)

    people = [(a.canonical, a.mentions) for a in result.actors if a.type == "person"]
    assert people == [("Janek Kowalczyk", 3)]


@pytest.mark.unit
def test_an_undefined_acronym_joins_the_organization_it_abbreviates(enricher: Enricher) -> None:
    text = "The Kenya Defence Forces deployed troops to the border. The KDF later said the area was calm."

    result = enricher.enrich(text)

    assert canonicals(result) == {"Kenya Defence Forces"}


@pytest.mark.unit
def test_towns_the_model_takes_for_people_are_places_when_the_text_says_so(enricher: Enricher) -> None:
    text = "Ugandan police said floods cut roads near Kasese and in Bundibugyo, where two bridges collapsed."

    result = enricher.enrich(text)

    assert {"Kasese", "Bundibugyo"} <= set(places(result))
    assert not {"Kasese", "Bundibugyo"} & canonicals(result)
