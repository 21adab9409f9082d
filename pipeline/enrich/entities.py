"""What the NER model hands to the rule layer: entity spans and sentence spans, as plain values, with each
span trimmed to the name it holds.

The model's spans carry what is no part of a name: a leading "the", a possessive, quotes and brackets, a
date glued on ("GLASGOW 1996-12-07"), a line break running into the next line (a table header), a dash or
slash between two names ("COAL - Lantau Peak", "Dampier / Kaohsiung"), an organization's lower-case
descriptor ("the Xinhua news agency"). Such a span is trimmed to its name, or cut into the names it holds,
never dropped: dropping it loses a real entity. The model also cuts one name in two ("Movement for a
Democratic" + "Slovakia"): two organization spans with only a space between are one name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.enrich.folding import overlaps
from pipeline.enrich.lexicon import NAME_PARTICLES, ORG_DESCRIPTOR_NOUNS


@dataclass(frozen=True)
class Entity:
    """An NER entity: character offsets into the article text and the model's label."""

    start: int
    end: int
    label: str


Sentence = tuple[int, int]

NAME_LABELS = frozenset(["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"])
# Around a name: spaces, quotes, brackets, dashes and list punctuation; a final period stays ("Fla.", "U.S.").
LEADING_JUNK_RE = re.compile(r"^(?:[\s\"'“”‘’()\[\]{},;:*•\-–—/]+|(?:the|The|THE)\s+)+")
TRAILING_JUNK_RE = re.compile(r"(?:[\s\"“”‘()\[\]{},;:*•\-–—/]+|\s*['’]s?)+$")
# A number at either end ("1996-12-07", "1st", "3-2"): a date, a score or an ordinal, no part of a name. An
# organization's or a facility's name may end in one ("Channel 4", "Group 3"): there only a date or a phone
# number ("Desk +1 212") is cut.
NUMBER = r"\+?\d[\d\-/.:,]*(?:st|nd|rd|th)?"
DATE = r"\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\+\d[\d\-]*(?:\s\d[\d\-]*)*"
NUMBERED_LABELS = frozenset(["ORG", "FAC"])
LEADING_NUMBER_RE = {False: re.compile(rf"^(?:{NUMBER})\s+"), True: re.compile(rf"^(?:{DATE})\s+")}
TRAILING_NUMBER_RE = {False: re.compile(rf"\s+(?:{NUMBER})$"), True: re.compile(rf"\s+(?:{DATE})$")}
# Where one name ends and another starts inside a span: a line break, a spaced dash or slash, a colon.
PART_RE = re.compile(r"(?:[^\n:\s]|:(?!\s)|[ \t](?![-–—/][ \t])(?<![ \t][-–—/][ \t]))+")
UNCLOSED_BRACKET_RE = re.compile(r"\s*\([^)]*$")
# Lower-case words ending an organization's span, the last a descriptor: "news agency", "refugee agency".
DESCRIPTOR_NOUN = rf"[ \t]+(?:{'|'.join(sorted(ORG_DESCRIPTOR_NOUNS))})\b"
TRAILING_DESCRIPTOR_RE = re.compile(rf"(?:[ \t]+[a-z][\w\-]*)*{DESCRIPTOR_NOUN}$")
# Descriptor nouns right after a name: "Xinhua news agency" (a name is not read across other words).
DESCRIPTOR_AFTER_RE = re.compile(rf"(?:{DESCRIPTOR_NOUN})+")
# The capitalized word right after a person's span, on its line: where a name the span ends on a particle goes on.
NEXT_NAME_WORD_RE = re.compile(r"[ \t]+[A-Z][\w'’\-]*")


def replaced(entities: Sequence[Entity], found: Sequence[Entity]) -> list[Entity]:
    """The entities with those a rule found in place of every entity they overlap, in text order: a rule that
    reads a dateline, a byline, a desk or a company's name knows better than the model's spans there."""
    if not found:
        return list(entities)
    spans = [(e.start, e.end) for e in found]
    kept = [e for e in entities if not overlaps(e.start, e.end, spans)]
    return sorted([*kept, *found], key=lambda e: (e.start, e.end))


def trim_span(text: str, start: int, end: int, label: str = "PERSON") -> tuple[int, int]:
    """The span without what surrounds the name in it; start == end when nothing of a name is left.

    A bracket the span opens but does not close ends the name: "National League for Democracy (NLD".
    """
    numbered = label in NUMBERED_LABELS
    while start < end:
        span = text[start:end]
        lead = LEADING_JUNK_RE.match(span) or LEADING_NUMBER_RE[numbered].match(span)
        trail = (
            TRAILING_JUNK_RE.search(span)
            or TRAILING_NUMBER_RE[numbered].search(span)
            or UNCLOSED_BRACKET_RE.search(span, 1)
        )
        if lead is None and trail is None:
            break
        if lead is not None:
            start += lead.end()
        if trail is not None and start < end - (len(span) - trail.start()):
            end -= len(span) - trail.start()
        elif trail is not None:
            end = start
    return start, end


def with_descriptor(text: str, end: int) -> int:
    """Where a lower-case descriptor right after a name ends ("Xinhua" -> "Xinhua news agency"), else end."""
    descriptor = DESCRIPTOR_AFTER_RE.match(text, end)
    return descriptor.end() if descriptor else end


def trim_descriptor(text: str, start: int, end: int) -> int:
    """Where an organization's name ends once a lower-case descriptor after it is off ("Interfax news")."""
    descriptor = TRAILING_DESCRIPTOR_RE.search(text, start, end)
    return descriptor.start() if descriptor and descriptor.start() > start else end


def with_particle_completed(text: str, start: int, end: int) -> int:
    """Where a person's name ends when the span stops on a particle ("Gilbert Le" of "Gilbert Le Gras",
    "Abdul Aziz al" of "Abdul Aziz al Saud"): a particle is followed by the name it belongs to."""
    words = text[start:end].split()
    if len(words) < 2 or words[-1].lower() not in NAME_PARTICLES:
        return end
    after = NEXT_NAME_WORD_RE.match(text, end)
    return after.end() if after else end


def join_split_organizations(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """Organization spans with nothing but spaces between them merged into one ("Movement for a Democratic"
    "Slovakia"): a name goes on across a space, two names are parted by punctuation or a word."""
    joined: list[Entity] = []
    for entity in entities:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.label == entity.label == "ORG"
            and previous.end < entity.start
            and text[previous.end : entity.start].strip(" ") == ""
        ):
            joined[-1] = Entity(previous.start, entity.end, "ORG")
        else:
            joined.append(entity)
    return joined


def clean_entities(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """Every name-labelled span cut where one name ends and trimmed to its name (other labels as they are).

    A part keeps its label when a letter is left in it; a part that is no name at all (a lone date, a
    bracket) is dropped.
    """
    cleaned: list[Entity] = []
    for entity in entities:
        if entity.label not in NAME_LABELS:
            cleaned.append(entity)
            continue
        for line in PART_RE.finditer(text, entity.start, entity.end):
            start, end = trim_span(text, line.start(), line.end(), entity.label)
            if entity.label == "ORG":
                start, end = trim_span(text, start, trim_descriptor(text, start, end), entity.label)
            if entity.label == "PERSON":
                end = with_particle_completed(text, start, end)
            if any(ch.isalpha() for ch in text[start:end]):
                cleaned.append(Entity(start, end, entity.label))
    return join_split_organizations(text, cleaned)
