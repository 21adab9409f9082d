from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.settings import PROJECT_ROOT
from pipeline.sources.config import SourcesFileError, load_sources, parse_sources

pytestmark = pytest.mark.unit

GOOD = """\
sources:
  - name: voa-sample
    kind: rss
    url: ${SITE}/feeds/world.rss
    country: USA
  - name: paused-feed
    kind: rss
    url: https://example.org/feed
    enabled: false
"""


def test_env_vars_expand_and_disabled_sources_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE", "http://127.0.0.1:8000")
    sources = parse_sources(GOOD)
    assert [(s.name, s.url, s.country) for s in sources] == [
        ("voa-sample", "http://127.0.0.1:8000/feeds/world.rss", "USA")
    ]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("sources:\n  - name: a\n    kind: rss\n    url: ${NOPE_UNSET}/x\n", 2, "NOPE_UNSET is not set"),
        (
            "sources:\n  - name: a\n    kind: rss\n    url: http://x/f\n  - name: Bad Name\n    kind: rss\n    url: http://x/g\n",
            5,
            "name",
        ),
        ("sources:\n  - name: a\n    kind: gopher\n    url: http://x/f\n", 2, "kind"),
        ("sources:\n  - name: a\n    kind: rss\n    url: ftp://x/f\n", 2, "url"),
        ("sources:\n  - name: a\n    kind: rss\n    url: http://x/f\n    colour: red\n", 2, "colour"),
        (
            "sources:\n  - name: a\n    kind: rss\n    url: http://x/f\n  - name: a\n    kind: rss\n    url: http://x/g\n",
            5,
            "duplicate",
        ),
        ("sources: [\n", None, "not valid YAML"),
        ("feeds: []\n", 1, "no 'sources' key"),
    ],
)
def test_a_bad_entry_is_named_by_file_line_and_reason(text: str, line: int | None, reason: str) -> None:
    with pytest.raises(SourcesFileError) as caught:
        parse_sources(text, "sources.yml")
    assert reason in str(caught.value)
    if line is not None:
        assert caught.value.line == line
        assert str(caught.value).startswith(f"sources.yml:{line}:")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourcesFileError, match="cannot read"):
        load_sources(tmp_path / "absent.yml")


def test_bundled_sources_files_are_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_SAMPLE_SITE", "http://127.0.0.1:1")
    assert len(load_sources(PROJECT_ROOT / "config" / "sources.yml")) >= 2
    assert len(load_sources(PROJECT_ROOT / "config" / "sources.live.yml")) >= 5
