"""Short names of places, read as the names the gazetteer knows: "Fla." is Florida, "Ont." Ontario.

News abbreviates US states and Canadian provinces (AP style) in datelines and "City, St." qualifiers; the
NER model tags them GPE, but GeoNames knows none, so without this the place is lost. The table is data
(pipeline/data/place_names.yml); no package in the lock ships AP abbreviations. Countries' former names
("Zaire", "Soviet Union") are names of their country in pipeline/data/countries.yml.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from pipeline.enrich.folding import fold
from pipeline.enrich.gazetteer import Candidate, Gazetteer

PLACE_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "place_names.yml"
SECTION = "abbreviations"


class PlaceNamesFileError(ValueError):
    """The place names file is malformed; the message names the file and the section."""


def read_place_names(path: Path = PLACE_NAMES_FILE) -> dict[str, tuple[str, str]]:
    """Each short name (folded) -> the gazetteer name of the division it stands for and that division's
    country (ISO alpha-3): "Fla." is the US state, never Florida, Uruguay."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    per_country = raw.get(SECTION) if isinstance(raw, dict) else None
    if not isinstance(per_country, dict):
        raise PlaceNamesFileError(f"{path}: expected a mapping {SECTION}: {{COUNTRY: {{short: name}}}}")
    names: dict[str, tuple[str, str]] = {}
    for country, value in per_country.items():
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise PlaceNamesFileError(f"{path}: {SECTION}.{country} must map short names to division names")
        names.update({fold(name): (full, str(country)) for name, full in value.items()})
    return names


class NamedGazetteer(Gazetteer):
    """The gazetteer, answering also for the short names of its places.

    It shares the loaded gazetteer's index (no copy) and changes one lookup: a surface in the table is looked
    up under the name it stands for, and names only that country's division ("Calif." is never a town called
    California). Every other lookup (is_place_name, qualifiers) goes through it too.
    """

    def __init__(self, base: Gazetteer, names: Mapping[str, tuple[str, str]]) -> None:
        vars(self).update(vars(base))
        self._long_names = dict(names)

    def candidates(self, surface: str) -> Sequence[Candidate]:
        key = fold(surface)
        named = self._long_names.get(key.removeprefix("the ")) if key else None
        if named is None:
            return super().candidates(surface)
        full, country = named
        return [c for c in super().candidates(full) if c.place.feature == "admin1" and c.place.country_code == country]
