"""Typed schemas of every published table: the single source of truth for published columns."""

from schemas.tables import (
    ARTICLES,
    CANDIDATES,
    FETCHED,
    GDELT,
    PUBLISH_LOG,
    QUARANTINE,
    SIGNATURES,
    SOURCE_YIELD,
    TABLES,
    TableSpec,
)

__all__ = [
    "ARTICLES",
    "CANDIDATES",
    "FETCHED",
    "GDELT",
    "PUBLISH_LOG",
    "QUARANTINE",
    "SIGNATURES",
    "SOURCE_YIELD",
    "TABLES",
    "TableSpec",
]
