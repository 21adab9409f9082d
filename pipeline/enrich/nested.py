"""Places named at the start of an organization's or a building's name: "Texas" in "the Texas Fire Service",
"Henderson County" in "the Henderson County Jail".

The NER model tags such a name as one ORG or FAC span, so the place inside it is never a candidate, yet the
article names the place (the body's or the building's seat). Only a place a local body is named after
is taken: a first-level division (a state, a province) or a county-like area. A country is not: a national
body ("US Central Command", "China Coast Guard") acts for the state wherever it is, the story need not be
set there, and the country is an actor only when named as one; a name that is also a country's is the
country's ("Taiwan Strait Thunder", "Georgia Power"). A town is not either ("Delta Air Lines",
"Cook Children's Medical Center"), unless the body is the town's own police, sheriff, fire service, council
or mayor ("Athens Police Department", "Roselle police", "Beaconsfield Mayor"): such a body is the town's and
acts there. Nor is the place a street, a park or a river is named after ("California Street", "Mahnomen
County Road"): that name is a place of its own. The longest leading name the gazetteer knows decides ("Kansas
City Power & Light" starts with a city, not with the state). The model also tags a county's office GPE
("Alachua County Sheriff"); a GPE span the gazetteer knows whole ("New York City") is a place itself.
The model also runs a body's name on into where it is ("St. John's Lutheran School in Lombard"): the place
after "in", "at" or "on" at the end of the span is named as plainly as outside it (located_places).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.enrich.entities import Entity
from pipeline.enrich.folding import surface_bounds
from pipeline.enrich.gazetteer import Candidate, Gazetteer
from pipeline.enrich.place_words import LOCAL_BODY_WORDS
from pipeline.enrich.unresolved import read_place_kinds

NESTING_LABELS = frozenset(["ORG", "FAC", "GPE"])
MAX_PLACE_WORDS = 3
WORD_RE = re.compile(r"\S+")
BODY_AFTER_RE = re.compile(r"\s+([a-z][\w'’]*)")
SEAT_AFTER_RE = re.compile(r"\s(?:in|at|on)\s([A-Z][\w'’.\-]*(?:\s[A-Z][\w'’.\-]*){0,2})$")


def leading_places(
    text: str, entities: Sequence[Entity], gazetteer: Gazetteer, context: frozenset[str]
) -> list[tuple[int, int]]:
    """Spans of the places that lead ORG/FAC/GPE names, shorter than the name they lead, or a town alone in an
    ORG span its police or council follows ("Roselle police"); a state or a town must lie in one of the
    article's countries (context, alpha-3): "Delta Air Lines" in a US story names no Nigerian state."""
    kinds = read_place_kinds()
    found = []
    for entity in entities:
        if entity.label not in NESTING_LABELS:
            continue
        words = list(WORD_RE.finditer(text, entity.start, entity.end))
        if entity.label == "ORG" and _is_town_with_body(text, entity.end, words, gazetteer, context):
            found.append((words[0].start(), words[-1].end()))
            continue
        if len(words) < 2 or words[-1].group(0).lower() in kinds.heads:
            continue
        if entity.label == "GPE" and gazetteer.candidates(text[words[0].start() : words[-1].end()]):
            continue
        leading = leading_place(text, [w.span() for w in words], gazetteer)
        if leading is None:
            continue
        count, candidates = leading
        start, end = words[0].start(), words[count - 1].end()
        features = {c.place.feature for c in candidates}
        state = any(c.place.feature == "admin1" and c.place.country_code in context for c in candidates)
        body = _strip_possessive(words[count].group(0)).lower() in LOCAL_BODY_WORDS
        if (
            kinds.names_an_area(text[start:end])
            or (state and "country" not in features)
            or (body and "country" not in features and _town_in(candidates, context))
        ):
            found.append((start, end))
    return found


def leading_place(
    text: str, words: Sequence[tuple[int, int]], gazetteer: Gazetteer
) -> tuple[int, list[Candidate]] | None:
    """How many of a name's first words (spans in text) name a place by its own name, and that place's
    candidates: the longest such lead of at most MAX_PLACE_WORDS, and fewer words than the whole name, decides
    what the name is named after ("Kansas City Power & Light" starts with a city, not with the state)."""
    for count in range(min(MAX_PLACE_WORDS, len(words) - 1), 0, -1):
        candidates = [
            c for c in gazetteer.candidates(text[words[0][0] : words[count - 1][1]]) if not c.by_alternate_name
        ]
        if candidates:
            return count, candidates
    return None


def _is_town_with_body(
    text: str, end: int, words: Sequence[re.Match[str]], gazetteer: Gazetteer, context: frozenset[str]
) -> bool:
    """An ORG span that is a town of the article's countries followed by its own body in lower case."""
    after = BODY_AFTER_RE.match(text, end)
    if not words or after is None or after.group(1) not in LOCAL_BODY_WORDS:
        return False
    candidates = [c for c in gazetteer.candidates(text[words[0].start() : words[-1].end()]) if not c.by_alternate_name]
    return all(c.place.feature != "country" for c in candidates) and _town_in(candidates, context)


def _town_in(candidates: Sequence[Candidate], context: frozenset[str]) -> bool:
    """Whether one of the name's places is a town in the article's countries: a body abroad is no cue."""
    return any(c.place.feature == "city" and c.place.country_code in context for c in candidates)


def _strip_possessive(word: str) -> str:
    """The word without "'s" ("Sheriff's Office" is the sheriff's)."""
    return re.sub(r"['’]s?$", "", word)


def located_places(
    text: str, entities: Sequence[Entity], gazetteer: Gazetteer, context: frozenset[str]
) -> list[tuple[int, int]]:
    """Spans of the places an ORG/FAC span ends on after "in", "at" or "on" ("St. John's Lutheran School in
    Lombard", "Brookhaven National Laboratory on Long Island"): the model ran the body's name on into where it
    is, which the article names; a town must lie in one of the article's countries (context, alpha-3)."""
    found = []
    for entity in entities:
        if entity.label not in ("ORG", "FAC"):
            continue
        seat = SEAT_AFTER_RE.search(text, entity.start, surface_bounds(text, entity.start, entity.end)[1])
        if seat is None:
            continue
        candidates = [c for c in gazetteer.candidates(seat.group(1)) if not c.by_alternate_name]
        if any(not c.place.is_local or c.place.country_code in context for c in candidates):
            found.append(seat.span(1))
    return found
