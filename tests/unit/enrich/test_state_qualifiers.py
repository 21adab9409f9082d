"""A town before its abbreviated state or province, and the abbreviation, are places where the one holds the
other."""

from __future__ import annotations

import pytest

from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.place_names import NamedGazetteer, read_place_names
from pipeline.enrich.state_qualifiers import qualified_towns


@pytest.mark.unit
def test_a_town_and_the_abbreviated_division_holding_it_are_places(gazetteer: Gazetteer) -> None:
    text = "Lau, born in Churchill, Man., moved from Melville, Sask. to Hugo, Oklahoma; Lau, Ind. is no town."

    found = qualified_towns(text, NamedGazetteer(gazetteer, read_place_names()))

    assert [text[start:end] for start, end in found] == ["Churchill", "Man.", "Melville", "Sask.", "Hugo", "Oklahoma"]
