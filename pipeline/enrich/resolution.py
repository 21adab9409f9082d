"""Which GeoNames place each of an article's place names is: every name scored against the others.

A name is resolved by a score: a prior by feature (countries first), population, a bonus for national
capitals, and what the rest of the article says: the countries its other places, demonyms and actors
point to, the first-level divisions its places lie in, and which namesakes lie near its other towns
(proximity.py), with the outlet's home country as a weak tie-breaker. The rules of places.py come first:
a qualified mention is resolved inside its qualifier, a country's own name beats a town of that name
unless the article is about the town's surroundings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.enrich.folding import clean_surface, fold
from pipeline.enrich.gazetteer import Candidate, Gazetteer, population_score
from pipeline.enrich.places import AREA_FEATURES, CITY_SUFFIX, PlaceMention, place_candidates
from pipeline.enrich.proximity import Point, neighbours, told_points
from pipeline.records import Location

COUNTRY_PRIOR = 3.0
ADMIN1_PRIOR = 2.0
OTHER_SCORE = 2.5
CAPITAL_BONUS = 2.5
ALTERNATE_NAME_PENALTY = 0.5
CONTEXT_WEIGHT = 3.5
CONTEXT_CAP = 3
STATE_WEIGHT = 1.5
STATE_CAP = 2
NEAR_WEIGHT = 1.5
NEAR_CAP = 2
STATE_FEATURES = frozenset(["city", "admin1", "other"])
DIVISION_FEATURES = frozenset(["admin1", "other"])
SUFFIXED_SEAT_MIN_POPULATION = 1_000_000
HOME_WEIGHT = 1.0
# Passes at most: a cap, so that names pulling one another back and forth cannot loop.
MAX_PASSES = 4

# What a group of mentions tells the others: (country, first-level division as (country, admin1 code)).
Told = tuple[str | None, tuple[str, str] | None]


@dataclass(frozen=True)
class Located:
    """A resolved location with the spans that mention it."""

    location: Location
    spans: tuple[tuple[int, int], ...]


@dataclass
class Evidence:
    """What the article's places tell one another: mentions per country, votes per first-level division.

    states: how many of the article's places lie in each division (a named state, its towns and counties).
    """

    countries: Counter[str]
    states: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, told: Told, mentions: int) -> None:
        """Count what a group of mentions tells; negative mentions take it out again."""
        code, state = told
        if code is not None:
            self.countries[code] += mentions
        if state is not None:
            self.states[state] += 1 if mentions > 0 else -1


def _within(candidates: Sequence[Candidate], qualifier: str | None) -> list[Candidate]:
    """Candidates allowed by the text: inside the qualifying area, else a country before any same-named town.

    A country's own name also beats every county or municipality of that name ("Colombia", not Colômbia in
    Brazil) and its own divisions ("Taiwan", not Taiwan Province); another country's state remains a
    candidate ("Georgia"), as does a continent.
    """
    if qualifier is not None:
        code, _, admin1 = qualifier.partition("/")
        inside = [
            c
            for c in candidates
            if c.place.country_code == code and (not admin1 or c.place.admin1 == admin1) and c.place.feature == "city"
        ]
        if inside:
            return inside
    countries = {c.place.country_code for c in candidates if c.place.feature == "country" and not c.by_alternate_name}
    if countries:
        return [
            c
            for c in candidates
            if c.place.feature == "country"
            or (c.place.feature == "admin1" and c.place.country_code not in countries)
            or not c.place.country_code
        ]
    return list(candidates)


def score(
    candidate: Candidate,
    evidence: Evidence,
    home_country: str | None,
    area_countries: frozenset[str] = frozenset(),
    near: int = 0,
) -> float:
    """How well a candidate fits the article; the highest-scoring candidate is the resolution.

    A first-level division scores by its population (its cities') like a city, on a smaller prior than a
    country's. Up to STATE_CAP of the article's other places in its first-level division count for a place:
    "Norfolk" beside Neligh and Pierce is Nebraska's. area_countries: the countries of the divisions and
    areas among the candidates; for a town outside them the article's country counts once, not up to
    CONTEXT_CAP times: a town beats a division of millions abroad by evidence of its own state or qualifier
    ("Scotland, Pa."), not by being in a US story. near: how many of the article's other places lie within
    a county's reach of a town or county (proximity.py); up to NEAR_CAP count.
    """
    place = candidate.place
    if place.feature == "admin1":
        value = ADMIN1_PRIOR + population_score(place.population)
    elif place.feature == "other":
        value = OTHER_SCORE
    else:
        value = population_score(place.population) + (COUNTRY_PRIOR if place.feature == "country" else 0.0)
    if place.is_capital:
        value += CAPITAL_BONUS
    if candidate.by_alternate_name:
        value -= ALTERNATE_NAME_PENALTY
    abroad = place.feature == "city" and bool(area_countries) and place.country_code not in area_countries
    cap = 1 if abroad else CONTEXT_CAP
    value += CONTEXT_WEIGHT * min(evidence.countries[place.country_code], cap)
    if place.feature in STATE_FEATURES and place.admin1:
        value += STATE_WEIGHT * min(evidence.states[(place.country_code, place.admin1)], STATE_CAP)
    value += NEAR_WEIGHT * min(near, NEAR_CAP)
    if home_country and place.country_code == home_country:
        value += HOME_WEIGHT
    return value


def resolve_places(
    mentions: Sequence[PlaceMention],
    gazetteer: Gazetteer,
    signals: Counter[str],
    home_country: str | None = None,
    state_signals: Counter[tuple[str, str]] | None = None,
) -> list[Located]:
    """Resolve each distinct name once, in passes so that names disambiguate one another.

    signals: mentions per country from outside the place names (demonyms, actors); state_signals: votes per
    first-level division (country, admin1) from outside them (organizations named after a state).
    """
    groups: dict[str, list[PlaceMention]] = {}
    for mention in mentions:
        groups.setdefault(f"{fold(clean_surface(mention.surface))}|{mention.qualifier or ''}", []).append(mention)
    found = {
        key: place_candidates(
            gazetteer,
            members[0].surface,
            min(m.min_population for m in members),
            all(m.area for m in members),
        )
        for key, members in groups.items()
    }
    options = {key: _within(found[key], groups[key][0].qualifier) for key in groups}
    namesakes = {
        key: [c for c in _local_namesakes(gazetteer, members) if c not in allowed]
        for key, members in groups.items()
        if members[0].qualifier is None
        for allowed in [set(options[key])]
    }
    area_countries = {
        key: frozenset(c.place.country_code for c in found if c.place.feature in AREA_FEATURES)
        for key, found in options.items()
    }
    chosen: dict[str, Candidate] = {}
    previous: dict[str, Candidate] = {}
    for run in range(MAX_PASSES):
        first_pass = run == 0
        # What each group tells the others (_told), summed once and each group's own share taken out while it
        # is decided: linear in the number of distinct places. The later passes are sequential, so a name decided
        # there tells the ones after it its new choice: two names cannot swap each other's guesses. They repeat
        # while a choice changes: a name that moved may pull the ones decided before it in the same pass.
        told = {key: _told(options[key], None if first_pass else chosen[key]) for key in groups}
        # Before any choice a country's name also tells where its namesake towns lie: "Lebanon" beside Boone
        # County points at the Boone County around Lebanon, Indiana.
        points = {
            key: told_points([*options[key], *namesakes.get(key, [])], None if first_pass else chosen[key])
            for key in groups
        }
        evidence = Evidence(Counter(signals), Counter(state_signals or {}))
        for key, said in told.items():
            evidence.add(said, len(groups[key]))
        for key in groups:
            evidence.add(told[key], -len(groups[key]))
            others = [near for other, near in points.items() if other != key and near]
            ranking = Ranking(evidence, home_country, area_countries[key], others)
            best = _decide(options[key], namesakes.get(key, []), ranking)
            as_division = any(m.division for m in groups[key])
            chosen[key] = best if as_division else _seat(best, options[key], groups[key][0].surface)
            if not first_pass:
                told[key] = _told(options[key], chosen[key])
                points[key] = told_points(options[key], chosen[key])
            evidence.add(told[key], len(groups[key]))
        if not first_pass and chosen == previous:
            break
        previous = dict(chosen)
    return _merge(groups, chosen)


@dataclass(frozen=True)
class Ranking:
    """What one group's candidates are ranked by: the evidence of the other groups, and where they lie."""

    evidence: Evidence
    home_country: str | None
    area_countries: frozenset[str]
    others: Sequence[Sequence[Point]]

    def rank(self, candidate: Candidate, near: bool = False) -> tuple[float, int, int]:
        """The score (with proximity when near), then population, then the older GeoNames id."""
        nearby = neighbours(candidate.place, self.others) if near else 0
        value = score(candidate, self.evidence, self.home_country, self.area_countries, nearby)
        return value, candidate.place.population, -candidate.place.geonameid

    def near(self, candidate: Candidate) -> tuple[float, int, int]:
        return self.rank(candidate, near=True)


def _decide(options: Sequence[Candidate], namesakes: Sequence[Candidate], ranking: Ranking) -> Candidate:
    """The best candidate without proximity; then, among the towns and local divisions of its country, the
    best with it, a namesake too small for the mention's label among them when it lies near the article's
    other places. Proximity says where in a country a story is, not which country: two hamlets abroad that
    happen to share names with a story's places lie near each other by chance."""
    best = max(options, key=ranking.rank)
    if best.place.is_local:
        nearby = [c for c in namesakes if neighbours(c.place, ranking.others) > 0]
        same = [c for c in (*options, *nearby) if c.place.is_local and c.place.country_code == best.place.country_code]
        best = max(same, key=ranking.near)
    return _local_namesake(best, [*options, *namesakes], ranking) or best


def _local_namesake(best: Candidate, namesakes: Sequence[Candidate], ranking: Ranking) -> Candidate | None:
    """A town of another country than the choice's that beats it: nothing else in the article points to the
    choice's country, the town's country has more of the article's places, demonyms and actors than all other
    countries together (a "Mexican" suspect does not move a Texas crime story abroad), and one of them lies
    around the town ("Lebanon Police ... the Boone County Jail ... Zionsville": Lebanon, Indiana; "Dublin"
    beside Columbus and Franklin County: Dublin, Ohio). Beside "Syria" or "Beirut", "Lebanon" stays the
    country; beside "France", "Paris" stays French though a Kentucky story has Paris, Kentucky nearby."""
    countries = ranking.evidence.countries
    if countries[best.place.country_code] > 0:
        return None
    local = [
        c
        for c in namesakes
        if c.place.is_local
        and c.place.country_code != best.place.country_code
        and countries[c.place.country_code]
        > sum(n for code, n in countries.items() if code != c.place.country_code and n > 0)
        and neighbours(c.place, ranking.others) > 0
    ]
    return max(local, key=ranking.rank, default=None)


def _local_namesakes(gazetteer: Gazetteer, members: Sequence[PlaceMention]) -> list[Candidate]:
    """The towns and local divisions a group's name may also denote, whatever their size: a name the model
    tagged as an organization or a county's bare alias may still be the small town or the county next to the
    article's other places, which is what a local paper means by it. Beside an area word only divisions are,
    unless the word is one for a town's surroundings ("the Charlotte region")."""
    found = gazetteer.candidates(members[0].surface)
    if all(m.area and not m.surroundings for m in members):
        found = [c for c in found if c.place.feature in AREA_FEATURES]
    return [c for c in found if c.place.is_local]


def _seat(best: Candidate, options: Sequence[Candidate], surface: str) -> Candidate:
    """The city inside the chosen division that shares its name (the most populous), else the choice.

    The bare name of a division that shares it with its seat means the city in news ("Aleppo", "Sagaing",
    "Peace River"); an area word after the name ("Idlib province") has already left only the division among
    the options. A second-level division's seat is sought in its first-level division. A city that only
    adds "City" to the name is the seat when it is a city of millions ("New York"), not otherwise: "Maryland"
    and "Oklahoma" are the states.
    """
    if best.place.feature not in DIVISION_FEATURES or not best.place.admin1:
        return best
    written = fold(clean_surface(surface))
    seats = [
        c
        for c in options
        if c.place.feature == "city"
        and (c.place.country_code, c.place.admin1) == (best.place.country_code, best.place.admin1)
        and (fold(c.place.name) != written + CITY_SUFFIX or c.place.population >= SUFFIXED_SEAT_MIN_POPULATION)
    ]
    return max(seats, key=lambda c: c.place.population, default=best)


def _told(options: Sequence[Candidate], chosen: Candidate | None) -> Told:
    """(country, first-level division) a group of mentions lends the others as context.

    First pass (no choice yet): each when all its options agree (a town of a name no other town has, a
    county); second pass: the first pass's choice, its division unless it is a country or a continent.
    """
    places = [chosen.place] if chosen is not None else [c.place for c in options]
    codes = {p.country_code for p in places}
    states = {(p.country_code, p.admin1) for p in places}
    divided = all(p.feature in STATE_FEATURES and p.admin1 for p in places)
    return (codes.pop() if len(codes) == 1 else None), (states.pop() if len(states) == 1 and divided else None)


def _merge(groups: Mapping[str, list[PlaceMention]], chosen: Mapping[str, Candidate]) -> list[Located]:
    by_place: dict[int, list[PlaceMention]] = {}
    for key, members in groups.items():
        by_place.setdefault(chosen[key].place.geonameid, []).extend(members)
    places = {c.place.geonameid: c.place for c in chosen.values()}
    located = []
    for geonameid, members in sorted(by_place.items(), key=lambda item: min(m.start for m in item[1])):
        place = places[geonameid]
        if all(m.attributive for m in members):
            continue
        surfaces = Counter(m.surface for m in members)
        # The most written form names the row; of forms written as often, one the canonical name does not
        # already record ("DeKalb" beside "DeKalb County"), so that the row keeps both, then the longer.
        canonical = fold(place.name)
        name = max(surfaces, key=lambda s: (surfaces[s], fold(clean_surface(s)) != canonical, len(s)))
        location = Location(
            name=name,
            canonical=place.name,
            geonameid=place.geonameid,
            country_code=place.country_code or None,  # a continent's place has "" in the index
            feature=place.feature,
            latitude=place.latitude,
            longitude=place.longitude,
            mentions=len(members),
        )
        located.append(Located(location, tuple(sorted((m.start, m.end) for m in members))))
    return located
