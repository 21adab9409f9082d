"""Where bytes live: the raw zone (gzip payloads keyed by run and content hash) and per-run staging files.

Everything is addressed under ``settings.data_root``, a local path or an fsspec URL (``s3://...``), so
the same code runs on a laptop and on object storage.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import fsspec
import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from pipeline.settings import Settings

RUN_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# "page": a page's HTML (fetched, archived or saved); "document": a folder source's text article, already
# split into fields; "feed": a feed or an index as fetched.
RAW_KINDS = frozenset({"feed", "page", "document"})
RAW_REF = re.compile(r"^raw/(?!\.+/)[A-Za-z0-9._-]+/(feed|page|document)/[0-9a-f]{64}\.gz$")  # no "." or ".." run key


class RawRefError(ValueError):
    """A raw reference that does not point inside the raw zone."""


def raw_kind(ref: str) -> str | None:
    """The kind a raw_ref was stored under, so a reader chooses how to read it by what was recorded rather
    than by what the bytes look like; None for anything that is not a raw-zone reference."""
    match = RAW_REF.match(ref)
    return match.group(1) if match else None


def run_key(run_id: str) -> str:
    """A run id made safe as one path segment (Airflow run ids hold ':' and '+')."""
    key = RUN_KEY_UNSAFE.sub("_", run_id).strip("._")
    if not key:
        raise ValueError(f"run id {run_id!r} has no usable characters")
    return key


def join(root: str, *parts: str) -> str:
    """Join path segments under a local root or a URL root."""
    return "/".join([root.rstrip("/"), *(p.strip("/") for p in parts)])


@dataclass(frozen=True)
class Store:
    """The data root with its filesystem; cheap to build, so each task builds its own."""

    root: str
    storage_options: dict[str, str]

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        return cls(settings.data_root, dict(settings.storage_options))

    def fs(self) -> fsspec.AbstractFileSystem:
        fs, _ = fsspec.core.url_to_fs(self.root, **_fsspec_options(self.storage_options))
        return fs

    def path(self, *parts: str) -> str:
        return join(self.root, *parts)

    def put_raw(self, run_id: str, kind: str, payload: bytes) -> str:
        """Keep a payload gzip-compressed; returns its raw_ref (relative to the data root)."""
        if kind not in RAW_KINDS:
            raise ValueError(f"raw kind {kind!r} is not one of {sorted(RAW_KINDS)}")
        digest = hashlib.sha256(payload).hexdigest()
        ref = f"raw/{run_key(run_id)}/{kind}/{digest}.gz"
        target = self.path(ref)
        fs = self.fs()
        if not fs.exists(target):
            fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
            with fs.open(target, "wb") as fh:
                fh.write(gzip.compress(payload, compresslevel=6, mtime=0))
        return ref

    def get_raw(self, ref: str) -> bytes:
        """The payload behind a raw_ref; refuses refs that could escape the raw zone."""
        if not RAW_REF.match(ref):
            raise RawRefError(f"raw_ref {ref!r} is not a raw-zone reference")
        with self.fs().open(self.path(ref), "rb") as fh:
            return gzip.decompress(fh.read())

    def arrow_filesystem(self, *parts: str) -> pafs.FileSystem:
        """A native pyarrow filesystem rooted at ``parts`` under the data root (local or S3)."""
        target = self.path(*parts)
        if "://" not in target:
            return pafs.SubTreeFileSystem(os.path.abspath(target), pafs.LocalFileSystem())
        scheme, _, rest = target.partition("://")
        if scheme not in ("s3", "s3a"):
            raise ValueError(f"no native Arrow filesystem for {scheme}:// (data root {self.root})")
        return pafs.SubTreeFileSystem(rest, pafs.S3FileSystem(**_arrow_s3_options(self.storage_options)))

    def staging(self, run_id: str, name: str) -> str:
        return self.path("staging", run_key(run_id), f"{name}.parquet")

    def write_table(self, path: str, table: pa.Table) -> str:
        fs = self.fs()
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with fs.open(path, "wb") as fh:
            pq.write_table(table, fh)
        return path

    def read_table(self, path: str, columns: Sequence[str] | None = None) -> pa.Table:
        """A staging file, whole or only ``columns``: read as the one Parquet file it is, not through
        pq.read_table's dataset layer, whose import also imports pandas (~0.8 s a task process)."""
        with self.fs().open(path, "rb") as fh:
            return pq.ParquetFile(fh).read(columns=list(columns) if columns is not None else None)

    def read_schema(self, path: str) -> pa.Schema:
        """A staging file's schema, from its footer."""
        with self.fs().open(path, "rb") as fh:
            return pq.ParquetFile(fh).schema_arrow

    def iter_batches(
        self, path: str, chunk_rows: int, columns: Sequence[str] | None = None
    ) -> Iterator[pa.RecordBatch]:
        """A staging file ``chunk_rows`` rows at a time, so a stage holds one chunk of a batch, not all of it."""
        with self.fs().open(path, "rb") as fh:
            selected = list(columns) if columns is not None else None
            yield from pq.ParquetFile(fh).iter_batches(batch_size=chunk_rows, columns=selected)

    def write_batches(self, path: str, schema: pa.Schema, tables: Iterable[pa.Table]) -> str:
        """Write tables one after another into one Parquet file, so a batch never has to be held whole."""
        fs = self.fs()
        fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with fs.open(path, "wb") as fh, pq.ParquetWriter(fh, schema) as writer:
            for table in tables:
                writer.write_table(table)
        return path

    def move(self, source: str, target: str) -> str:
        """Rename a staging file (a copy and a delete on object storage); returns ``target``."""
        self.fs().mv(source, target)
        return target

    def count_rows(self, path: str) -> int:
        """Rows in a staging file, from its footer."""
        with self.fs().open(path, "rb") as fh:
            return int(pq.ParquetFile(fh).metadata.num_rows)

    def iter_rows(self, path: str, chunk_rows: int) -> Iterator[list[dict[str, Any]]]:
        """The rows of a staging file, ``chunk_rows`` at a time."""
        for batch in self.iter_batches(path, chunk_rows):
            yield batch.to_pylist()

    def write_rows(self, path: str, rows: list[dict[str, Any]], schema: pa.Schema) -> str:
        """Rows as a staging file. No rows are written without converting a Python value: pyarrow's first
        conversion imports pandas (~0.8 s a task process), which a run that found nothing new can skip."""
        table = pa.Table.from_pylist(rows, schema=schema) if rows else pa.Table.from_batches([], schema=schema)
        return self.write_table(path, table)

    def read_rows(self, path: str) -> list[dict[str, Any]]:
        return self.read_table(path).to_pylist()


