"""Inputs for the property-based tests: the bundled samples, mutated the way hostile or broken input is.

Every fuzz test runs ``EXAMPLES`` inputs (2,000 unless ``NEWSFLOW_FUZZ_EXAMPLES`` says otherwise) with a
derandomized search, so CI sees the same inputs every run and a failure reproduces from the test name.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from pipeline.dev.sample_site import SAMPLE_SITE
from pipeline.quality.conform import type_error
from schemas import ARTICLES

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
EXAMPLES = int(os.environ.get("NEWSFLOW_FUZZ_EXAMPLES", "2000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# Byte strings that break parsers: encodings, entities, markup edges, control characters, absurd dates.
TOKENS: tuple[bytes, ...] = (
    b"\x00",
    b"\x01\x02\x1b\x7f",
    b"\xc2\x85\xc2\x9b",  # C1 controls (NEL, CSI) in UTF-8
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3\x28",  # invalid UTF-8
    b"\xe9t\xe9",  # Latin-1 inside UTF-8
    b"\xed\xa0\x80",  # a UTF-16 surrogate encoded as UTF-8
    "é中文العربية😀".encode(),
    b"\r\n",
    b"\t",
    b"&amp;",
    b"&#0;",
    b"&#x1b;",
    b"&#xD800;",
    b"&nbsp;",
    b"&lol;",
    b"<!DOCTYPE x>",
    b"<![CDATA[",
    b"]]>",
    b"<",
    b">",
    b'"',
    b"'",
    b"</title>",
    b"<title>",
    b"<script>",
    b"<h1>",
    b"<p>",
    b"1900-01-01T00:00:00Z",
    b"3000-01-01T00:00:00Z",
    b"2026-02-30T12:00:00Z",
    b"9999-12-31T23:59:59-05:00",
    b"0001-01-01T00:00:00+05:00",
    b"Thu, 31 Feb 2026 25:61:00 +9900",
    b"99999999999999",
    b"19000101000000",
    b"30000101000000",
    b"http://user:pass@example.com/a",
    b"file:///etc/passwd",
    b"javascript:alert(1)",
    b"http://[::1",
    b"http://example.com:99999/x",
    b"http://127.0.0.1/",
    b"../../../etc/passwd",
    b"${HOME}",
    b"${UNSET_NEWSFLOW_FUZZ_VAR}",
    b"\t\t\t\t",
    b"#",
    b";",
    b",",
    b"{",
    b"}",
    b"[",
    b"]",
    b": ",
    b"- ",
    b"*a",
    b"&a ",
    b"!!python/object:os.system",
    b"\n",
)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes], tokens: tuple[bytes, ...] = TOKENS) -> bytes:
    """A seed with up to eight edits: inserted tokens or random bytes, deletions, duplications, cuts."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(("token", "bytes", "delete", "duplicate", "truncate", "flip")))
        at = draw(st.integers(0, len(data)))
        if op == "token":
            data[at:at] = draw(st.sampled_from(tokens))
        elif op == "bytes":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 256))]
        elif op == "truncate":
            del data[at:]
        elif data:
            index = min(at, len(data) - 1)
            data[index] ^= draw(st.integers(1, 255))
    return bytes(data)


def text_of(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def schema_errors(row: dict[str, Any], schema: pa.Schema) -> dict[str, str]:
    """Columns of ``row`` whose value does not fit ``schema`` exactly (pipeline.quality.conform's check), and
    required columns left null; empty when the row is a valid typed row."""
    errors = {name: "not in the schema" for name in set(row) - set(schema.names)}
    for field in schema:
        value = row.get(field.name)
        if value is None and not field.nullable:
            errors[field.name] = "required, null"
        elif (error := type_error(value, field.type)) is not None:
            errors[field.name] = error
    return errors


def assert_publishable(row: dict[str, Any]) -> None:
    """An article row that fits the published schema exactly, converts to Arrow, and whose one-line
    fields carry no control characters (text keeps newlines and tabs only)."""
    assert schema_errors(row, ARTICLES.schema) == {}
    pa.Table.from_pylist([row], schema=ARTICLES.schema)
    for value in (row["title"], row["summary"] or "", *(row["authors"] or [])):
        assert value == value.strip() and not CONTROL_OR_BREAK.search(value), repr(value)
    assert not CONTROL.search(row["text"]), repr(row["text"])


def sample_pages() -> list[bytes]:
    return [p.read_bytes() for p in sorted(SAMPLE_SITE.rglob("*.html"))]


def sample_feeds() -> list[bytes]:
    return [p.read_bytes() for p in sorted((SAMPLE_SITE / "feeds").iterdir())]


def gdelt_fixtures(suffix: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted((FIXTURES / "gdelt").iterdir()) if p.name.lower().endswith(suffix)]
