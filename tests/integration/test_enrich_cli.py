"""`python -m pipeline enrich PATH...`: an analyst's own files through the DAG's code path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.dev.sample_site import SAMPLE_SITE
from pipeline.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration
SEED = PROJECT_ROOT / "samples" / "seed" / "seed_article.txt"
SEED_EXPECTED = SEED.with_suffix(".expected.json")
PAGE = SAMPLE_SITE / "aje" / "news" / "2026" / "11" / "24" / "gaza-ceasefire-talks-resume-in-cairo.html"


def test_txt_html_and_jsonl_articles_come_out_as_typed_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus.jsonl"
    record = {
        "url": "https://www.example.org/2026/11/20/kharkiv",
        "title": "Strikes on Kharkiv",
        "text": "KHARKIV, Ukraine — Russian missiles struck energy facilities in Kharkiv overnight, officials said. "
        * 5,
        "published_at": "2026-11-20T08:00:00Z",
    }
    corpus.write_text(json.dumps(record) + "\n" + "{not json\n", encoding="utf-8")

    code = main(["enrich", str(SEED), str(PAGE), str(corpus)])

    out, err = capsys.readouterr()
    assert code == 0
    rows = {row["url"]: row for row in map(json.loads, out.splitlines())}
    assert len(rows) == 3
    [seed] = [r for r in rows.values() if r["url"].endswith("seed_article.txt")]
    gold = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    assert {(a["canonical"], a["type"], a["country_code"]) for a in seed["actors"]} == {
        (a["canonical"], a["type"], a["country_code"]) for a in gold["actors"]
    }
    assert {p["geonameid"] for p in seed["locations"]} == {p["geonameid"] for p in gold["locations"]}
    assert seed["source_domain"] == "voanews.com" and seed["ner_applied"] is True
    kharkiv = rows[record["url"]]
    assert kharkiv["published_at"].startswith("2026-11-20 08:00:00") and kharkiv["published_at_source"] == "metadata"
    assert any(p["canonical"] == "Kharkiv" for p in kharkiv["locations"])
    assert "aljazeera.com" in {r["source_domain"] for r in rows.values()}
    assert "corpus.jsonl:2" in err and "rejected [discover/" in err


def test_a_path_that_is_not_an_article_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = tmp_path / "notes.pdf"
    odd.write_bytes(b"%PDF-1.4")
    assert main(["enrich", str(odd)]) == 2
    assert "notes.pdf: not a folder or a" in capsys.readouterr().err


def test_a_missing_file_is_named_as_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["enrich", str(tmp_path / "nowhere.txt")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'nowhere.txt'}: no such file or folder\n"


def test_an_empty_folder_is_an_error_not_silence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "corpus"
    (empty / "notes").mkdir(parents=True)
    (empty / "notes" / "todo.md").write_text("not an article")

    assert main(["enrich", str(empty)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"error: {empty}: an empty folder (no .htm/.html/.jsonl/.txt files")


def test_a_rejected_article_is_named_by_the_users_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "short.txt").write_text("only a summary line\n", encoding="utf-8")
    single = tmp_path / "alone.txt"
    single.write_text("one line too\n", encoding="utf-8")

    assert main(["enrich", str(folder), str(single)]) == 1  # nothing enriched, everything rejected
    err = capsys.readouterr().err
    rejected = sorted(line for line in err.splitlines() if line.startswith("rejected"))
    assert rejected == [
        f"rejected [discover/empty_text] {path}: expected a summary line and at least one paragraph"
        for path in sorted([single, folder / "short.txt"])
    ]
    assert "newsflow-enrich-" not in err  # no temporary copy is named