@dataclass(frozen=True)
class StagedRows:
    """A staging file handed to a Delta merge without reading it whole: it answers ``num_rows``, ``column``
    and ``to_reader`` as a pyarrow Table does, reading the file a chunk at a time."""

    store: Store
    path: str

    @property
    def num_rows(self) -> int:
        return self.store.count_rows(self.path)

    def column(self, name: str) -> pa.ChunkedArray:
        return self.store.read_table(self.path, [name]).column(name)

    def to_reader(self, max_chunksize: int) -> pa.RecordBatchReader:
        batches = self.store.iter_batches(self.path, max_chunksize)
        return pa.RecordBatchReader.from_batches(self.store.read_schema(self.path), batches)


def _arrow_s3_options(options: dict[str, str]) -> dict[str, Any]:
    """Translate deltalake-style S3 options (AWS_*) to pyarrow.fs.S3FileSystem keyword arguments."""
    out: dict[str, Any] = {}
    if "AWS_ACCESS_KEY_ID" in options:
        out["access_key"] = options["AWS_ACCESS_KEY_ID"]
        out["secret_key"] = options.get("AWS_SECRET_ACCESS_KEY")
    if "AWS_REGION" in options:
        out["region"] = options["AWS_REGION"]
    if endpoint := options.get("AWS_ENDPOINT_URL"):
        scheme, _, host = endpoint.partition("://")
        out["endpoint_override"] = host or endpoint
        out["scheme"] = scheme if host else "https"
    return out


def _fsspec_options(options: dict[str, str]) -> dict[str, Any]:
    """Translate deltalake-style S3 options (AWS_*) to s3fs keyword arguments."""
    if not options:
        return {}
    out: dict[str, Any] = {}
    if "AWS_ACCESS_KEY_ID" in options:
        out["key"] = options["AWS_ACCESS_KEY_ID"]
    if "AWS_SECRET_ACCESS_KEY" in options:
        out["secret"] = options["AWS_SECRET_ACCESS_KEY"]
    client: dict[str, str] = {}
    if "AWS_ENDPOINT_URL" in options:
        client["endpoint_url"] = options["AWS_ENDPOINT_URL"]
    if "AWS_REGION" in options:
        client["region_name"] = options["AWS_REGION"]
    if client:
        out["client_kwargs"] = client
    return out
