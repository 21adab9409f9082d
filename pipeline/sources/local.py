"""Articles an analyst already holds: a folder of .txt, .html and .jsonl files (or one such file).

:func:`read_article_file` is the reusable reader (the ``enrich PATH...`` command shares it):

- ``.txt``: the seed article format: first line the summary, then paragraphs, last line
  ``Original Source: <domain>``. There is no headline and no date; the summary's first sentence stands in
  for the headline, and the file's modification time is the only time known (``fetched_fallback``).
- ``.html``: a saved page; normalize extracts it like a fetched one.
- ``.jsonl``: one article per line with ``url``, ``title``, ``text`` and optional ``published_at``,
  ``summary``, ``authors``.

Only regular files under the configured folder are read: symlinks that lead out of it are refused.
Text articles travel through the raw zone as one small JSON document (``pipeline.extract.document``) stored
under the raw kind "document" (pages under "page"), so re-processing reads them back without the folder
and normalize knows a document by its recorded kind, never by what a payload looks like.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pipeline.errors import RefusedInput
from pipeline.extract.dates import metadata_date, plausible, to_utc
from pipeline.extract.document import ARTICLE_FORMAT
from pipeline.net.urls import BadUrlError, check_url
from pipeline.records import CandidateItem
from pipeline.sources.base import Interval, RawPayload, SourceContext, SourceError, stored_payload
from pipeline.sources.config import LocalSourceConfig

SUFFIXES = frozenset({".txt", ".html", ".htm", ".jsonl"})
ORIGINAL_SOURCE = re.compile(r"^\s*Original Source:\s*(\S+)\s*$", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'‘])")
CANONICAL_LINK = re.compile(
    rb"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["']([^"'>\s]+)|"""
    rb"""<meta\b[^>]*\bproperty=["']og:url["'][^>]*\bcontent=["']([^"'>\s]+)""",
    re.IGNORECASE,
)


class LocalFileError(RefusedInput, ValueError):
    """A file (or one line of a .jsonl file) that is not a usable article; names it (``url``: its path, and
    line) and says why."""


