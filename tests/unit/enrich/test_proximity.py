"""Proximity of a name's namesakes to the article's other places."""

from __future__ import annotations

import pytest

from pipeline.enrich.gazetteer import Candidate, Place
from pipeline.enrich.proximity import NEAR_KM, distance_km, neighbours, told_points


def place(latitude: float, longitude: float, feature: str = "city", local: bool = True) -> Place:
    return Place(1, "X", "USA", feature, latitude, longitude, 1000, "MN", False, local)  # type: ignore[arg-type]


@pytest.mark.unit
def test_distance_is_great_circle_kilometres() -> None:
    assert distance_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.2, abs=0.1)
    assert distance_km((45.0, -95.0), (45.0, -95.0)) == 0.0
    assert distance_km((48.8566, 2.3522), (51.5074, -0.1278)) == pytest.approx(343.5, abs=1.0)  # Paris-London


@pytest.mark.unit
def test_a_town_counts_the_groups_with_a_point_around_it() -> None:
    town = place(45.88, -95.38)
    groups = [((45.87, -95.10),), ((38.80, -77.05), (45.90, -95.40)), ((31.2, 29.9),)]

    assert neighbours(town, groups) == 2  # one point of the second group is near; the third group is abroad
    assert neighbours(place(45.88, -95.38, "country", local=False), groups) == 0  # a country's point is its centre


@pytest.mark.unit
def test_a_group_tells_its_towns_points_and_once_chosen_only_the_choice() -> None:
    town, county, state = place(45.0, -95.0), place(46.0, -95.0, "other"), place(46.0, -94.0, "admin1", local=False)
    options = [Candidate(town, False), Candidate(county, False), Candidate(state, False)]

    assert told_points(options, None) == ((45.0, -95.0), (46.0, -95.0))
    assert told_points(options, options[1]) == ((46.0, -95.0),)
    assert told_points(options, options[2]) == ()
    assert distance_km((45.0, -95.0), (46.0, -95.0)) > NEAR_KM


@pytest.mark.unit
def test_only_the_band_of_latitude_is_measured_yet_every_near_point_counts() -> None:
    town = place(45.0, -95.0)
    degree_km = distance_km((45.0, -95.0), (46.0, -95.0))
    just_north, just_south = 45.0 + 49.9 / degree_km, 45.0 - 49.9 / degree_km
    far = [(float(lat), -95.0) for lat in range(-80, 81, 5) if lat != 45]

    assert neighbours(town, [tuple(sorted([*far, (just_north, -95.0)]))]) == 1
    assert neighbours(town, [tuple(sorted([*far, (just_south, -95.0)]))]) == 1
    assert neighbours(town, [tuple(sorted([*far, (45.0 + 50.1 / degree_km, -95.0)]))]) == 0
    assert neighbours(town, [((45.0, -94.5),)]) == 1  # due east, about 39 km


@pytest.mark.unit
def test_an_empty_group_or_one_wholly_outside_the_band_is_no_neighbour() -> None:
    town = place(45.0, -95.0)

    assert neighbours(town, [(), ((10.0, -95.0), (20.0, -95.0)), ((60.0, -95.0),), ((45.1, -95.1),)]) == 1
