from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.dev.sample_site import SAMPLE_SITE

pytestmark = pytest.mark.unit
SEED_PAGE = SAMPLE_SITE / "voa" / "a" / "iraq-syria-border-7891234.html"


def test_extract_prints_what_normalize_makes_of_a_page(capsys: pytest.CaptureFixture[str]) -> None:
    feed_date = "2024-12-01T09:30:00+02:00"
    code = main(["extract", str(SEED_PAGE), "--url", "https://www.voanews.com/a/x.html", "--feed-date", feed_date])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert result["title"] == "Iraq wary of spillover as Syria's Aleppo falls to rebels"
    assert result["language"] == "en"
    assert result["published_at"] == "2024-12-01 07:30:00+00:00"
    assert result["published_at_source"] == "feed"
    assert "Aleppo" in result["text"] and result["word_count"] > 100


def test_a_rejected_page_prints_its_reason_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>Nothing</title></head><body><p>Watch the video.</p></body></html>")
    code = main(["extract", str(page)])
    assert code == 1
    assert json.loads(capsys.readouterr().out)["rejected"] == "empty_text"


def test_a_missing_page_file_is_one_line_saying_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["extract", str(tmp_path / "missing.html")])
    assert code == 2
    missing = tmp_path / "missing.html"
    assert capsys.readouterr().err.strip() == f"error: cannot read {missing}: No such file or directory"
