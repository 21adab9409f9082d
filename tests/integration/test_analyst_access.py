"""What the README promises analysts: pandas, DuckDB and Polars read the published table with typed columns."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest
from deltalake import DeltaTable

from pipeline.settings import PROJECT_ROOT
from pipeline.storage.articles import publish_articles
from pipeline.storage.export import export_range
from pipeline.storage.raw import Store
from schemas import ARTICLES
from tests.articles import BASE
from tests.publishing import batch

pytestmark = pytest.mark.integration


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """./data/published/articles under tmp_path, two publishes committed at 00:00, 01:00 and 02:00 UTC."""
    store = Store(str(tmp_path / "data"), {})
    publish_articles(store, batch(range(0, 12)), "run-1")
    publish_articles(store, batch(range(12, 24), countries=["SYR"]), "run-2")
    log = tmp_path / "data" / "published" / "articles" / "_delta_log"
    for version in range(3):
        when = datetime(2026, 11, 25, version, tzinfo=UTC).timestamp()
        commit = log / f"{version:020d}.json"
        # Both clocks of a commit: its history() timestamp (commitInfo) and the file time load_as_version reads.
        actions = [json.loads(line) for line in commit.read_text(encoding="utf-8").splitlines()]
        for action in actions:
            if "commitInfo" in action:
                action["commitInfo"]["timestamp"] = int(when * 1000)
        commit.write_text("".join(json.dumps(a) + "\n" for a in actions), encoding="utf-8")
        os.utime(commit, (when, when))
    return tmp_path


def test_pandas_duckdb_and_polars_read_the_same_typed_rows(published: Path) -> None:
    path = str(published / "data" / ARTICLES.path)

    frame = DeltaTable(path).to_pandas()
    with duckdb.connect() as con:
        con.register("articles", DeltaTable(path).to_pyarrow_dataset())
        [(duck_rows,)] = con.sql("SELECT count(*) FROM articles").fetchall()
        duck_types = dict(con.sql("SELECT column_name, column_type FROM (DESCRIBE articles)").fetchall())
    lazy = pl.scan_delta(path)
    polars_frame = lazy.collect()

    assert len(frame) == duck_rows == polars_frame.height == 24
    assert isinstance(frame["published_at"].dtype, pd.DatetimeTZDtype) and str(frame["published_at"].dt.tz) == "UTC"
    assert frame["word_count"].dtype == "int32"
    assert (duck_types["published_at"], duck_types["published_date"], duck_types["word_count"]) == (
        "TIMESTAMP WITH TIME ZONE",
        "DATE",
        "INTEGER",
    )
    assert duck_types["countries"] == "VARCHAR[]"
    schema = lazy.collect_schema()
    assert schema["published_at"] == pl.Datetime("us", "UTC")
    assert schema["published_date"] == pl.Date
    assert schema["actors"] == pl.List(
        pl.Struct(
            dict.fromkeys(["name", "canonical", "type"], pl.String)
            | {"country_code": pl.String, "role": pl.String, "mentions": pl.Int32}
        )
    )


def readme_snippets() -> list[str]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Reading the dataset", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_snippets_for_reading_the_table_run_as_written(
    published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snippets = readme_snippets()
    monkeypatch.chdir(published)
    export_range(Store("data", {}), BASE.date(), BASE.date().replace(day=30), "snapshot")

    namespaces = []
    for code in snippets:
        namespace: dict[str, object] = {}
        exec(compile(code, "README.md", "exec"), namespace)
        namespaces.append(namespace)

    assert len(snippets) == 5
    by_name = {k: v for ns in namespaces for k, v in ns.items()}
    assert len(by_name["df"]) == 24  # type: ignore[arg-type]
    assert len(by_name["v1"]) == 12  # type: ignore[arg-type]
    assert by_name["dt"].version() == 2  # type: ignore[attr-defined]
    assert by_name["snapshot"].count_rows() == 24  # type: ignore[attr-defined]


def test_the_readme_time_travel_refuses_a_time_before_the_table_existed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table first committed now (after the README's 2026-11-25 03:00): the snippet says so instead of
    handing back version 0 as if it were the table of that time."""
    publish_articles(Store(str(tmp_path / "data"), {}), batch(range(0, 3)), "run-1")
    [time_travel] = [code for code in readme_snippets() if "load_as_version" in code]
    monkeypatch.chdir(tmp_path)

    with pytest.raises(ValueError, match=r"did not exist yet at 2026-11-25 03:00:00\+00:00: its first commit is"):
        exec(compile(time_travel, "README.md", "exec"), {})
