"""A person's role and country from the words around a mention: titles, appositives, quoted experts.

"Turkish President Recep Tayyip Erdogan" -> (President, TUR); "X, Iraq's foreign minister," -> (Foreign
Minister, IRQ); a person who "indicated"/"said" something in the sentence after "analysts caution ..." is an
analyst.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.enrich.entities import Sentence
from pipeline.enrich.lexicon import (
    EXPERT_PLURALS,
    LEAD_INS,
    LOWERCASE_QUALIFIERS,
    OF_OBJECTS,
    REPORTING_VERBS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    TITLE_HEADS,
)

WORD_RE = re.compile(r"[^\W_][\w.’'\-]*|,")


CountryOfWord = Callable[[str], str | None]


@dataclass(frozen=True)
class RoleContext:
    """What the text says about a person: a role phrase and/or a country (alpha-3)."""

    role: str | None
    country: str | None


def render_role(words: Sequence[str]) -> str:
    """Formal titles in Title Case ("Prime Minister"), other roles lower-case ("army chief", "analyst")."""
    heads = [word.lower() for word in words if word.lower() in ROLE_HEADS]
    titled = bool(heads) and heads[0] in TITLE_HEADS
    rendered = []
    for word in words:
        lower = word.lower()
        if lower in LOWERCASE_QUALIFIERS or lower == "of":
            rendered.append(lower)
        elif titled:
            rendered.append("-".join(part.capitalize() for part in lower.split("-")))
        else:
            rendered.append(lower)
    return " ".join(rendered)


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def _country(word: str, country_of_word: CountryOfWord) -> str | None:
    return country_of_word(word) or country_of_word(word.rstrip("."))


def role_before(text: str, sentence_start: int, start: int, country_of_word: CountryOfWord) -> RoleContext | None:
    """A title written just before the name: "[Turkish] President X", "Iraq's prime minister, X"."""
    words = _words(text[sentence_start:start])
    i = len(words) - 1
    if i >= 0 and words[i] == ",":
        i -= 1
    if i >= 2 and words[i - 1] == "of" and words[i].lower() in OF_OBJECTS and words[i - 2].lower() in ROLE_HEADS:
        role_words = words[i - 2 : i + 1]
        i -= 3
    elif i >= 0 and words[i].lower() in ROLE_HEADS:
        role_words = [words[i]]
        i -= 1
    else:
        return None
    while i >= 0 and len(role_words) < 5 and words[i].lower() in ROLE_HEADS | ROLE_MODIFIERS:
        role_words.insert(0, words[i])
        i -= 1
    country = _country(words[i], country_of_word) if i >= 0 else None
    return RoleContext(render_role(role_words), country)


def role_after(text: str, end: int, sentence_end: int, country_of_word: CountryOfWord) -> RoleContext | None:
    """An appositive right after the name: "X, an analyst at ...", "X, the Iraqi foreign minister,"."""
    words = _words(text[end:sentence_end])
    if not words or words[0] != ",":
        return None
    i = 1
    if i < len(words) and words[i].lower() in {"the", "a", "an"}:
        i += 1
    country = _country(words[i], country_of_word) if i < len(words) else None
    if country:
        i += 1
    role_words: list[str] = []
    best: list[str] = []
    while i < len(words) and len(role_words) < 6:
        lower = words[i].lower()
        if lower in ROLE_HEADS | ROLE_MODIFIERS:
            role_words.append(words[i])
            if lower in ROLE_HEADS:
                best = list(role_words)
        elif lower == "of" and best and i + 1 < len(words) and words[i + 1].lower() in OF_OBJECTS:
            best = [*role_words, "of", words[i + 1]]
            break
        else:
            break
        i += 1
    return RoleContext(render_role(best), country) if best else None


def role_from_experts(text: str, sentences: Sequence[Sentence], start: int, end: int) -> str | None:
    """The person opening a reporting sentence right after one about analysts (experts, observers) is one."""
    index = next((n for n, (s, e) in enumerate(sentences) if s <= start < e), None)
    if index is None or index == 0:
        return None
    sentence_start, sentence_end = sentences[index]
    if text[sentence_start:start].strip(" ,\n") not in LEAD_INS:
        return None
    if not any(word.lower() in REPORTING_VERBS for word in _words(text[end:sentence_end])):
        return None
    previous_start, previous_end = sentences[index - 1]
    for word in _words(text[previous_start:previous_end]):
        if word.lower() in EXPERT_PLURALS:
            return EXPERT_PLURALS[word.lower()]
    return None
