"""Short and former place names looked up as the places they name."""

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
        ("Zaire", "Democratic Republic of the Congo", "country"),
        ("the Soviet Union", "Russia", "country"),
    ],
)
def test_a_short_or_former_name_names_the_state_or_country(
    named: NamedGazetteer, surface: str, canonical: str, feature: str
) -> None:
    assert [(c.place.name, c.place.feature) for c in named.candidates(surface)] == [(canonical, feature)]


@pytest.mark.unit
def test_other_names_are_looked_up_as_before(named: NamedGazetteer, gazetteer: Gazetteer) -> None:
    assert named.candidates("Glasgow") == gazetteer.candidates("Glasgow")
    assert named.is_place_name("Fla.", 0) and not gazetteer.is_place_name("Fla.", 0)


@pytest.mark.unit
def test_every_name_the_table_maps_to_is_one_the_gazetteer_knows_or_will(gazetteer: Gazetteer) -> None:
    missing = {full for full in read_place_names().values() if not gazetteer.candidates(full)}
    # Canadian provinces and Northern Ireland wait for the gazetteer's first-level divisions outside the US.
    assert missing <= {
        "Alberta",
        "British Columbia",
        "Manitoba",
        "New Brunswick",
        "Newfoundland and Labrador",
        "Nova Scotia",
        "Ontario",
        "Prince Edward Island",
        "Quebec",
        "Saskatchewan",
        "Northern Ireland",
    }


@pytest.mark.unit
def test_a_malformed_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "place_names.yml"
    path.write_text("abbreviations: {Fla.: Florida}\nformer_names: [Zaire]\n", encoding="utf-8")

    with pytest.raises(PlaceNamesFileError, match="former_names"):
        read_place_names(path)
