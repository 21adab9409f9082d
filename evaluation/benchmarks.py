"""Readers of the two public extraction benchmarks, from the folders their repositories unpack to.

- scrapinghub/article-extraction-benchmark: ``ground-truth.json`` maps a page id to its ``url`` and gold
  ``articleBody``; the page is ``html/<id>.html.gz``.
- adbar/htmldate ``tests/``: ``eval_default.json`` (news and blog pages) and ``eval_mediacloud_2020.json``
  (Media Cloud news) map a page's URL to its ``file`` and gold ``date`` (a day, ``YYYY-MM-DD``); the
  file is in ``test_set/``, ``cache/`` or ``eval/`` (htmldate's ``load_document`` looks there in that order).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation.corpora import GoldFileError

HTMLDATE_SETS = {"default": "eval_default.json", "mediacloud": "eval_mediacloud_2020.json"}
HTMLDATE_PAGE_DIRS = ("test_set", "cache", "eval")


@dataclass(frozen=True)
class BodyPage:
    """An article-extraction-benchmark page: its id, URL, raw HTML and gold article body."""

    page_id: str
    url: str
    html: bytes
    body: str


@dataclass(frozen=True)
class DatePage:
    """An htmldate evaluation page: its URL, which subset lists it, raw HTML and gold day."""

    url: str
    subset: str
    html: bytes
    day: str | None


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GoldFileError(path, "no such file") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldFileError(path, f"not readable JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise GoldFileError(path, "expected a JSON object keyed by page")
    return data


def read_body_pages(root: Path, limit: int | None = None) -> list[BodyPage]:
    """The article-extraction-benchmark's pages in id order (the first ``limit`` only, if given)."""
    truth_path = root / "ground-truth.json"
    truth = _json(truth_path)
    pages = []
    for page_id in sorted(truth)[:limit]:
        entry = truth[page_id]
        html_path = root / "html" / f"{page_id}.html.gz"
        if not isinstance(entry, dict) or "articleBody" not in entry:
            raise GoldFileError(truth_path, f"page {page_id}: no articleBody")
        try:
            html = gzip.decompress(html_path.read_bytes())
        except (OSError, EOFError) as exc:
            raise GoldFileError(html_path, f"not a readable gzip page ({exc})") from exc
        pages.append(BodyPage(page_id, str(entry.get("url") or ""), html, str(entry["articleBody"] or "")))
    return pages


def _date_page_file(tests: Path, name: str) -> Path | None:
    return next((p for d in HTMLDATE_PAGE_DIRS if (p := tests / d / name).is_file()), None)


def read_date_pages(tests: Path, limit: int | None = None) -> tuple[list[DatePage], list[str]]:
    """htmldate's evaluation pages, both subsets in file order (the first ``limit`` of each, if given), and
    the files listed but absent (an unpacked copy can lose non-ASCII file names): those are not scored."""
    pages, absent = [], []
    for subset, filename in HTMLDATE_SETS.items():
        listing_path = tests / filename
        for url, entry in list(_json(listing_path).items())[:limit]:
            if not isinstance(entry, dict) or "file" not in entry:
                raise GoldFileError(listing_path, f"{url}: no file named")
            page_path = _date_page_file(tests, entry["file"])
            if page_path is None:
                absent.append(entry["file"])
                continue
            pages.append(DatePage(url, subset, page_path.read_bytes(), entry.get("date")))
    if not pages:
        raise GoldFileError(tests, f"none of the listed pages is in {HTMLDATE_PAGE_DIRS}: not htmldate's tests/ folder")
    return pages, absent
