"""Surface-text helpers shared by actor and place matching: case folding, possessives, word boundaries."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate

CURLY_APOSTROPHES = ("\u2019", "\u2018", "\u02bc", "\u2032")
POSSESSIVE_RE = re.compile(r"(?:'s|')$")
LEADING_ARTICLE_RE = re.compile(r"^(?:the|The)\s+")


def fold(surface: str) -> str:
    """Key for case- and accent-insensitive lookups: "Erdoğan’s" and "erdogan's" fold alike."""
    if surface.isascii():
        return " ".join(surface.lower().split())
    decomposed = unicodedata.normalize("NFKD", straight_apostrophes(surface))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def lower_same_length(text: str) -> str:
    """Lower-case text with straight apostrophes, keeping every character at its offset."""
    straight = straight_apostrophes(text)
    lowered = straight.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in straight)


def straight_apostrophes(text: str) -> str:
    """Text with typographic apostrophes made straight; offsets are unchanged. One str.replace per kind found:
    str.translate looks every character of an article up in a Python mapping."""
    for curly in CURLY_APOSTROPHES:
        if curly in text:
            text = text.replace(curly, "'")
    return text


def clean_surface(surface: str) -> str:
    """A mention as a name: no leading "the", no trailing possessive, no surrounding punctuation."""
    cleaned = LEADING_ARTICLE_RE.sub("", surface.strip())
    cleaned = POSSESSIVE_RE.sub("", straight_apostrophes(cleaned)).strip(' ,;:"()[]')
    return " ".join(cleaned.split())


def surface_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the cleaned surface inside text[start:end] (article and possessive trimmed)."""
    span = text[start:end]
    match = LEADING_ARTICLE_RE.match(span)
    if match:
        start += match.end()
    tail = straight_apostrophes(text[start:end])
    possessive = POSSESSIVE_RE.search(tail)
    if possessive and end - start > len(possessive.group(0)):
        end -= len(possessive.group(0))
    while end > start and text[end - 1] in ' ,;:"()[]':
        end -= 1
    return start, end


def is_word_boundary(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is not glued to letters or digits on either side."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True when [start, end) overlaps any of spans."""
    return any(start < span_end and span_start < end for span_start, span_end in spans)


class SpanIndex:
    """Spans tested many times over, as overlaps tests them: sorted by start, with the furthest end reached
    so far, so that a test is a bisection, not a scan of an article's every claimed span."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._furthest = list(accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps any of the spans: one that starts before ``end`` ends after ``start``."""
        before = bisect_left(self._starts, end)
        return before > 0 and self._furthest[before - 1] > start
