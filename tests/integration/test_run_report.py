"""validate -> publish -> report on a real table: the published-table gate, Data Docs and the run page."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from deltalake import DeltaTable, write_deltalake

from pipeline.dedup import signature
from pipeline.dedup_store import stage_signatures
from pipeline.settings import Settings, load_settings
from pipeline.sources.base import Interval
from pipeline.stages.publish import publish
from pipeline.stages.report import report
from pipeline.stages.validate import validate
from pipeline.storage.raw import Store
from pipeline.validate import PublishedTableInvalid
from schemas import ARTICLES
from tests.articles import BASE, article_row, article_table

pytestmark = pytest.mark.integration
INTERVAL = Interval(BASE + timedelta(hours=2), BASE + timedelta(hours=3))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_root=str(tmp_path / "data"))


def run_once(settings: Settings, run_id: str, rows: list[dict[str, object]]) -> tuple[dict[str, str], dict[str, int]]:
    store = Store.from_settings(settings)
    normalized = store.write_table(store.staging(run_id, "normalized"), article_table(rows))
    stage_signatures(store, run_id, normalized, {str(r["article_id"]): signature(str(r["text"])) for r in rows})
    validated = validate(settings, run_id, normalized, INTERVAL)
    return {"normalized": normalized, "validated": validated}, publish(settings, run_id, validated)


def test_a_run_gets_a_summary_an_html_page_a_chart_and_data_docs(settings: Settings) -> None:
    evil = {**article_row(3)["actors"][0], "canonical": "<script>alert(1)</script>"}
    rows = [article_row(1), article_row(2), article_row(3, actors=[evil], source_name="herald-sample")]
    paths, published = run_once(settings, "run-1", rows)

    summary_path = report(settings, "run-1", paths, published)

    summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))
    page = Path(summary["report_html"]).read_text(encoding="utf-8")
    docs = Path(summary["data_docs"])
    run_dir = Path(summary_path).parent.parent
    assert summary["published"]["rows_inserted"] == 3
    assert summary["by_source"] == {
        "herald-sample": {"normalized": 1, "validated": 1},
        "voa-sample": {"normalized": 2, "validated": 2},
    }
    assert [n for _, n in summary["articles_per_hour"]] == [1, 1, 1]
    assert summary["timeline"] == {
        "unit": "hour",
        "bins": [[(BASE + timedelta(hours=h)).isoformat(), 1] for h in (1, 2, 3)],
        "fetch_dated": 0,
    }
    assert summary["places"] == [
        {
            "name": "Baghdad",
            "country_code": "IRQ",
            "latitude": 33.34058,
            "longitude": 44.40088,
            "articles": 3,
            "mentions": 3,
        }
    ]
    assert summary["locations"] == [{"name": "Baghdad", "mentions": 3, "articles": 3}]
    assert docs == run_dir / "datadocs" / "index.html"
    validation_page = docs.read_text(encoding="utf-8")
    for suite in ("articles_batch", "entities_batch", "articles_schema", "run_profile", "published_table"):
        assert f'href="#{suite}"' in validation_page and f'href="#{suite}"' in page
    assert not re.search(r'(src|href)="(https?:)?//', validation_page + page)  # nothing loads from the network
    assert 'href="../datadocs/index.html"' in page
    assert "herald-sample" in page and "Mohammed Shia al-Sudani" in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert (Path(summary_path).parent / "timeline.png").read_bytes().startswith(b"\x89PNG")
    assert json.loads((run_dir / "summary.json").read_text(encoding="utf-8")) == summary


def test_a_second_report_of_a_run_is_a_new_attempt_and_the_first_stays(settings: Settings) -> None:
    paths, published = run_once(settings, "run-1", [article_row(1)])
    first = Path(report(settings, "run-1", paths, published))
    first_page = (first.parent / "index.html").read_text(encoding="utf-8")

    second = Path(report(settings, "run-1", paths, published, INTERVAL.start, INTERVAL.end))

    assert (first.parent.name, second.parent.name) == ("1", "2")
    assert (first.parent / "index.html").read_text(encoding="utf-8") == first_page
    assert json.loads(second.read_text(encoding="utf-8"))["interval"] == {
        "start": INTERVAL.start.isoformat(),
        "end": INTERVAL.end.isoformat(),
    }
    latest = (first.parent.parent / "index.html").read_text(encoding="utf-8")
    assert 'url=2/index.html"' in latest and 'href="1/index.html"' in latest


def test_publish_stops_naming_the_version_when_the_merged_table_breaks_a_guarantee(settings: Settings) -> None:
    store = Store.from_settings(settings)
    run_once(settings, "run-1", [article_row(1), article_row(2)])
    uri = store.path(ARTICLES.path)
    write_deltalake(uri, article_table([article_row(1, content_hash="sneaked in")]), mode="append")
    broken = DeltaTable(uri).version()

    with pytest.raises(PublishedTableInvalid) as caught:
        run_once(settings, "run-2", [article_row(5)])

    assert caught.value.version == broken + 1
    assert f"at version {broken + 1}" in str(caught.value)
    assert "published_table: expect_column_values_to_be_between on duplicate_rows" in str(caught.value)
    assert str(BASE.date()) in str(caught.value)
    assert Path(caught.value.data_docs or "").exists()
