"""The NER model's PERSON and ORG spans sorted into people, organizations, and places despite the label."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.enrich.countries import CountryTable
from pipeline.enrich.entities import Entity, Sentence
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.names import (
    has_org_word,
    is_non_actor_name,
    is_organization_name,
    is_person_name,
    name_tokens,
    strip_leading_titles,
)
from pipeline.enrich.normalize import fold, overlaps, surface_bounds
from pipeline.enrich.places import is_toponym

PLACE_OVER_NAME_MIN_POPULATION = 1_000_000


def _is_sentence_initial_word(text: str, start: int, end: int, sentences: Sequence[Sentence]) -> bool:
    """A lone Title-case word that is capitalized only where sentences start ("Turnout was 53%")."""
    surface = text[start:end]
    if " " in surface or not surface.istitle() or "-" in surface:
        return False
    starts = {s + len(text[s:e]) - len(text[s:e].lstrip()) for s, e in sentences}
    occurrences = [m.start() for m in re.finditer(rf"(?<![\w\-]){re.escape(surface)}(?![\w\-])", text)]
    return bool(occurrences) and all(position in starts for position in occurrences)


def _split_spans(text: str, entity: Entity) -> list[tuple[int, int]]:
    """An NER span cut where it glues two names: "Davao, Duterte's" -> "Davao", "Duterte"."""
    start, end = surface_bounds(text, entity.start, entity.end)
    parts = []
    for match in re.finditer(r"[^,]+", text[start:end]):
        part_start, part_end = surface_bounds(text, start + match.start(), start + match.end())
        while part_start < part_end and text[part_start].isspace():
            part_start += 1
        if part_start < part_end:
            parts.append((part_start, part_end))
    return parts


def ner_candidates(
    text: str,
    entities: Sequence[Entity],
    sentences: Sequence[Sentence],
    claimed: list[tuple[int, int]],
    countries: CountryTable,
    gazetteer: Gazetteer,
    context: frozenset[str],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """PERSON and ORG spans that are people, organizations, or (despite the label) places.

    An ORG-tagged span that is a person's name given elsewhere in full ("Sharif" after "Shehbaz Sharif",
    "Bidzina Ivanishvili" when "Ivanishvili" is tagged PERSON) is a person.
    """
    people: list[tuple[int, int]] = []
    organizations: list[tuple[int, int]] = []
    places: list[tuple[int, int]] = []
    person_tokens = [
        name_tokens(text[e.start : e.end])
        for e in entities
        if e.label == "PERSON" and " " in text[e.start : e.end].strip()
    ]
    single_people = {fold(text[e.start : e.end]) for e in entities if e.label == "PERSON"}
    for entity in entities:
        if entity.label not in ("PERSON", "ORG"):
            continue
        parts = _split_spans(text, entity)
        for start, end in parts:
            label = entity.label
            if label == "PERSON":
                start = strip_leading_titles(text, start, end)
                tail = re.search(r"\s+of\s+([A-Z][\w\s\-]*)$", text[start:end])
                if tail and gazetteer.is_place_name(tail.group(1), 0):
                    places.append((start + tail.start(1), end))
                    end = start + tail.start()
            surface = text[start:end]
            if start >= end or overlaps(start, end, claimed):
                continue
            tokens = name_tokens(surface)
            is_known_person = any(tokens <= known and tokens != known for known in person_tokens)
            if (
                label == "ORG"
                and tokens
                and (is_known_person or (fold(surface).split()[-1] in single_people and not has_org_word(surface)))
            ):
                label = "PERSON"
            if not is_known_person and is_toponym(text, start, end, gazetteer, context):
                places.append((start, end))
                continue
            if gazetteer.is_place_name(surface, PLACE_OVER_NAME_MIN_POPULATION):
                if len(parts) > 1:
                    places.append((start, end))
                continue
            if _is_context_capital(surface, gazetteer, context):
                places.append((start, end))
                continue
            if is_non_actor_name(text, start, end, gazetteer):
                continue
            if not is_known_person and _is_sentence_initial_word(text, start, end, sentences):
                continue
            if label == "PERSON" and is_person_name(surface, countries):
                people.append((start, end))
            elif label == "ORG" and is_organization_name(surface, countries):
                organizations.append((start, end))
    return people, organizations, places


def _is_context_capital(surface: str, gazetteer: Gazetteer, context: frozenset[str]) -> bool:
    """The capital of a country the article is about ("Bratislava wanted assurances"): a place, not a name."""
    return any(
        c.place.is_capital and c.place.country_code in context and not c.by_alternate_name
        for c in gazetteer.candidates(surface)
    )
