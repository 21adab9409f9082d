"""From a page's HTML to the article's text and metadata (pure: bytes in, values out).

trafilatura does boilerplate removal and metadata; this module only decides what the pipeline keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import trafilatura
from trafilatura.settings import Document

from pipeline.errors import RefusedInput
from pipeline.extract.dates import METADATA_DATE_PARAMS, parse_htmldate
from pipeline.extract.language import declared_language

AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|\|)\s*")
BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)
# Chinese and Japanese are written without spaces between words: each of their characters (Han ideographs,
# kana) counts as a word, as word processors count them, or a page of Japanese prose would be a few "words".
SPACELESS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{SPACELESS}]|[^\W{SPACELESS}]+(?:[-'’][^\W{SPACELESS}]+)*")
# Extraction time and memory grow with the markup (300,000 links in 4.8 MB: 42 s and 1 GB); news pages have a
# few thousand tags, so a page with more is refused rather than allowed to stall the normalize task.
MAX_TAGS = 50_000
# C0 and C1 control characters (NUL, ESC, DEL, CSI, ...) and lone UTF-16 surrogates, which no text should
# carry and which break terminals, CSV exports and Arrow's UTF-8 strings; text keeps its tabs and newlines.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# The text-choice rule (extract_page): a line of this many words is prose; a text with less than this share of
# its words in prose, or a short one naming a notice, is retried recall-first.
PROSE_LINE_WORDS = 8
PROSE_SHARE = 0.5
NOTICE_MAX_WORDS = 150
NOTICE = re.compile(
    r"\b(?:reprints?|non-commercial use|copies for distribution|cookies?|all rights reserved"
    r"|subscribe|subscription|sign in|log in|newsletter|javascript)\b",
    re.IGNORECASE,
)
# A page that states its publication date is an article even when short (a brief, a teaser before a paywall):
# it needs this share of min_words; an undated short text is a video page, an index, an error page.
BRIEF_SHARE = 1 / 3
LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\s]+")


class ExtractionError(RefusedInput, ValueError):
    """The page yields no usable article; ``reason_code`` says why."""


@dataclass(frozen=True)
class ExtractedPage:
    """What the page itself says about the article, cleaned as it is stored (:func:`clean_line`,
    :func:`clean_text`), with the words of that text counted once."""

    title: str
    summary: str | None
    text: str
    authors: list[str]
    canonical_url: str | None
    published_at: datetime | None  # as the page states it: in its own offset, naive when it states none
    word_count: int
    declared_language: str | None  # the tag the page or document declares, for detection to fall back on


def clean_line(value: str | None) -> str:
    """A one-line field (title, summary, author): control characters and line breaks become one space."""
    return LINE_BREAKING.sub(" ", value or "").strip()


def clean_text(value: str | None) -> str:
    """Article text: control characters dropped, newlines and tabs kept."""
    return CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def count_words(text: str) -> int:
    """Words as an analyst counts them (hyphenated and apostrophe forms are one word; a Chinese or Japanese
    character is one, :data:`SPACELESS`)."""
    return len(WORD.findall(text))


def split_authors(raw: str | None) -> list[str]:
    """Byline string to one name per entry, without 'By' and without repeats."""
    if not raw:
        return []
    names: list[str] = []
    for part in AUTHOR_SPLIT.split(BYLINE_PREFIX.sub("", raw)):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return names


def _drop_heading(text: str, title: str) -> str:
    """trafilatura keeps the <h1> as the first line; the title has its own column."""
    first, _, rest = text.partition("\n")
    return rest.lstrip() if first.strip() == title.strip() else text


def prose_words(text: str) -> int:
    """Words on lines of at least PROSE_LINE_WORDS words: an article's sentences count, a link list, a menu,
    a cookie banner's buttons and a table's rows of names and numbers do not."""
    counts = (count_words(line) for line in text.splitlines())
    return sum(n for n in counts if n >= PROSE_LINE_WORDS)


def looks_like_boilerplate(text: str, min_words: int) -> bool:
    """Whether a precision-first extraction is worth a second, recall-first try: too short, mostly short
    lines (a link list), or a short text that is a notice (reprints, cookies, subscriptions) not an article."""
    words = count_words(text)
    if words < min_words or prose_words(text) < PROSE_SHARE * words:
        return True
    return words < NOTICE_MAX_WORDS and NOTICE.search(text) is not None


def _extract(html: bytes | str, url: str, *, with_metadata: bool, precision: bool) -> Document | None:
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=with_metadata,
            include_comments=False,
            include_tables=True,
            date_extraction_params=METADATA_DATE_PARAMS,
            favor_precision=precision,
            favor_recall=not precision,
        )
    except (ValueError, TypeError) as exc:
        raise ExtractionError(url, "parse_error", f"trafilatura could not parse the page: {exc}") from exc
    return doc if isinstance(doc, Document) else None


def _body(doc: Document | None, title: str) -> str:
    text = (doc.text or "") if doc is not None else ""
    return _drop_heading(text, title) if title and text else text


def extract_page(html: bytes | str, url: str, *, min_words: int) -> ExtractedPage:
    """Main text and metadata of an article page; raises ExtractionError when there is no article.

    Precision first (trafilatura's ``favor_precision``, tables kept: a standings table can be the story).
    Only when that result looks like boilerplate (:func:`looks_like_boilerplate`) or is empty is the page
    extracted again recall-first (``favor_recall``), and the result with more prose words
    (:func:`prose_words`) is kept, the precision one on a tie, the recall one whenever precision found no
    text at all (a video page's caption lines are no prose, yet they are what the page says); most pages
    are extracted once. A dated page needs only :data:`BRIEF_SHARE` of ``min_words``.
    """
    tags = html.count(b"<") if isinstance(html, bytes) else html.count("<")
    if tags > MAX_TAGS:
        raise ExtractionError(url, "too_complex", f"{tags} tags, more than the {MAX_TAGS} an article page needs")
    precise = _extract(html, url, with_metadata=True, precision=True)
    title = ((precise.title if precise is not None else None) or "").strip()
    text = _body(precise, title)
    meta = precise
    if looks_like_boilerplate(text, min_words):
        recalled = _extract(html, url, with_metadata=precise is None, precision=False)
        meta = precise if precise is not None else recalled
        title = ((meta.title if meta is not None else None) or "").strip()
        other = _body(recalled, title)
        if not text or prose_words(other) > prose_words(text) or count_words(text) < min_words <= count_words(other):
            text = other
    if meta is None or not text:
        raise ExtractionError(url, "empty_text", "no main text found in the page")
    published_at = parse_htmldate(meta.date)
    canonical = meta.url if meta.url and meta.url.startswith(("http://", "https://")) else None
    language = declared_language(html if isinstance(html, bytes) else html.encode("utf-8", "replace"))
    needed = min_words if published_at is None else max(1, int(min_words * BRIEF_SHARE))
    fields = (title, meta.description, text, split_authors(meta.author))
    return _checked(url, fields, canonical, published_at, language, needed)


def extract_document(doc: dict[str, Any], url: str, *, min_words: int) -> ExtractedPage:
    """A text article's fields (a folder source's document, already split into fields) as they are; a
    stated date counts as the page's own; raises ExtractionError as :func:`extract_page` does."""
    published_at = datetime.fromisoformat(doc["published_at"]) if doc.get("published_at") else None
    fields = (doc.get("title"), doc.get("summary"), doc.get("text"), list(doc.get("authors") or []))
    return _checked(url, fields, doc.get("url"), published_at, doc.get("language"), min_words)


def _checked(
    url: str,
    fields: tuple[str | None, str | None, str | None, list[str]],
    canonical: str | None,
    published_at: datetime | None,
    language: str | None,
    needed: int,
) -> ExtractedPage:
    """The cleaned article, once its text has the ``needed`` words and its title is not blank with control
    characters removed; its words are counted here, once."""
    raw_title, raw_summary, raw_text, raw_authors = fields
    text, title = clean_text(raw_text), clean_line(raw_title)
    words = count_words(text)
    if words < needed:
        raise ExtractionError(url, "empty_text", f"main text has {words} words, fewer than {needed}")
    if not title:
        raise ExtractionError(url, "no_title", "the page has no title once control characters are removed")
    return ExtractedPage(
        title=title,
        summary=clean_line(raw_summary) or None,
        text=text,
        authors=[name for name in map(clean_line, raw_authors) if name],
        canonical_url=canonical,
        published_at=published_at,
        word_count=words,
        declared_language=language,
    )
