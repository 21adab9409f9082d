"""NER spans sorted into people, organizations and places, from literal entities (no model)."""

from __future__ import annotations

import pytest

from pipeline.enrich.candidates import ner_candidates
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.entities import Entity, clean_entities
from pipeline.enrich.gazetteer import Gazetteer


def entity(text: str, surface: str, label: str) -> Entity:
    start = text.index(surface)
    return Entity(start, start + len(surface), label)


def surfaces(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


@pytest.mark.unit
def test_an_org_tagged_surname_of_a_named_person_is_a_person(countries: CountryTable, gazetteer: Gazetteer) -> None:
    text = "Bidzina Ivanishvili spoke. Later Ivanishvili left."
    entities = [Entity(0, 19, "PERSON"), Entity(33, 44, "ORG")]

    people, organizations, _ = ner_candidates(text, entities, [(0, len(text))], [], countries, gazetteer, frozenset())

    assert surfaces(text, people) == ["Bidzina Ivanishvili", "Ivanishvili"] and organizations == []


@pytest.mark.unit
def test_titles_are_stripped_and_claimed_spans_skipped(countries: CountryTable, gazetteer: Gazetteer) -> None:
    text = "President Joe Biden met the Red Cross."
    entities = [entity(text, "President Joe Biden", "PERSON"), entity(text, "Red Cross", "ORG")]
    claimed = [(text.index("Red Cross"), text.index("Red Cross") + 9)]

    people, organizations, _ = ner_candidates(
        text, entities, [(0, len(text))], claimed, countries, gazetteer, frozenset()
    )

    assert surfaces(text, people) == ["Joe Biden"] and organizations == []


@pytest.mark.unit
def test_a_large_city_tagged_person_is_no_person(countries: CountryTable, gazetteer: Gazetteer) -> None:
    text = "Talks in Baghdad, Tehran ended."
    entities = [entity(text, "Baghdad, Tehran", "PERSON")]

    people, _, places = ner_candidates(text, entities, [(0, len(text))], [], countries, gazetteer, frozenset())

    assert people == [] and surfaces(text, places) == ["Baghdad", "Tehran"]


@pytest.mark.unit
def test_places_in_place_context_and_typed_names_by_their_neighbours(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = (
        "Fighting flared north of Goma. Congo's army spokesman, Major General Sylvain Ekenge, said so. "
        "The rights group Foro Penal counted 40. Writing by Tom Hall"
    )
    entities = [
        entity(text, "Goma", "PERSON"),
        entity(text, "Major General Sylvain Ekenge", "ORG"),
        entity(text, "Foro Penal", "PERSON"),
        entity(text, "Writing", "ORG"),
    ]

    people, organizations, places = ner_candidates(
        text, entities, [(0, len(text))], [], countries, gazetteer, frozenset()
    )

    assert surfaces(text, people) == ["Sylvain Ekenge"]
    assert surfaces(text, organizations) == ["Foro Penal"]
    assert surfaces(text, places) == ["Goma"]


def sorted_out(
    text: str, entities: list[Entity], countries: CountryTable, gazetteer: Gazetteer
) -> tuple[list[str], ...]:
    found = ner_candidates(text, entities, [(0, len(text))], [], countries, gazetteer, frozenset())
    return tuple(surfaces(text, spans) for spans in found)


def spans_of(text: str, labelled: list[tuple[int, str, str]]) -> list[Entity]:
    """Entities from (occurrence, surface, label): the n-th occurrence of the surface in the text."""
    found = []
    for occurrence, surface, label in labelled:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(surface, start + 1)
        found.append(Entity(start, start + len(surface), label))
    return found


@pytest.mark.unit
def test_company_forms_and_organization_nouns_beat_the_person_label(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "PT Tambang Timah traded. Timah rose. Homestake Mining Co led; Homestake said. The group Radiometer H1 grew."
    entities = spans_of(
        text,
        [
            (0, "Tambang Timah", "PERSON"),
            (1, "Timah", "ORG"),
            (0, "Homestake Mining Co", "ORG"),
            (1, "Homestake", "PERSON"),
            (0, "Radiometer", "ORG"),
        ],
    )

    people, organizations, _ = sorted_out(text, entities, countries, gazetteer)

    assert people == []
    assert organizations == ["Tambang Timah", "Timah", "Homestake Mining Co", "Homestake", "Radiometer"]


@pytest.mark.unit
def test_common_words_are_no_names(countries: CountryTable, gazetteer: Gazetteer) -> None:
    text = "GUNMEN KILL TWO.\nTwo gunmen fled.\nSteer 80-90 up.\nPrices for a steer rose, said Ann Lee."
    entities = [entity(text, "GUNMEN", "ORG"), entity(text, "Steer", "PERSON"), entity(text, "Ann Lee", "PERSON")]

    assert sorted_out(text, entities, countries, gazetteer)[:2] == (["Ann Lee"], [])


@pytest.mark.unit
def test_headings_of_words_the_article_writes_in_lower_case_are_no_names(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = (
        "Prices of slaughter steers and heifers were light.\nSlaughter Heifers 80-90 up.\nSteer 70 down.\n"
        "Prices hit a new mark, said Mark Price.\nWorld Trade Organisation rules bind all trade organisations."
    )
    entities = [
        entity(text, "Slaughter Heifers", "PERSON"),
        entity(text, "Steer", "PERSON"),
        entity(text, "Mark Price", "PERSON"),
        entity(text, "World Trade Organisation", "ORG"),
    ]

    assert sorted_out(text, entities, countries, gazetteer)[:2] == (["Mark Price"], ["World Trade Organisation"])


@pytest.mark.unit
def test_a_shouted_headline_name_the_article_never_repeats_is_no_name(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "RADIO ROMANIA AFTER CONDITIONS WORSENS\nPRAGUE\nRadio Romania said so.\nFSA INSURED\n"
    entities = [
        entity(text, "RADIO ROMANIA", "ORG"),
        entity(text, "CONDITIONS WORSENS", "ORG"),
        entity(text, "Radio Romania", "ORG"),
        entity(text, "FSA", "ORG"),
    ]

    assert sorted_out(text, entities, countries, gazetteer)[1] == ["RADIO ROMANIA", "Radio Romania", "FSA"]


@pytest.mark.unit
def test_an_org_tagged_person_named_elsewhere_loses_its_title(countries: CountryTable, gazetteer: Gazetteer) -> None:
    text = "The court convicted General Antoine Lahd on Friday. Lahd left."
    entities = [entity(text, "General Antoine Lahd", "ORG"), entity(text, "Lahd", "PERSON")]

    assert sorted_out(text, entities, countries, gazetteer)[0] == ["Antoine Lahd", "Lahd"]


@pytest.mark.unit
def test_a_name_tagged_person_more_often_than_org_is_a_person(countries: CountryTable, gazetteer: Gazetteer) -> None:
    text = (
        "Lester Lawhon died. They robbed Lester Lawhon's trailer. Police named Lester Lawhon. "
        "Munich Re rose. Munich Re fell. Munich Re's shares slid."
    )
    entities = spans_of(
        text,
        [
            (0, "Lester Lawhon", "PERSON"),
            (1, "Lester Lawhon", "ORG"),
            (2, "Lester Lawhon", "PERSON"),
            (0, "Munich Re", "PERSON"),
            (1, "Munich Re", "PERSON"),
            (2, "Munich Re", "ORG"),
        ],
    )

    people, organizations, _ = sorted_out(text, entities, countries, gazetteer)

    assert people.count("Lester Lawhon") == 3 and organizations == ["Munich Re"]


@pytest.mark.unit
def test_an_org_tagged_acronym_named_like_a_place_only_in_lower_case_is_an_organization(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "On routes where BA and the others compete, fares fell."
    entities = [entity(text, "BA", "ORG")]

    assert sorted_out(text, entities, countries, gazetteer) == ([], ["BA"], [])


@pytest.mark.unit
def test_an_org_tagged_name_with_an_age_or_a_post_after_it_is_a_person(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "In sentencing Darrel Voeks, 38, the judge spoke. Amara Essy of the Ivory Coast, its foreign minister, ran."
    entities = [entity(text, "Darrel Voeks", "ORG"), entity(text, "Amara Essy", "ORG")]

    assert sorted_out(text, entities, countries, gazetteer)[:2] == (["Darrel Voeks", "Amara Essy"], [])


@pytest.mark.unit
def test_a_lone_person_named_like_a_city_is_a_place(countries: CountryTable, gazetteer: Gazetteer) -> None:
    text = "With the arbitrage open Rotterdam is a prime candidate, said Tom Lincoln. Lincoln left."
    entities = [entity(text, "Rotterdam", "PERSON"), entity(text, "Tom Lincoln", "PERSON")]
    lincoln = text.rindex("Lincoln")
    entities.append(Entity(lincoln, lincoln + 7, "PERSON"))

    people, _, places = sorted_out(text, entities, countries, gazetteer)

    assert people == ["Tom Lincoln", "Lincoln"] and places == ["Rotterdam"]


@pytest.mark.unit
def test_a_county_the_model_took_for_a_person_is_a_place(countries: CountryTable, gazetteer: Gazetteer) -> None:
    text = "DANIELSVILLE - Madison County commissioners voted; Linda Park abstained."
    entities = [entity(text, "Madison County", "PERSON"), entity(text, "Linda Park", "PERSON")]

    people, _, places = ner_candidates(text, entities, [(0, len(text))], [], countries, gazetteer, frozenset())

    assert surfaces(text, places) == ["Madison County"] and surfaces(text, people) == ["Linda Park"]


@pytest.mark.unit
def test_a_street_the_words_before_name_so_is_a_place_and_a_lone_lane_a_person(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = (
        "Vanderberg, who lives on Bucknell Drive, met Jay Lane at 420 Augusta St. between Acadia Drive and Sylvan Road."
    )
    names = ["Bucknell Drive", "Jay Lane", "Augusta St.", "Acadia Drive", "Sylvan Road"]
    entities = [entity(text, name, "PERSON") for name in names]

    people, _, places = ner_candidates(text, entities, [(0, len(text))], [], countries, gazetteer, frozenset())

    assert surfaces(text, places) == ["Bucknell Drive", "Augusta St.", "Acadia Drive", "Sylvan Road"]
    assert surfaces(text, people) == ["Jay Lane"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "tagged", "name"),
    [
        ("Japan NTT said it would expand.", "Japan NTT", "NTT"),
        ("The Thai Commerce Ministry said exports rose.", "Thai Commerce Ministry", "Commerce Ministry"),
        (
            "Estonian Tallinna Pank said profit rose. Tallinna Pank is based in Tallinn.",
            "Estonian Tallinna Pank",
            "Tallinna Pank",
        ),
        ("American Airlines said fares would rise.", "American Airlines", "American Airlines"),
    ],
)
def test_a_country_word_before_an_organization_is_cut_off_only_where_it_is_no_part_of_the_name(
    countries: CountryTable, gazetteer: Gazetteer, text: str, tagged: str, name: str
) -> None:
    entities = [entity(text, tagged, "ORG")]
    if "Tallinna Pank is" in text:
        start = text.index("Tallinna Pank is")
        entities.append(Entity(start, start + len("Tallinna Pank"), "ORG"))

    _, organizations, _ = ner_candidates(text, entities, [(0, len(text))], [], countries, gazetteer, frozenset())

    assert surfaces(text, organizations)[0] == name


@pytest.mark.unit
def test_a_person_tagged_name_the_article_calls_a_news_agency_is_an_organization(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "the official Xinhua news agency said. Xinhua added that talks went on."
    tagged = text.index("Xinhua added")
    entities = [entity(text, "Xinhua news agency", "ORG"), Entity(tagged, tagged + 6, "PERSON")]
    entities = clean_entities(text, entities)

    people, organizations, _ = ner_candidates(text, entities, [(0, len(text))], [], countries, gazetteer, frozenset())

    assert people == [] and surfaces(text, organizations) == ["Xinhua", "Xinhua"]


@pytest.mark.unit
def test_a_country_before_a_department_of_something_is_no_part_of_its_name(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "The UK Department of Transport said talks ended."
    entities = [entity(text, "UK Department of Transport", "ORG")]

    _, organizations, _ = ner_candidates(text, entities, [(0, len(text))], [], countries, gazetteer, frozenset())

    assert surfaces(text, organizations) == ["Department of Transport"]


@pytest.mark.unit
def test_a_name_a_place_word_ends_is_a_place_but_for_a_surname_word_or_an_initial(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "Acadia Drive closes. Crews worked by Freeborn Lake; Linda Park and Virginia L. Lane watched."
    names = ["Acadia Drive", "Freeborn Lake", "Linda Park", "Virginia L. Lane"]
    entities = [entity(text, name, "PERSON") for name in names]

    people, _, places = ner_candidates(text, entities, [(0, len(text))], [], countries, gazetteer, frozenset())

    assert surfaces(text, places) == ["Acadia Drive", "Freeborn Lake"]
    assert surfaces(text, people) == ["Linda Park", "Virginia L. Lane"]
