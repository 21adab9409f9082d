"""What the NER model hands to the rule layer: entity spans and sentence spans, as plain values."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entity:
    """An NER entity: character offsets into the article text and the model's label."""

    start: int
    end: int
    label: str


Sentence = tuple[int, int]
