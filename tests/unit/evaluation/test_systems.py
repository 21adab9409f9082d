"""The spaCy-alone baseline's naive mapping and gazetteer, and the project's predictions from its rows."""

from __future__ import annotations

import pytest

from evaluation.systems import GazetteerEntry, PredictedLocation, baseline_prediction, build_naive_gazetteer


@pytest.mark.unit
def test_naive_gazetteer_prefers_countries_then_the_most_populous_city() -> None:
    countries = {"GE": {"name": "Georgia", "geonameid": 614540}}
    cities = {
        "1": {"name": "Tripoli", "geonameid": 266826, "population": 229398, "latitude": 34.4, "longitude": 35.8},
        "2": {"name": "Tripoli", "geonameid": 2210247, "population": 1302947, "latitude": 32.9, "longitude": 13.2},
        "3": {"name": "Georgia", "geonameid": 1, "population": 10, "latitude": 0.0, "longitude": 0.0},
    }

    gazetteer = build_naive_gazetteer(countries, cities)

    assert gazetteer["tripoli"].geonameid == 2210247
    assert gazetteer["georgia"] == GazetteerEntry("Georgia", 614540, None, None)


@pytest.mark.unit
def test_baseline_maps_entities_naively() -> None:
    gazetteer = {"aleppo": GazetteerEntry("Aleppo", 170063, 36.2, 37.16)}
    entities = [
        ("Bashar al-Assad", "PERSON"),
        ("Assad's", "PERSON"),
        ("the Islamic State", "ORG"),
        ("Iraqi", "NORP"),
        ("Aleppo", "GPE"),
        ("Aleppo", "GPE"),
        ("the Euphrates", "LOC"),
        ("2019", "DATE"),
    ]

    prediction = baseline_prediction(entities, gazetteer)

    assert [a.names for a in prediction.actors] == [
        ("Bashar al-Assad",),
        ("Assad",),
        ("Islamic State",),
        ("Iraqi",),
        ("Aleppo",),
    ]
    assert prediction.locations == (
        PredictedLocation(("Aleppo", "Aleppo"), 170063, 36.2, 37.16),
        PredictedLocation(("Euphrates",), None, None, None),
    )
