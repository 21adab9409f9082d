"""The bundled sample site's manifest, as expectations a test can assert against."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipeline.dev.sample_site import SAMPLE_SITE
from pipeline.net.urls import article_id, canonicalize_url

# The domain each sample feed's pages name in their canonical links (their real outlets'), trusted as
# config/sources.yml trusts it: the site is served on loopback.
CANONICAL_DOMAINS = {
    "voa-sample": "voanews.com",
    "aljazeera-sample": "aljazeera.com",
    "herald-sample": "eastlakesherald.com",
}


@dataclass(frozen=True)
class Expected:
    """What one run over the sample site must publish and quarantine."""

    published: dict[str, dict[str, Any]]  # article_id -> manifest entry
    quarantined: dict[str, str]  # path -> reason_code


def manifest_entries() -> list[dict[str, Any]]:
    manifest: dict[str, Any] = json.loads((SAMPLE_SITE / "manifest.json").read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = manifest["entries"]
    return entries


def expected_outcome() -> Expected:
    published: dict[str, dict[str, Any]] = {}
    quarantined: dict[str, str] = {}
    for entry in manifest_entries():
        if entry["expect"] == "published":
            published.setdefault(article_id(canonicalize_url(entry["canonical_url"])), entry)
        else:
            quarantined[entry["path"]] = entry["reason_code"]
    return Expected(published, quarantined)


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
