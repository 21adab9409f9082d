from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.storage.raw import RawRefError, Store, raw_kind, run_key

pytestmark = pytest.mark.unit


def test_raw_payloads_are_gzipped_and_keyed_by_run_and_content_hash(tmp_path: Path) -> None:
    store = Store(str(tmp_path), {})
    ref = store.put_raw("manual__2026-11-25T03:00:00+00:00", "page", b"<html>x</html>")
    assert ref.startswith("raw/manual__2026-11-25T03_00_00_00_00/page/") and ref.endswith(".gz")
    assert Path(tmp_path, ref).read_bytes()[:2] == b"\x1f\x8b"
    assert store.get_raw(ref) == b"<html>x</html>"
    assert store.put_raw("manual__2026-11-25T03:00:00+00:00", "page", b"<html>x</html>") == ref


@pytest.mark.parametrize(
    "ref",
    [
        "../../etc/passwd",
        "raw/../../etc/passwd",
        "/etc/passwd",
        "raw/r/page/abc.gz",
        "raw/r/other/" + "0" * 64 + ".gz",
    ],
)
def test_raw_refs_that_could_escape_the_raw_zone_are_refused(tmp_path: Path, ref: str) -> None:
    with pytest.raises(RawRefError):
        Store(str(tmp_path), {}).get_raw(ref)


def test_run_keys_are_one_safe_path_segment() -> None:
    assert run_key("scheduled__2026-11-25T03:00:00+00:00") == "scheduled__2026-11-25T03_00_00_00_00"
    assert "/" not in run_key("../../x") and ".." not in run_key("../../x")
    with pytest.raises(ValueError):
        run_key("///")


def test_staging_tables_round_trip(tmp_path: Path) -> None:
    import pyarrow as pa

    store = Store(str(tmp_path), {})
    schema = pa.schema([("url", pa.string())])
    path = store.write_rows(store.staging("r1", "candidates"), [{"url": "http://x/a"}], schema)
    assert store.read_rows(path) == [{"url": "http://x/a"}]


def test_a_raw_ref_names_the_kind_it_was_stored_under(tmp_path: Path) -> None:
    store = Store(str(tmp_path), {})
    assert raw_kind(store.put_raw("r", "document", b"{}")) == "document"
    assert raw_kind(store.put_raw("r", "page", b"<html></html>")) == "page"
    assert raw_kind("extract") is None and raw_kind("raw/r/other/" + "0" * 64 + ".gz") is None
