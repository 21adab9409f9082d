"""Issue 4's recall rules on invented articles: countries that act, state bodies named by pattern, parties."""

from __future__ import annotations

import pytest

from pipeline.enrich import Enricher
from pipeline.records import Actor, Enrichment
from pipeline.settings import Settings


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher.load(Settings())


def by_canonical(enrichment: Enrichment) -> dict[str, Actor]:
    return {actor.canonical: actor for actor in enrichment.actors}


def countries_acting(enrichment: Enrichment) -> set[str]:
    return {actor.canonical for actor in enrichment.actors if actor.type == "country"}


@pytest.mark.unit
def test_a_country_opening_a_sentence_acts_like_any_other_subject(enricher: Enricher) -> None:
    text = "Floods swept through the valley overnight. Chile, Peru and Uruguay offered rescue teams on Monday."

    result = enricher.enrich(text)

    assert {"Chile", "Peru", "Uruguay"} <= countries_acting(result)


@pytest.mark.unit
def test_a_relative_clause_between_country_and_verb_is_skipped(enricher: Enricher) -> None:
    text = (
        "Norway, which shares a long northern border with Sweden and hosts several allied radar stations in the "
        "Arctic, said on Friday it had expelled three Iranian diplomats."
    )

    result = enricher.enrich(text)

    assert "Norway" in countries_acting(result)
    assert "Sweden" not in countries_acting(result)


@pytest.mark.unit
def test_an_act_in_a_later_subordinate_clause_belongs_to_its_own_subject(enricher: Enricher) -> None:
    text = "Laos has been in economic crisis since the army seized the central bank's reserves in 2023."

    result = enricher.enrich(text)

    assert countries_acting(result) == set()


@pytest.mark.unit
def test_elided_and_accompanying_acts_count_for_every_country(enricher: Enricher) -> None:
    text = (
        "Spain does not recognise the breakaway republic, and neither do Greece and Cyprus. "
        "Brazil and Chile voted against the motion, along with Mexico and several Caribbean states."
    )

    result = enricher.enrich(text)

    assert {"Spain", "Greece", "Cyprus", "Brazil", "Chile", "Mexico"} <= countries_acting(result)


@pytest.mark.unit
def test_a_country_name_before_a_noun_is_a_modifier_not_a_subject(enricher: Enricher) -> None:
    text = "Peru buys most of its wheat from the United States. The US ambassador in Lima said talks would resume."

    result = enricher.enrich(text)

    assert countries_acting(result) == set()


@pytest.mark.unit
def test_the_kremlin_stands_for_russia_only_where_it_acts(enricher: Enricher) -> None:
    acting = enricher.enrich("The Kremlin said on Tuesday it had expelled two Estonian diplomats.")
    modifier = enricher.enrich("Kremlin spokesman Dmitry Peskov declined to comment on the talks in Geneva.")

    assert by_canonical(acting)["Russia"].type == "country"
    assert "Kremlin" not in by_canonical(acting)
    assert "Russia" not in by_canonical(modifier) and "Kremlin" not in by_canonical(modifier)


@pytest.mark.unit
def test_ministries_named_by_their_portfolio_are_government_actors_of_their_country(enricher: Enricher) -> None:
    text = (
        "Protesters clashed with police in Lima, Peru's capital, on Sunday. The interior ministry said 40 people "
        "were arrested. In La Paz, the Bolivian defence ministry said troops had been placed on alert."
    )

    actors = by_canonical(enricher.enrich(text))

    interior = actors["Ministry of Interior of Peru"]
    assert (interior.name, interior.type, interior.country_code) == ("interior ministry", "government", "PER")
    defence = actors["Ministry of Defence of Bolivia"]
    assert (defence.name, defence.country_code) == ("Bolivian defence ministry", "BOL")


@pytest.mark.unit
def test_a_country_name_before_a_state_body_names_that_body(enricher: Enricher) -> None:
    text = "Kenya police fired tear gas at protesters in Nairobi, and the Ghana mission to the UN condemned it."

    actors = by_canonical(enricher.enrich(text))

    assert (actors["Kenya Police"].type, actors["Kenya Police"].country_code) == ("government", "KEN")
    assert actors["Ghana Mission"].country_code == "GHA"


@pytest.mark.unit
def test_state_bodies_take_the_state_the_text_last_named(enricher: Enricher) -> None:
    text = (
        "Ohio Governor Mike DeWine signed an emergency order on Monday and said the state legislature would "
        "vote on relief funds for farmers next month."
    )

    actors = by_canonical(enricher.enrich(text))

    legislature = actors["State Legislature of Ohio"]
    assert (legislature.name, legislature.type, legislature.country_code) == ("state legislature", "government", "USA")


@pytest.mark.unit
def test_a_lone_legislature_is_the_one_of_the_country_the_article_is_about(enricher: Enricher) -> None:
    text = (
        "Chile's President Gabriel Boric sent a pension reform bill to the Senate on Tuesday. Chilean unions "
        "said the plan did not go far enough."
    )

    actors = by_canonical(enricher.enrich(text))

    senate = actors["Senate of Chile"]
    assert (senate.name, senate.type, senate.country_code) == ("Senate", "government", "CHL")


@pytest.mark.unit
def test_a_lone_legislature_joins_the_dictionary_body_of_that_country(enricher: Enricher) -> None:
    text = "The US Treasury said on Monday that only Congress can raise the debt limit, and US lawmakers agreed."

    actors = by_canonical(enricher.enrich(text))

    assert actors["US Congress"].type == "government"
    assert "Congress of United States" not in actors


@pytest.mark.unit
def test_the_junta_is_the_military_government_of_the_article_country(enricher: Enricher) -> None:
    text = (
        "Guinea's opposition boycotted talks in Conakry on Friday, saying the junta had not set an election "
        "date. Guinean soldiers patrolled the capital."
    )

    actors = by_canonical(enricher.enrich(text))

    junta = actors["Guinea military government"]
    assert (junta.name, junta.type, junta.country_code) == ("junta", "government", "GIN")


@pytest.mark.unit
def test_an_administration_named_after_its_leader_is_a_government_not_a_person(enricher: Enricher) -> None:
    text = "The Biden administration announced new export controls on Thursday, officials in Washington said."

    actors = by_canonical(enricher.enrich(text))

    assert actors["Biden administration"].type == "government"
    assert not any(actor.type == "person" for actor in actors.values())


@pytest.mark.unit
def test_party_labels_name_the_party_but_not_inside_place_names(enricher: Enricher) -> None:
    party = enricher.enrich(
        "Senator Jane Holloway, a Republican, said on Tuesday that Democrats had blocked the farm bill in Ohio."
    )
    place = enricher.enrich("Fighting displaced thousands in the Democratic Republic of Congo, aid groups said.")

    actors = by_canonical(party)
    assert actors["Republican Party"].country_code == "USA"
    assert actors["Democratic Party"].type == "organization"
    assert "Democratic Party" not in by_canonical(place)
