"""Shared metrics: name folding, counts, one-to-one matching, distances."""

from __future__ import annotations

import pytest

from evaluation.metrics import Counts, normalize_name


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
