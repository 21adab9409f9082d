"""Places named at the start of an organization's or a building's name: "Texas" in "the Texas Fire Service",
"Henderson County" in "the Henderson County Jail".

The NER model tags such a name as one ORG or FAC span, so the place inside it is never a candidate, yet the
article names the place (the body's or the building's seat). Only a place a local body is named after
is taken: a first-level division (a state, a province) or a county-like area. A country is not: a national
body ("US Central Command", "China Coast Guard") acts for the state wherever it is, the story need not be
set there, and the country is an actor only when named as one; a name that is also a country's is the
country's ("Taiwan Strait Thunder", "Georgia Power"). A town is not either ("Delta Air Lines",
"Cook Children's Medical Center"), nor is the place a street, a park or a river is named after
("California Street", "Mahnomen County Road"): that name is a place of its own. The longest leading name the
gazetteer knows decides ("Kansas City Power & Light" starts with a city, not with the state).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.enrich.entities import Entity
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.unresolved import read_place_kinds

NESTING_LABELS = frozenset(["ORG", "FAC"])
MAX_PLACE_WORDS = 3
WORD_RE = re.compile(r"\S+")


def leading_places(
    text: str, entities: Sequence[Entity], gazetteer: Gazetteer, context: frozenset[str]
) -> list[tuple[int, int]]:
    """Spans of the places that lead ORG/FAC names, each shorter than the name it leads; a state must lie in
    one of the article's countries (context, alpha-3): "Delta Air Lines" in a US story names no Nigerian state."""
    kinds = read_place_kinds()
    found = []
    for entity in entities:
        if entity.label not in NESTING_LABELS:
            continue
        words = list(WORD_RE.finditer(text, entity.start, entity.end))
        if len(words) < 2 or words[-1].group(0).lower() in kinds.heads:
            continue
        for count in range(min(MAX_PLACE_WORDS, len(words) - 1), 0, -1):
            start, end = words[0].start(), words[count - 1].end()
            surface = text[start:end]
            candidates = [c for c in gazetteer.candidates(surface) if not c.by_alternate_name]
            if not candidates:
                continue
            features = {c.place.feature for c in candidates}
            state = any(c.place.feature == "admin1" and c.place.country_code in context for c in candidates)
            if kinds.names_an_area(surface) or (state and "country" not in features):
                found.append((start, end))
            break
    return found
