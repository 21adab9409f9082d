"""Short place names looked up as the places they name; former country names are the country's."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.place_names import NamedGazetteer, PlaceNamesFileError, read_place_names


@pytest.fixture(scope="module")
def named(gazetteer: Gazetteer) -> NamedGazetteer:
    return NamedGazetteer(gazetteer, read_place_names())


@pytest.mark.unit
@pytest.mark.parametrize(
    ("surface", "canonical", "feature"),
    [
        ("Fla.", "Florida", "admin1"),
        ("W.Va.", "West Virginia", "admin1"),
        ("N.Y.", "New York", "admin1"),
        ("Calif.", "California", "admin1"),
        ("Ont.", "Ontario", "admin1"),
    ],
)
def test_a_short_name_names_the_state_or_province_never_a_town(
    named: NamedGazetteer, surface: str, canonical: str, feature: str
) -> None:
    assert [(c.place.name, c.place.feature) for c in named.candidates(surface)] == [(canonical, feature)]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("surface", "code"), [("Zaire", "COD"), ("Soviet Union", "RUS"), ("Yugoslavia", "SRB"), ("Ceylon", "LKA")]
)
def test_a_former_country_name_is_a_name_of_the_country_today(gazetteer: Gazetteer, surface: str, code: str) -> None:
    assert ("country", code) in {(c.place.feature, c.place.country_code) for c in gazetteer.candidates(surface)}


@pytest.mark.unit
def test_other_names_are_looked_up_as_before(named: NamedGazetteer, gazetteer: Gazetteer) -> None:
    assert named.candidates("Glasgow") == gazetteer.candidates("Glasgow")
    assert named.is_place_name("Fla.", 0) and not gazetteer.is_place_name("Fla.", 0)


@pytest.mark.unit
def test_every_name_the_table_maps_to_is_one_the_gazetteer_knows(gazetteer: Gazetteer) -> None:
    named = NamedGazetteer(gazetteer, read_place_names())
    assert {short for short in read_place_names() if len(named.candidates(short)) != 1} == set()


@pytest.mark.unit
def test_a_malformed_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "place_names.yml"
    path.write_text("abbreviations: {USA: [Fla.]}\n", encoding="utf-8")

    with pytest.raises(PlaceNamesFileError, match="abbreviations"):
        read_place_names(path)
