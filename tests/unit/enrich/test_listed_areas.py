"""Names in a list before a plural area word are divisions of that kind."""

from __future__ import annotations

import pytest

from pipeline.enrich.listed_areas import listed_areas


def names(text: str) -> list[str]:
    return [text[start:end] for start, end in listed_areas(text)]


@pytest.mark.unit
def test_every_name_of_a_list_before_counties_is_named_and_a_lone_county_is_not() -> None:
    text = (
        "Floods hit Douglas, Sarpy and Lancaster counties and places like Jackson and Otter Tail counties; "
        "Two Northeast Georgia counties grew, as did Smith and Jones."
    )

    assert names(text) == ["Douglas", "Sarpy", "Lancaster", "Jackson", "Otter Tail"]
