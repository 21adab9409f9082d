"""What the pipeline remembers between runs about a feed: its HTTP validators and last body.

Kept as one small JSON file under the data root, replaced atomically (write aside, then rename), so a
killed task never leaves half a file. Overlapping runs may race on it; the loser only costs one
unconditional GET next time.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass

from pipeline.storage.raw import Store

FEED_STATE = "state/feeds.json"


@dataclass(frozen=True)
class FeedValidators:
    """ETag / Last-Modified of a feed's last 200 response, where that body is in the raw zone, and the
    Content-Type it came with (a 304 re-reads the body as it was served)."""

    etag: str | None
    last_modified: str | None
    raw_ref: str
    content_type: str | None = None

    def conditional_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def load_feed_state(store: Store) -> dict[str, FeedValidators]:
    """Validators by feed URL; an absent or unreadable file is an empty state (next GETs are plain)."""
    fs = store.fs()
    path = store.path(FEED_STATE)
    if not fs.exists(path):
        return {}
    try:
        with fs.open(path, "r", encoding="utf-8") as fh:
            data = json.load(fh)
        return {url: FeedValidators(**entry) for url, entry in data.items()}
    except (ValueError, TypeError):
        return {}


def save_feed_validators(store: Store, feed_url: str, validators: FeedValidators) -> None:
    """Remember one feed's validators (read, update, write aside, rename)."""
    state = load_feed_state(store)
    state[feed_url] = validators
    fs = store.fs()
    path = store.path(FEED_STATE)
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    aside = f"{path}.{uuid.uuid4().hex}.tmp"
    with fs.open(aside, "w", encoding="utf-8") as fh:
        json.dump({url: asdict(v) for url, v in sorted(state.items())}, fh, indent=1)
    fs.mv(aside, path)
