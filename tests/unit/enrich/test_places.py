"""Place resolution by the article's own evidence, on the real gazetteer (the spaCy model is not needed)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from pipeline.enrich.entities import Entity
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.listed_areas import listed_areas
from pipeline.enrich.places import (
    PlaceMention,
    context_countries,
    find_place_mentions,
    has_locative_cue,
    is_toponym,
    name_cues,
)
from pipeline.enrich.resolution import resolve_places


def resolved(text: str, names: list[str], gazetteer: Gazetteer) -> dict[str, tuple[int, str | None, str]]:
    """Each name, tagged GPE where the text has it, resolved as enrich does (with the text's listed areas):
    surface -> (geonameid, country, feature)."""
    entities = [
        Entity(match.start(), match.end(), "GPE") for name in names for match in re.finditer(re.escape(name), text)
    ]
    mentions, signals = find_place_mentions(text, entities, [], gazetteer, area_spans=listed_areas(text))
    return {
        p.location.name: (p.location.geonameid, p.location.country_code, p.location.feature)
        for p in resolve_places(mentions, gazetteer, signals)
    }


@pytest.mark.unit
def test_divisions_outside_the_us_beat_their_namesake_towns(gazetteer: Gazetteer) -> None:
    text = "Ontario and Queensland sent aid; England and Scotland played; Tasmania burned."

    found = resolved(text, ["Ontario", "Queensland", "England", "Scotland", "Tasmania"], gazetteer)

    assert found["Ontario"] == (6093943, "CAN", "admin1")
    assert found["Queensland"] == (2152274, "AUS", "admin1")
    assert found["England"][1:] == ("GBR", "admin1") and found["Scotland"][1:] == ("GBR", "admin1")
    assert found["Tasmania"] == (2147291, "AUS", "admin1")


@pytest.mark.unit
def test_a_large_city_beats_the_division_of_its_name_and_an_area_word_picks_the_division(
    gazetteer: Gazetteer,
) -> None:
    assert resolved("Shelling hit Aleppo overnight.", ["Aleppo"], gazetteer)["Aleppo"][0] == 170063
    assert resolved("Shelling hit Idlib overnight.", ["Idlib"], gazetteer)["Idlib"] == (169389, "SYR", "city")
    assert resolved("Shelling hit Idlib province.", ["Idlib"], gazetteer)["Idlib"] == (169387, "SYR", "admin1")


@pytest.mark.unit
def test_city_state_and_city_country_pin_the_namesake(gazetteer: Gazetteer) -> None:
    text = "He moved from Dublin, Ohio to Paris, Tennessee, then to Atlanta, Georgia."

    found = resolved(text, ["Dublin", "Ohio", "Paris", "Tennessee", "Atlanta", "Georgia"], gazetteer)

    assert found["Dublin"][1] == "USA" and found["Paris"][1] == "USA"
    assert found["Georgia"] == (4197000, "USA", "admin1")  # the state that holds Atlanta, not the country


@pytest.mark.unit
def test_a_division_is_not_lost_to_a_small_town_of_the_article_country(gazetteer: Gazetteer) -> None:
    text = "Storms hit Atlanta and Chicago. Relatives in Scotland sent word."

    found = resolved(text, ["Atlanta", "Chicago", "Scotland"], gazetteer)

    assert found["Scotland"] == (2638360, "GBR", "admin1")


@pytest.mark.unit
def test_continents_are_areas_and_world_regions_are_no_place(gazetteer: Gazetteer) -> None:
    found = resolved("Leaders from Africa and the Middle East met.", ["Africa", "Middle East"], gazetteer)

    assert found == {"Africa": (6255146, None, "other")}


@pytest.mark.unit
def test_the_other_towns_of_the_article_pick_the_state_of_an_ambiguous_one(gazetteer: Gazetteer) -> None:
    nebraska = resolved(
        "Crews from Norfolk, Neligh and Pierce fought the fire.", ["Norfolk", "Neligh", "Pierce"], gazetteer
    )
    alone = resolved("Norfolk police said.", ["Norfolk"], gazetteer)

    assert nebraska["Norfolk"] == (5073965, "USA", "city")  # Norfolk, Nebraska, beside two Nebraska towns
    assert alone["Norfolk"] == (4776222, "USA", "city")  # the larger Norfolk, Virginia


@pytest.mark.unit
def test_a_large_city_keeps_its_state_when_a_neighbour_state_has_more_towns(gazetteer: Gazetteer) -> None:
    text = "Flights from Louisville to Nashville, Tennessee, and Lexington, Kentucky."

    found = resolved(text, ["Louisville", "Nashville", "Tennessee", "Lexington", "Kentucky"], gazetteer)

    assert found["Louisville"] == (4299276, "USA", "city")


@pytest.mark.unit
def test_a_county_is_a_place_and_its_bare_alias_leaves_the_state_and_the_town_alone(gazetteer: Gazetteer) -> None:
    county = resolved(
        "Deputies in Laurel County arrested a London man, Kentucky State Police said.",
        ["Laurel County", "London"],
        gazetteer,
    )
    states = resolved("Voters in Delaware and Maryland went to the polls.", ["Delaware", "Maryland"], gazetteer)

    assert county["Laurel County"] == (4297480, "USA", "other")
    assert county["London"] == (4298960, "USA", "city")  # London, Kentucky, in the county's state
    assert states["Delaware"] == (4142224, "USA", "admin1")  # not Delaware County, Ohio
    assert states["Maryland"] == (4361885, "USA", "admin1")  # not Maryland City


@pytest.mark.unit
def test_a_country_name_beats_municipalities_abroad_and_a_company_is_no_municipality(gazetteer: Gazetteer) -> None:
    found = resolved("Migrants crossed from Venezuela into Colombia.", ["Venezuela", "Colombia"], gazetteer)

    assert found["Colombia"] == (3686110, "COL", "country")  # not Colômbia, a municipality in Brazil
    assert not gazetteer.is_place_name("Honda", 1_000_000)  # Honda, Colombia, has 28,000 people


@pytest.mark.unit
def test_a_town_before_a_noun_for_its_residents_is_a_place_and_a_common_word_is_not(gazetteer: Gazetteer) -> None:
    text = "Police in Indiana said a 24-year-old Elkhart man was charged. Many residents agreed; many did not."

    found = resolved(text, ["Indiana"], gazetteer)

    assert set(found) == {"Indiana", "Elkhart"}
    assert found["Elkhart"][1:] == ("USA", "city")


@pytest.mark.unit
def test_a_name_the_text_says_is_a_county_is_the_county_not_the_town(gazetteer: Gazetteer) -> None:
    text = "Home sales rose in Georgia, in Walton and Oconee counties."
    entities = [Entity(text.index("Georgia"), text.index("Georgia") + 7, "GPE")]
    walton = (text.index("Walton"), text.index("Walton") + 6)
    oconee = (text.index("Oconee"), text.index("Oconee") + 6)

    mentions, signals = find_place_mentions(text, entities, [walton], gazetteer, area_spans=[walton, oconee])
    found = {p.location.name: p.location for p in resolve_places(mentions, gazetteer, signals)}

    assert found["Walton"].canonical == "Walton County" and found["Walton"].feature == "other"
    assert found["Oconee"].canonical == "Oconee County" and found["Walton"].country_code == "USA"


@pytest.mark.unit
def test_a_trailing_area_word_is_no_part_of_the_name_and_a_common_noun_no_place(gazetteer: Gazetteer) -> None:
    text = "A blast hit Hangzhou in Zhejiang province; the metro was spared."

    found = resolved(text, ["Hangzhou", "Zhejiang province", "metro"], gazetteer)

    assert set(found) == {"Hangzhou", "Zhejiang"}
    assert found["Zhejiang"][1:] == ("CHN", "admin1")


@pytest.mark.unit
def test_a_namesake_near_the_articles_other_places_beats_a_larger_one(gazetteer: Gazetteer) -> None:
    near = resolved("An Alexandria man was hurt in a crash near Osakis.", ["Alexandria", "Osakis"], gazetteer)
    alone = resolved("An Alexandria man was hurt in a crash.", ["Alexandria"], gazetteer)

    assert near["Alexandria"] == (5016108, "USA", "city")  # Alexandria, Minnesota, 20 km from Osakis
    assert alone["Alexandria"][1] == "EGY"


@pytest.mark.unit
def test_proximity_does_not_move_a_place_abroad(gazetteer: Gazetteer) -> None:
    found = resolved("Fans in Redding and California cheered.", ["Redding", "California"], gazetteer)

    assert found["California"] == (5332921, "USA", "admin1")  # not the Scottish village beside a Redding
    assert found["Redding"][1] == "USA"


@pytest.mark.unit
def test_a_town_named_like_a_country_wins_when_the_article_is_about_its_surroundings(gazetteer: Gazetteer) -> None:
    names = ["Lebanon", "Boone County", "Zionsville", "Syria"]
    local = resolved("A Lebanon man was held in the Boone County Jail after a stop in Zionsville.", names, gazetteer)
    abroad = resolved("Lebanon and Syria closed the border, a Zionsville family said.", names, gazetteer)

    county = resolved("A Lebanon man was held in the Boone County Jail.", names, gazetteer)

    assert local["Lebanon"] == (4922673, "USA", "city")  # Lebanon, Indiana, seat of Boone County
    assert county["Lebanon"] == (4922673, "USA", "city") and county["Boone County"][1] == "USA"
    assert county["Boone County"][0] == 4918273  # the Boone County around Lebanon, Indiana
    assert abroad["Lebanon"] == (272103, "LBN", "country")


@pytest.mark.unit
def test_a_list_ended_by_a_plural_area_word_names_divisions(gazetteer: Gazetteer) -> None:
    names = ["Becker", "Clay", "Mahnomen", "Wilkin", "Douglas"]
    listed = resolved("Flooding closed roads in Becker, Clay, Mahnomen and Wilkin counties.", names, gazetteer)
    bare = resolved("Flooding closed roads in Douglas.", names, gazetteer)

    assert {found[2] for found in listed.values()} == {"other"}  # each a county, none a town named so
    assert listed["Clay"] == (5021444, "USA", "other")  # Clay County, Minnesota, beside its neighbours
    assert bare["Douglas"][2] == "city"


@pytest.mark.unit
def test_a_state_used_as_a_state_is_not_exchanged_for_its_seat(gazetteer: Gazetteer) -> None:
    names = ["New York", "Rego Park", "Missouri", "Virginia", "Idlib", "Hama"]
    qualifying = resolved("The airline, based in Rego Park, New York, will fly.", names, gazetteer)
    listed = resolved("Singers came from Missouri, New York and Virginia.", names, gazetteer)
    border = resolved("Tolls end at the New York border.", names, gazetteer)
    bare = resolved("He flew to New York on Monday.", names, gazetteer)
    syria = resolved("Shelling hit Idlib, Hama and Aleppo.", [*names, "Aleppo"], gazetteer)

    assert qualifying["New York"] == listed["New York"] == border["New York"] == (5128638, "USA", "admin1")
    assert bare["New York"] == (5128581, "USA", "city")
    assert syria["Hama"][2] == syria["Aleppo"][2] == "city"  # cities of their own beside their governorates


@pytest.mark.unit
def test_a_tagged_town_whose_namesakes_share_one_country_places_the_article_there(gazetteer: Gazetteer) -> None:
    text = "Driver injured in Nokomis crash. An Alexandria man was hurt; Nokomis Smith said."
    town, city = text.index("Nokomis"), text.index("Alexandria")
    person = text.index("Nokomis Smith")

    assert context_countries(text, [], gazetteer, [Entity(town, town + 7, "GPE")]) == frozenset(["USA"])
    assert context_countries(text, [], gazetteer, [Entity(city, city + 10, "GPE")]) == frozenset()
    assert context_countries(text, [], gazetteer, [Entity(person, person + 7, "PERSON")]) == frozenset()


@pytest.mark.unit
def test_of_after_a_persons_name_or_age_says_where_the_person_lives(gazetteer: Gazetteer) -> None:
    text = (
        "In Georgia, Rebecca Sears, 41, of Grovetown, spoke and Mindy Miller of Ravenel agreed; "
        "Friends of Lindsay did not."
    )
    people = [(text.index(name), text.index(name) + len(name)) for name in ("Rebecca Sears", "Mindy Miller")]
    entities = [Entity(text.index("Georgia"), text.index("Georgia") + 7, "GPE")]
    entities += [Entity(start, end, "PERSON") for start, end in people]

    mentions, _ = find_place_mentions(text, entities, people, gazetteer)

    assert [m.surface for m in mentions] == ["Georgia", "Grovetown", "Ravenel"]


@pytest.mark.unit
def test_a_name_listed_after_a_tagged_place_is_a_place_and_a_lone_town_after_in_needs_no_country(
    gazetteer: Gazetteer,
) -> None:
    listed = "Plans could damage Bicester and Kidlington, said Sherman and Jones."
    cues = name_cues([Entity(listed.index("Bicester"), listed.index("Bicester") + 8, "GPE")])
    crash = "Driver injured in Nokomis crash."
    nokomis = crash.index("Nokomis")

    assert has_locative_cue(listed, listed.index("Kidlington"), cues)
    assert not has_locative_cue(listed, listed.index("Jones"), cues)
    assert not has_locative_cue(listed, listed.index("Kidlington"))
    assert is_toponym(crash, nokomis, nokomis + 7, gazetteer, frozenset())
    assert not is_toponym(crash, nokomis, nokomis + 7, gazetteer, frozenset(["GBR"]))


@pytest.mark.unit
def test_a_compass_word_before_a_place_the_gazetteer_knows_is_no_part_of_its_name(gazetteer: Gazetteer) -> None:
    text = "Storms hit Northeast Georgia and West Wichita, not North Carolina nor West Street."

    found = resolved(text, ["Northeast Georgia", "West Wichita", "North Carolina", "West Street"], gazetteer)

    assert set(found) == {"Georgia", "Wichita", "North Carolina"}
    assert found["Georgia"][1:] == ("USA", "admin1")


@pytest.mark.unit
def test_a_small_namesake_the_label_left_out_wins_beside_its_neighbours(gazetteer: Gazetteer) -> None:
    text = "Harlem police and Columbia County deputies searched Grovetown."
    entities = [Entity(0, 6, "LOC"), Entity(18, 32, "GPE"), Entity(52, 61, "GPE")]

    mentions, signals = find_place_mentions(text, entities, [], gazetteer)
    found = {p.location.name: p.location for p in resolve_places(mentions, gazetteer, signals)}

    assert found["Harlem"].geonameid == 4199219  # Harlem, Georgia (3,000 people), not Harlem in New York City
    assert resolved("Crews in Douglas and Sarpy worked near Omaha.", ["Douglas", "Omaha"], gazetteer)["Douglas"] == (
        5067114,
        "USA",
        "other",
    )  # the county around Omaha by its bare name; alone "Douglas" stays a town (above)


@pytest.mark.unit
def test_a_possessive_is_the_same_name_and_lends_no_proximity_to_itself(gazetteer: Gazetteer) -> None:
    text = "A Richmond man was held in the Madison County jail; the City of Richmond’s garage was robbed."
    start = text.index("Richmond’s")
    mentions = [
        PlaceMention(2, 10, "Richmond", 0),
        PlaceMention(31, 45, "Madison County", 0),
        PlaceMention(start, start + 10, "Richmond’s", 0),
    ]

    found = resolve_places(mentions, gazetteer, Counter())

    richmond = [p.location for p in found if p.location.name.startswith("Richmond")]
    assert len(richmond) == 1 and richmond[0].mentions == 2
    assert (richmond[0].geonameid, richmond[0].feature) == (4305974, "city")  # Richmond, Kentucky


@pytest.mark.unit
def test_a_town_abroad_yields_to_a_namesake_near_a_story_mostly_about_its_country(gazetteer: Gazetteer) -> None:
    names = ["Anderson County", "Palestine", "Grapeland", "Georgetown", "France", "Paris", "Kentucky"]
    local = resolved(
        "An Anderson County jury indicted a Mexican national held in Palestine before Grapeland police found him.",
        names,
        gazetteer,
    )
    french = resolved(
        "A Georgetown doctor in France saw the attack in Paris, near her home in Kentucky.", names, gazetteer
    )

    assert local["Palestine"] == (4717232, "USA", "city")  # Palestine, Texas, the seat of Anderson County
    assert french["Paris"] == (2988507, "FRA", "city")  # the article names France: no Paris, Kentucky


@pytest.mark.unit
def test_a_towns_surroundings_are_the_town_and_a_listed_county_stays_the_county(gazetteer: Gazetteer) -> None:
    names = ["Charlotte", "Huntersville", "Fort Mill", "Geauga", "Medina", "Cleveland"]
    region = resolved("Parks in the Charlotte region draw workers from Huntersville and Fort Mill.", names, gazetteer)
    listed = resolved("Malls in Geauga and Medina counties draw shoppers from Cleveland.", names, gazetteer)

    assert region["Charlotte"] == (4460243, "USA", "city")  # not Charlotte County, Florida
    assert listed["Medina"] == (5162517, "USA", "other")  # Medina County, Ohio, not the town of Medina


@pytest.mark.unit
def test_choices_are_revised_until_they_settle(gazetteer: Gazetteer) -> None:
    names = ["Texas", "Canada", "Ontario", "Michigan", "Houston", "Montreal", "Mount Pleasant", "Greenville", "Dallas"]
    text = (
        "The Texas firm, which also works in Canada, Ontario and Michigan, moved to Houston; a Montreal rival "
        "followed. It hired staff in Mount Pleasant, Greenville and Dallas."
    )

    found = resolved(text, names, gazetteer)

    assert found["Houston"] == (4699066, "USA", "city") and found["Dallas"] == (4684888, "USA", "city")
    assert found["Mount Pleasant"] == (4712933, "USA", "city")  # Mount Pleasant, Texas, once Houston is settled


@pytest.mark.unit
def test_a_governor_or_a_government_after_the_name_makes_it_the_division(gazetteer: Gazetteer) -> None:
    governor = resolved("Former New York Gov. Mario Cuomo died on Thursday.", ["New York"], gazetteer)
    government = resolved(
        "Mayors asked the Quebec government to allow right turns, legal in Quebec since 2003.", ["Quebec"], gazetteer
    )
    bare = resolved("Turning right became legal in Quebec in 2003.", ["Quebec"], gazetteer)

    assert governor["New York"] == (5128638, "USA", "admin1")
    assert government["Quebec"] == (6115047, "CAN", "admin1")  # every mention of the name, not only the first
    assert bare["Quebec"] == (6325494, "CAN", "city")


@pytest.mark.unit
def test_a_row_keeps_a_written_form_its_canonical_name_does_not_record(gazetteer: Gazetteer) -> None:
    once, twice = PlaceMention(0, 13, "United States", 0), PlaceMention(50, 63, "United States", 0)
    tied = resolve_places([once, PlaceMention(30, 34, "U.S.", 0)], gazetteer, Counter())
    most = resolve_places([once, PlaceMention(30, 34, "U.S.", 0), twice], gazetteer, Counter())

    assert [(p.location.name, p.location.canonical, p.location.mentions) for p in tied] == [
        ("U.S.", "United States", 2)
    ]
    assert [(p.location.name, p.location.mentions) for p in most] == [("United States", 3)]  # most written
