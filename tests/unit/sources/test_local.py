"""Reading an analyst's folder: the seed text format, saved pages, JSONL, and the folder's boundary."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.extract.document import from_payload
from pipeline.sources.local import (
    LocalArticle,
    LocalFileError,
    article_files,
    raw_kind_of,
    read_article_file,
    to_payload,
)

pytestmark = pytest.mark.unit
CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "local" / "corpus"


def test_the_seed_text_format_gives_summary_paragraphs_and_source_domain() -> None:
    [article] = read_article_file(CORPUS / "2026" / "kharkiv-energy.txt")
    assert isinstance(article, LocalArticle)
    assert article.source_domain == "www.voanews.com"
    assert article.summary is not None and article.summary.startswith("Russian drones and missiles struck")
    assert article.title == (
        "Russian drones and missiles struck energy facilities around Kharkiv overnight, "
        "leaving tens of thousands without heating as temperatures fell below freezing."
    )
    assert article.text is not None and article.text.count("\n") == 2
    assert "Original Source" not in article.text
    assert article.published_at is None  # the text carries no date and none is invented


def test_a_saved_page_keeps_its_html_canonical_url_and_metadata_date() -> None:
    [article] = read_article_file(CORPUS / "saved-page.html")
    assert isinstance(article, LocalArticle)
    assert article.url == "https://www.example-herald.com/africa/mali-fuel-talks"
    assert article.published_at == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert article.html is not None and article.text is None


def test_jsonl_lines_are_articles_and_bad_lines_are_errors_naming_the_line() -> None:
    found = read_article_file(CORPUS / "wire.jsonl")
    good = [a for a in found if isinstance(a, LocalArticle)]
    bad = [e for e in found if isinstance(e, LocalFileError)]
    assert [a.published_at for a in good] == [
        datetime(2026, 11, 20, 14, 30, tzinfo=UTC),
        datetime(2026, 11, 21, 8, tzinfo=UTC),
    ]
    assert good[0].authors == ["Ana Rivas"]
    assert [(e.url.rsplit(":", 1)[1], e.reason_code) for e in bad] == [("3", "missing_field"), ("4", "parse_error")]


def test_text_articles_round_trip_through_their_raw_payload() -> None:
    [article] = read_article_file(CORPUS / "2026" / "kharkiv-energy.txt")
    assert isinstance(article, LocalArticle)
    doc = from_payload(to_payload(article, "https://voanews.com/newsflow-local/x.txt"))
    assert doc is not None
    assert (doc["title"], doc["text"], doc["url"]) == (
        article.title,
        article.text,
        "https://voanews.com/newsflow-local/x.txt",
    )


def test_text_articles_are_stored_as_documents_and_saved_pages_as_pages() -> None:
    [text] = read_article_file(CORPUS / "2026" / "kharkiv-energy.txt")
    [saved] = read_article_file(CORPUS / "saved-page.html")
    assert isinstance(text, LocalArticle) and isinstance(saved, LocalArticle)
    assert (raw_kind_of(text), raw_kind_of(saved)) == ("document", "page")


def test_symlinks_leading_out_of_the_folder_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    secret = tmp_path / "secret.txt"
    secret.write_text("summary\nparagraph\n", encoding="utf-8")
    os.symlink(secret, root / "escape.txt")
    os.symlink(tmp_path, root / "loop-dir")
    os.symlink(root / "wire.jsonl", root / "inside.jsonl")

    found = list(article_files(root))

    refused = [f for f in found if isinstance(f, LocalFileError)]
    read = sorted(str(Path(f).relative_to(root.resolve())) for f in found if isinstance(f, Path))
    assert [(Path(e.url).name, e.reason_code) for e in refused] == [("escape.txt", "path_outside_source")]
    assert read == ["2026/kharkiv-energy.txt", "inside.jsonl", "saved-page.html", "wire.jsonl"]


def test_unsupported_oversized_and_empty_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "big.txt").write_text("x\n" * 100, encoding="utf-8")
    (tmp_path / "short.txt").write_text("only a summary\nOriginal Source: example.org\n", encoding="utf-8")
    [pdf] = read_article_file(tmp_path / "a.pdf")
    [big] = read_article_file(tmp_path / "big.txt", max_bytes=50)
    [short] = read_article_file(tmp_path / "short.txt")
    assert [getattr(e, "reason_code", None) for e in (pdf, big, short)] == [
        "unsupported_file",
        "too_large",
        "empty_text",
    ]


def test_jsonl_lines_end_at_newlines_only_not_at_separators_json_allows_inside_strings() -> None:
    found = read_article_file(CORPUS.parent / "line-separators.jsonl")
    assert all(isinstance(a, LocalArticle) for a in found), found
    first, second = found
    assert isinstance(first, LocalArticle) and isinstance(second, LocalArticle)
    assert [(a.line, a.url) for a in (first, second)] == [
        (1, "https://www.example-gazette.org/politics/2026/11/21/assembly-vote"),
        (2, "https://www.example-gazette.org/world/2026/11/21/port-strike"),
    ]
    assert first.text is not None and "\u2028The speaker" in first.text and "\u0085Opposition" in first.text
    assert second.published_at == datetime(2026, 11, 21, 17, 30, tzinfo=UTC)
