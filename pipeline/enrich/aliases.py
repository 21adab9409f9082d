"""The curated actor dictionary (pipeline/data/actor_aliases.yml) and an Aho-Corasick matcher over it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast, get_args

import ahocorasick
import yaml

from pipeline.enrich.folding import fold, is_word_boundary, lower_same_length
from pipeline.errors import DataFileError
from pipeline.records import ActorType

ALIASES_FILE = Path(__file__).resolve().parent.parent / "data" / "actor_aliases.yml"
ACTOR_TYPES = frozenset(get_args(ActorType))
SHOUTED_WORD_RE = re.compile(r"[A-Z]{2,}")


class AliasFileError(DataFileError):
    """The actor dictionary is malformed; reason names the offending entry."""


@dataclass(frozen=True)
class AliasEntry:
    """One real-world actor of the dictionary."""

    canonical: str
    type: ActorType
    country: str | None
    role: str | None
    aliases: tuple[str, ...]
    affiliations: tuple[str, ...] = ()

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The canonical name and every alias."""
        return (self.canonical, *self.aliases)


@dataclass(frozen=True)
class AliasMatch:
    """A dictionary surface form found in the text."""

    start: int
    end: int
    entry: int


def parse_alias_entries(raw: Any, valid_countries: frozenset[str], path: Path = ALIASES_FILE) -> list[AliasEntry]:
    """Validate the YAML document: known types and countries, and no surface form claimed by two actors."""
    if not isinstance(raw, list):
        raise AliasFileError(path, "expected a list of entries")
    entries: list[AliasEntry] = []
    owner: dict[str, str] = {}
    for position, item in enumerate(raw):
        if not isinstance(item, Mapping) or not item.get("canonical"):
            raise AliasFileError(path, f"entry {position} has no canonical name")
        canonical = str(item["canonical"])
        actor_type = item.get("type")
        if actor_type not in ACTOR_TYPES:
            raise AliasFileError(path, f"{canonical}: type {actor_type!r} is not one of {sorted(ACTOR_TYPES)}")
        country = item.get("country")
        if country is not None and country not in valid_countries:
            raise AliasFileError(path, f"{canonical}: country {country!r} is not an ISO alpha-3 code")
        aliases = tuple(str(alias) for alias in item.get("aliases") or [])
        for surface in (canonical, *aliases):
            key = surface if surface.isupper() else fold(surface)
            if owner.setdefault(key, canonical) != canonical:
                raise AliasFileError(path, f"alias {surface!r} belongs to both {owner[key]} and {canonical}")
        role = item.get("role")
        affiliations = tuple(str(form) for form in item.get("affiliations") or [])
        entries.append(
            AliasEntry(
                canonical, cast(ActorType, actor_type), country, str(role) if role else None, aliases, affiliations
            )
        )
    return entries


def read_alias_entries(valid_countries: frozenset[str], path: Path = ALIASES_FILE) -> list[AliasEntry]:
    """Read and validate the dictionary file."""
    return parse_alias_entries(yaml.safe_load(path.read_text(encoding="utf-8")), valid_countries, path)


class AliasMatcher:
    """Finds dictionary surface forms in text in one Aho-Corasick pass.

    An all-caps alias (ISIS, UN) matches only in that exact case and not inside shouted text; any other
    alias matches case-insensitively, except that an alias written with a capital must start with one in the
    text too, so "Trump" never matches the verb "trump".
    """

    def __init__(self, entries: Sequence[AliasEntry]) -> None:
        self.entries = list(entries)
        self._automaton = ahocorasick.Automaton()
        keyed: dict[str, list[tuple[int, str]]] = {}
        for index, entry in enumerate(self.entries):
            for surface in entry.surface_forms:
                for variant in {surface, _strip_accents(surface)}:
                    keyed.setdefault(variant.lower(), []).append((index, variant))
        for key, owners in keyed.items():
            self._automaton.add_word(key, (len(key), tuple(owners)))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[AliasMatch]:
        """Non-overlapping matches, longest leftmost first."""
        lowered = lower_same_length(text)
        found: list[tuple[int, int, int]] = []
        for last, (length, owners) in self._automaton.iter(lowered):
            start, end = last + 1 - length, last + 1
            if not is_word_boundary(text, start, end):
                continue
            written = text[start:end]
            for entry, alias in owners:
                if _case_agrees(alias, written) and not (alias.isupper() and is_shouted(text, start, end)):
                    found.append((start, end, entry))
                    break
        found.sort(key=lambda match: (match[0], -match[1]))
        matches: list[AliasMatch] = []
        last_end = -1
        for start, end, entry in found:
            if start >= last_end:
                matches.append(AliasMatch(start, end, entry))
                last_end = end
        return matches


def _strip_accents(surface: str) -> str:
    decomposed = unicodedata.normalize("NFKD", surface)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _case_agrees(alias: str, written: str) -> bool:
    if alias.isupper():
        return written.replace("\u2019", "'") == alias
    return written[0].isupper() or not alias[0].isupper()


def is_shouted(text: str, start: int, end: int) -> bool:
    """True when a neighbouring word is all caps too (a headline), so an acronym-looking word may be prose."""
    before = text[max(0, start - 30) : start].split()
    after = text[end : end + 30].split()
    neighbours = [word.strip(".,;:!?\"'()") for word in (before[-1:] + after[:1])]
    return any(SHOUTED_WORD_RE.fullmatch(word) for word in neighbours)
