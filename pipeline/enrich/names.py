"""What a name looks like: a person's, an organization's, or the name of something that does not act."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.enrich.countries import CountryTable
from pipeline.enrich.folding import fold
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.lexicon import (
    GENERIC_ORG_WORDS,
    GIVEN_NAME_FIRST_WORDS,
    GOVERNMENT_WORDS,
    GROUP_WORDS,
    LONG_FORM_FILLERS,
    NAME_PARTICLES,
    NON_ACTOR_FIRST_WORDS,
    NON_ACTOR_FOLLOWERS,
    NON_ACTOR_LAST_WORDS,
    ORG_NAME_WORDS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
)
from pipeline.records import ActorType

NEXT_WORDS_RE = re.compile(r"(?:['’]s)?\s+((?:[a-z][\w\-]*\s?){1,2})")
DIGITS_RE = re.compile(r"\d")
NAME_PART_SEPARATOR_RE = re.compile(r"[\s\-]+")
NAME_TOKENS_CACHE_SIZE = 8192


@lru_cache(maxsize=NAME_TOKENS_CACHE_SIZE)
def name_tokens(surface: str) -> frozenset[str]:
    """Folded name parts without Arabic/European particles: "Bashar al-Assad" -> {bashar, assad}.

    Kept for the last names looked up: every mention of a name, and each alias's forms, are split again.
    """
    parts = NAME_PART_SEPARATOR_RE.split(fold(surface))
    return frozenset(part.strip(".'") for part in parts if part and part.strip(".'") not in NAME_PARTICLES)


def is_person_name(surface: str, countries: CountryTable, *, known: bool = False) -> bool:
    """A plausible personal name: capitalized words, no digits, not just a title or a demonym.

    known: part of a person's full name the article gives ("Jordan" after "Bill Jordan"), so a country or
    demonym spelled the same is no objection.
    """
    words = surface.split()
    return (
        1 <= len(words) <= 6
        and surface[:1].isupper()
        and not DIGITS_RE.search(surface)
        and not all(word.lower() in ROLE_HEADS | ROLE_MODIFIERS for word in words)
        and not (len(words) == 1 and (surface.isupper() or (not known and countries.country_of_word(surface))))
        and bool(name_tokens(surface))
    )


def is_organization_name(surface: str, countries: CountryTable) -> bool:
    """A plausible organization name: capitalized, not a lone generic word, demonym, number or date."""
    words = surface.split()
    if not words or len(words) > 10 or not (surface[:1].isupper() or surface[:1].isdigit()):
        return False
    if not any(ch.isalpha() for ch in surface) or countries.country_of_word(surface):
        return False
    return not (len(words) == 1 and words[0].lower() in GENERIC_ORG_WORDS)


def organization_type(surface: str) -> ActorType:
    """group for armed groups and movements, government for state bodies, organization otherwise."""
    words = {word.lower() for word in surface.split()}
    if words & GROUP_WORDS:
        return "group"
    if words & GOVERNMENT_WORDS:
        return "government"
    return "organization"


def strip_leading_titles(text: str, start: int, end: int) -> int:
    while True:
        match = re.match(r"[^\W\d_][\w\-]*\.?\s+", text[start:end])
        if not match or match.group(0).strip().lower().rstrip(".") not in ROLE_HEADS | ROLE_MODIFIERS:
            return start
        start += match.end()


def is_non_actor_name(text: str, start: int, end: int, gazetteer: Gazetteer, *, person: bool = False) -> bool:
    """Names of things that do not act: laws, operations, storms, weapons, facilities, regions, platforms.

    Read off the name's own first or last word ("... Act", "Operation ...", "Storm ...", "... Dam"), the
    noun right after it ("Patriot air defence systems", "the Shujaiya neighbourhood"), or a medium
    ("wrote on Telegram"). person: the model read a person there, so a first word that is also a given name
    ("Bill Jordan") does not make it a law.
    """
    surface = text[start:end]
    words = surface.split()
    if not words or gazetteer.is_region_name(surface):
        return True
    first = words[0].lower()
    if first in NON_ACTOR_FIRST_WORDS and not (person and len(words) > 1 and first in GIVEN_NAME_FIRST_WORDS):
        return True
    if words[-1].lower() in NON_ACTOR_LAST_WORDS:
        return True
    after = NEXT_WORDS_RE.match(text, end)
    if after and {w.lower() for w in after.group(1).split()} & NON_ACTOR_FOLLOWERS:
        return True
    before = text[max(0, start - 12) : start].split()
    return len(words) == 1 and bool(before) and before[-1] in ("on", "via") and after is None


def initials(surface: str) -> str:
    """Capital initials of a name, fillers skipped: "Lebanese Armed Forces" -> "LAF"."""
    words = [w for w in re.split(r"[\s\-]+", surface) if w]
    return "".join(w[0] for w in words if w[0].isupper() and w.lower() not in LONG_FORM_FILLERS)


def has_org_word(surface: str) -> bool:
    words = {word.lower() for word in re.split(r"[\s\-]+", surface)}
    return bool(words & (GENERIC_ORG_WORDS | GROUP_WORDS | GOVERNMENT_WORDS | ORG_NAME_WORDS)) or " of " in surface
