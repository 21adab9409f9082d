"""Typed schemas of every published table: the single source of truth for published columns."""

from schemas.tables import ARTICLES, PUBLISH_LOG, QUARANTINE, TABLES, TableSpec

__all__ = ["ARTICLES", "PUBLISH_LOG", "QUARANTINE", "TABLES", "TableSpec"]
