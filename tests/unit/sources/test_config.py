from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.settings import PROJECT_ROOT
from pipeline.sources.config import SourcesFileError, SourceTraits, load_sources, parse_sources, source_traits

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
        ("sources:\n  - name: a\n    kind: rss\n    url: ${NOPE_UNSET}/x\n", 4, "NOPE_UNSET is not set"),
        (
            "sources:\n  - name: a\n    kind: rss\n    url: http://x/f\n  - name: Bad Name\n    kind: rss\n    url: http://x/g\n",
            5,
            "name",
        ),
        ("sources:\n  - name: a\n    kind: gopher\n    url: http://x/f\n", 3, "kind"),
        ("sources:\n  - name: a\n    kind: rss\n    url: ftp://x/f\n", 4, "url"),
        ("sources:\n  - name: a\n    kind: rss\n    url: http://x/f\n    colour: red\n", 5, "colour: unknown field"),
        ("sources:\n  - name: a\n    kind: rss\n    ulr: http://x/f\n", 4, "ulr: unknown field (did you mean 'url'?"),
        (
            "sources:\n  - name: a\n    kind: rss\n    url: http://x/f\n  - name: a\n    kind: rss\n    url: http://x/g\n",
            5,
            "duplicate",
        ),
        ("sources: [\n", None, "not valid YAML"),
        ("feeds: []\n", 1, "no 'sources' key"),
        ("sources:\n  - name: a\n    url: http://x/f\n", 2, "kind: missing, one of rss, gdelt, warc, local"),
        (
            "sources:\n  - name: a\n    kind: rss\n    url: http://x/f\n    canonical_domains: [www.voanews.com]\n",
            5,
            "'www.voanews.com' is not a registered domain (write 'voanews.com')",
        ),
        (
            "sources:\n  - name: a\n    kind: rss\n    url: http://x/f\n    canonical_domains: [blogspot.com]\n",
            5,
            "'blogspot.com' is not a registered domain (a public suffix",
        ),
        ("sources:\n  - name: a\n    kind: rss\n    url: http://x/f\n    canonical_domains: voanews.com\n", 5, "tuple"),
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


def test_source_traits_are_read_without_the_variables_the_sources_need(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NEWSFLOW_SAMPLE_SITE", raising=False)
    bundled = PROJECT_ROOT / "config" / "sources.yml"

    traits = source_traits(bundled)
    assert {name: t.country for name, t in traits.items()} == {
        "voa-sample": "USA",
        "aljazeera-sample": "QAT",
        "herald-sample": "KEN",
    }
    assert traits["voa-sample"] == SourceTraits("USA", ("voanews.com",))
    with pytest.raises(SourcesFileError, match="NEWSFLOW_SAMPLE_SITE is not set"):
        load_sources(bundled)


def test_bundled_sources_files_are_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_SAMPLE_SITE", "http://127.0.0.1:1")
    sample = load_sources(PROJECT_ROOT / "config" / "sources.yml")
    assert {s.name: s.canonical_domains for s in sample} == {
        "voa-sample": ("voanews.com",),
        "aljazeera-sample": ("aljazeera.com",),
        "herald-sample": ("eastlakesherald.com",),
    }
    assert len(load_sources(PROJECT_ROOT / "config" / "sources.live.yml")) >= 5


KINDS = """\
sources:
  - name: gdelt-stream
    kind: gdelt
    index_url: http://127.0.0.1:9/gdeltv2/lastupdate.txt
    streams: [gkg, export]
    fetch_pages: true
  - name: cc-news
    kind: warc
    path: archives/cc-news
  - name: analyst-corpus
    kind: local
    path: corpus
    default_domain: example.org
"""


def test_every_kind_has_its_fields_and_relative_paths_follow_the_sources_file(tmp_path: Path) -> None:
    file = tmp_path / "sources.yml"
    file.write_text(KINDS, encoding="utf-8")
    gdelt, warc, local = load_sources(file)
    assert (gdelt.kind, gdelt.streams, gdelt.fetch_pages) == ("gdelt", ("gkg", "export"), True)
    assert warc.kind == "warc" and warc.path == str(tmp_path / "archives" / "cc-news")
    assert local.kind == "local" and local.path == str(tmp_path / "corpus")


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("kind: warc\n    url: http://x/a.warc.gz\n    path: /a", "exactly one of path and url"),
        ("kind: warc", "exactly one of path and url"),
        ("kind: gdelt\n    streams: [mentions]", "streams"),
        ("kind: local", "path: Field required"),
        ("kind: local\n    path: /a\n    url: http://x/", "url: unknown field"),
        ("kind: rss\n    path: /a\n    url: http://x/", "path: unknown field"),
    ],
)
def test_a_field_of_another_kind_or_a_missing_one_is_named_with_its_line(entry: str, reason: str) -> None:
    with pytest.raises(SourcesFileError) as caught:
        parse_sources(
            f"sources:\n  - name: ok\n    kind: rss\n    url: http://x/f\n  - name: a\n    {entry}\n", "s.yml"
        )
    bad_key = reason.partition(":")[0]
    lines = f"name: a\n    {entry}".splitlines()
    offset = next((i for i, line in enumerate(lines) if line.strip().startswith(f"{bad_key}:")), 0)
    assert caught.value.line == 5 + offset
    assert reason in str(caught.value)
