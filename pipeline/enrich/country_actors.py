"""Countries as actors: a country name is an actor only when it is the subject of a sovereign or hostile act
("Russia invaded", "Iran has launched", "Israel struck"), the events a conflict coder would record. Merely
being discussed, or "seeking", "maintaining" or "navigating", keeps it a location. A seat standing for a
state ("the Kremlin") counts as a mention of that country."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.enrich.lexicon import (
    ACT_NOUN_VERBS,
    ACT_NOUNS,
    CLAUSE_BREAKS,
    COUNTRY_ACTION_VERBS,
    ELLIPSIS_AUXILIARIES,
    ELLIPSIS_WORDS,
    EXTRA_ACTION_VERBS,
    MODALS,
    MODIFIED_NOUNS,
    NOT_SUBJECT_BEFORE,
    PASSIVE_ACTION_VERBS,
    SELF_SECURITY_WORDS,
    SUBJECT_INTRODUCERS,
    WINDOW_ACTION_VERBS,
)
from pipeline.records import Actor

COUNTRY_ACTION_RE = re.compile(
    r"\s+(?:(?:has|have|had|will|would|could|may|might|did|does|also|again|reportedly|allegedly|then|now|"
    r"has\s+been|had\s+been|was|were|is)\s+)*(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)\b"
)
RELATIVE_CLAUSE_RE = re.compile(r",\s*(?:which|who|whose)\b[^,.;:]*,")
JOINER_RE = re.compile(r"(?:\b(?:along|together)\s+with|\bas\s+did|\bjoined\s+by)\s+(?:the\s+)?$")
CLAUSE_WORD_RE = re.compile(r"[A-Za-z][\w'’\-]*|[.;:!?\n]")
COORDINATION_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")
ACTION_WINDOW_WORDS = 14
PASSIVE_WINDOW_WORDS = 12


@dataclass(frozen=True)
class CountryMentions:
    """A country's name as the article writes it and every span that names it or its capital."""

    name: str
    canonical: str
    alpha3: str
    mentions: int
    spans: tuple[tuple[int, int], ...]


