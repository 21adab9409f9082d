"""Near-duplicate clusters across batches: a later batch can bring an earlier copy (a backfill).

Each batch goes the way production takes it: the enrich stage clusters it (against the published
signatures), validate gates it and publish merges it and records its signatures."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from deltalake import DeltaTable

from pipeline.flows import Run, run_flow
from pipeline.settings import Settings, load_settings
from pipeline.sources.base import Interval
from pipeline.storage.raw import Store
from schemas import ARTICLES
from tests.support.articles import BASE, article_row, article_table

pytestmark = pytest.mark.integration

STORY = (
    "GOMA — Fighting between M23 rebels and pro-government militias flared north of Goma on Friday, forcing "
    "thousands of families to flee toward the city, residents and aid workers said. The United Nations refugee "
    "agency said at least 12,000 people had reached camps on the edge of the city since Thursday. Congo's army "
    "said it repelled an attack on its positions and accused Rwanda of backing the rebels, which Kigali denies."
)
OTHER = (
    "KHARKIV — Russian missiles struck energy facilities overnight, leaving homes without power, officials said. " * 3
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_root=str(tmp_path / "data"), workers=1)


def publish_batch(store: Store, settings: Settings, rows: list[dict[str, Any]], run_id: str) -> None:
    """``rows`` as normalize leaves them, through enrich, validate and publish."""
    normalized = store.write_table(store.staging(run_id, "normalized"), article_table(rows))
    interval = Interval(BASE - timedelta(days=1), BASE + timedelta(days=1))
    run = Run(settings, run_id, interval, windowed=False, paths={"normalized": normalized})
    run_flow(("enrich", "validate", "publish"), run)


def clusters(store: Store) -> dict[str, tuple[str, str | None]]:
    rows = DeltaTable(store.path(ARTICLES.path)).to_pyarrow_table().to_pylist()
    return {r["title"]: (r["duplicate_cluster"], r["duplicate_of"]) for r in rows}


def test_copies_in_one_batch_point_to_the_earliest(settings: Settings) -> None:
    store = Store.from_settings(settings)
    first, copy, other = (
        article_row(1, text=STORY),
        article_row(5, text=STORY + " Reporting by Wire."),
        article_row(2, text=OTHER),
    )

    publish_batch(store, settings, [copy, first, other], "run-1")

    assert clusters(store) == {
        "Story 1": (first["article_id"], None),
        "Story 5": (first["article_id"], first["article_id"]),
        "Story 2": (other["article_id"], None),
    }


def test_an_earlier_copy_arriving_later_repoints_the_published_one(settings: Settings) -> None:
    store = Store.from_settings(settings)
    later = article_row(5, text=STORY)
    publish_batch(store, settings, [later], "scheduled")
    earlier = article_row(1, text=STORY + " Reporting by Wire.", published_at=BASE - timedelta(hours=3))
    earlier["published_date"] = earlier["published_at"].date()

    publish_batch(store, settings, [earlier], "backfill")

    assert clusters(store) == {
        "Story 1": (earlier["article_id"], None),
        "Story 5": (earlier["article_id"], earlier["article_id"]),
    }


def test_rerunning_a_batch_changes_nothing(settings: Settings) -> None:
    store = Store.from_settings(settings)
    rows = [article_row(1, text=STORY), article_row(5, text=STORY + " Reporting by Wire.")]
    publish_batch(store, settings, [dict(r) for r in rows], "run-1")
    version = DeltaTable(store.path(ARTICLES.path)).version()

    publish_batch(store, settings, [dict(r) for r in rows], "run-1-again")

    assert DeltaTable(store.path(ARTICLES.path)).version() == version
