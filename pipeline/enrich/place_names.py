"""Short and former names of places, read as the names the gazetteer knows: "Fla." is Florida, "Zaire" the
Democratic Republic of the Congo.

News abbreviates US states (AP style) in datelines and "City, St." qualifiers and still writes countries'
former names; the NER model tags them GPE, but GeoNames knows neither, so without this the place is lost.
The table is data (pipeline/data/place_names.yml); no package in the lock ships AP abbreviations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from pipeline.enrich.gazetteer import Candidate, Gazetteer
from pipeline.enrich.normalize import fold

PLACE_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "place_names.yml"
SECTIONS = ("abbreviations", "former_names")


class PlaceNamesFileError(ValueError):
    """The place names file is malformed; the message names the file and the section."""


def read_place_names(path: Path = PLACE_NAMES_FILE) -> dict[str, str]:
    """Every section's name -> gazetteer name, keys folded."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise PlaceNamesFileError(f"{path}: expected a mapping with the sections {', '.join(SECTIONS)}")
    names: dict[str, str] = {}
    for section in SECTIONS:
        value = raw.get(section)
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise PlaceNamesFileError(f"{path}: {section} must map names to the names the gazetteer knows")
        names.update({fold(name): full for name, full in value.items()})
    return names


class NamedGazetteer(Gazetteer):
    """The gazetteer, answering also for the short and former names of its places.

    It shares the loaded gazetteer's index (no copy) and changes one lookup: a surface in the table is looked
    up under the name it stands for, and names only the state or country ("Calif." is never a town called
    California). Every other lookup (is_place_name, qualifiers) goes through it too.
    """

    def __init__(self, base: Gazetteer, names: Mapping[str, str]) -> None:
        vars(self).update(vars(base))
        self._long_names = dict(names)

    def candidates(self, surface: str) -> Sequence[Candidate]:
        key = fold(surface)
        full = self._long_names.get(key.removeprefix("the ")) if key else None
        if full is None:
            return super().candidates(surface)
        return [c for c in super().candidates(full) if c.place.feature != "city"]
