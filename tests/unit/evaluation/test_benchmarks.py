"""Readers of the extraction benchmarks, on tiny folders laid out as the benchmarks' repositories are."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from evaluation.benchmarks import read_body_pages, read_date_pages
from evaluation.corpora import GoldFileError

pytestmark = pytest.mark.unit


def test_article_pages_are_read_with_their_gold_body(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(b"<html><p>Body</p></html>"))
    truth = {"p1": {"url": "https://x.org/a", "articleBody": "Body"}}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    [page] = read_body_pages(tmp_path)
    assert (page.page_id, page.url, page.html, page.body) == (
        "p1",
        "https://x.org/a",
        b"<html><p>Body</p></html>",
        "Body",
    )


def test_a_missing_article_page_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "ground-truth.json").write_text(json.dumps({"p1": {"url": "u", "articleBody": "B"}}))
    with pytest.raises(GoldFileError, match=r"p1\.html\.gz"):
        read_body_pages(tmp_path)


def test_date_pages_come_from_both_subsets_and_absent_files_are_listed(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "a.html").write_bytes(b"<html>a</html>")
    (tmp_path / "eval_default.json").write_text(
        json.dumps({"https://x.org/a": {"file": "a.html", "date": "2020-01-02"}})
    )
    (tmp_path / "eval_mediacloud_2020.json").write_text(
        json.dumps({"https://y.org/b": {"file": "b.html", "date": "x"}})
    )
    pages, absent = read_date_pages(tmp_path)
    assert [(p.url, p.subset, p.day) for p in pages] == [("https://x.org/a", "default", "2020-01-02")]
    assert absent == ["b.html"]


def test_a_folder_that_is_not_htmldates_tests_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GoldFileError, match="no such file"):
        read_date_pages(tmp_path)
