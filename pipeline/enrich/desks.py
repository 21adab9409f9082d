"""News desks: "-- Prague Newsroom, +420 2 2423 0003", "Wall Street Desk", "the Canberra Bureau".

A wire story's contact line names the desk that filed it: an organization, though the NER model reads its
city as a place ("Prague"), its words as a person's name ("Warsaw Newsroom"), or nothing at all. The desk's
name is one or more capitalized words ending in a desk word, and it replaces whatever entity the model put
inside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.enrich.entities import Entity, replaced, trim_span
from pipeline.enrich.lexicon import DESK_WORDS

DESK_RE = re.compile(rf"\b(?:[A-Z][\w.&'’\-]*[ \t]+){{1,3}}(?:{'|'.join(sorted(DESK_WORDS))})\b")


def with_desks(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """The entities, with every desk's name an ORG entity and the model's entities inside it dropped."""
    desks = []
    for match in DESK_RE.finditer(text):
        start, end = trim_span(text, match.start(), match.end(), "ORG")
        if len(text[start:end].split()) > 1:
            desks.append(Entity(start, end, "ORG"))
    return replaced(entities, desks)