@dataclass(frozen=True)
class LocalArticle:
    """One article read from a file. ``html`` is set for pages (text comes from extraction later),
    ``text`` for the plain-text formats."""

    path: str
    line: int | None
    modified_at: datetime
    url: str | None = None
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    html: bytes | None = None
    published_at: datetime | None = None
    source_domain: str | None = None
    authors: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def _first_sentence(text: str) -> str:
    return SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def read_txt(path: Path, data: bytes) -> LocalArticle:
    """The seed format: summary line, paragraphs, ``Original Source: <domain>`` line."""
    try:
        lines = [line.strip() for line in data.decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError as exc:
        raise LocalFileError(str(path), "parse_error", f"not UTF-8 text: {exc}") from exc
    lines = [line for line in lines if line]
    domain = None
    if lines and (match := ORIGINAL_SOURCE.match(lines[-1])):
        domain = match.group(1).lower().removeprefix("http://").removeprefix("https://").strip("/")
        lines = lines[:-1]
    if len(lines) < 2:
        raise LocalFileError(str(path), "empty_text", "expected a summary line and at least one paragraph")
    return LocalArticle(
        path=str(path),
        line=None,
        modified_at=_modified(path),
        title=_first_sentence(lines[0]),
        summary=lines[0],
        text="\n".join(lines[1:]),
        source_domain=domain,
    )


def read_html(path: Path, data: bytes) -> LocalArticle:
    """A saved page; its URL is its rel=canonical / og:url when it states one."""
    match = CANONICAL_LINK.search(data[:200_000])
    url = None
    if match:
        found = (match.group(1) or match.group(2)).decode("utf-8", errors="replace")
        url = found if found.startswith(("http://", "https://")) else None
    return LocalArticle(
        path=str(path),
        line=None,
        modified_at=_modified(path),
        url=url,
        html=data,
        published_at=metadata_date(data),
    )


def _jsonl_article(path: Path, number: int, record: Any, modified: datetime) -> LocalArticle:
    where = f"{path}:{number}"
    if not isinstance(record, dict):
        raise LocalFileError(where, "parse_error", "a line must be a JSON object")
    for key in ("url", "title", "text"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise LocalFileError(where, "missing_field", f"no {key!r} string")
    published = None
    if record.get("published_at") is not None:
        try:
            published = to_utc(datetime.fromisoformat(str(record["published_at"]).replace("Z", "+00:00")))
        except (ValueError, OverflowError) as exc:  # OverflowError: year 9999 west of UTC, year 1 east of it
            raise LocalFileError(where, "bad_date", f"published_at {record['published_at']!r}: {exc}") from exc
    authors, summary = record.get("authors"), record.get("summary")
    return LocalArticle(
        path=str(path),
        line=number,
        modified_at=modified,
        url=record["url"].strip(),
        title=record["title"].strip(),
        summary=summary.strip() or None if isinstance(summary, str) else None,
        text=record["text"].strip(),
        published_at=published,
        authors=[a for a in authors if isinstance(a, str)] if isinstance(authors, list) else [],
    )


def read_jsonl(path: Path, data: bytes) -> list[LocalArticle | LocalFileError]:
    """One article per non-blank line; a bad line is an error for that line only.

    Lines end at "\n" (and "\r\n") only: ``str.splitlines`` also breaks on U+0085, U+2028 and other
    characters JSON allows raw inside a string, which would cut one article into two broken lines.
    """
    modified = _modified(path)
    out: list[LocalArticle | LocalFileError] = []
    for number, line in enumerate(data.decode("utf-8-sig", errors="replace").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            out.append(_jsonl_article(path, number, json.loads(line), modified))
        except json.JSONDecodeError as exc:
            out.append(LocalFileError(f"{path}:{number}", "parse_error", f"not JSON: {exc}"))
        except LocalFileError as exc:
            out.append(exc)
    return out


def read_article_file(path: Path, max_bytes: int = 50_000_000) -> list[LocalArticle | LocalFileError]:
    """The articles of one file (several for .jsonl), each bad one as a LocalFileError in its place."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return [LocalFileError(str(path), "unsupported_file", f"not one of {sorted(SUFFIXES)}")]
    try:
        if path.stat().st_size > max_bytes:
            return [LocalFileError(str(path), "too_large", f"larger than {max_bytes} bytes")]
        data = path.read_bytes()
    except OSError as exc:
        return [LocalFileError(str(path), "read_error", f"cannot read: {exc.strerror}")]
    try:
        if suffix == ".jsonl":
            return list(read_jsonl(path, data))
        return [read_txt(path, data) if suffix == ".txt" else read_html(path, data)]
    except LocalFileError as exc:
        return [exc]


def article_files(root: Path) -> Iterator[Path | LocalFileError]:
    """Article files under ``root`` in a stable order; anything resolving outside it is an error.

    Symlinked folders are not descended into; symlinked files are read only when they resolve inside.
    ``root`` may be one article file, which is then the only one.
    """
    base = root.resolve(strict=True)
    if base.is_file():
        yield base
        return
    for folder, dirs, files in os.walk(base, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.suffix.lower() not in SUFFIXES:
                continue
            real = path.resolve()
            if not real.is_relative_to(base) or not real.is_file():
                yield LocalFileError(str(path), "path_outside_source", f"resolves to {real}, outside {base}")
                continue
            yield path


def local_url(domain: str, relative: str) -> str:
    """A stable URL for an article that has none: its domain and its path in the folder."""
    return f"https://{domain}/newsflow-local/{quote(relative)}"


def to_payload(article: LocalArticle, url: str) -> bytes:
    """The raw-zone form of a text article (pages keep their HTML)."""
    if article.html is not None:
        return article.html
    doc = {
        "format": ARTICLE_FORMAT,
        "url": url,
        "title": article.title,
        "summary": article.summary,
        "text": article.text,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "authors": article.authors,
        "path": article.where,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")


def raw_kind_of(article: LocalArticle) -> str:
    """The raw kind an article is stored under: its page's HTML is a "page", a text article a "document"."""
    return "page" if article.html is not None else "document"


class LocalSource:
    """A folder of articles. An article belongs to the interval holding its publication time (JSONL
    field or page metadata) or, when there is none, its file's modification time."""

    def __init__(self, config: LocalSourceConfig) -> None:
        self.config = config
        self.name = config.name
        self.yields_pages = True

    def discover(self, interval: Interval, ctx: SourceContext) -> Iterable[CandidateItem]:
        root = Path(self.config.path)
        try:
            files = list(article_files(root))
        except OSError as exc:
            raise SourceError(self.name, str(root), "read_error", f"cannot read folder: {exc}") from exc
        items: list[CandidateItem] = []
        now = datetime.now(UTC)  # a stated date before 1995 or in the future is no date: the file's time decides
        for file in files:
            if isinstance(file, LocalFileError):
                ctx.reject(file.url, self.name, file.reason_code, str(file))
                continue
            for article in read_article_file(file, ctx.settings.max_body_bytes):
                if isinstance(article, LocalFileError):
                    ctx.reject(article.url, self.name, article.reason_code, str(article))
                elif (plausible(article.published_at, now) or article.modified_at) in interval:
                    item = self._candidate(article, root, ctx)
                    if item is not None:
                        items.append(item)
        return items

    def fetch(self, item: CandidateItem, ctx: SourceContext) -> RawPayload:
        return stored_payload(item, ctx)

    def _candidate(self, article: LocalArticle, root: Path, ctx: SourceContext) -> CandidateItem | None:
        url = article.url
        if url is None:
            domain = article.source_domain or self.config.default_domain
            if domain is None:
                ctx.reject(article.where, self.name, "no_url", "no URL, no Original Source line, no default_domain")
                return None
            base = root.resolve()
            folder = base.parent if base.is_file() else base
            url = local_url(domain, Path(article.path).resolve().relative_to(folder).as_posix())
        try:
            check_url(url)
        except BadUrlError as exc:
            ctx.reject(article.where, self.name, "bad_url", str(exc))
            return None
        raw_ref = ctx.store.put_raw(ctx.run_id, raw_kind_of(article), to_payload(article, url))
        return CandidateItem(
            url=url,
            source_name=self.name,
            feed_url=None,
            title=article.title,
            summary=article.summary,
            published_at=article.published_at,
            raw_ref=raw_ref,
            fetched_at=article.modified_at,
        )
