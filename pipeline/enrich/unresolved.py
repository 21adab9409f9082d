"""Places the NER model names that the gazetteer cannot place: location rows without a GeoNames entry.

A county, a street, a river or a world region ("Madison County", "Main Street", "Middle East") is a place
the article names even when no package shipped offline holds a point for it; dropping it loses the place.
Such a row keeps the name as written (name and canonical) with a null id, country, feature and point.

Only a name that says it is a place is kept so: a world region (pipeline/data/regions.yml), or a name whose
head or lead word is a kind of place (pipeline/data/unresolved_places.yml: "... County", "... Street",
"Lake ..."). The model also tags buildings, offices and people's names GPE or FAC ("City Hall", "Henderson
County Jail", "Saakashvili"); a name the gazetteer cannot confirm needs its own words to make it a place.
The rules that say a span is no place still hold: a span inside an actor's name, a demonym, a name before
an agreement word ("Pretoria agreement") or a calendar word is none.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pipeline.enrich.entities import Entity
from pipeline.enrich.folding import SpanIndex, fold, surface_bounds
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.place_words import AGREEMENT_WORDS, CALENDAR_WORDS
from pipeline.records import Location

UNRESOLVED_LABELS = frozenset(["GPE", "LOC", "FAC"])
NEXT_WORD_RE = re.compile(r"\s+([^\W\d_]+)")
INITIAL_RE = re.compile(r"[A-Z]\.")
KINDS_FILE = Path(__file__).resolve().parent.parent / "data" / "unresolved_places.yml"


@dataclass(frozen=True)
class PlaceKinds:
    """Words that make a name a place: as its last word (heads, of which areas even for an actor's label, and
    streets where the words before say so) or its first (leads), lower case; surnames: heads that also end
    people's names, which make a place of an actor's label only where the words before say so."""

    heads: frozenset[str]
    leads: frozenset[str]
    areas: frozenset[str]
    streets: frozenset[str]
    surnames: frozenset[str]

    def names_a_place(self, surface: str) -> bool:
        """A name of two words or more led or ended by a capitalized place-kind word ("Laurel County", "Lake
        Lanier"; not "Pacific island"), with no lower-case word in it but "of" ("Bay of Bengal"; not "City Hall
        on Main Street", two names)."""
        words = surface.split()
        if any(word[:1].islower() and word != "of" for word in words):
            return False
        return len(words) > 1 and any(
            word[:1].isupper() and word.lower() in kinds
            for word, kinds in ((words[-1], self.heads), (words[0], self.leads))
        )

    def ends_in_a_place_word(self, surface: str) -> bool:
        """A place name ended by a capitalized place-kind word ("Freeborn Lake", "Acadia Drive"): no person or
        body is so called, but for a word that also ends people's names ("Linda Park") and a name with an
        initial in it ("Virginia L. Lane")."""
        words = surface.split()
        last = words[-1].lower() if words else ""
        return (
            self.names_a_place(surface)
            and last in self.heads - self.surnames
            and not any(INITIAL_RE.fullmatch(word) for word in words)
        )

    def names_an_area(self, surface: str) -> bool:
        """A name ended by a capitalized area word ("Madison County"): a place whatever the model's label."""
        words = surface.split()
        return len(words) > 1 and words[-1][:1].isupper() and words[-1].lower() in self.areas

    def names_a_street(self, surface: str) -> bool:
        """A place name ended by a street's head word ("Bucknell Drive", "E. Broad St.")."""
        words = surface.split()
        return self.names_a_place(surface) and words[-1].lower() in self.streets


@cache
def read_place_kinds(path: Path = KINDS_FILE) -> PlaceKinds:
    """The word lists of pipeline/data/unresolved_places.yml."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    keys = ("heads", "leads", "areas", "streets", "surnames")
    return PlaceKinds(*(frozenset(w.lower() for w in raw[key]) for key in keys))


def unresolved_places(
    text: str, entities: Sequence[Entity], taken: Sequence[tuple[int, int]], gazetteer: Gazetteer
) -> list[Location]:
    """A location row per distinct place name the model tagged GPE/LOC/FAC that no rule claimed.

    taken: the spans of actors, demonyms and place mentions (resolved or not): what the rules decided.
    """
    claimed = SpanIndex(taken)
    surfaces: dict[str, Counter[str]] = {}
    for entity in entities:
        if entity.label not in UNRESOLVED_LABELS:
            continue
        start, end = surface_bounds(text, entity.start, entity.end)
        surface = text[start:end]
        if start >= end or claimed.overlaps(start, end) or not _is_place_name(text, surface, end):
            continue
        if not (gazetteer.is_region_name(surface) or read_place_kinds().names_a_place(surface)):
            continue
        surfaces.setdefault(fold(surface), Counter())[surface] += 1
    return [
        Location(
            name=(name := max(forms, key=lambda s: (forms[s], len(s)))),
            canonical=name,
            geonameid=None,
            country_code=None,
            feature=None,
            latitude=None,
            longitude=None,
            mentions=sum(forms.values()),
        )
        for forms in surfaces.values()
    ]


def _is_place_name(text: str, surface: str, end: int) -> bool:
    """A capitalized name that is neither a calendar word nor the head of an agreement's name."""
    if not any(ch.isupper() for ch in surface) or fold(surface) in CALENDAR_WORDS:
        return False
    follow = NEXT_WORD_RE.match(text, end)
    return follow is None or follow.group(1).lower() not in AGREEMENT_WORDS
