"""The town, county or state written after a legislator's party letter is a place."""

from __future__ import annotations

import pytest

from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.party_districts import party_districts
from pipeline.enrich.place_names import NamedGazetteer, read_place_names


@pytest.mark.unit
def test_the_seat_after_a_party_letter_is_the_longest_known_name(gazetteer: Gazetteer) -> None:
    text = (
        "Rep. Torrey Westrom, R-Elbow Lake, spoke; Sen. Bob Casey, D-Pa., agreed; state Rep. Jay Roberts "
        "(R-Ocilla) and Sen. Tom Bakk, DFL-Cook, did not. The D-Day landings and X-Men are no seats."
    )

    found = [text[start:end] for start, end in party_districts(text, NamedGazetteer(gazetteer, read_place_names()))]

    assert found == ["Elbow Lake", "Pa.", "Ocilla", "Cook"]  # "Pa." by its AP abbreviation
