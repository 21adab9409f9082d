"""The country table: ISO codes, the curated English names (old ones included) and demonyms."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.enrich.countries import CountryDataError, CountryTable, build_country_table, read_country_extras

SYRIA_ROW = {
    "iso": "SY",
    "iso3": "SYR",
    "name": "Syria",
    "geonameid": 163843,
    "population": 22198110,
    "capital": "Damascus ",
}


@pytest.mark.unit
def test_country_codes_and_demonyms(countries: CountryTable) -> None:
    assert (countries.alpha3("IQ"), countries.alpha2("SYR")) == ("IRQ", "SY")
    assert [countries.country_of_word(w) for w in ["Iraqi", "Syrian", "Turkish", "Iranian", "Iraq’s"]] == [
        "IRQ",
        "SYR",
        "TUR",
        "IRN",
        "IRQ",
    ]
    assert countries.country_of_word("Islamic") is None
    extras = read_country_extras()
    assert all(code in countries.by_alpha3 for code in extras)


@pytest.mark.unit
def test_the_table_holds_every_geonames_country(countries: CountryTable) -> None:
    assert len(countries.by_alpha3) >= 240
    syria = countries.by_alpha3["SYR"]
    assert (syria.alpha2, syria.name, syria.geonameid, syria.capital) == ("SY", "Syria", 163843, "Damascus")
    assert countries.alpha3("xx") is None and countries.alpha2("XXX") is None


@pytest.mark.unit
@pytest.mark.parametrize(("name", "code"), [("Zaire", "COD"), ("Ceylon", "LKA"), ("Upper Volta", "BFA")])
def test_a_former_name_maps_to_the_country_today(countries: CountryTable, name: str, code: str) -> None:
    assert countries.country_of_word(name) == code


@pytest.mark.unit
def test_curated_names_and_demonyms_join_the_geonames_row() -> None:
    table = build_country_table({"SY": SYRIA_ROW}, {"SYR": {"names": ["Syrian Arab Republic"], "demonyms": ["Syrian"]}})

    assert table.by_alpha2["SY"].capital == "Damascus"  # stripped
    assert table.names == {"Syria": "SYR", "Syrian Arab Republic": "SYR"}
    assert table.country_of_word("Syrian") == table.country_of_word("Syria's") == "SYR"


@pytest.mark.unit
def test_an_unknown_code_in_the_curated_file_is_rejected() -> None:
    with pytest.raises(CountryDataError, match="'SYX'"):
        build_country_table({"SY": SYRIA_ROW}, {"SYX": {"names": ["Syria"]}})


@pytest.mark.unit
def test_a_malformed_file_raises_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "countries.yml"
    path.write_text("- SYR\n- IRQ\n", encoding="utf-8")

    with pytest.raises(CountryDataError, match="expected a mapping") as raised:
        read_country_extras(path)
    assert raised.value.path == path
    assert str(path) in str(raised.value)
