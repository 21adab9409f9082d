"""A legislator's home after the party letter: "Sen. Tom Bakk, DFL-Cook", "Rep. Barbara Lee, D-Oakland",
"state Rep. Jay Roberts (R-Ocilla)", "Sen. Bob Casey, D-Pa.".

US news writes a legislator's party and the town, county or state the seat is for in this form, after the
name and a comma or inside parentheses. The NER model rarely tags the place there (it sees one token "D-Cook"
or nothing), yet the text names it plainly; the party letter itself says nothing of where. Only a name the
gazetteer knows is taken, the longest the words allow ("R-Elbow Lake" is the town, not "Elbow").
"""

from __future__ import annotations

import re

from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.place_words import PARTY_LETTERS

NAME_WORD = r"[A-Z][\w'’]*\.?(?:[A-Z]\.)*"
PARTY_DISTRICT_RE = re.compile(
    rf"(?:,\s*|\()(?:{'|'.join(sorted(PARTY_LETTERS))})-({NAME_WORD}(?:\s{NAME_WORD}){{0,2}})"
)


def party_districts(text: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """The span of each place named after a party letter, its longest leading words the gazetteer knows."""
    spans = []
    for match in PARTY_DISTRICT_RE.finditer(text):
        start = match.start(1)
        words = match.group(1).split()
        for count in range(len(words), 0, -1):
            name = " ".join(words[:count])
            if gazetteer.candidates(name):
                spans.append((start, start + len(name)))
                break
    return spans
