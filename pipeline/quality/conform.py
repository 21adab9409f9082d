"""Rows to a typed Arrow table: the schema is enforced, never coerced behind the analyst's back.

A row that does not fit (wrong type, a null in a required column) is rejected with the reason, so the
caller can quarantine it; the rest of the batch goes on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pyarrow as pa


@dataclass(frozen=True)
class Rejected:
    """A row the schema refused, and why."""

    row: dict[str, Any]
    reason: str


INT_BOUNDS = {8: 2**7, 16: 2**15, 32: 2**31, 64: 2**63}


def type_error(value: Any, type_: pa.DataType) -> str | None:
    """Why ``value`` does not fit ``type_`` exactly, or None; checked by hand because pyarrow would
    silently truncate 1.5 to 1 for an integer column."""
    if value is None:
        return None
    if pa.types.is_integer(type_):
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected an integer, got {type(value).__name__} {value!r}"
        bound = INT_BOUNDS[type_.bit_width]
        return None if -bound <= value < bound else f"{value} does not fit {type_}"
    if pa.types.is_floating(type_):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok else f"expected a finite number, got {value!r}"
    if pa.types.is_string(type_):
        return None if isinstance(value, str) else f"expected a string, got {type(value).__name__}"
    if pa.types.is_timestamp(type_):
        if not isinstance(value, datetime) or value.tzinfo is None:
            return f"expected a timezone-aware datetime, got {value!r}"
        return None
    if pa.types.is_date(type_):
        ok = isinstance(value, date) and not isinstance(value, datetime)
        return None if ok else f"expected a date, got {value!r}"
    if pa.types.is_boolean(type_):
        return None if isinstance(value, bool) else f"expected a boolean, got {value!r}"
    if pa.types.is_list(type_):
        if not isinstance(value, list):
            return f"expected a list, got {type(value).__name__}"
        for index, item in enumerate(value):
            if item is None and not type_.value_field.nullable:
                return f"[{index}] is null"
            if (error := type_error(item, type_.value_type)) is not None:
                return f"[{index}] {error}"
        return None
    if pa.types.is_struct(type_):
        if not isinstance(value, dict):
            return f"expected a mapping, got {type(value).__name__}"
        unknown = sorted(set(value) - {f.name for f in type_})
        if unknown:
            return f"unknown keys {', '.join(unknown)}"
        for child in type_:
            if (error := type_error(value.get(child.name), child.type)) is not None:
                return f".{child.name} {error}"
        return None
    raise TypeError(f"no check for Arrow type {type_}")


def _missing_required(row: dict[str, Any], schema: pa.Schema) -> list[str]:
    return [f.name for f in schema if not f.nullable and row.get(f.name) is None]


def _row_error(row: dict[str, Any], schema: pa.Schema) -> str | None:
    unknown = sorted(set(row) - set(schema.names))
    if unknown:
        return f"columns not in the schema: {', '.join(unknown)}"
    missing = _missing_required(row, schema)
    if missing:
        return f"required columns are null: {', '.join(missing)}"
    for field in schema:
        error = type_error(row.get(field.name), field.type)
        if error:
            return f"column {field.name}: {error}"
    return None


def conform(rows: list[dict[str, Any]], schema: pa.Schema) -> tuple[pa.Table, list[Rejected]]:
    """Typed table of the rows that fit the schema, and the rejected rows with reasons."""
    kept: list[dict[str, Any]] = []
    rejected: list[Rejected] = []
    for row in rows:
        error = _row_error(row, schema)
        if error is None:
            kept.append(row)
        else:
            rejected.append(Rejected(row, error))
    return pa.Table.from_pylist(kept, schema=schema), rejected