def _groups(text: str, spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Coordinated country mentions ("Egypt and Qatar", "Argentina, Peru and the United States") as groups."""
    groups: list[list[tuple[int, int, str]]] = []
    for span in sorted(spans):
        previous = groups[-1][-1] if groups else None
        gap = text[previous[1] : span[0]] if previous else ""
        if previous and COORDINATION_RE.fullmatch(gap):
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _acts_as_subject(text: str, start: int, end: int) -> bool:
    """The words after a subject name an act on another party, not an intention or a security measure.

    A relative clause right after the subject ("Ethiopia, which keeps troops there, said ...") is skipped;
    the scan stops where a subordinate clause with its own subject begins ("... since the army seized").
    """
    if text[end : end + 2] in ("'s", "’s") or text[end : end + 1] == "-":
        return False
    following = re.match(r"\s+([a-z]+)", text[end : end + 30])
    if following and following.group(1) in MODIFIED_NOUNS:
        return False
    previous = text[max(0, start - 20) : start].split()
    if previous and not previous[-1].endswith((".", "!", "?", ":", ";")):
        word = previous[-1]
        lowered = word.lower().strip('"“(')
        if lowered in ELLIPSIS_AUXILIARIES and len(previous) > 1 and previous[-2].lower() in ELLIPSIS_WORDS:
            return _elided_act(text, start)
        if lowered in NOT_SUBJECT_BEFORE or (word[:1].islower() and lowered not in SUBJECT_INTRODUCERS):
            return False
    relative = RELATIVE_CLAUSE_RE.match(text, end)
    if relative:
        end = relative.end()
    first = COUNTRY_ACTION_RE.match(text, end)
    if first and first.group("verb") in COUNTRY_ACTION_VERBS | EXTRA_ACTION_VERBS:
        return not _vetoed(text, first.end())
    words = CLAUSE_WORD_RE.findall(text, end, end + 200)[:ACTION_WINDOW_WORDS]
    for index, word in enumerate(words):
        lowered = word.lower()
        if lowered in ".;:!?\n" or lowered in SELF_SECURITY_WORDS or (index < 2 and lowered in MODALS):
            return False
        if index and lowered in CLAUSE_BREAKS:
            return False
        if lowered in WINDOW_ACTION_VERBS or (
            lowered in ACT_NOUNS and index and words[index - 1].lower() in ACT_NOUN_VERBS
        ):
            return not _vetoed(text, end + text[end:].find(word) + len(word))
    return False


def _elided_act(text: str, start: int) -> bool:
    """ "Belgrade does not recognise it, and neither do Russia and China": the act of the clause before."""
    sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    words = [w.lower() for w in CLAUSE_WORD_RE.findall(text, sentence_start, start)]
    return bool(set(words) & (WINDOW_ACTION_VERBS | COUNTRY_ACTION_VERBS))


def _joins_acting(text: str, start: int, acting_starts: Sequence[int]) -> bool:
    """ "X and Y voted against, along with Z": Z joins an act of the same sentence."""
    if not JOINER_RE.search(text[max(0, start - 30) : start]):
        return False
    sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    return any(sentence_start <= other < start for other in acting_starts)


def _vetoed(text: str, position: int) -> bool:
    """A statement about the state's own security or what it will do ("said it had reinforced its border")."""
    words = [w.lower() for w in CLAUSE_WORD_RE.findall(text, position, position + 80)[:8]]
    clause = words[: words.index(".")] if "." in words else words
    return bool(set(clause) & SELF_SECURITY_WORDS) or (
        len(clause) > 1 and clause[0] in ("it", "they") and clause[1] in MODALS
    )


def _passive_agent(text: str, start: int) -> bool:
    """ "brokered ... by the United States", "drafted by France": the country did the act."""
    before = text[max(0, start - 80) : start]
    match = re.search(r"\bby\s+(?:the\s+)?$", before)
    if not match:
        return False
    clause = re.split(r"[.;:!?\n]", before[: match.start()])[-1]
    words = [w.lower() for w in CLAUSE_WORD_RE.findall(clause)][-PASSIVE_WINDOW_WORDS:]
    return bool(set(words) & PASSIVE_ACTION_VERBS)


def country_actors(
    text: str, countries: Sequence[CountryMentions], seats: Sequence[CountryMentions] = ()
) -> list[Actor]:
    """Countries that perform a concrete act on another party somewhere in the article (guideline 1.3).

    A country or its capital ("Moscow says") is an actor when it is the subject of such an act, alone or in
    a list ("Egypt and Qatar mediated"), through a relative clause ("The United States, which helped broker
    a truce, said ..."), or as the agent of a passive ("drafted by France"). Possessives, modifiers, objects
    of prepositions, intentions ("will seek to preserve") and measures for its own security are not acts.
    """
    merged = {country.alpha3: country for country in countries}
    for seat in seats:
        known = merged.get(seat.alpha3)
        if known is None:
            merged[seat.alpha3] = seat
        else:
            count, seat_spans = known.mentions + seat.mentions, known.spans + seat.spans
            merged[seat.alpha3] = CountryMentions(known.name, known.canonical, known.alpha3, count, seat_spans)
    countries = list(merged.values())
    spans = [(start, end, country.alpha3) for country in countries for start, end in country.spans]
    acting: set[str] = set()
    acting_starts: list[int] = []
    for group in _groups(text, spans):
        first, last = group[0], group[-1]
        if (
            _acts_as_subject(text, first[0], last[1])
            or _passive_agent(text, first[0])
            or _joins_acting(text, first[0], acting_starts)
        ):
            acting.update(code for _, _, code in group)
            acting_starts.append(first[0])
    actors = []
    for country in countries:
        if country.alpha3 in acting:
            actors.append(Actor(country.name, country.canonical, "country", country.alpha3, None, country.mentions))
    return actors
