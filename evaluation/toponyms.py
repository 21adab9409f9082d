"""Toponym scoring on LGL / TR-News: detection by name per document, resolution per gold mention.

- Detection: the distinct normalized gold phrases of a document against the system's ``locations``; a
  location matches every gold phrase among the names it records (its surface name and its canonical
  name), so one location row for a place written two ways ("U.S." and "United States") finds both gold
  phrases, and a location matching none is a false positive. Both systems are scored so: spaCy alone
  records each written form as its own row with the gazetteer's name beside it. A gold toponym without a
  GeoNames entry still counts, since the text names a place there.
- Resolution: every gold mention with a GeoNames entry is *found* when the system has a location of that
  name in the document, and *right* when that location has the gold GeoNames id or lies within 161 km of
  the gold point (the strict variant asks the distance alone). Accuracy is given over found mentions and
  over all gold mentions with an entry ("end to end"), with the median error of the found ones.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evaluation.corpora import GoldDocument, GoldToponym
from evaluation.metrics import GEO_TOLERANCE_KM, Counts, normalize_name
from evaluation.systems import PredictedLocation, Prediction
from pipeline.enrich.proximity import distance_km


@dataclass(frozen=True)
class Resolved:
    """One gold mention with an entry, and what the system placed there (None when not found)."""

    gold: GoldToponym
    predicted: PredictedLocation | None
    distance_km: float | None

    @property
    def found(self) -> bool:
        return self.predicted is not None

    @property
    def right(self) -> bool:
        """Id match or within the tolerance."""
        return self.predicted is not None and (
            self.predicted.geonameid == self.gold.geonameid or self.right_by_distance
        )

    @property
    def right_by_distance(self) -> bool:
        """Within the tolerance, whatever the id."""
        return self.distance_km is not None and self.distance_km <= GEO_TOLERANCE_KM


@dataclass(frozen=True)
class DocumentScore:
    """One system on one document."""

    docid: str
    detection: Counts
    missed: tuple[GoldToponym, ...]
    spurious: tuple[PredictedLocation, ...]
    resolved: tuple[Resolved, ...]
    unlocated: int


@dataclass(frozen=True)
class ToponymScore:
    """One system over a corpus, micro-averaged."""

    system: str
    documents: tuple[DocumentScore, ...] = field(default_factory=tuple)

    @property
    def detection(self) -> Counts:
        return sum((d.detection for d in self.documents), Counts())

    def _mentions(self) -> list[Resolved]:
        return [r for d in self.documents for r in d.resolved]

    def summary(self) -> dict[str, Any]:
        """The headline figures as plain values."""
        mentions = self._mentions()
        found = [r for r in mentions if r.found]
        errors = [r.distance_km for r in found if r.distance_km is not None]
        right, strict = sum(r.right for r in found), sum(r.right_by_distance for r in found)
        return {
            "system": self.system,
            "documents": len(self.documents),
            "detection": self.detection.as_dict(),
            "gold_mentions_with_entry": len(mentions),
            "gold_mentions_without_entry": sum(d.unlocated for d in self.documents),
            "found_mentions": len(found),
            "resolved_right_of_found": right / len(found) if found else 0.0,
            "resolved_right_end_to_end": right / len(mentions) if mentions else 0.0,
            "strict_161km_of_found": strict / len(found) if found else 0.0,
            "strict_161km_end_to_end": strict / len(mentions) if mentions else 0.0,
            "median_error_km": statistics.median(errors) if errors else None,
            "found_without_point": len(found) - len(errors),
        }


def _label(location: PredictedLocation) -> str:
    return " / ".join(dict.fromkeys(n for n in location.names if n)) or "<unnamed>"


def _resolve(gold: GoldToponym, by_name: dict[str, PredictedLocation]) -> Resolved:
    predicted = by_name.get(normalize_name(gold.phrase))
    distance = None
    if predicted is not None and predicted.latitude is not None and predicted.longitude is not None:
        assert gold.latitude is not None and gold.longitude is not None
        distance = distance_km((gold.latitude, gold.longitude), (predicted.latitude, predicted.longitude))
    return Resolved(gold, predicted, distance)


def score_document(document: GoldDocument, prediction: Prediction) -> DocumentScore:
    """Detection counts and per-mention resolution of one system on one document."""
    gold_names = [n for n in dict.fromkeys(normalize_name(t.phrase) for t in document.toponyms) if n]
    gold_index = {name: i for i, name in enumerate(gold_names)}
    locations = prediction.locations
    edges = [{gold_index[n] for n in p.normalized() if n in gold_index} for p in locations]
    matched = set().union(*edges)
    spurious = [i for i, found in enumerate(edges) if not found]
    by_name: dict[str, PredictedLocation] = {}
    for location in locations:
        for name in sorted(location.normalized()):
            by_name.setdefault(name, location)
    first: dict[str, GoldToponym] = {}
    for toponym in document.toponyms:
        first.setdefault(normalize_name(toponym.phrase), toponym)
    return DocumentScore(
        docid=document.docid,
        detection=Counts(len(matched), len(spurious), len(gold_names) - len(matched)),
        missed=tuple(first[n] for i, n in enumerate(gold_names) if i not in matched),
        spurious=tuple(locations[i] for i in spurious),
        resolved=tuple(_resolve(t, by_name) for t in document.toponyms if t.geonameid is not None),
        unlocated=sum(1 for t in document.toponyms if t.geonameid is None),
    )


def score_corpus(system: str, documents: Sequence[GoldDocument], predictions: Sequence[Prediction]) -> ToponymScore:
    """One system over the corpus; predictions in document order."""
    return ToponymScore(system, tuple(score_document(d, p) for d, p in zip(documents, predictions, strict=True)))


def _gold(toponym: GoldToponym) -> dict[str, Any]:
    return {
        "name": toponym.phrase,
        "start": toponym.start,
        "geonameid": toponym.geonameid,
        "point": None if toponym.latitude is None else [toponym.latitude, toponym.longitude],
    }


def _predicted(location: PredictedLocation) -> dict[str, Any]:
    return {
        "name": _label(location),
        "geonameid": location.geonameid,
        "point": None if location.latitude is None else [location.latitude, location.longitude],
    }


def error_record(corpus: str, score: ToponymScore, document: DocumentScore) -> dict[str, Any] | None:
    """A document's misses, false positives and wrong resolutions as one JSON-able record (None: no error).

    ``missed``: gold names no location has (first mention); ``spurious``: locations named like no gold
    toponym; ``wrongly_resolved``: found mentions placed wrong, with the distance between the points.
    """
    wrong = [
        {
            "gold": _gold(r.gold),
            "predicted": _predicted(r.predicted),
            "distance_km": None if r.distance_km is None else round(r.distance_km, 1),
        }
        for r in document.resolved
        if r.predicted is not None and not r.right
    ]
    if not (document.missed or document.spurious or wrong):
        return None
    return {
        "corpus": corpus,
        "system": score.system,
        "docid": document.docid,
        "missed": [_gold(t) for t in document.missed],
        "spurious": [_predicted(p) for p in document.spurious],
        "wrongly_resolved": wrong,
    }
