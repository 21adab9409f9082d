"""From a page's HTML to the article's text and metadata (pure: bytes in, values out).

trafilatura does boilerplate removal and metadata; this module only decides what the pipeline keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from trafilatura.settings import Document

from pipeline.dates import metadata_date

AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|\|)\s*")
BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Extraction time and memory grow with the markup (300,000 links in 4.8 MB: 42 s and 1 GB); news pages have a
# few thousand tags, so a page with more is refused rather than allowed to stall the normalize task.
MAX_TAGS = 50_000
# C0 and C1 control characters (NUL, ESC, DEL, CSI, ...) and lone UTF-16 surrogates, which no text should
# carry and which break terminals, CSV exports and Arrow's UTF-8 strings; text keeps its tabs and newlines.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\s]+")


class ExtractionError(ValueError):
    """The page yields no usable article; ``reason_code`` says why."""

    def __init__(self, url: str, reason_code: str, detail: str) -> None:
        super().__init__(f"{url}: {detail}")
        self.url = url
        self.reason_code = reason_code
        self.detail = detail


@dataclass(frozen=True)
class ExtractedPage:
    """What the page itself says about the article."""

    title: str
    summary: str | None
    text: str
    authors: list[str]
    canonical_url: str | None
    published_at: datetime | None
    word_count: int


def clean_line(value: str | None) -> str:
    """A one-line field (title, summary, author): control characters and line breaks become one space."""
    return LINE_BREAKING.sub(" ", value or "").strip()


def clean_text(value: str | None) -> str:
    """Article text: control characters dropped, newlines and tabs kept."""
    return CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def count_words(text: str) -> int:
    """Words as an analyst counts them (hyphenated and apostrophe forms are one word)."""
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


def extract_page(html: bytes | str, url: str, *, min_words: int) -> ExtractedPage:
    """Main text and metadata of an article page; raises ExtractionError when there is no article."""
    tags = html.count(b"<") if isinstance(html, bytes) else html.count("<")
    if tags > MAX_TAGS:
        raise ExtractionError(url, "too_complex", f"{tags} tags, more than the {MAX_TAGS} an article page needs")
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except (ValueError, TypeError) as exc:
        raise ExtractionError(url, "parse_error", f"trafilatura could not parse the page: {exc}") from exc
    if not isinstance(doc, Document) or not doc.text:
        raise ExtractionError(url, "empty_text", "no main text found in the page")
    title = (doc.title or "").strip()
    text = _drop_heading(doc.text, title) if title else doc.text
    words = count_words(text)
    if words < min_words:
        raise ExtractionError(url, "empty_text", f"main text has {words} words, fewer than {min_words}")
    if not title:
        raise ExtractionError(url, "no_title", "the page has no title")
    canonical = doc.url if doc.url and doc.url.startswith(("http://", "https://")) else None
    return ExtractedPage(
        title=title,
        summary=(doc.description or "").strip() or None,
        text=text,
        authors=split_authors(doc.author),
        canonical_url=canonical,
        published_at=metadata_date(html),
        word_count=words,
    )
