"""GDELT 2.0 update files: index, the files of an interval, zip caps, GKG 2.1 and events rows."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.records import GdeltMetadata
from pipeline.sources.base import Interval
from pipeline.sources.gdelt import (
    GdeltFileError,
    UpdateFile,
    files_for,
    marks,
    parse_export,
    parse_gkg,
    parse_index,
    unzip_capped,
)
from tests.support.gdelt_site import FIXTURES

pytestmark = pytest.mark.unit
BASE = "http://data.example/gdeltv2"


def at(hour: int, minute: int = 0, day: int = 20) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def rows(name: str) -> list[tuple[str, GdeltMetadata] | GdeltFileError]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    parse = parse_gkg if ".gkg." in name else parse_export
    return list(parse(text, f"{BASE}/{name}.zip"))


def test_index_lines_give_files_with_stamp_stream_size_and_md5() -> None:
    text = (
        f"150383 297a16b493de7cf6ca809a7cc31d0b93 {BASE}/20261120000000.export.CSV.zip\n"
        f"318084 bb27f78ba45f69a17ea6ed7755e9f8ff {BASE}/20261120000000.mentions.CSV.zip\n"
        f"10768507 ea8dde0beb0ba98810a92db068c0ce99 {BASE}/20261120000000.gkg.csv.zip\n"
        "garbage line\n"
    )
    files = parse_index(text, f"{BASE}/lastupdate.txt")
    assert [(f.stream, f.stamp, f.size) for f in files] == [
        ("export", at(0), 150383),
        ("mentions", at(0), 318084),
        ("gkg", at(0), 10768507),
    ]
    assert files[2].md5 == "ea8dde0beb0ba98810a92db068c0ce99"


def test_an_interval_holds_exactly_its_quarter_hours() -> None:
    assert marks(Interval(at(0), at(1))) == [at(0), at(0, 15), at(0, 30), at(0, 45)]
    assert marks(Interval(at(0, 5), at(0, 31))) == [at(0, 15), at(0, 30)]
    assert marks(Interval(at(0), at(0))) == []


def test_a_master_list_is_taken_as_it_is_and_gaps_stay_gaps() -> None:
    index = [UpdateFile(f"{BASE}/{s:%Y%m%d%H%M%S}.gkg.csv.zip", s, "gkg") for s in (at(0), at(0, 30), at(1))]
    files, pending = files_for(Interval(at(0), at(1)), index, ["gkg"])
    assert [f.stamp for f in files] == [at(0), at(0, 30)]
    assert pending == []


def test_a_lastupdate_index_names_the_older_files_of_a_backfill_and_flags_unpublished_ones() -> None:
    newest = at(0, 30, day=21)
    index = [UpdateFile(f"{BASE}/20261121003000.gkg.csv.zip", newest, "gkg", 10, "0" * 32)]

    past, pending_past = files_for(Interval(at(2), at(3)), index, ["gkg", "export"])
    now, pending_now = files_for(Interval(at(0, day=21), at(1, day=21)), index, ["gkg"])

    assert [f.url.rsplit("/", 1)[1] for f in past][:2] == [
        "20261120020000.export.CSV.zip",
        "20261120020000.gkg.csv.zip",
    ]
    assert len(past) == 8 and pending_past == []
    assert [f.stamp for f in now] == [at(0, day=21), at(0, 15, day=21), newest]
    assert now[-1].md5 == "0" * 32
    assert pending_now == [at(0, 45, day=21)]


def test_gkg_rows_map_persons_organizations_and_geocoded_locations_with_iso3_countries() -> None:
    found = rows("20261120000000.gkg.csv")

    assert len(found) == 2  # the third row is a JSTOR citation, not a web article
    url, meta = found[0]  # type: ignore[misc]
    assert url == "http://news.test/africa/goma-clashes.html"
    assert meta.date == at(0)
    assert meta.source_common_name == "example-wire.org"
    assert meta.page_title == "Clashes near Goma as M23 advances"
    assert meta.persons == ["Felix Tshisekedi"]
    assert meta.organizations == ["M23", "United Nations"]
    assert meta.tone == -6.2
    goma = meta.locations[0]
    assert (goma.name, goma.type, goma.country_code, goma.fips_country_code) == (
        "Goma, Nord-Kivu, Congo",
        "world_city",
        "COD",
        "CG",
    )
    assert (goma.latitude, goma.longitude, goma.adm1_code, goma.feature_id) == (-1.6792, 29.2228, "CG10", "-2129491")
    assert meta.locations[1].type == "country"
    assert "ARMEDCONFLICT" in meta.themes


def test_events_of_one_article_merge_into_one_record_with_their_places() -> None:
    found = dict(r for r in rows("20261120021500.export.CSV") if not isinstance(r, GdeltFileError))
    aid = found["http://news.test/africa/el-fasher-aid.html"]
    assert aid.record_id == "1218803612"
    assert {loc.country_code for loc in aid.locations} == {"SDN"}
    assert {loc.name for loc in aid.locations} == {"El Fasher, Shamal Darfur, Sudan", "Khartoum, Al Khartum, Sudan"}
    assert found["http://news.test/mideast/beirut-strikes.html"].locations[0].country_code == "LBN"


def test_a_row_with_the_wrong_column_count_is_an_error_in_its_place() -> None:
    [error] = list(parse_gkg("a\tb\tc\n", f"{BASE}/x.gkg.csv.zip"))
    assert isinstance(error, GdeltFileError) and error.reason_code == "bad_entry"
    assert error.url.endswith("#row1")


@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400))
def test_any_text_parses_to_rows_or_row_errors_never_an_exception(text: str) -> None:
    for found in (*parse_gkg(text, "u"), *parse_export(text, "u")):
        assert isinstance(found, GdeltFileError | tuple)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_bomb_stops_at_the_decompressed_cap() -> None:
    bomb = _zip({"20261120000000.gkg.csv": b"\0" * 5_000_000})
    assert len(bomb) < 10_000
    with pytest.raises(GdeltFileError) as caught:
        unzip_capped(bomb, "u", 1_000_000)
    assert caught.value.reason_code == "too_large"
    assert unzip_capped(_zip({"a.csv": b"x\ty\n"}), "u", 100) == b"x\ty\n"


def test_a_zip_whose_header_understates_its_size_is_refused_without_inflating_it_all() -> None:
    data = bytearray(_zip({"a.csv": b"\0" * 200_000}))
    # Patch the declared uncompressed size (central directory and local header) down to 10 bytes.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    data[22:26] = (10).to_bytes(4, "little")
    with pytest.raises(GdeltFileError) as caught:
        unzip_capped(bytes(data), "u", 1000)
    # zipfile inflates no more than the declared size, then the CRC check fails.
    assert caught.value.reason_code == "parse_error"


def test_not_a_zip_is_a_parse_error() -> None:
    with pytest.raises(GdeltFileError) as caught:
        unzip_capped(b"<html>503</html>", "u", 1000)
    assert caught.value.reason_code == "parse_error"
