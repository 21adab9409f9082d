"""Enrichment of an analyst's own files (``python -m pipeline enrich PATH...``).

It runs exactly the DAG's code path on a throwaway data root: one ``local`` source per given file or
folder, read where it is, then the flow ``pipeline.flows.ENRICH`` (discover, fetch, normalize and enrich).
What it prints is what the DAG would publish for those articles, before validation; inputs that fail are
reported with the stage and the reason, as the quarantine table would record them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import UserInputError
from pipeline.flows import ENRICH, Run, run_flow
from pipeline.settings import Settings
from pipeline.sources.base import Interval
from pipeline.sources.local import SUFFIXES, article_files
from pipeline.storage.delta import arrow_dataset
from pipeline.storage.raw import Store
from schemas import QUARANTINE

ALL_TIME = Interval(datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC))
DEFAULT_DOMAIN = "local.invalid"


class CorpusPathError(UserInputError):
    """A path given on the command line that is not an article file or a folder."""


@dataclass(frozen=True)
class CorpusResult:
    """Enriched article rows, and the inputs that did not make it (stage, reason, detail)."""

    articles: list[dict[str, Any]]
    rejected: list[dict[str, Any]]


def _source(index: int, path: Path, default_domain: str) -> dict[str, str]:
    """A ``local`` source over one given path (the user's own, not a copy, so every message names it)."""
    suffixes = "/".join(sorted(SUFFIXES))
    if not path.exists():
        raise CorpusPathError(f"{path}: no such file or folder")
    if path.is_dir():
        if next(iter(article_files(path)), None) is None:
            raise CorpusPathError(f"{path}: an empty folder (no {suffixes} files in it or below)")
    elif not path.is_file() or path.suffix.lower() not in SUFFIXES:
        raise CorpusPathError(f"{path}: not a folder or a {suffixes} file")
    return {"name": f"corpus-{index}", "kind": "local", "path": str(path.absolute()), "default_domain": default_domain}


def enrich_paths(paths: Sequence[Path], settings: Settings, default_domain: str = DEFAULT_DOMAIN) -> CorpusResult:
    """Enriched rows for every article in ``paths`` (files or folders), in file order."""
    entries = [_source(index, path, default_domain) for index, path in enumerate(paths, start=1)]
    with tempfile.TemporaryDirectory(prefix="newsflow-enrich-") as work:
        root = Path(work)
        sources = root / "sources.yml"
        sources.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
        local = settings.model_copy(update={"data_root": str(root / "data"), "sources_file": str(sources)})
        run = run_flow(ENRICH, Run(local, "enrich-corpus", ALL_TIME))
        store = Store.from_settings(local)
        articles = store.read_rows(run.paths["enriched"])
        quarantine_dir = Path(store.path(QUARANTINE.path))
        rejected = arrow_dataset(store, QUARANTINE).to_table().to_pylist() if quarantine_dir.exists() else []
    columns = ("url", "stage", "reason_code", "reason_detail")
    return CorpusResult(articles, [{k: r[k] for k in columns} for r in rejected])
