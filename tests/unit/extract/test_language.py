"""Language detection: names and numbers do not decide it; an unsure text takes the declared language."""

from __future__ import annotations

import pytest

from pipeline.extract.language import UNDETERMINED, declared_language, detect_language, iso639_1

RESULTS_TABLE = (
    "Results of Dutch first division matches on Saturday:\n"
    "Ajax Amsterdam 2 Feyenoord Rotterdam 1\nPSV Eindhoven 3 Vitesse Arnhem 0\n"
    "Willem II Tilburg 1 Roda JC Kerkrade 1\nNAC Breda 0 Sparta Rotterdam 2\n"
    "Heerenveen 4 Groningen 1\nTwente Enschede 2 Utrecht 2\nNEC Nijmegen 1 Fortuna Sittard 0\n"
    "Standings: PSV Eindhoven 16 12 3 1 38 9 39, Feyenoord Rotterdam 16 11 2 3 30 16 35"
)


@pytest.mark.unit
def test_prose_is_detected_as_before() -> None:
    assert detect_language("The prime minister said the border would remain closed for a week.") == "en"
    assert detect_language("Le Premier ministre a déclaré que la frontière resterait fermée.", "en") == "fr"


@pytest.mark.unit
def test_a_table_of_names_is_unsure_and_takes_the_declared_language_or_none() -> None:
    assert detect_language(RESULTS_TABLE) == UNDETERMINED
    assert detect_language(RESULTS_TABLE, "en-GB") == "en"
    assert detect_language(RESULTS_TABLE, 42) == UNDETERMINED


@pytest.mark.unit
def test_the_declared_language_is_read_from_the_page_head() -> None:
    assert declared_language(b'<!doctype html><html class="no-js" lang="en-US"><head>') == "en"
    assert declared_language(b'<html><head><meta http-equiv="Content-Language" content="fr"></head>') == "fr"
    assert declared_language(b"<html><head><title>x</title></head>") is None
    assert iso639_1("pt_BR") == "pt" and iso639_1("english") is None and iso639_1(None) is None


@pytest.mark.unit
def test_enrichment_runs_ner_on_undetermined_text_and_not_on_other_languages() -> None:
    from pipeline.enrich import Enricher
    from pipeline.settings import Settings
    from pipeline.stages.enrich import enrich_rows

    text = "Ajax Amsterdam 2 Feyenoord Rotterdam 1. Coach Louis van Gaal praised Ajax in Amsterdam on Saturday."
    rows = [
        {"language": UNDETERMINED, "text": text, "ner_applied": False},
        {"language": "fr", "text": text, "ner_applied": False},
    ]

    enrich_rows(rows, Enricher.load(Settings()), [None, None])

    assert rows[0]["ner_applied"] is True and rows[0]["locations"]
    assert rows[1]["ner_applied"] is False and "locations" not in rows[1]
