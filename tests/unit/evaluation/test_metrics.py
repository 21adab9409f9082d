"""Shared metrics: name folding, counts, one-to-one matching, distances."""

from __future__ import annotations

import pytest

from evaluation.metrics import Counts, haversine_km, normalize_name


@pytest.mark.unit
def test_normalize_name_ignores_case_diacritics_hyphens_and_spaces() -> None:
    assert normalize_name("Recep Tayyip Erdoğan") == normalize_name("recep tayyip erdogan")
    assert normalize_name("al-Assad") == normalize_name("Al Assad") == normalize_name("alassad")
    assert normalize_name("Aleksandar Vučić") == normalize_name("ALEKSANDAR VUCIC")
    assert normalize_name("Assad") != normalize_name("Asad")


@pytest.mark.unit
def test_empty_gold_and_prediction_is_perfect_and_silence_is_not() -> None:
    assert Counts().precision == Counts().recall == 1.0
    assert Counts(fn=3).precision == 0.0
    assert Counts(fn=3).f1 == 0.0


@pytest.mark.unit
def test_haversine_known_distances() -> None:
    one_degree_of_latitude = haversine_km(0.0, 0.0, 1.0, 0.0)
    paris_london = haversine_km(48.8566, 2.3522, 51.5074, -0.1278)

    assert one_degree_of_latitude == pytest.approx(111.195, abs=0.01)
    assert paris_london == pytest.approx(343.5, abs=1.0)
    assert haversine_km(36.2, 37.16, 36.2, 37.16) == 0.0
