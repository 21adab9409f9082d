"""Enrichment of whole articles through the real spaCy model: what a user of the published rows sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.enrich import Enricher
from pipeline.records import Enrichment
from pipeline.settings import Settings

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "seed"


@pytest.fixture(scope="module")
def enricher() -> Enricher:
    return Enricher.load(Settings())


def canonicals(enrichment: Enrichment) -> set[str]:
    return {actor.canonical for actor in enrichment.actors}


def place(enrichment: Enrichment, name: str) -> tuple[int, str, str]:
    found = [loc for loc in enrichment.locations if loc.name == name]
    assert len(found) == 1, enrichment.locations
    return found[0].geonameid, found[0].country_code, found[0].feature


@pytest.mark.unit
def test_seed_article_matches_expected_actors_and_locations(enricher: Enricher) -> None:
    text = (SAMPLES / "seed_article.txt").read_text(encoding="utf-8")
    expected = json.loads((SAMPLES / "seed_article.expected.json").read_text(encoding="utf-8"))

    result = enricher.enrich(text)

    assert {(a.canonical, a.type, a.country_code, a.role) for a in result.actors} == {
        (a["canonical"], a["type"], a["country_code"], a["role"]) for a in expected["actors"]
    }
    assert {(loc.canonical, loc.geonameid, loc.country_code, loc.feature) for loc in result.locations} == {
        (loc["name"], loc["geonameid"], loc["country_code"], loc["feature"]) for loc in expected["locations"]
    }
    aleppo = next(loc for loc in result.locations if loc.geonameid == 170063)
    assert (aleppo.latitude, aleppo.longitude) == (36.20124, 37.16117)
    assert result.countries == ["IRQ", "SYR", "TUR"]


@pytest.mark.unit
def test_seed_article_counts_every_mention_once(enricher: Enricher) -> None:
    text = (SAMPLES / "seed_article.txt").read_text(encoding="utf-8")

    result = enricher.enrich(text)

    mentions = {actor.canonical: actor.mentions for actor in result.actors}
    assert mentions["Islamic State"] == 5  # three long forms, two later "IS"; "(IS)" defines, not mentions
    assert mentions["Bashar al-Assad"] == 2  # "Bashar al-Assad" and "Assad’s"
    assert {loc.name: loc.mentions for loc in result.locations}["Aleppo"] == 3


@pytest.mark.unit
def test_acronym_defined_in_the_article_resolves_to_its_long_form(enricher: Enricher) -> None:
    text = (
        "The National Unity Front (NUF) held a rally in Nairobi on Saturday. Police said the NUF had no "
        "permit, and it is unclear what the group is planning next."
    )

    result = enricher.enrich(text)

    assert [(a.canonical, a.mentions) for a in result.actors] == [("National Unity Front", 2)]


@pytest.mark.unit
def test_article_defined_acronym_wins_over_the_dictionary(enricher: Enricher) -> None:
    text = "The International Cricket Council (ICC) fined the team on Tuesday. The ICC said the decision is final."

    result = enricher.enrich(text)

    assert canonicals(result) == {"International Cricket Council"}


@pytest.mark.unit
def test_lowercase_is_is_never_the_islamic_state(enricher: Enricher) -> None:
    text = "The situation is tense, and it is not clear who is in charge of the town, a resident said."

    result = enricher.enrich(text)

    assert "Islamic State" not in canonicals(result)


@pytest.mark.unit
def test_dictionary_aliases_merge_into_one_canonical_actor(enricher: Enricher) -> None:
    text = "ISIL fighters attacked a checkpoint near Mosul. Officials blamed Daesh for the assault."

    result = enricher.enrich(text)

    assert [(a.canonical, a.type, a.mentions) for a in result.actors] == [("Islamic State", "group", 2)]


@pytest.mark.unit
def test_possessives_and_surnames_merge_into_the_full_name(enricher: Enricher) -> None:
    text = (
        "Bashar al-Assad fled to Moscow. Assad’s regime collapsed within days, and Assad's allies in Tehran "
        "were caught off guard. Jane Wanjiru, a spokesperson for the police, said 40 people were arrested. "
        "Wanjiru’s office later denied it."
    )

    result = enricher.enrich(text)

    people = {a.canonical: (a.name, a.mentions) for a in result.actors if a.type == "person"}
    assert people == {"Bashar al-Assad": ("Bashar al-Assad", 3), "Jane Wanjiru": ("Jane Wanjiru", 2)}


@pytest.mark.unit
def test_role_and_country_come_from_the_title_and_appositive(enricher: Enricher) -> None:
    text = (
        "Kenyan Interior Minister Kipchumba Murkomen said the curfew would stay. Jane Wanjiru, a "
        "spokesperson for the police, said 40 people were arrested."
    )

    result = enricher.enrich(text)

    assert {(a.canonical, a.country_code, a.role) for a in result.actors} == {
        ("Kipchumba Murkomen", "KEN", "Interior Minister"),
        ("Jane Wanjiru", None, "spokesperson"),
    }


@pytest.mark.unit
def test_tripoli_follows_the_story_country(enricher: Enricher) -> None:
    libya = (
        "Clashes erupted in Tripoli on Monday as rival Libyan militias fought for control of the capital. "
        "The fighting spread toward Benghazi."
    )
    lebanon = "An Israeli strike hit a building in Tripoli, in northern Lebanon, officials said."

    in_libya, in_lebanon = enricher.enrich(libya), enricher.enrich(lebanon)

    assert place(in_libya, "Tripoli") == (2210247, "LBY", "city")
    assert place(in_lebanon, "Tripoli") == (266826, "LBN", "city")


@pytest.mark.unit
def test_georgia_is_the_country_or_the_us_state_by_context(enricher: Enricher) -> None:
    country = "Thousands protested in Tbilisi against the government of Georgia. Georgian police used water cannon."
    state = "Voters in Georgia lined up for hours in Atlanta and Savannah, American pollsters said."

    as_country, as_state = enricher.enrich(country), enricher.enrich(state)

    assert place(as_country, "Georgia") == (614540, "GEO", "country")
    assert place(as_state, "Georgia") == (4197000, "USA", "admin1")


@pytest.mark.unit
def test_dates_laws_quantities_and_adjectives_are_not_actors(enricher: Enricher) -> None:
    text = (
        "On March 3, 2025, parliament passed Article 8 of the new law with 120 votes. The Iraqi constitution "
        "covers about 600 kilometers of border and 3 million people. Islamic scholars in Baghdad welcomed it."
    )

    result = enricher.enrich(text)

    assert result.actors == []
    assert [loc.canonical for loc in result.locations] == ["Baghdad"]


@pytest.mark.unit
def test_place_inside_an_organization_name_is_not_a_location(enricher: Enricher) -> None:
    text = "Joint patrols with the Syrian Democratic Forces continued, the Arab Gulf States Institute reported."

    result = enricher.enrich(text)

    assert result.locations == []
    assert canonicals(result) == {"Syrian Democratic Forces", "Arab Gulf States Institute"}


@pytest.mark.unit
def test_country_is_an_actor_only_when_it_performs_a_sovereign_act(enricher: Enricher) -> None:
    text = "Russia invaded Ukraine in February 2022. Since then, Ukraine has sought more weapons from its allies."

    result = enricher.enrich(text)

    assert [(a.canonical, a.type, a.country_code) for a in result.actors] == [("Russia", "country", "RUS")]


@pytest.mark.unit
def test_enrich_many_gives_the_same_results_as_enrich(enricher: Enricher) -> None:
    texts = [
        (SAMPLES / "seed_article.txt").read_text(encoding="utf-8"),
        "Clashes erupted in Tripoli as Libyan militias fought.",
        "",
        "Voters in Georgia lined up in Atlanta.",
    ]
    homes = ["USA", None, None, "GEO"]

    batched = enricher.enrich_many(texts, home_countries=homes)

    assert batched == [enricher.enrich(text, home_country=home) for text, home in zip(texts, homes, strict=True)]


@pytest.mark.unit
def test_enrich_many_rejects_mismatched_home_countries(enricher: Enricher) -> None:
    with pytest.raises(ValueError, match="home_countries"):
        enricher.enrich_many(["a", "b"], home_countries=["USA"])


@pytest.mark.unit
def test_an_organization_named_after_a_place_does_not_vote_for_its_namesake_country(enricher: Enricher) -> None:
    text = (
        "ATLANTA - A dialing code linking needy Georgia residents with social services could expand, United Way "
        "officials said. If approved by the Georgia Public Service Commission, the expansion would reach rural "
        "counties. Texas has a similar line."
    )

    result = enricher.enrich(text)

    assert place(result, "Georgia") == (4197000, "USA", "admin1")
    assert place(result, "ATLANTA") == (4180439, "USA", "city")


@pytest.mark.unit
def test_an_organization_named_after_a_state_votes_for_the_state(enricher: Enricher) -> None:
    named = enricher.enrich("Springfield police closed the road, the Illinois Department of Transportation said.")
    bare = enricher.enrich("Springfield police closed the road, officials said.")

    assert place(named, "Springfield") == (4250542, "USA", "city")  # Springfield, Illinois
    assert place(bare, "Springfield")[0] != 4250542


@pytest.mark.unit
def test_a_state_named_like_a_smaller_country_votes_through_its_organizations(enricher: Enricher) -> None:
    named = enricher.enrich("An Albany police team and Georgia Bureau of Investigation agents raided a home.")
    bare = enricher.enrich("An Albany police team raided a home.")

    assert place(named, "Albany") == (4179320, "USA", "city")  # Albany, Georgia
    assert place(bare, "Albany")[0] != 4179320
