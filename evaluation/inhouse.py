"""Score actor and place extraction against the hand-labelled in-house set in ``tests/eval``.

The set is plain files (``articles/<slug>.txt`` and ``gold/<slug>.json``, see ``tests/eval/README.md``).
The project's :class:`pipeline.enrich.Enricher` and spaCy alone (:mod:`evaluation.systems`) are scored with
the same pure functions. The set is a regression guard written on the project, not evidence of quality:
the public gold sets (:mod:`evaluation.public`) are. The seed article must come out exactly as its gold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evaluation.corpora import GoldFileError
from evaluation.metrics import GEO_TOLERANCE_KM, Counts, max_matching, normalize_name, ratio
from evaluation.systems import PredictedActor, PredictedLocation, Prediction
from evaluation.tables import cell, format_rows
from pipeline.enrich.proximity import distance_km
from pipeline.settings import PROJECT_ROOT

DEFAULT_EVAL_DIR = PROJECT_ROOT / "tests" / "eval"
SOURCE_LINE_PREFIX = "Original Source:"
SEED_SLUG = "seed-iraq-syria-border"


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


OUTSIDE_AREA_WORDS = frozenset(["province", "region", "state", "county", "oblast", "governorate", "district"])


@dataclass(frozen=True)
class GoldArticle:
    """One article of the set: its text as the pipeline would see it, and its gold labels."""

    slug: str
    text: str
    source_domain: str
    actors: tuple[GoldActor, ...]
    locations: tuple[GoldLocation, ...]
    outside: frozenset[str] = frozenset()

    def unscored(self, predicted: PredictedLocation) -> bool:
        """A predicted area (not a city) or an unresolved place (no GeoNames id) named like one of the
        article's places outside the gazetteer (2.5).

        Such places are not scored: the area itself ("Balkh" for "Balkh province", "Africa") or the name
        kept without a point ("Kerr County") is neither right nor wrong; a same-named city stays a false
        positive.
        """
        named_area = predicted.feature not in (None, "city") or predicted.geonameid is None
        return named_area and bool(predicted.normalized() & self.outside)


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
        return ratio(sum(a.geo_hits for a in self.articles), sum(a.geo_total for a in self.articles), 1.0)

    @property
    def geo_accuracy_cities(self) -> float:
        """Same, over gold cities only, whose point is not a convention as an area's is."""
        hits = sum(a.geo_city_hits for a in self.articles)
        return ratio(hits, sum(a.geo_city_total for a in self.articles), 1.0)


# ---------------------------------------------------------------------------------------------------------
# Pure scoring.


def match_actors(gold: Sequence[GoldActor], predicted: Sequence[PredictedActor]) -> MatchResult:
    """Pair predictions with gold actors by any shared normalized name, one-to-one.

    A second prediction of an actor already matched is a false positive: a system that fails to merge
    "Assad" into "Bashar al-Assad" lists the same person twice and should pay for it.
    """
    gold_names = [g.names() for g in gold]
    edges = [[gi for gi, names in enumerate(gold_names) if p.normalized() & names] for p in predicted]
    pairs = max_matching(edges, len(gold))
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
    pairs = max_matching(edges, len(gold))
    matched_gold = set(pairs.values())
    fps = tuple(f"{_label(p.names)} ({p.geonameid})" for i, p in enumerate(predicted) if i not in pairs)
    fns = tuple(f"{g.name} ({g.geonameid})" for i, g in enumerate(gold) if i not in matched_gold)
    return MatchResult(Counts(len(pairs), len(fps), len(fns)), fps, fns)


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
        and distance_km((gold.latitude, gold.longitude), (p.latitude, p.longitude)) <= tolerance_km
        for p in predicted
    )


def outside_names(names: Sequence[str]) -> frozenset[str]:
    """Normalized names of places outside the gazetteer, each also without its area word ("Balkh province")."""
    found = set()
    for name in names:
        found.add(normalize_name(name))
        head, _, last = name.rpartition(" ")
        if head and last.lower() in OUTSIDE_AREA_WORDS:
            found.add(normalize_name(head))
    return frozenset(found)


def score_article(article: GoldArticle, prediction: Prediction) -> ArticleScore:
    """Score one system's prediction for one article."""
    hits = [geocoded_within(g, prediction.locations) for g in article.locations]
    city_hits = [hit for hit, g in zip(hits, article.locations, strict=True) if g.feature == "city"]
    return ArticleScore(
        slug=article.slug,
        actors=match_actors(article.actors, prediction.actors),
        locations=match_locations(article.locations, [p for p in prediction.locations if not article.unscored(p)]),
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
        raise GoldFileError(gold_dir, "no gold files")
    articles = []
    for gold_path in gold_paths:
        text_path = articles_dir / f"{gold_path.stem}.txt"
        if not text_path.exists():
            raise GoldFileError(text_path, "gold file has no article")
        try:
            raw = json.loads(gold_path.read_text(encoding="utf-8"))
            articles.append(
                GoldArticle(
                    slug=gold_path.stem,
                    text=article_text(text_path.read_text(encoding="utf-8")),
                    source_domain=raw["source_domain"],
                    actors=tuple(_gold_actor(a) for a in raw["actors"]),
                    locations=tuple(_gold_location(loc) for loc in raw["locations"]),
                    outside=outside_names(raw.get("locations_outside_gazetteer") or []),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise GoldFileError(gold_path, f"malformed gold: {exc!r}") from exc
    return articles


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
    rows: list[tuple[str, list[float] | list[int]]] = [
        ("actor precision", [s.actor_counts.precision for s in scores]),
        ("actor recall", [s.actor_counts.recall for s in scores]),
        ("actor F1", [s.actor_counts.f1 for s in scores]),
        ("location precision", [s.location_counts.precision for s in scores]),
        ("location recall", [s.location_counts.recall for s in scores]),
        ("location F1", [s.location_counts.f1 for s in scores]),
        ("geo accuracy@161km", [s.geo_accuracy for s in scores]),
        ("  cities only", [s.geo_accuracy_cities for s in scores]),
        ("articles", [len(s.articles) for s in scores]),
    ]
    return format_rows(
        ("", *(s.system for s in scores)), ((label, *(cell(v) for v in values)) for label, values in rows)
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


def seed_check(score: SystemScore) -> str:
    """One line: whether the seed article came out exactly as its gold file says, and if not what differs."""
    seed = next((a for a in score.articles if a.slug == SEED_SLUG), None)
    if seed is None:
        return f"seed check: {SEED_SLUG} is not in the set"
    wrong = [
        (kind, items)
        for kind, items in (
            ("actor FP", seed.actors.false_positives),
            ("actor FN", seed.actors.false_negatives),
            ("location FP", seed.locations.false_positives),
            ("location FN", seed.locations.false_negatives),
        )
        if items
    ]
    if not wrong:
        return f"seed check: exact ({seed.actors.counts.tp} actors, {seed.locations.counts.tp} locations)"
    return "seed check: DIFFERS: " + "; ".join(f"{kind}: {', '.join(items)}" for kind, items in wrong)
