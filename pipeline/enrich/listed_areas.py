"""Divisions named in a list before a plural area word: "Jackson and Barrow counties", "Douglas, Sarpy and
Lancaster counties", "Geauga and Medina counties".

The area word after the last name makes every name in the list a division of that kind, not the town or the
person of the same name ("Walton", "Clarke", "Shawnee"), though the NER model tags them so or not at all; the
gazetteer then resolves each as an area (places.py), as it does "Madison County".
"""

from __future__ import annotations

import re

from pipeline.enrich.place_words import PLURAL_AREA_WORDS

NAME = r"[A-Z][\w'’.\-]*(?:\s[A-Z][\w'’.\-]*){0,2}"
LISTED_AREAS_RE = re.compile(
    rf"((?:{NAME},\s+)*{NAME},?\s+(?:and|or)\s+{NAME})\s+(?:{'|'.join(sorted(PLURAL_AREA_WORDS))})\b"
)
SEPARATOR_RE = re.compile(r",?\s+(?:and|or)\s+|,\s+")


def listed_areas(text: str) -> list[tuple[int, int]]:
    """The span of each name in a list a plural area word follows."""
    spans = []
    for match in LISTED_AREAS_RE.finditer(text):
        start = match.start(1)
        for part in SEPARATOR_RE.split(match.group(1)):
            offset = text.index(part, start)
            spans.append((offset, offset + len(part)))
            start = offset + len(part)
    return spans
