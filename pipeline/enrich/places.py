"""Places of an article: every place mention resolved to one GeoNames entry, disambiguated by context.

Candidates come from the NER model's GPE/LOC/FAC spans, from NORP spans the gazetteer knows as a large
place (the small model tags "Aleppo" NORP), from PERSON/ORG spans that are a country or a city of a
million people, from states and counties leading an ORG/FAC name (nested.py), and from country/US-state
names the model missed. Demonyms are never places; they only tell which countries the article is about.
Which place each name is, resolution.py decides.

Rules an analyst applies before any score: a country's own name beats a town of the same name
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
from dataclasses import dataclass

from pipeline.enrich.entities import Entity
from pipeline.enrich.folding import SpanIndex, fold, overlaps, surface_bounds
from pipeline.enrich.gazetteer import Candidate, Gazetteer, Place, PlaceWord
from pipeline.enrich.place_words import (
    AGREEMENT_WORDS,
    AREA_WORDS,
    ATTRIBUTIVE_HEADS,
    CALENDAR_WORDS,
    DIRECTION_PREFIXES,
    DIVISION_HEADS,
    PLURAL_AREA_WORDS,
    RESIDENT_NOUNS,
    SURROUNDING_WORDS,
)
from pipeline.enrich.unresolved import read_place_kinds

LABEL_MIN_POPULATION: Mapping[str, int] = {
    "GPE": 0,
    "FAC": 0,
    "LOC": 15_000,
    "NORP": 100_000,
    "PERSON": 1_000_000,
    "ORG": 1_000_000,
}
AREA_FEATURES = frozenset(["admin1", "other"])
DIRECTED_LABELS = frozenset(["GPE", "LOC"])
ANY_AREA_WORDS = AREA_WORDS | PLURAL_AREA_WORDS
QUALIFYING_FEATURES = frozenset(["country", "admin1"])
CITY_SUFFIX = " city"
STATE_SUFFIX = " state"
DIRECTION_WORDS = (
    r"(?:north|south|east|west|central|northern|southern|eastern|western"
    r"|north-?eastern|north-?western|south-?eastern|south-?western)"
)
QUALIFIER_AFTER_RE = re.compile(rf"(?:,\s*|\s+in\s+(?:{DIRECTION_WORDS}\s+)?)((?:[A-Z][\w.'’\-]*\s?){{1,4}})")
QUALIFIER_BEFORE_RE = re.compile(r"((?:[A-Z][\w.\-]*\s){0,3}[A-Z][\w.\-]*)['’]s\s+$")
LIST_NAME = r"[A-Z][\w.'’\-]*(?:\s[A-Z][\w.'’\-]*){0,2}"
TOWN_BEFORE_RE = re.compile(rf"({LIST_NAME}),\s+(?:and\s+)?$")
LISTED_AFTER_RE = re.compile(rf"(?:,\s+(?:and\s+)?|\s+and\s+)({LIST_NAME})")
STATE_TOWN_MAX_POPULATION = 100_000
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
OF_BEFORE_RE = re.compile(r"\s+of\s+$")
RESIDENT_AFTER_RE = re.compile(rf"\s+(?:{'|'.join(sorted(RESIDENT_NOUNS))})\b")
TOPONYM_MIN_POPULATION = 100_000


@dataclass(frozen=True)
class PlaceMention:
    """A span that names a place; cities smaller than min_population are not candidates for it.

    qualifier: the alpha-3 code (or "USA/<state code>") the text pins the place to ("Tripoli in Libya");
    attributive: the name only modifies a noun ("US troops", "Iran-backed"); area: an area word follows
    ("Idlib province", "Darfur region"), so the name is the division, not its namesake town; division: the
    text uses the name as a first-level division ("Rego Park, New York", "the New York border"), so a state
    is not exchanged for its namesake seat; surroundings: the area word is one for a place's surroundings
    ("the Charlotte region"), which a town of the name may be as well as a division.
    """

    start: int
    end: int
    surface: str
    min_population: int
    qualifier: str | None = None
    attributive: bool = False
    area: bool = False
    division: bool = False
    surroundings: bool = False


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
    actors = SpanIndex(actor_spans)
    demonyms: Counter[str] = Counter(
        w.demonym_of for w in words if w.demonym_of and not actors.overlaps(w.start, w.end)
    )
    spans: list[tuple[int, int, int]] = []
    for entity in entities:
        min_population = LABEL_MIN_POPULATION.get(entity.label)
        if min_population is None:
            continue
        start, end = surface_bounds(text, entity.start, entity.end)
        if start >= end or actors.overlaps(start, end) or (start, end) in demonym_spans:
            continue
        if text[start:end].islower():  # a common noun the model tagged ("the metro area"), no proper name
            continue
        if entity.label in DIRECTED_LABELS:
            start = _after_direction_word(text, start, end, gazetteer)
        spans.append((start, _without_area_word(text, start, end), min_population))
    spans.extend((start, end, 0) for start, end in place_spans if not actors.overlaps(start, end))
    spans.extend((start, end, 0) for start, end in nested_spans if (start, end) not in demonym_spans)
    taken = [(e.start, e.end) for e in entities if e.label in LABEL_MIN_POPULATION] + list(place_spans) + actor_spans
    named = SpanIndex(taken)
    spans.extend((w.start, w.end, 0) for w in words if w.demonym_of is None and not named.overlaps(w.start, w.end))
    context = context_countries(text, words, gazetteer, entities) if context is None else context
    taken += [(s, e) for s, e, _ in spans]
    spans.extend(
        (start, end, 0) for start, end in find_locative_names(text, taken, gazetteer, context, name_cues(entities))
    )
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


def _after_direction_word(text: str, start: int, end: int, gazetteer: Gazetteer) -> int:
    """Where the place starts in a name the gazetteer does not know that a compass word leads ("Northeast
    Georgia", "West Wichita", "N.W. Rochester"): the text names the place, of which it means a part. A name
    the gazetteer knows whole ("North Carolina", "South Sudan", "West Bank") is left whole, and so is one whose
    rest is a common word ("West Street", "North Hall": a place-kind word, or one the text also writes in lower
    case) or only another name of a place ("West Metro")."""
    first, _, rest = text[start:end].partition(" ")
    rest = rest.lstrip()
    if not rest or first.replace(".", "").lower() not in DIRECTION_PREFIXES or gazetteer.candidates(text[start:end]):
        return start
    if " " not in rest and (_written_in_lower_case(text, rest) or rest.lower() in read_place_kinds().heads):
        return start
    return end - len(rest) if any(not c.by_alternate_name for c in gazetteer.candidates(rest)) else start


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
    area = area or (not hyphenated and next_word in ANY_AREA_WORDS and not surface.lower().endswith(CITY_SUFFIX))
    candidates = place_candidates(gazetteer, surface, min_population, area)
    if not candidates:
        return None
    attributive = hyphenated or (
        next_word in ATTRIBUTIVE_HEADS and any(c.place.feature == "country" for c in candidates)
    )
    qualifier = _qualifier(text, start, end, gazetteer, candidates)
    division = not hyphenated and _names_a_division(text, start, end, next_word, gazetteer, candidates)
    surroundings = area and not hyphenated and next_word in SURROUNDING_WORDS
    return PlaceMention(start, end, surface, min_population, qualifier, attributive, area, division, surroundings)


def _names_a_division(
    text: str, start: int, end: int, next_word: str, gazetteer: Gazetteer, candidates: Sequence[Candidate]
) -> bool:
    """Whether the text uses a name that is a first-level division as that division, not its seat: a word
    only a division has follows ("the New York border"), it qualifies a town of its own before it ("Rego
    Park, New York"), or it stands in a list beside a name that is foremost a state ("Missouri, New York
    and Virginia")."""
    states = [c.place for c in candidates if c.place.feature == "admin1"]
    if not states:
        return False
    if next_word in DIVISION_HEADS:
        return True
    before = TOWN_BEFORE_RE.search(text, max(0, start - 40), start)
    if before and any(
        _holds(state, c.place)
        for c in gazetteer.candidates(before.group(1))
        if c.place.feature == "city"
        for state in states
    ):
        return True
    after = LISTED_AFTER_RE.match(text, end)
    neighbours = [m.group(1) for m in (before, after) if m is not None]
    return any(_is_foremost_state(name, gazetteer) for name in neighbours)


def _is_foremost_state(name: str, gazetteer: Gazetteer) -> bool:
    """A name whose first-level division outweighs every town of that name: "Missouri", "Virginia"; not
    "Idlib" or "Hama", cities of their own beside their governorates."""
    places = [c.place for c in gazetteer.candidates(name)]
    states = [p.population for p in places if p.feature == "admin1"]
    towns = [p.population for p in places if p.feature == "city"]
    return bool(states) and max(towns, default=0) < STATE_TOWN_MAX_POPULATION


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


def context_countries(
    text: str, words: Sequence[PlaceWord], gazetteer: Gazetteer, entities: Sequence[Entity]
) -> frozenset[str]:
    """The countries an article names or uses demonyms of (alpha-3): where its lesser-known towns lie.

    A local story often names no country nor state at all, only its towns ("Driver injured in Nokomis crash.
    An Alexandria man ..."): a name the model tags GPE whose every namesake lies in one country places the
    article there too, as a reader takes "Alexandria" beside an unambiguous town to be in that town's country.
    """
    codes = {word.demonym_of for word in words if word.demonym_of}
    for word in words:
        if word.demonym_of is None:
            codes.update(c.place.country_code for c in gazetteer.candidates(text[word.start : word.end]))
    for entity in entities:
        if entity.label != "GPE":
            continue
        start, end = surface_bounds(text, entity.start, entity.end)
        countries = {c.place.country_code for c in gazetteer.candidates(text[start:end]) if not c.by_alternate_name}
        if len(countries) == 1:
            codes |= countries
    return frozenset(codes)


@dataclass(frozen=True)
class NameCues:
    """Where the model's PERSON names end and its GPE names start: what the words around a name are."""

    person_ends: frozenset[int] = frozenset()
    place_starts: frozenset[int] = frozenset()


NO_CUES = NameCues()


def name_cues(entities: Sequence[Entity]) -> NameCues:
    """The cues of the model's PERSON and GPE spans."""
    return NameCues(
        frozenset(e.end for e in entities if e.label == "PERSON"),
        frozenset(e.start for e in entities if e.label == "GPE"),
    )


def has_locative_cue(text: str, start: int, cues: NameCues = NO_CUES) -> bool:
    """Whether the words before a name say it is a place: "in X", "the town of X", "in Y and X", "Y, X and", or
    "of X" after a person's name or age ("Rebecca Sears, 41, of Grovetown", "said Amstutz, of Wooster",
    "Theresa Pilkington of Jeannette"): news so gives where a person lives, and a body's name never breaks
    before its "of"; or a list of names led by one the model tags GPE ("Bicester and Kidlington", "Newark,
    Heath and Pataskala"): news lists places with places."""
    for _ in range(4):
        words = text[max(0, start - 40) : start].split()
        if not words:
            return False
        previous = words[-1].lower()
        if previous in LOCATIVE_WORDS or previous.rstrip(",") in LOCATIVE_NOUNS:
            return True
        if previous == "of" and len(words) > 1 and (words[-2].lower() in LOCATIVE_NOUNS or words[-2].endswith(",")):
            return True
        of_word = OF_BEFORE_RE.search(text, max(0, start - 10), start)
        if of_word is not None and of_word.start() in cues.person_ends:
            return True
        coordinated = COORDINATED_NAME_RE.search(text, max(0, start - 60), start)
        if coordinated is None:
            return False
        start = coordinated.start()
        if start in cues.place_starts:
            return True
    return False


def is_toponym(
    text: str,
    start: int,
    end: int,
    gazetteer: Gazetteer,
    context: frozenset[str],
    cues: NameCues = NO_CUES,
) -> bool:
    """A name the NER model took for a person or an organization that the text and gazetteer say is a place.

    The words before it must be locative ("in", "near", "the town of", or a list that starts so), or a noun for
    its residents must follow it ("an Elkhart man"; not a word the article also writes in lower case, "Many
    residents", nor a town's other name only, "Area residents"), and it must name a country or state, a town or
    county in one of the article's countries, or a large one anywhere. After a locative word in an article that
    names no country at all ("Driver injured in Nokomis crash"), any town is one of the article's: nothing in
    the text says it lies elsewhere.
    """
    surface = text[start:end]
    if gazetteer.is_region_name(surface) or fold(surface) in CALENDAR_WORDS:
        return False
    residents = RESIDENT_AFTER_RE.match(text, end) is not None and not (
        " " not in surface and _written_in_lower_case(text, surface)
    )
    locative = has_locative_cue(text, start, cues)
    if not (residents or locative):
        return False
    return any(
        (locative or not c.by_alternate_name)
        and (
            not c.place.is_local
            or c.place.country_code in context
            or (locative and not context)
            or c.place.population >= TOPONYM_MIN_POPULATION
        )
        for c in gazetteer.candidates(surface)
    )


def find_locative_names(
    text: str,
    taken: Sequence[tuple[int, int]],
    gazetteer: Gazetteer,
    context: frozenset[str],
    cues: NameCues = NO_CUES,
) -> list[tuple[int, int]]:
    """Capitalized names after a locative word or before a noun for residents ("Chicopee residents") that the
    NER model missed but the gazetteer knows; the name before a noun is its last words ("The Lancaster");
    cues: the model's PERSON and GPE spans, for "Norb Mages of Lindsay" and "Bicester and Kidlington"."""
    spans: list[tuple[int, int]] = []
    claimed = SpanIndex(taken)
    for match in LOCATIVE_NAME_RE.finditer(text):
        start, end = match.span(1)
        if claimed.overlaps(start, end):
            continue
        words = text[start:end].split()
        for count in range(len(words), 0, -1):
            stop = start + len(" ".join(words[:count]))
            if is_toponym(text, start, stop, gazetteer, context, cues):
                spans.append((start, stop))
                break
    claimed = SpanIndex([*taken, *spans])
    residents: list[tuple[int, int]] = []
    for match in RESIDENT_NAME_RE.finditer(text):
        start, end = match.span(1)
        if claimed.overlaps(start, end) or overlaps(start, end, residents):
            continue
        words = text[start:end].split()
        for count in range(len(words), 0, -1):
            begin = end - len(" ".join(words[-count:]))
            if is_toponym(text, begin, end, gazetteer, context):
                spans.append((begin, end))
                residents.append((begin, end))
                break
    return spans


def _written_in_lower_case(text: str, word: str) -> bool:
    """Whether the text also has the capitalized word in lower case: a common word, not a name."""
    return re.search(rf"(?<![\w\-]){re.escape(word.lower())}(?![\w\-])", text) is not None


def place_candidates(gazetteer: Gazetteer, surface: str, min_population: int, area: bool = False) -> list[Candidate]:
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
