"""Typed records that travel between stages.

Stages exchange these (or Parquet files of them), never loose dicts, so a field renamed in one stage is a
type error in the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

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
class Quarantined:
    """An input that did not make it, with the stage and a machine-readable reason."""

    url: str
    source: str
    stage: str
    reason_code: str
    reason_detail: str
    raw_ref: str | None = None
