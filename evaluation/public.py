"""The public gold sets: read a corpus, run both systems on it, score, and lay out tables and errors.

Each corpus runs the project through ``python -m pipeline enrich``'s code path and spaCy alone on the same
texts in the same run (:mod:`evaluation.systems`); toponym corpora score with :mod:`evaluation.toponyms`,
CoNLL-2003 with :mod:`evaluation.typed`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation import toponyms, typed
from evaluation.corpora import GoldDocument, read_conll, read_geoparsing_xml
from evaluation.systems import PROJECT, SPACY_ALONE, CorpusDocument, Prediction, Progress, run_baseline, run_project
from evaluation.tables import cell, format_rows
from pipeline.settings import Settings


@dataclass(frozen=True)
class Corpus:
    """A public gold set: its file name, where to get it, how to read it and which scorer it takes."""

    name: str
    title: str
    filename: str
    source: str
    reader: Callable[[Path], list[GoldDocument]]
    kind: str


CORPORA = {
    "lgl": Corpus(
        "lgl",
        "LGL",
        "lgl.xml",
        "github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation data/Corpora/lgl.xml",
        read_geoparsing_xml,
        "toponyms",
    ),
    "tr-news": Corpus(
        "tr-news",
        "TR-News",
        "TR-News.xml",
        "github.com/milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation data/Corpora/TR-News.xml",
        read_geoparsing_xml,
        "toponyms",
    ),
    "conll": Corpus(
        "conll",
        "CoNLL-2003 English test",
        "eng.testb",
        "any public copy of CoNLL-2003 eng.testb, e.g. github.com/ZhixiuYe/HSCRF-pytorch data/eng.testb",
        read_conll,
        "typed",
    ),
}


@dataclass(frozen=True)
class CorpusResult:
    """What one corpus run produced: headline figures (JSON), the printed tables, the error records."""

    summary: dict[str, Any]
    text: str
    errors: list[dict[str, Any]]


def predict(
    corpus: Corpus, documents: Sequence[GoldDocument], settings: Settings, progress: Progress
) -> tuple[dict[str, list[Prediction]], list[dict[str, Any]]]:
    """Both systems' predictions in document order, and the documents the project rejected."""
    started = time.monotonic()
    progress(f"{corpus.name}: project enrichment of {len(documents)} documents (python -m pipeline enrich path)")
    inputs = [CorpusDocument(d.docid, d.title, d.text) for d in documents]
    project, rejected = run_project(corpus.name, inputs, settings)
    progress(f"{corpus.name}: project done in {time.monotonic() - started:.0f} s, {len(rejected)} rejected")
    started = time.monotonic()
    baseline = run_baseline([d.text for d in documents], settings, progress)
    progress(f"{corpus.name}: spacy-alone done in {time.monotonic() - started:.0f} s")
    return {PROJECT: project, SPACY_ALONE: baseline}, rejected


def toponym_result(
    corpus: Corpus, documents: Sequence[GoldDocument], predictions: dict[str, list[Prediction]]
) -> CorpusResult:
    """Toponym detection and resolution of both systems on one corpus."""
    scores = [toponyms.score_corpus(system, documents, p) for system, p in predictions.items()]
    summaries = [s.summary() for s in scores]
    first = summaries[0]
    heading = (
        f"{corpus.title}: {len(documents)} documents, {first['gold_mentions_with_entry']} gold toponym mentions "
        f"with a GeoNames entry (+{first['gold_mentions_without_entry']} without: detection only)"
    )
    labels = [
        ("toponym precision", lambda s: s["detection"]["precision"]),
        ("toponym recall", lambda s: s["detection"]["recall"]),
        ("toponym F1", lambda s: s["detection"]["f1"]),
        ("resolved right, of found (id or 161 km)", lambda s: s["resolved_right_of_found"]),
        ("resolved right, end to end", lambda s: s["resolved_right_end_to_end"]),
        ("within 161 km, of found", lambda s: s["strict_161km_of_found"]),
        ("within 161 km, end to end", lambda s: s["strict_161km_end_to_end"]),
        ("median error km, found", lambda s: None if s["median_error_km"] is None else f"{s['median_error_km']:.1f}"),
        ("gold mentions found", lambda s: s["found_mentions"]),
    ]
    rows = [(label, *(cell(get(s)) for s in summaries)) for label, get in labels]
    table = format_rows(("", *(s["system"] for s in summaries)), rows)
    errors = [
        record
        for score in scores
        for document in score.documents
        if (record := toponyms.error_record(corpus.name, score, document)) is not None
    ]
    return CorpusResult({"systems": summaries}, f"{heading}\n{table}", errors)


def _typed_table(scores: Sequence[typed.TypedScore]) -> str:
    rows = []
    for kind in (*typed.TYPES, "all"):
        counts = [s.overall if kind == "all" else s.counts(kind) for s in scores]
        rows.append((f"{kind} P / R / F1", *(f"{c.precision:.3f} / {c.recall:.3f} / {c.f1:.3f}" for c in counts)))
    rows.append(("gold LOC typed PER", *(cell(s.loc_as_person) for s in scores)))
    return format_rows(("", *(s.system for s in scores)), rows)


def _confusion_table(score: typed.TypedScore) -> str:
    columns = (*typed.TYPES, typed.MISSED)
    confusion = score.confusion
    rows = [
        (gold, *(str(confusion[gold, pred]) for pred in columns)) for gold in (*typed.TYPES, typed.MISC, typed.SPURIOUS)
    ]
    return format_rows((f"{score.system}: gold \\ predicted", *columns), rows)


def typed_result(
    corpus: Corpus, documents: Sequence[GoldDocument], predictions: dict[str, list[Prediction]]
) -> CorpusResult:
    """Typed PER / ORG / LOC scores of both systems, on the non-sports documents and on all."""
    scores = [typed.score_corpus(system, documents, p) for system, p in predictions.items()]
    long_enough = [d for d in documents if d.word_count >= typed.MIN_WORDS]
    news = {d.docid for d in documents if typed.non_sports(d)}
    parts = [
        f"{corpus.title}, non-sports documents: {len(news)} of the {len(long_enough)} with "
        f"{typed.MIN_WORDS}+ words ({len(documents)} documents in all)",
        _typed_table([typed.subset(s, news) for s in scores]),
        "",
        f"{corpus.title}, all {len(documents)} documents",
        _typed_table(scores),
        "",
        *(_confusion_table(typed.subset(s, news)) + "\n" for s in scores),
    ]
    summary = {
        "documents": len(documents),
        "documents_30_words": len(long_enough),
        "non_sports_documents": len(news),
        "non_sports": [typed.subset(s, news).summary() for s in scores],
        "all": [s.summary() for s in scores],
    }
    errors = [
        record
        for score in scores
        for document in score.documents
        if (record := typed.error_record(corpus.name, score.system, document)) is not None
    ]
    return CorpusResult(summary, "\n".join(parts).rstrip(), errors)


def evaluate_corpus(
    corpus: Corpus, path: Path, settings: Settings, limit: int | None, progress: Progress
) -> CorpusResult:
    """Read, predict and score one corpus (the first ``limit`` documents when given)."""
    documents = corpus.reader(path)[:limit]
    progress(f"{corpus.name}: {len(documents)} documents read from {path}")
    predictions, rejected = predict(corpus, documents, settings, progress)
    scored = toponym_result if corpus.kind == "toponyms" else typed_result
    result = scored(corpus, documents, predictions)
    summary = {"corpus": corpus.name, "path": str(path), "project_rejected": rejected, **result.summary}
    return CorpusResult(summary, result.text, result.errors)
