"""One interface for every kind of source: ``discover(interval, ctx)`` lists candidate articles,
``fetch(item, ctx)`` returns the page's raw payload.

Feeds and GDELT go to the network for pages; archives and folders carry the page in the candidate
(already kept in the raw zone), so fetching them never leaves the machine. The stages see only this
interface, so a new kind is a new module and one line in :data:`KINDS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from pipeline.errors import UserInputError
from pipeline.records import CandidateItem, Quarantined
from pipeline.settings import Settings
from pipeline.sources.config import SourceConfig
from pipeline.storage.raw import Store, raw_kind

if TYPE_CHECKING:  # the HTTP client loads with the sources that use it, not with Interval and the interface
    from pipeline.net.fetcher import Fetcher

KINDS = {
    "rss": "pipeline.sources.rss:RssSource",
    "gdelt": "pipeline.sources.gdelt:GdeltSource",
    "warc": "pipeline.sources.warc:WarcSource",
    "local": "pipeline.sources.local:LocalSource",
}


class IntervalError(UserInputError):
    """An interval whose end comes before its start (or without a timezone)."""


@dataclass(frozen=True)
class Interval:
    """The data interval a run owns: [start, end)."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None or self.end < self.start:
            raise IntervalError(
                f"bad data interval [{self.start}, {self.end}): the start must be timezone-aware and not after the end"
            )

    def __contains__(self, moment: object) -> bool:
        return isinstance(moment, datetime) and self.start <= moment < self.end


class SourceError(Exception):
    """A whole source failed (its feed, index or archive could not be read); names it and says why."""

    def __init__(self, source: str, location: str, reason_code: str, detail: str) -> None:
        super().__init__(f"source {source} ({location}): {reason_code}: {detail}")
        self.source = source
        self.location = location
        self.reason_code = reason_code
        self.detail = detail


@dataclass
class SourceContext:
    """What a source may use during one stage of one run; failures of single inputs collect here."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    run_id: str
    stage: str = "discover"
    failures: list[Quarantined] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    def reject(self, url: str, source: str, reason_code: str, detail: str, raw_ref: str | None = None) -> None:
        """Quarantine one input; the run goes on."""
        self.failures.append(Quarantined(url, source, self.stage, reason_code, detail, raw_ref))


@dataclass(frozen=True)
class RawPayload:
    """A page's bytes, where they finally came from and when, and the raw kind fetch keeps them under
    (a folder source's text article stays a "document", so normalize knows it by its ref)."""

    body: bytes
    final_url: str
    fetched_at: datetime
    kind: str = "page"


class Source(Protocol):
    """A configured source of one kind. ``yields_pages`` False: its items are metadata only (kept in
    their own table) and never go on to fetch and normalize."""

    name: str
    yields_pages: bool

    def discover(self, interval: Interval, ctx: SourceContext) -> Iterable[CandidateItem]:
        """The candidate articles of ``interval``; raises SourceError when the whole source fails."""
        ...

    def fetch(self, item: CandidateItem, ctx: SourceContext) -> RawPayload:
        """The page of ``item``; raises FetchError (with a reason code) when it cannot be had."""
        ...


def build_source(config: SourceConfig) -> Source:
    """The plugin for ``config.kind``; modules are imported on first use only."""
    module, _, cls = KINDS[config.kind].partition(":")
    factory = getattr(importlib.import_module(module), cls)
    source: Source = factory(config)
    return source


def fetch_page(item: CandidateItem, ctx: SourceContext) -> RawPayload:
    """``fetch`` of the sources whose pages live on the web: one polite GET through the Fetcher."""
    response = ctx.fetcher.get(item.url, kind="page")
    return RawPayload(response.body, response.final_url, response.fetched_at)


def stored_payload(item: CandidateItem, ctx: SourceContext) -> RawPayload:
    """``fetch`` of the sources that carried the page at discovery: read it back from the raw zone."""
    from pipeline.net.fetcher import FetchError

    if item.raw_ref is None or item.fetched_at is None:
        raise FetchError(item.url, "bad_url", "an archived item without its stored payload")
    kind = raw_kind(item.raw_ref) or "page"  # get_raw below refuses a ref that names no kind
    return RawPayload(ctx.store.get_raw(item.raw_ref), item.url, item.fetched_at, kind)
