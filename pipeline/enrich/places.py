"""Places of an article: every place mention resolved to one GeoNames entry, disambiguated by context.

Candidates come from the NER model's GPE/LOC/FAC spans, from NORP spans the gazetteer knows as a large
place (the small model tags "Aleppo" NORP), from PERSON/ORG spans that are a country or a city of a
million people, and from country/US-state names the model missed. Demonyms are never places; they only
tell which countries the article is about. A name is resolved by a score: a prior by feature (countries
first), population, a bonus for national capitals, and the countries the rest of the article points to
(other places, demonyms, actors' countries), with the outlet's home country as a weak tie-breaker.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.enrich.entities import Entity
from pipeline.enrich.gazetteer import Candidate, Gazetteer, population_score
from pipeline.enrich.normalize import fold, overlaps, surface_bounds
from pipeline.records import Location

LABEL_MIN_POPULATION: Mapping[str, int] = {
    "GPE": 0,
    "FAC": 0,
    "LOC": 15_000,
    "NORP": 100_000,
    "PERSON": 1_000_000,
    "ORG": 1_000_000,
}
COUNTRY_PRIOR = 3.0
ADMIN1_SCORE = 3.2
CAPITAL_BONUS = 2.5
ALTERNATE_NAME_PENALTY = 0.5
CONTEXT_WEIGHT = 3.5
CONTEXT_CAP = 3
ADMIN1_CONTEXT_WEIGHT = 2.5
HOME_WEIGHT = 1.0
PLACE_SUFFIXES = (" province", " governorate", " city", " region", " state", " district", " county")


@dataclass(frozen=True)
class PlaceMention:
    """A span that names a place; cities smaller than min_population are not candidates for it."""

    start: int
    end: int
    surface: str
    min_population: int


@dataclass(frozen=True)
class Located:
    """A resolved location with the spans that mention it."""

    location: Location
    spans: tuple[tuple[int, int], ...]


def find_place_mentions(
    text: str, entities: Sequence[Entity], actor_spans: list[tuple[int, int]], gazetteer: Gazetteer
) -> tuple[list[PlaceMention], Counter[str]]:
    """Place mentions outside actor names, and how often each country's demonym appears (alpha-3 -> count)."""
    words = gazetteer.scan(text)
    demonym_spans = [(w.start, w.end) for w in words if w.demonym_of]
    demonyms: Counter[str] = Counter(
        w.demonym_of for w in words if w.demonym_of and not overlaps(w.start, w.end, actor_spans)
    )
    mentions: list[PlaceMention] = []
    for entity in entities:
        min_population = LABEL_MIN_POPULATION.get(entity.label)
        if min_population is None:
            continue
        start, end = surface_bounds(text, entity.start, entity.end)
        if start >= end or overlaps(start, end, actor_spans) or (start, end) in demonym_spans:
            continue
        surface = text[start:end]
        if _candidates(gazetteer, surface, min_population):
            mentions.append(PlaceMention(start, end, surface, min_population))
    entity_spans = [(e.start, e.end) for e in entities]
    for word in words:
        if word.demonym_of is None and not overlaps(word.start, word.end, entity_spans + actor_spans):
            mentions.append(PlaceMention(word.start, word.end, text[word.start : word.end], 0))
    return sorted(mentions, key=lambda m: m.start), demonyms


def _candidates(gazetteer: Gazetteer, surface: str, min_population: int) -> list[Candidate]:
    for name in (surface, *(surface[: -len(s)] for s in PLACE_SUFFIXES if surface.lower().endswith(s))):
        found = [
            c for c in gazetteer.candidates(name) if c.place.feature != "city" or c.place.population >= min_population
        ]
        if found:
            return found
    return []


def score(
    candidate: Candidate, support: Counter[str], admin1s: set[tuple[str, str]], home_country: str | None
) -> float:
    """How well a candidate fits the article; the highest-scoring candidate is the resolution."""
    place = candidate.place
    if place.feature == "admin1":
        value = ADMIN1_SCORE
    else:
        value = population_score(place.population) + (COUNTRY_PRIOR if place.feature == "country" else 0.0)
    if place.is_capital:
        value += CAPITAL_BONUS
    if candidate.by_alternate_name:
        value -= ALTERNATE_NAME_PENALTY
    value += CONTEXT_WEIGHT * min(support[place.country_code], CONTEXT_CAP)
    if place.feature == "city" and (place.country_code, place.admin1) in admin1s:
        value += ADMIN1_CONTEXT_WEIGHT
    if home_country and place.country_code == home_country:
        value += HOME_WEIGHT
    return value


def resolve_places(
    mentions: Sequence[PlaceMention],
    gazetteer: Gazetteer,
    signals: Counter[str],
    home_country: str | None = None,
) -> list[Located]:
    """Resolve each distinct name once, in two passes so that names disambiguate one another."""
    groups: dict[str, list[PlaceMention]] = {}
    for mention in mentions:
        groups.setdefault(fold(mention.surface), []).append(mention)
    options = {
        key: _candidates(gazetteer, members[0].surface, min(m.min_population for m in members))
        for key, members in groups.items()
    }
    chosen: dict[str, Candidate] = {}
    for first_pass in (True, False):
        decided = dict(chosen)
        for key in groups:
            support: Counter[str] = Counter(signals)
            admin1s: set[tuple[str, str]] = set()
            for other, members in groups.items():
                if other == key:
                    continue
                if first_pass:
                    codes = {c.place.country_code for c in options[other]}
                    if len(codes) == 1:
                        support[codes.pop()] += len(members)
                else:
                    place = decided[other].place
                    support[place.country_code] += len(members)
                    if place.feature == "admin1":
                        admin1s.add((place.country_code, place.admin1))
            chosen[key] = max(
                options[key],
                key=lambda c: (score(c, support, admin1s, home_country), c.place.population, -c.place.geonameid),
            )
    return _merge(groups, chosen)


def _merge(groups: Mapping[str, list[PlaceMention]], chosen: Mapping[str, Candidate]) -> list[Located]:
    by_place: dict[int, list[PlaceMention]] = {}
    for key, members in groups.items():
        by_place.setdefault(chosen[key].place.geonameid, []).extend(members)
    places = {c.place.geonameid: c.place for c in chosen.values()}
    located = []
    for geonameid, members in sorted(by_place.items(), key=lambda item: min(m.start for m in item[1])):
        place = places[geonameid]
        surfaces = Counter(m.surface for m in members)
        name = max(surfaces, key=lambda s: (surfaces[s], len(s)))
        location = Location(
            name=name,
            canonical=place.name,
            geonameid=place.geonameid,
            country_code=place.country_code,
            feature=place.feature,
            latitude=place.latitude,
            longitude=place.longitude,
            mentions=len(members),
        )
        located.append(Located(location, tuple(sorted((m.start, m.end) for m in members))))
    return located
