from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds
import pytest
from deltalake import DeltaTable

from pipeline.cli import main
from pipeline.storage.articles import publish_articles
from pipeline.storage.export import partitioning
from pipeline.storage.raw import Store
from schemas import ARTICLES
from tests.publishing import batch

pytestmark = pytest.mark.integration


def test_the_flat_export_of_a_date_range_reads_back_equal_to_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(str(tmp_path / "data"), {})
    publish_articles(store, batch(range(0, 120, 5)), "run-1")  # one article every 5 h over 5 days
    monkeypatch.setenv("NEWSFLOW_DATA_ROOT", store.root)
    out = tmp_path / "snapshot"

    assert main(["dataset", "export", "--from", "2026-11-23", "--to", "2026-11-26", "--out", str(out)]) == 0

    printed = json.loads(capsys.readouterr().out)
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    exported = ds.dataset(out, format="parquet", partitioning=partitioning()).to_table()
    day = pc.field("published_date")
    expected = (
        DeltaTable(store.path(ARTICLES.path))
        .to_pyarrow_dataset()
        .to_table(filter=(day >= date(2026, 11, 23)) & (day < date(2026, 11, 26)))
    )
    assert folders == ["published_date=2026-11-23", "published_date=2026-11-24", "published_date=2026-11-25"]
    assert printed["rows"] == exported.num_rows == expected.num_rows > 0
    assert exported.select(expected.column_names).sort_by("article_id").equals(expected.sort_by("article_id"))
    assert json.loads((out / "_snapshot.json").read_text())["table_version"] == 1
