"""Companies' names the NER model cuts wrong around their legal form.

"Russ Berrie and Co Inc": the model reads "Russ Berrie" as a person and "Co Inc" as an organization; a span
of legal forms alone is the end of the name before it, joined by "and" or "&". "Motorsport Traditions Ltd
and Creative Marketing & Promotions Inc": one span over two companies; a legal form followed by "and" ends
the first one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.enrich.entities import Entity
from pipeline.enrich.lexicon import CORPORATE_FORMS

# The capitalized words of a name, then "and" or "&", right before a span of legal forms.
OWNER_BEFORE_RE = re.compile(r"(?:[A-Z][\w.'’\-]*[ \t]+){1,4}(?:and|&)[ \t]+$")
FORM_THEN_AND_RE = re.compile(
    rf"(?<=\s)(?P<form>{'|'.join(re.escape(form) for form in sorted(CORPORATE_FORMS, key=len, reverse=True))})"
    r"[ \t]+and[ \t]+(?=[A-Z])",
    re.IGNORECASE,
)
OWNER_WINDOW = 80


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


def company_names(text: str, entities: Sequence[Entity]) -> list[Entity]:
    """The entities with companies' names made whole and two companies in one span parted."""
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
