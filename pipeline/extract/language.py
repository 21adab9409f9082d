"""Language of an article's text as an ISO 639-1 code.

lingua in low-accuracy mode: it is accurate on article-length text, needs no network, and a detector
with every language preloaded costs about 0.6 s and 100 MB once per process.

Names and numbers carry no language but mislead the detector: an English results table or list of names
("Ajax Amsterdam 2 Feyenoord 1 ...") reads as Dutch or Latin. So a text that is mostly capitalized words and
digits is checked again on its lower-case words alone (the function words and verbs that do carry the
language); when the two disagree the detection is unsure, and the page's declared language decides, or else
the language is undetermined (``und``), which enrichment still runs NER on.

Detection costs time in proportion to the text it reads (about 9 ms for 2,000 characters, a fifth of a
page's extraction). Most pages declare their language, and when a short prefix of the text agrees with the
declaration the two independent signals settle it; only a page without a declaration, or one whose prefix
disagrees, is read at full sample length.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # lingua loads only where a text is detected: the enrich stage imports UNDETERMINED alone
    from lingua import Language, LanguageDetector

UNDETERMINED = "und"
SAMPLE_CHARS = 2000
QUICK_CHARS = 300
PROSE_SHARE = 0.5
WORD_RE = re.compile(r"[^\W\d_]+")
HEAD_BYTES = 4096
DECLARED_RE = re.compile(
    rb"<html\b[^>]*?\blang\s*=\s*[\"']?(?P<html>[A-Za-z\-_]+)"
    rb"|<meta\b[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?content\s*=\s*[\"']?(?P<meta>[A-Za-z\-_]+)",
    re.IGNORECASE | re.DOTALL,
)
TAG_RE = re.compile(r"(?P<code>[A-Za-z]{2})(?:[\-_][A-Za-z0-9]+)*")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def _code(language: Language | None) -> str:
    return language.iso_code_639_1.name.lower() if language is not None else UNDETERMINED


def detect_language(text: str, declared: object = None) -> str:
    """ISO 639-1 code of the text's language; when detection is unsure, the declared language (a tag such
    as the page's ``<html lang="en-US">`` or a document's ``language`` field), else ``und``."""
    stated = iso639_1(declared)
    if stated is not None and _code(_detector().detect_language_of(text[:QUICK_CHARS])) == stated:
        return stated
    sample = text[:SAMPLE_CHARS]
    detected = _code(_detector().detect_language_of(sample))
    words = WORD_RE.findall(sample)
    prose = [word for word in words if word[0].islower()]
    if detected != UNDETERMINED and len(prose) >= PROSE_SHARE * len(words):
        return detected
    if prose and _code(_detector().detect_language_of(" ".join(prose))) == detected:
        return detected
    return stated or UNDETERMINED


def iso639_1(tag: object) -> str | None:
    """The two-letter code of a language tag ("en", "en-US", "pt_BR"), or None for anything else."""
    match = TAG_RE.fullmatch(tag.strip()) if isinstance(tag, str) else None
    return match.group("code").lower() if match else None


def declared_language(html: bytes) -> str | None:
    """The two-letter language a page declares in its head (``<html lang="en-US">``, content-language)."""
    match = DECLARED_RE.search(html[:HEAD_BYTES])
    if match is None:
        return None
    return iso639_1((match.group("html") or match.group("meta")).decode("ascii"))
