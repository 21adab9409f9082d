"""The sources file under 2,000 mutated and generated YAML documents: validated sources or a
SourcesFileError naming the file (and the line when there is one), never another exception."""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pipeline.sources.config import SOURCE_KINDS, SourcesFileError, parse_sources
from tests.fuzz.strategies import FUZZ, ROOT, mutated, text_of

pytestmark = pytest.mark.unit
PATH = "fuzz/sources.yml"
HANG_S = 60
SEEDS = [p.read_bytes() for p in sorted((ROOT / "config").glob("sources*.yml"))]
VALUES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.sampled_from(["http://example.org/feed.rss", "${HOME}", "${NEWSFLOW_FUZZ_UNSET}", "../..", "GBR", "gkg", "-1"])
)
ENTRIES = st.dictionaries(
    st.sampled_from(
        [
            "name",
            "kind",
            "url",
            "index_url",
            "streams",
            "path",
            "country",
            "enabled",
            "fetch_pages",
            "max_file_bytes",
            "default_domain",
            "extra",
        ]
    ),
    VALUES | st.sampled_from(SOURCE_KINDS) | st.lists(VALUES, max_size=3),
    max_size=7,
)
GENERATED = st.lists(ENTRIES, max_size=4).map(lambda entries: yaml.safe_dump({"sources": entries}).encode())


@FUZZ
@given(mutated(SEEDS) | GENERATED)
def test_any_sources_file_gives_sources_or_an_error_naming_the_file(data: bytes) -> None:
    try:
        sources = parse_sources(text_of(data), PATH)
    except SourcesFileError as exc:
        assert str(exc).startswith(PATH) and exc.reason
        return
    assert len({s.name for s in sources}) == len(sources)
    assert all(s.kind in SOURCE_KINDS and s.enabled for s in sources)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "\n".join(
                ["a0: &a0 {x: y}"]
                + [f"a{n}: &a{n} {{" + ", ".join(f"k{i}: *a{n - 1}" for i in range(10)) + "}" for n in range(1, 9)]
            )
            + "\nsources:\n  - {name: bomb, kind: rss, url: 'http://e.org/f', extra: *a8}\n",
            "expands to more than",
        ),
        ("sources: " + "[" * 3000, "nested too deeply"),
        ("sources:\n  - &a [*a]\n", "recursive"),
        ("sources:\n  - !!python/object/apply:os.system [echo]\n", "not valid YAML"),
    ],
)
def test_hostile_yaml_is_refused_with_a_reason_and_no_hang(text: str, reason: str) -> None:
    started = time.monotonic()
    with pytest.raises(SourcesFileError) as caught:
        parse_sources(text, PATH)
    assert reason in str(caught.value)
    # A guard against a hang or an expansion that never ends, not a speed target (that would be a benchmark):
    # each case takes well under a second on an idle machine and 3.4 s was seen under a full CI load.
    assert time.monotonic() - started < HANG_S
