"""Companies' names the NER model cuts wrong around their legal form.

"Russ Berrie and Co Inc": the model reads "Russ Berrie" as a person and "Co Inc" as an organization; a span
of legal forms alone is the end of the name before it, joined by "and" or "&". "Motorsport Traditions Ltd
and Creative Marketing & Promotions Inc": one span over two companies; a legal form followed by "and" ends
the first one. "PT Tambang Timah": a legal form written before the name is part of it, and the
capitalized words after it are one company's name, whatever the model made of them ("Telekomunikasi" and
"Indonesia").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.enrich.entities import NAME_LABELS, Entity, replaced, trim_span
from pipeline.enrich.lexicon import CORPORATE_FORMS, LEADING_FORM

# The capitalized words of a name, then "and" or "&", right before a span of legal forms.
OWNER_BEFORE_RE = re.compile(r"(?:[A-Z][\w.'’\-]*[ \t]+){1,4}(?:and|&)[ \t]+$")
FORM_THEN_AND_RE = re.compile(
    rf"(?<=\s)(?P<form>{'|'.join(re.escape(form) for form in sorted(CORPORATE_FORMS, key=len, reverse=True))})"
    r"[ \t]+and[ \t]+(?=[A-Z])",
    re.IGNORECASE,
)
OWNER_WINDOW = 80
LEADING_FORM_ONLY_RE = re.compile(rf"^(?:{LEADING_FORM})[ \t]+(?=[A-Z])")
# A legal form, then the capitalized words of the name it leads.
LEADING_FORM_RE = re.compile(
    rf"(?<![\w.])(?:{LEADING_FORM})[ \t]+(?P<name>[A-Z][\w.&'’\-]*(?:[ \t]+[A-Z][\w.&'’\-]*){{0,4}})"
)


def _only_forms(surface: str) -> bool:
    words = surface.split()
    return bool(words) and all(word.lower() in CORPORATE_FORMS for word in words)


def _split_at_forms(text: str, entity: Entity) -> list[Entity]:
    parts: list[Entity] = []
    start = entity.start
    for match in FORM_THEN_AND_RE.finditer(text, entity.start, entity.end):
        parts.append(Entity(start, match.end("form"), "ORG"))
        start = match.end()
    parts.append(Entity(start, entity.end, "ORG"))
    return parts


def without_leading_form(surface: str) -> str:
    """The name without the legal form written before it: "PT Tambang Timah" -> "Tambang Timah"."""
    return LEADING_FORM_ONLY_RE.sub("", surface)


def _led_by_forms(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """The entities with every name the model tagged right after a leading legal form an ORG span over the
    form and the capitalized words after it ("PT Telekomunikasi Indonesia"). A date after the letters is
    no name ("8 a.m. PT Monday", Pacific time)."""
    starts = {e.start for e in entities if e.label in NAME_LABELS}
    companies = []
    for match in LEADING_FORM_RE.finditer(text):
        if match.start("name") in starts:
            start, end = trim_span(text, match.start(), match.end(), "ORG")
            companies.append(Entity(start, end, "ORG"))
    return replaced(entities, companies)


def company_names(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """The entities with companies' names made whole and two companies in one span parted."""
    entities = _led_by_forms(text, entities)
    result: list[Entity] = []
    for entity in entities:
        if entity.label != "ORG":
            result.append(entity)
            continue
        if _only_forms(text[entity.start : entity.end]):
            owner = OWNER_BEFORE_RE.search(text, max(0, entity.start - OWNER_WINDOW), entity.start)
            if owner is not None:
                result = [e for e in result if e.end <= owner.start()]
                result.append(Entity(owner.start(), entity.end, "ORG"))
                continue
        result.extend(_split_at_forms(text, entity))
    return result
