"""The gazetteer's area sources: countries' own points, divisions with derived points, continents."""

from __future__ import annotations

import pytest

from pipeline.enrich.areas import Area, city_centres, continents, country_points, divisions


def city(country: str, admin1: str, lat: float, lon: float, population: int) -> dict[str, object]:
    return {"countrycode": country, "admin1code": admin1, "latitude": lat, "longitude": lon, "population": population}


@pytest.mark.unit
def test_a_country_sits_at_its_own_geonames_point_not_its_capital() -> None:
    points = country_points()

    assert points["SYR"] == (35.0, 38.0)
    assert len(points) > 230


@pytest.mark.unit
def test_a_division_without_an_iso_point_takes_its_cities_population_weighted_mean() -> None:
    centres = city_centres([city("XX", "01", 10.0, 20.0, 3000), city("XX", "01", 20.0, 40.0, 1000)])

    assert centres[("XX", "01")] == (12.5, 25.0, 4000)


@pytest.fixture(scope="module")
def found() -> dict[int, Area]:
    return {area.geonameid: area for area in divisions([])}


@pytest.mark.unit
def test_divisions_carry_geonames_ids_admin1_codes_and_points(found: dict[int, Area]) -> None:

    queensland = found[2152274]
    assert (queensland.name, queensland.alpha2, queensland.admin1, queensland.feature) == (
        "Queensland",
        "AU",
        "04",
        "admin1",
    )
    assert -30 < queensland.latitude < -15 and 135 < queensland.longitude < 155
    assert not any(area.name.lower() == "central" for area in found.values())


@pytest.mark.unit
def test_a_county_without_an_iso_point_sits_among_its_own_cities(found: dict[int, Area]) -> None:
    laurel = found[4297480]  # Laurel County, Kentucky: no ISO 3166-2 code, so no iso3166-2 centre

    assert (laurel.name, laurel.alpha2, laurel.admin1, laurel.feature) == ("Laurel County", "US", "KY", "other")
    assert abs(laurel.latitude - 37.11) < 0.3 and abs(laurel.longitude + 84.12) < 0.3  # GeoNames: 37.11, -84.12
    assert laurel.population > 10_000
    assert laurel.local and not found[3333158].local  # Kent, England, is listed in ISO 3166-2


@pytest.mark.unit
def test_continents_keep_their_geonames_ids() -> None:
    records = {"AF": {"geonameId": 6255146, "name": "Africa", "lat": "7.1881", "lng": "21.09375", "population": 1}}

    (africa,) = continents(records)

    assert (africa.geonameid, africa.feature, africa.alpha2) == (6255146, "other", "")
