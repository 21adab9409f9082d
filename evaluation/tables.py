"""Plain-text tables: a label column, then one right-aligned column per system."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cell(value: float | int | str | None) -> str:
    """Ratios to three places, km to one, counts as they are, a missing value as a dash."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Aligned text table; the first column left-aligned, the others right-aligned."""
    table = [tuple(header), *(tuple(r) for r in rows)]
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in table
    )
