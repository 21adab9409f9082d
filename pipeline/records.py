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
PublishedAtSource = Literal["metadata", "feed", "url", "fetched_fallback"]


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
    """One place named in an article, resolved to a GeoNames entry."""

    name: str
    canonical: str
    geonameid: int
    country_code: str
    feature: Feature
    latitude: float
    longitude: float
    mentions: int


@dataclass(frozen=True)
class Enrichment:
    """What enrichment adds to an article."""

    actors: list[Actor] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CandidateItem:
    """An article URL a source listed, with what the listing said about it."""

    url: str
    source_name: str
    feed_url: str | None
    title: str | None = None
    summary: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True)
class Quarantined:
    """An input that did not make it, with the stage and a machine-readable reason."""

    url: str
    source: str
    stage: str
    reason_code: str
    reason_detail: str
    raw_ref: str | None = None
