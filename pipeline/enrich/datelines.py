"""Datelines: the place a wire story was filed from, written before its first sentence.

"GLASGOW 1996-12-07", "BEIRUT (Reuters) -", "WASHINGTON —", "SAN DIEGO, Calif. (AP) --", "COLUMBIA ---",
"BEIRUT: The body ...": a line (or the text after a headline on its line) that starts with a place name in
capitals (or any case when a news agency follows in brackets), then a date, an agency, a dash (one to three)
or a colon. The NER model misses most of them (a
capitalized word alone on a line) or calls them ORG ("BEIRUT (Reuters)"); the name is a place the article
names, so it becomes a GPE span whatever the model said, when the gazetteer knows it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.enrich.entities import Entity, replaced
from pipeline.enrich.gazetteer import Gazetteer

CAPS_WORD = r"[A-Z][A-Z.'’\-]*[A-Z.]"
ANY_WORD = r"[A-Z][\w.'’\-]*"
QUALIFIER = r"(?:,\s*[A-Z][\w.'’\-]*(?:\s[A-Z][\w.'’\-]*)?)?"
AGENCY = r"\([A-Z][\w .&\-]{0,30}\)"
# A dateline starts a line, or follows the headline on its line ("Missing man found. HUDSON -- Officials").
DATELINE_RE = re.compile(
    rf"(?:^|(?<=[.!?] ))[ \t]*(?:(?P<caps>{CAPS_WORD}(?:[ \t]{CAPS_WORD}){{0,3}}){QUALIFIER}[ \t]*"
    rf"(?:\d{{4}}-\d\d-\d\d\b|{AGENCY}|[-–—]{{1,3}}\s|:\s)"
    rf"|(?P<name>{ANY_WORD}(?:[ \t]{ANY_WORD}){{0,3}}){QUALIFIER}[ \t]*{AGENCY}[ \t]*[-–—:])",
    re.MULTILINE,
)
# A dateline stands before the story's first sentence: in the first lines (headline, byline, dateline).
DATELINE_WINDOW = 400


def dateline_places(text: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """Spans of the places datelines name near the start of the text."""
    spans = []
    for match in DATELINE_RE.finditer(text, 0, min(len(text), DATELINE_WINDOW)):
        group = "caps" if match.group("caps") else "name"
        start, end = match.span(group)
        if gazetteer.candidates(text[start:end]):
            spans.append((start, end))
    return spans


def with_datelines(text: str, entities: Sequence[Entity], gazetteer: Gazetteer) -> list[Entity]:
    """The entities with every dateline place a GPE span, in place of whatever the model had there."""
    return replaced(entities, [Entity(start, end, "GPE") for start, end in dateline_places(text, gazetteer)])
