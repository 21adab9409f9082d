"""The word lists load from their data file, and a malformed file is refused with the key named."""

from __future__ import annotations

import pytest

from pipeline.enrich import lexicon


@pytest.mark.unit
def test_lists_are_lower_case_word_sets_and_derived_lists_contain_their_bases() -> None:
    assert {"al", "bin", "van"} <= lexicon.NAME_PARTICLES
    assert lexicon.TITLE_HEADS <= lexicon.ROLE_HEADS
    assert lexicon.ROLE_HEADS <= lexicon.MODIFIED_NOUNS
    assert lexicon.EXTRA_ACTION_VERBS <= lexicon.WINDOW_ACTION_VERBS
    assert "invaded" in lexicon.WINDOW_ACTION_VERBS and "invade" not in lexicon.WINDOW_ACTION_VERBS
    assert lexicon.MINISTRY_SUBJECTS["home"] == "Home Affairs"


@pytest.mark.unit
def test_a_key_that_is_not_a_word_list_is_an_error_naming_it() -> None:
    with pytest.raises(lexicon.LexiconFileError, match="no_such_list must be a list of words"):
        lexicon.words("no_such_list")
    with pytest.raises(lexicon.LexiconFileError, match="name_particles must map words to words"):
        lexicon.mapping("name_particles")
