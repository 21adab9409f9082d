"""``python -m evaluation``: score the project beside spaCy alone on the in-house set and the public gold sets.

With no arguments it scores the in-house set (``tests/eval``) with the seed check, and says how to get each
public corpus. Give a corpus's path (``--lgl``, ``--tr-news``, ``--conll``) or a folder holding the files
(``--gold-dir``, default ``$NEWSFLOW_GOLD_DIR``) to score it too; ``--corpus`` picks which run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evaluation.corpora import GoldFileError
from evaluation.inhouse import (
    DEFAULT_EVAL_DIR,
    format_misses,
    format_table,
    load_eval_set,
    report,
    score_system,
    seed_check,
)
from evaluation.public import CORPORA, Corpus, evaluate_corpus
from evaluation.systems import PROJECT, SPACY_ALONE, run_baseline, run_enricher, stderr_progress
from pipeline.settings import PROJECT_ROOT, Settings, load_settings

INHOUSE = "inhouse"
DEFAULT_JSON = PROJECT_ROOT / "bench" / "results" / "evaluation.json"
GOLD_DIR_ENV = "NEWSFLOW_GOLD_DIR"


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="python -m evaluation", description=__doc__.splitlines()[0])
    cli.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR, help="in-house set directory")
    for corpus in CORPORA.values():
        cli.add_argument(f"--{corpus.name}", type=Path, default=None, help=f"path of {corpus.filename}")
    cli.add_argument(
        "--gold-dir",
        type=Path,
        default=Path(os.environ[GOLD_DIR_ENV]) if os.environ.get(GOLD_DIR_ENV) else None,
        help=f"folder searched for the corpus files by name (default ${GOLD_DIR_ENV})",
    )
    cli.add_argument(
        "--corpus",
        action="append",
        choices=[INHOUSE, *CORPORA],
        help="score only this corpus (repeatable); default: the in-house set and every public set given",
    )
    cli.add_argument("--limit", type=int, default=None, help="first N documents of each public corpus only")
    cli.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"scores as JSON (default {DEFAULT_JSON})")
    cli.add_argument("--errors", type=Path, default=None, help="per-document misses and false positives, JSON lines")
    cli.add_argument("--verbose", action="store_true", help="print the project's per-article misses (in-house)")
    return cli


def corpus_path(corpus: Corpus, given: Path | None, gold_dir: Path | None) -> Path | None:
    """The corpus file given on the command line, else the first file of its name under the gold folder."""
    if given is not None or gold_dir is None:
        return given
    direct = gold_dir / corpus.filename
    if direct.is_file():
        return direct
    return next(iter(sorted(gold_dir.rglob(corpus.filename))), None)


def run_inhouse(eval_dir: Path, settings: Settings, verbose: bool) -> tuple[dict[str, Any], str, bool]:
    """In-house scores as JSON, the printed table with the seed check, and whether the seed is exact."""
    articles = load_eval_set(eval_dir)
    texts = [a.text for a in articles]
    stderr_progress(f"{INHOUSE}: {len(articles)} articles from {eval_dir}")
    scores = [
        score_system(PROJECT, articles, run_enricher(texts, settings)),
        score_system(SPACY_ALONE, articles, run_baseline(texts, settings)),
    ]
    seed = seed_check(scores[0])
    parts = [f"In-house set ({eval_dir}), a regression guard", format_table(scores), seed]
    if verbose:
        parts += ["", format_misses(scores[0])]
    return report(scores), "\n".join(parts), seed.startswith("seed check: exact")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen corpora; tables on stdout, progress on stderr, JSON and errors to files."""
    args = parser().parse_args(argv)
    paths = {name: corpus_path(c, getattr(args, name.replace("-", "_")), args.gold_dir) for name, c in CORPORA.items()}
    chosen = args.corpus or [INHOUSE, *(name for name, path in paths.items() if path is not None)]
    missing = [CORPORA[name] for name in CORPORA if paths[name] is None and (args.corpus is None or name in chosen)]
    for corpus in missing:
        print(f"{corpus.name}: not scored; get {corpus.source} and pass --{corpus.name} PATH (or --gold-dir DIR)")
    if args.corpus and missing:
        return 2
    settings = load_settings()
    results: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    seed_exact = True
    try:
        for name in chosen:
            if name == INHOUSE:
                results[name], text, seed_exact = run_inhouse(args.eval_dir, settings, args.verbose)
            else:
                path = paths[name]
                assert path is not None
                result = evaluate_corpus(CORPORA[name], path, settings, args.limit, stderr_progress)
                results[name], text = result.summary, result.text
                errors.extend(result.errors)
            print(f"\n{text}", flush=True)
    except GoldFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    stderr_progress(f"scores written to {args.json}")
    if args.errors is not None:
        with args.errors.open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in errors)
        stderr_progress(f"{len(errors)} error records written to {args.errors}")
    return 0 if seed_exact else 1
