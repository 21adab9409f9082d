"""Which of a name's namesakes lie near the article's other places: a local story's towns cluster.

A local paper names a town beside its county and its neighbours ("Alexandria" beside Brandon, Nelson and
Douglas County); of the many Alexandrias, the one within a county's reach of those is meant. Only towns and
local divisions (counties, municipalities) have a point that says where a story happens; a country's or a
state's point is only its centre.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence

from pipeline.enrich.gazetteer import Candidate, Place

NEAR_KM = 50.0
EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
# Two points farther apart in latitude than this are not within NEAR_KM: no way between two latitudes is
# shorter than along a meridian. The margin keeps rounding from dropping a point distance_km would count.
LATITUDE_REACH = NEAR_KM / math.radians(EARTH_RADIUS_KM) * 1.01

Point = tuple[float, float]


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def is_pointed(place: Place) -> bool:
    """A town or a local division: its point says where the story is."""
    return place.is_local


def told_points(options: Sequence[Candidate], chosen: Candidate | None) -> tuple[Point, ...]:
    """Where a group of mentions may lie, as it tells the others: the chosen place's point once chosen (none
    for a country or a state); before that, the points of all its towns and local divisions. Sorted, so that
    neighbours measures only the points in a town's band of latitude (a common name has hundreds)."""
    places = [chosen.place] if chosen is not None else [c.place for c in options]
    return tuple(sorted((p.latitude, p.longitude) for p in places if is_pointed(p)))


def neighbours(place: Place, groups: Sequence[Sequence[Point]]) -> int:
    """How many of the other groups have a point within NEAR_KM of a town or local division (0 otherwise).

    groups: each group's points sorted, as told_points gives them.
    """
    if not is_pointed(place):
        return 0
    here = (place.latitude, place.longitude)
    south, north = here[0] - LATITUDE_REACH, here[0] + LATITUDE_REACH
    count = 0
    for points in groups:
        if not points or points[-1][0] < south or points[0][0] > north:  # all of the group north or south of it
            continue
        for index in range(bisect_left(points, (south,)), len(points)):  # the points from the band's south edge
            point = points[index]
            if point[0] > north:
                break
            if distance_km(here, point) <= NEAR_KM:
                count += 1
                break
    return count
