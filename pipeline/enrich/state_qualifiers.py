"""A town named with its state or province after a comma, mostly abbreviated: "born in Churchill, Man.", "a
couple from Melville, Sask.", "Wainwright, Alta., by train", "all of Hugo, Oklahoma".

News writes a smaller town so (AP style), and the abbreviation pins it: the model often tags neither (it
takes "Churchill" for an organization and leaves "Man." alone), yet both are places the article names. The
pair is taken only when the abbreviation names a first-level division and the gazetteer has a town of that
name inside it, so a person's name before a comma ("Smith, Ind.") is no town unless one is so called there.
"""

from __future__ import annotations

import re

from pipeline.enrich.gazetteer import Gazetteer

TOWN = r"[A-Z][\w'’\-]*(?:\s[A-Z][\w'’\-]*){0,2}"
DIVISION = r"[A-Z][a-z]{1,4}\.|(?:[A-Z]\.){2,3}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?"
TOWN_STATE_RE = re.compile(rf"(?<![\w.])({TOWN}),\s({DIVISION})(?![\w])")


def qualified_towns(text: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    """The spans of each town and of the division after it, where the division holds the town;
    of the words before the comma, the last ones that name such a town ("born in Churchill")."""
    spans = []
    for match in TOWN_STATE_RE.finditer(text):
        states = [c.place for c in gazetteer.candidates(match.group(2)) if c.place.feature == "admin1"]
        if not states:
            continue
        words = match.group(1).split()
        for count in range(len(words), 0, -1):
            start = match.end(1) - len(" ".join(words[-count:]))
            towns = [c.place for c in gazetteer.candidates(text[start : match.end(1)]) if c.place.feature == "city"]
            if any(t.country_code == s.country_code and t.admin1 == s.admin1 for t in towns for s in states):
                spans += [(start, match.end(1)), match.span(2)]
                break
    return spans
