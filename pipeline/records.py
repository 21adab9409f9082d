"""Typed records that travel between stages.

Stages exchange these (or Parquet files of them), never loose dicts, so a field renamed in one stage is a
type error in the next.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, Self

ActorType = Literal["person", "organization", "group", "government", "country", "other"]
Feature = Literal["country", "admin1", "city", "other"]
PublishedAtSource = Literal["url", "metadata", "feed", "page_search", "fetched_fallback"]


@dataclass(frozen=True)
class Actor:
    """One real-world actor named in an article, all its mentions merged."""

    name: str
    canonical: str
    type: ActorType
    country_code: str | None
    role: str | None
    mentions: int


@dataclass(frozen=True)
class Location:
    """One place named in an article, resolved to a GeoNames entry; a place the gazetteer cannot resolve (a
    county, a street, a region) has its written name as canonical and null id, country, feature and point."""

    name: str
    canonical: str
    geonameid: int | None
    country_code: str | None  # None for a place in no one country (a continent) and an unresolved place
    feature: Feature | None
    latitude: float | None
    longitude: float | None
    mentions: int


@dataclass(frozen=True)
class Enrichment:
    """What enrichment adds to an article."""

    actors: list[Actor] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GdeltLocation:
    """A place GDELT geocoded in an article (GKG V2ENHANCEDLOCATIONS or an event's geography)."""

    name: str
    type: str
    country_code: str | None
    fips_country_code: str | None
    adm1_code: str | None
    latitude: float | None
    longitude: float | None
    feature_id: str | None


@dataclass(frozen=True)
class GdeltMetadata:
    """What GDELT says about one article, in our conventions (UTC, ISO alpha-3 countries)."""

    record_id: str
    date: datetime
    source_common_name: str | None
    file_url: str
    page_title: str | None = None
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    locations: list[GdeltLocation] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    tone: float | None = None


@dataclass(frozen=True)
class CandidateItem:
    """An article URL a source listed, with what the listing said about it.

    Archive and folder sources carry the page itself: ``raw_ref`` (already in the raw zone) and
    ``fetched_at`` (capture time), so the fetch stage never goes to the network for them.
    """

    url: str
    source_name: str
    feed_url: str | None
    title: str | None = None
    summary: str | None = None
    published_at: datetime | None = None
    raw_ref: str | None = None
    fetched_at: datetime | None = None
    gdelt: GdeltMetadata | None = None


@dataclass(frozen=True)
class Page:
    """One row of the candidates and fetched staging files (``stages.common.CANDIDATES``/``FETCHED``): a
    listed article, and once fetched, where its page went. The one mapping between a source's listing
    (CandidateItem) and the staging row, whose names say which time and payload is whose: the listing's
    ``feed_published_at``, the stored page of an archive (``stored_raw_ref``, ``captured_at``), the fetched
    page (``raw_ref``, ``fetched_at``, ``final_url``)."""

    url: str
    canonical_url: str
    source_name: str
    source_country: str | None
    feed_url: str | None
    title: str | None = None
    summary: str | None = None
    feed_published_at: datetime | None = None
    stored_raw_ref: str | None = None
    captured_at: datetime | None = None
    final_url: str | None = None
    raw_ref: str | None = None
    fetched_at: datetime | None = None

    @classmethod
    def listed(cls, item: CandidateItem, canonical_url: str, source_country: str | None) -> Self:
        """The candidate of a listed item, before its fetch."""
        return cls(
            url=item.url,
            canonical_url=canonical_url,
            source_name=item.source_name,
            source_country=source_country,
            feed_url=item.feed_url,
            title=item.title,
            summary=item.summary,
            feed_published_at=item.published_at,
            stored_raw_ref=item.raw_ref,
            captured_at=item.fetched_at,
        )

    def item(self) -> CandidateItem:
        """The listing again, as its source's ``fetch`` reads it."""
        return CandidateItem(
            url=self.url,
            source_name=self.source_name,
            feed_url=self.feed_url,
            title=self.title,
            summary=self.summary,
            published_at=self.feed_published_at,
            raw_ref=self.stored_raw_ref,
            fetched_at=self.captured_at,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """A staging row back as a Page (the candidates file has no fetch fields)."""
        values: dict[str, Any] = {f.name: row.get(f.name) for f in fields(cls)}
        return cls(**values)

    def to_row(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Quarantined:
    """An input that did not make it, with the stage and a machine-readable reason."""

    url: str
    source: str
    stage: str
    reason_code: str
    reason_detail: str
    raw_ref: str | None = None
