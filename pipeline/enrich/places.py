"""Places of an article: every place mention resolved to one GeoNames entry, disambiguated by context.

Candidates come from the NER model's GPE/LOC/FAC spans, from NORP spans the gazetteer knows as a large
place (the small model tags "Aleppo" NORP), from PERSON/ORG spans that are a country or a city of a
million people, from states and counties leading an ORG/FAC name (nested.py), and from country/US-state
names the model missed. Demonyms are never places; they only tell which countries the article is about. A
name is resolved by a score: a prior by feature (countries first), population, a bonus for national
capitals, and the countries the rest of the article points to (other places, demonyms, actors' countries),
with the outlet's home country as a weak tie-breaker.

Rules an analyst applies before any score: a country's own name always beats a town of the same name
("Brazil", "Jordan", "US") unless the text qualifies the mention ("Tripoli in Libya", "Moscow, Idaho",
"Lebanon's Tripoli"), and a qualified mention is resolved inside the qualifying country or US state. A
name followed by "region", "province", "county" ... names a division or area (none when the gazetteer
has no such area), not its namesake city; a name inside an agreement's name ("Pretoria agreement") is no
place; a country written only attributively ("US troops", "Iran-backed") is a signal for the article's
countries, not a location.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pipeline.enrich.entities import Entity
from pipeline.enrich.folding import clean_surface, fold, overlaps, surface_bounds
from pipeline.enrich.gazetteer import Candidate, Gazetteer, Place, PlaceWord, population_score
from pipeline.enrich.place_words import (
    AGREEMENT_WORDS,
    AREA_WORDS,
    ATTRIBUTIVE_HEADS,
    CALENDAR_WORDS,
    RESIDENT_NOUNS,
)
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
ADMIN1_PRIOR = 2.0
OTHER_SCORE = 2.5
AREA_FEATURES = frozenset(["admin1", "other"])
QUALIFYING_FEATURES = frozenset(["country", "admin1"])
CAPITAL_BONUS = 2.5
ALTERNATE_NAME_PENALTY = 0.5
CONTEXT_WEIGHT = 3.5
CONTEXT_CAP = 3
STATE_WEIGHT = 1.5
STATE_CAP = 2
STATE_FEATURES = frozenset(["city", "admin1", "other"])
DIVISION_FEATURES = frozenset(["admin1", "other"])
SUFFIXED_SEAT_MIN_POPULATION = 1_000_000
HOME_WEIGHT = 1.0
CITY_SUFFIX = " city"
STATE_SUFFIX = " state"
DIRECTION_WORDS = (
    r"(?:north|south|east|west|central|northern|southern|eastern|western"
    r"|north-?eastern|north-?western|south-?eastern|south-?western)"
)
QUALIFIER_AFTER_RE = re.compile(rf"(?:,\s*|\s+in\s+(?:{DIRECTION_WORDS}\s+)?)((?:[A-Z][\w.'’\-]*\s?){{1,4}})")
QUALIFIER_BEFORE_RE = re.compile(r"((?:[A-Z][\w.\-]*\s){0,3}[A-Z][\w.\-]*)['’]s\s+$")
NEXT_WORD_RE = re.compile(r"[^\W\d_][\w\-]*")
LOCATIVE_WORDS = frozenset(
    ["in", "near", "around", "outside", "inside", "into", "from", "at", "towards", "toward", "across", "via"]
)
LOCATIVE_NOUNS = frozenset(["city", "town", "village", "port", "capital", "residents", "outskirts", "districts"])
COORDINATED_NAME_RE = re.compile(r"(?:[A-Z][\w'’\-]*\s){0,3}[A-Z][\w'’\-]*(?:,\s|\sand\s)$")
LOCATIVE_NAME_RE = re.compile(
    r"\b(?:in|near|around|outside|into|from|towards|of|capital)\s+"
    r"((?:[A-Z][\w'’]*(?:-[\w'’]+)*)(?:\s(?:(?:al|el|de|del|la|du)[\s\-])?[A-Z][\w'’]*(?:-[\w'’]+)*){0,2})"
)
RESIDENT_NAME_RE = re.compile(
    rf"((?:[A-Z][\w'’]*(?:-[\w'’]+)*)(?:\s[A-Z][\w'’]*(?:-[\w'’]+)*){{0,2}})\s+(?:{'|'.join(sorted(RESIDENT_NOUNS))})\b"
)
RESIDENT_AFTER_RE = re.compile(rf"\s+(?:{'|'.join(sorted(RESIDENT_NOUNS))})\b")
TOPONYM_MIN_POPULATION = 100_000

# What a group of mentions tells the others: (country, first-level division as (country, admin1 code)).
Told = tuple[str | None, tuple[str, str] | None]


@dataclass(frozen=True)
class PlaceMention:
    """A span that names a place; cities smaller than min_population are not candidates for it.

    qualifier: the alpha-3 code (or "USA/<state code>") the text pins the place to ("Tripoli in Libya");
    attributive: the name only modifies a noun ("US troops", "Iran-backed"); area: an area word follows
    ("Idlib province", "Darfur region"), so the name is the division, not its namesake town.
    """

    start: int
    end: int
    surface: str
    min_population: int
    qualifier: str | None = None
    attributive: bool = False
    area: bool = False


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


def find_place_mentions(
    text: str,
    entities: Sequence[Entity],
    actor_spans: list[tuple[int, int]],
    gazetteer: Gazetteer,
    place_spans: Sequence[tuple[int, int]] = (),
    words: Sequence[PlaceWord] | None = None,
    nested_spans: Sequence[tuple[int, int]] = (),
    context: frozenset[str] | None = None,
    area_spans: Sequence[tuple[int, int]] = (),
) -> tuple[list[PlaceMention], Counter[str]]:
    """Place mentions outside actor names, and how often each country's demonym appears (alpha-3 -> count).

    place_spans are names the NER model tagged PERSON/ORG that the actor rules recognised as places; words
    is gazetteer.scan(text) when the caller has it already; nested_spans are places leading an organization's
    or a building's name (nested.py), kept though they lie inside an actor's name; context is
    context_countries(text, words, gazetteer) when the caller has it already; area_spans are names a plural
    area word follows (listed_areas.py), divisions whatever else claimed them.
    """
    words = gazetteer.scan(text) if words is None else words
    demonym_spans = [(w.start, w.end) for w in words if w.demonym_of]
    demonyms: Counter[str] = Counter(
        w.demonym_of for w in words if w.demonym_of and not overlaps(w.start, w.end, actor_spans)
    )
    spans: list[tuple[int, int, int]] = []
    for entity in entities:
        min_population = LABEL_MIN_POPULATION.get(entity.label)
        if min_population is None:
            continue
        start, end = surface_bounds(text, entity.start, entity.end)
        if start >= end or overlaps(start, end, actor_spans) or (start, end) in demonym_spans:
            continue
        if text[start:end].islower():  # a common noun the model tagged ("the metro area"), no proper name
            continue
        spans.append((start, _without_area_word(text, start, end), min_population))
    spans.extend((start, end, 0) for start, end in place_spans if not overlaps(start, end, actor_spans))
    spans.extend((start, end, 0) for start, end in nested_spans if (start, end) not in demonym_spans)
    taken = [(e.start, e.end) for e in entities if e.label in LABEL_MIN_POPULATION] + list(place_spans) + actor_spans
    spans.extend((w.start, w.end, 0) for w in words if w.demonym_of is None and not overlaps(w.start, w.end, taken))
    context = context_countries(text, words, gazetteer) if context is None else context
    taken += [(s, e) for s, e, _ in spans]
    spans.extend((start, end, 0) for start, end in find_locative_names(text, taken, gazetteer, context))
    areas = list(area_spans)
    spans = [span for span in spans if not overlaps(span[0], span[1], areas)]
    mentions = []
    for start, end, min_population in spans:
        mention = _mention(text, start, end, min_population, gazetteer)
        if mention is not None:
            mentions.append(mention)
    for start, end in areas:
        mention = _mention(text, start, end, 0, gazetteer, area=True)
        if mention is not None:
            mentions.append(mention)
    return sorted(mentions, key=lambda m: m.start), demonyms


def _without_area_word(text: str, start: int, end: int) -> int:
    """Where the name ends when the span closes on a lower-case area word ("Zhejiang province", "Puge county"):
    the name is written without it, and the word after the name still makes it the division (_mention)."""
    head, _, last = text[start:end].rpartition(" ")
    return start + len(head.rstrip()) if head.strip() and last in AREA_WORDS else end


def _mention(
    text: str, start: int, end: int, min_population: int, gazetteer: Gazetteer, area: bool = False
) -> PlaceMention | None:
    """The mention with its qualifier and attributive flag, or None when the span names no gazetteer place;
    area: the text says it is a division though no area word follows it ("Jackson and Barrow counties")."""
    surface = text[start:end]
    joint = text[end : end + 1]
    follow = NEXT_WORD_RE.match(text, end + 1) if joint in (" ", "-") else None
    next_word = follow.group(0) if follow else ""
    hyphenated = joint == "-" and next_word[:1].islower()
    next_word = next_word.lower()
    if not hyphenated and next_word in AGREEMENT_WORDS:
        return None
    area = area or (not hyphenated and next_word in AREA_WORDS and not surface.lower().endswith(CITY_SUFFIX))
    candidates = _candidates(gazetteer, surface, min_population, area)
    if not candidates:
        return None
    attributive = hyphenated or (
        next_word in ATTRIBUTIVE_HEADS and any(c.place.feature == "country" for c in candidates)
    )
    qualifier = _qualifier(text, start, end, gazetteer, candidates)
    return PlaceMention(start, end, surface, min_population, qualifier, attributive, area)


def _qualifier(text: str, start: int, end: int, gazetteer: Gazetteer, candidates: Sequence[Candidate]) -> str | None:
    """The country or division the text pins a mention to: "X, Libya", "X in northern Lebanon", "Lebanon's X".

    Of the areas a qualifying name may be ("Georgia" the country or the US state), the first that holds one
    of the mention's own towns wins ("Atlanta, Georgia"); else the first area.
    """
    names: list[str] = []
    after = QUALIFIER_AFTER_RE.match(text, end)
    if after:
        words = after.group(1).split()
        names.extend(" ".join(words[:n]) for n in range(len(words), 0, -1))
    before = QUALIFIER_BEFORE_RE.search(text, max(0, start - 40), start)
    if before:
        words = before.group(1).split()
        names.extend(" ".join(words[n:]) for n in range(len(words)))
    towns = [c.place for c in candidates if c.place.feature == "city"]
    for name in names:
        areas = [c.place for c in gazetteer.candidates(name.rstrip(".,")) if c.place.feature in QUALIFYING_FEATURES]
        holding = [a for a in areas if any(_holds(a, town) for town in towns)]
        if holding or areas:
            area = (holding or areas)[0]
            return f"{area.country_code}/{area.admin1}" if area.feature == "admin1" else area.country_code
    return None


def _holds(area: Place, town: Place) -> bool:
    """Whether the town lies in the country or first-level division."""
    return town.country_code == area.country_code and (area.feature != "admin1" or town.admin1 == area.admin1)


def context_countries(text: str, words: Sequence[PlaceWord], gazetteer: Gazetteer) -> frozenset[str]:
    """The countries an article names or uses demonyms of (alpha-3): where its lesser-known towns lie."""
    codes = {word.demonym_of for word in words if word.demonym_of}
    for word in words:
        if word.demonym_of is None:
            codes.update(c.place.country_code for c in gazetteer.candidates(text[word.start : word.end]))
    return frozenset(codes)


def has_locative_cue(text: str, start: int) -> bool:
    """Whether the words before a name say it is a place: "in X", "the town of X", "in Y and X", "Y, X and"."""
    for _ in range(4):
        words = text[max(0, start - 40) : start].split()
        if not words:
            return False
        previous = words[-1].lower()
        if previous in LOCATIVE_WORDS or previous.rstrip(",") in LOCATIVE_NOUNS:
            return True
        if previous == "of" and len(words) > 1 and words[-2].lower() in LOCATIVE_NOUNS:
            return True
        coordinated = COORDINATED_NAME_RE.search(text, max(0, start - 60), start)
        if coordinated is None:
            return False
        start = coordinated.start()
    return False


def is_toponym(text: str, start: int, end: int, gazetteer: Gazetteer, context: frozenset[str]) -> bool:
    """A name the NER model took for a person or an organization that the text and gazetteer say is a place.

    The words before it must be locative ("in", "near", "the town of", or a list that starts so), or a noun for
    its residents must follow it ("an Elkhart man"; not a word the article also writes in lower case, "Many
    residents", nor a town's other name only, "Area residents"), and it must name a country or state, a town or
    county in one of the article's countries, or a large one anywhere.
    """
    surface = text[start:end]
    if gazetteer.is_region_name(surface) or fold(surface) in CALENDAR_WORDS:
        return False
    residents = RESIDENT_AFTER_RE.match(text, end) is not None and not (
        " " not in surface and _written_in_lower_case(text, surface)
    )
    locative = has_locative_cue(text, start)
    if not (residents or locative):
        return False
    return any(
        (locative or not c.by_alternate_name)
        and (not c.place.is_local or c.place.country_code in context or c.place.population >= TOPONYM_MIN_POPULATION)
        for c in gazetteer.candidates(surface)
    )


def find_locative_names(
    text: str, taken: Sequence[tuple[int, int]], gazetteer: Gazetteer, context: frozenset[str]
) -> list[tuple[int, int]]:
    """Capitalized names after a locative word or before a noun for residents ("Chicopee residents") that the
    NER model missed but the gazetteer knows; the name before a noun is its last words ("The Lancaster")."""
    spans = []
    for match in LOCATIVE_NAME_RE.finditer(text):
        start, end = match.span(1)
        if overlaps(start, end, list(taken)):
            continue
        words = text[start:end].split()
        for count in range(len(words), 0, -1):
            stop = start + len(" ".join(words[:count]))
            if is_toponym(text, start, stop, gazetteer, context):
                spans.append((start, stop))
                break
    for match in RESIDENT_NAME_RE.finditer(text):
        start, end = match.span(1)
        if overlaps(start, end, [*taken, *spans]):
            continue
        words = text[start:end].split()
        for count in range(len(words), 0, -1):
            begin = end - len(" ".join(words[-count:]))
            if is_toponym(text, begin, end, gazetteer, context):
                spans.append((begin, end))
                break
    return spans


def _written_in_lower_case(text: str, word: str) -> bool:
    """Whether the text also has the capitalized word in lower case: a common word, not a name."""
    return re.search(rf"(?<![\w\-]){re.escape(word.lower())}(?![\w\-])", text) is not None


def _candidates(gazetteer: Gazetteer, surface: str, min_population: int, area: bool = False) -> list[Candidate]:
    """Places the surface may name: towns and counties need min_population; "X city" is a city, "X state" a state.

    area: an area word follows the name, so only divisions and other areas qualify; without one, a
    second-level division answers to its own name only.
    """
    lowered = surface.lower()
    if lowered.endswith(CITY_SUFFIX) and not gazetteer.candidates(surface):
        found = [c for c in gazetteer.candidates(surface[: -len(CITY_SUFFIX)]) if c.place.feature == "city"]
    elif lowered.endswith(STATE_SUFFIX) and not gazetteer.candidates(surface):
        found = [c for c in gazetteer.candidates(surface[: -len(STATE_SUFFIX)]) if c.place.feature == "admin1"]
    else:
        found = list(gazetteer.candidates(surface))
    if area:
        return [c for c in found if c.place.feature in AREA_FEATURES]
    return [
        c
        for c in found
        if not c.place.is_local or (c.place.population >= min_population and not _bare_division_alias(c))
    ]


def _bare_division_alias(candidate: Candidate) -> bool:
    """A second-level division matched by an alias only ("Delaware" for Delaware County, "Waterloo" for the
    Regional Municipality of Waterloo): without an area word after it, the name is the town or the state."""
    return candidate.place.feature == "other" and candidate.place.is_local and candidate.by_alternate_name


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
) -> float:
    """How well a candidate fits the article; the highest-scoring candidate is the resolution.

    A first-level division scores by its population (its cities') like a city, on a smaller prior than a
    country's. Up to STATE_CAP of the article's other places in its first-level division count for a place:
    "Norfolk" beside Neligh and Pierce is Nebraska's. area_countries: the countries of the divisions and
    areas among the candidates; for a town outside them the article's country counts once, not up to
    CONTEXT_CAP times: a town beats a division of millions abroad by evidence of its own state or qualifier
    ("Scotland, Pa."), not by being in a US story.
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
        groups.setdefault(f"{fold(mention.surface)}|{mention.qualifier or ''}", []).append(mention)
    options = {
        key: _within(
            _candidates(
                gazetteer,
                members[0].surface,
                min(m.min_population for m in members),
                all(m.area for m in members),
            ),
            members[0].qualifier,
        )
        for key, members in groups.items()
    }
    area_countries = {
        key: frozenset(c.place.country_code for c in found if c.place.feature in AREA_FEATURES)
        for key, found in options.items()
    }
    chosen: dict[str, Candidate] = {}
    for first_pass in (True, False):
        # What each group tells the others (_told), summed once and each group's own share taken out while it
        # is decided: linear in the number of distinct places. The second pass is sequential, so a name decided
        # there tells the ones after it its new choice: two names cannot swap each other's guesses.
        told = {key: _told(options[key], None if first_pass else chosen[key]) for key in groups}
        evidence = Evidence(Counter(signals))
        for key, said in told.items():
            evidence.add(said, len(groups[key]))
        for key in groups:
            evidence.add(told[key], -len(groups[key]))
            best = max(
                options[key],
                key=lambda c: (
                    score(c, evidence, home_country, area_countries[key]),
                    c.place.population,
                    -c.place.geonameid,
                ),
            )
            chosen[key] = _seat(best, options[key], groups[key][0].surface)
            if not first_pass:
                told[key] = _told(options[key], chosen[key])
            evidence.add(told[key], len(groups[key]))
    return _merge(groups, chosen)


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
        name = max(surfaces, key=lambda s: (surfaces[s], len(s)))
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
