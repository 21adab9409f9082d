"""What the words right around a name say about its kind, whatever label the NER model gave it.

"north of Goma", "western Tigray": a place. "the rights group Foro Penal", "Ukrenergo, which ...", "PT
Tambang Timah": an organization. "billionaire Bidzina Ivanishvili", "Major General Sylvain Ekenge": a
person. "Writing by ...": a credit line, no name at all.
"""

from __future__ import annotations

import re

from pipeline.enrich.entities import with_descriptor
from pipeline.enrich.lexicon import (
    AREA_ADJECTIVES,
    CORPORATE_FORMS,
    LEADING_FORM,
    ORGANIZATION_NOUNS,
    PERSON_NOUNS,
    PLACE_COMPASS_WORDS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    SETTLEMENT_NOUNS,
)
from pipeline.enrich.place_words import STREET_PREPOSITIONS

STRONG_PLACE_CUE_RE = re.compile(
    rf"(?:\b(?:{'|'.join(sorted(PLACE_COMPASS_WORDS))})\s+of\s+(?:the\s+)?"
    r"|\b(?:(?:north|south)(?:east|west)?|east|west)\s+(?:to|from|into|towards?)\s+(?:the\s+)?"
    rf"|\b(?:{'|'.join(sorted(SETTLEMENT_NOUNS))})\s+of\s+(?:the\s+)?"
    rf"|\b(?:{'|'.join(sorted(AREA_ADJECTIVES))})\s+)$",
    re.IGNORECASE,
)
WHICH_AFTER_RE = re.compile(r"['’]?,\s*which\b")
CREDIT_AFTER_RE = re.compile(r"\s+by\b")
PREVIOUS_WORD_RE = re.compile(r"([a-z][\w\-]*),?\s+$")
CUE_WINDOW = 40
STREET_CUE_RE = re.compile(
    rf"(?:\b\d+[A-Za-z]?|\bblock\s+of|\b(?:{'|'.join(sorted(STREET_PREPOSITIONS))}))\s+$", re.IGNORECASE
)
COORDINATED_RE = re.compile(r"(\S+?),?\s+and\s+$")
CORPORATE_AFTER_RE = re.compile(r",?\s+([A-Z][A-Za-z]*\.?|plc)(?![\w\-])")
CORPORATE_BEFORE_RE = re.compile(rf"\b(?:{LEADING_FORM})\s+$")
# What may stand between a person's name and the apposition: a possessive, "of" and a place or a body
# ("Amara Essy of the Ivory Coast, its foreign minister").
APPOSITION_LEAD = r"['’]?(?:\s+of\s+(?:the\s+)?(?:[A-Z][\w.\-]*\s?){1,4})?,\s+"
AGE_APPOSITION_RE = re.compile(APPOSITION_LEAD + r"\d{1,3},")
ROLE_APPOSITION_RE = re.compile(APPOSITION_LEAD + r"(?:(?:the|its|his|her|their|a|an)\s+)?((?:[a-z][\w\-]*\s*){1,4})")


def _previous_word(text: str, start: int) -> str | None:
    """The lower-case word right before a name, across one comma ("the grid operator, Ukrenergo")."""
    match = PREVIOUS_WORD_RE.search(text, max(0, start - CUE_WINDOW), start)
    return match.group(1) if match else None


def has_strong_place_cue(text: str, start: int) -> bool:
    """ "north of X", "west to X", "the edge of X", "the town of X", "western X": words that only stand before
    a place."""
    return STRONG_PLACE_CUE_RE.search(text, max(0, start - CUE_WINDOW), start) is not None


def has_street_cue(text: str, start: int, streets: frozenset[str]) -> bool:
    """A house number or a street's preposition right before the name ("420 Augusta St.", "lives on Bucknell
    Drive", "the 2400 block of Jay Lane"), or another street it is coordinated with ("between Pine Needle Drive
    and Sylvan Road"; streets: the head words of street names, lower case): the name is a street, not the person
    or the body the model took it for."""
    if STREET_CUE_RE.search(text, max(0, start - CUE_WINDOW), start) is not None:
        return True
    coordinated = COORDINATED_RE.search(text, max(0, start - CUE_WINDOW), start)
    return coordinated is not None and coordinated.group(1).lower() in streets


def has_organization_cue(text: str, start: int, end: int) -> bool:
    """An organization noun right before the name, "which" (not "who") or a descriptor ("news agency") right
    after it."""
    return (
        _previous_word(text, start) in ORGANIZATION_NOUNS
        or WHICH_AFTER_RE.match(text, end) is not None
        or with_descriptor(text, end) > end
    )


def has_corporate_form(text: str, start: int, end: int) -> bool:
    """A company's legal form ending the name or right after it ("Homestake Mining Co", "Brewpole BV plc"), or
    "PT" before it ("PT Tambang Timah"): a company, whatever the NER model said."""
    words = text[start:end].split()
    after = CORPORATE_AFTER_RE.match(text, end)
    return (
        (len(words) > 1 and words[-1].lower() in CORPORATE_FORMS)
        or (after is not None and after.group(1).lower() in CORPORATE_FORMS)
        or CORPORATE_BEFORE_RE.search(text, max(0, start - CUE_WINDOW), start) is not None
    )


def has_person_cue(text: str, start: int) -> bool:
    """A role or a noun for a person right before the name: "spokesman X", "billionaire X"."""
    word = _previous_word(text, start)
    return word is not None and (word in ROLE_HEADS or word in PERSON_NOUNS)


def has_person_apposition(text: str, end: int) -> bool:
    """An age or a role set off by commas right after the name, the way news introduces a person: "Darrel
    Voeks, 38, was sentenced", "Amara Essy of the Ivory Coast, its foreign minister". A body is introduced
    by what it is ("Foro Penal, a rights group"), never by an age or a post."""
    if AGE_APPOSITION_RE.match(text, end):
        return True
    role = ROLE_APPOSITION_RE.match(text, end)
    for word in role.group(1).split() if role else ():
        if word in ROLE_HEADS:
            return True
        if word not in ROLE_MODIFIERS:
            return False
    return False


def is_credit_word(text: str, start: int, end: int) -> bool:
    """ "Writing by ...", "Reporting by ...": a credit line's verb, capitalized where the line starts."""
    surface = text[start:end]
    return " " not in surface and surface.endswith("ing") and CREDIT_AFTER_RE.match(text, end) is not None
