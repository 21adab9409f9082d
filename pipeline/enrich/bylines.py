"""Bylines: the reporter's name on its own line between a wire story's headline and its dateline.

"Russia warns Norilsk.\\nLynnley Browning\\nMOSCOW 1996-12-06\\n...": the line right before the dateline
holds nothing but a person's name. The NER model misses it (a name alone on a line) or calls it a
facility or an organization; a line of two to four capitalized words that is no place and holds no
organization's word, standing between the headline and the dateline, is the reporter: a PERSON span.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.enrich.datelines import DATELINE_RE, DATELINE_WINDOW
from pipeline.enrich.entities import Entity, replaced
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.lexicon import NAME_PARTICLES
from pipeline.enrich.names import has_org_word

NAME_WORD_RE = re.compile(r"[A-Z][a-z]+(?:[\-'’][A-Z]?[a-z]+)*|[A-Z]\.")
BYLINE_WORDS = (2, 4)


def byline_people(text: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Spans of the reporters' names on the line before a dateline, below a headline."""
    spans = []
    for match in DATELINE_RE.finditer(text, 0, min(len(text), DATELINE_WINDOW)):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if line_start == 0 or text[line_start : match.start()].strip():
            continue
        start = text.rfind("\n", 0, line_start - 1) + 1
        if start == 0:
            continue
        end = line_start - 1
        if _is_name_line(text[start:end], gazetteer):
            spans.append((start, end))
    return spans


def _is_name_line(line: str, gazetteer: Gazetteer) -> bool:
    """Two to four name-shaped words (particles allowed inside: "Luiz da Silva"), no place, no body."""
    words = line.split()
    low, high = BYLINE_WORDS
    return (
        low <= len(words) <= high
        and line == line.strip()
        and all(_is_name_word(word, 0 < i < len(words) - 1) for i, word in enumerate(words))
        and not has_org_word(line)
        and not gazetteer.candidates(line)
    )


def _is_name_word(word: str, inside: bool) -> bool:
    return NAME_WORD_RE.fullmatch(word) is not None or (inside and word in NAME_PARTICLES)


def with_bylines(text: str, entities: Sequence[Entity], gazetteer: Gazetteer) -> list[Entity]:
    """The entities with every byline a PERSON span, in place of whatever the model had there."""
    return replaced(entities, [Entity(start, end, "PERSON") for start, end in byline_people(text, gazetteer)])
