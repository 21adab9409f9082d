"""The words around a name that tell its kind, on literal text."""

from __future__ import annotations

import pytest

from pipeline.enrich.cues import (
    has_corporate_form,
    has_organization_cue,
    has_person_apposition,
    has_person_cue,
    has_street_cue,
    has_strong_place_cue,
    is_credit_word,
)


def at(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


@pytest.mark.unit
def test_compass_and_area_words_make_a_place() -> None:
    text = "Fighting flared north of Goma and in western Tigray, near Mongla."
    assert has_strong_place_cue(text, at(text, "Goma")[0])
    assert has_strong_place_cue(text, at(text, "Tigray")[0])
    assert not has_strong_place_cue(text, at(text, "Mongla")[0])


@pytest.mark.unit
def test_a_settlement_noun_and_of_or_a_direction_and_to_make_a_place() -> None:
    text = "Many were now in the town of Walikale, on the road west to Kindu, said the head of Acme."
    assert has_strong_place_cue(text, at(text, "Walikale")[0])
    assert has_strong_place_cue(text, at(text, "Kindu")[0])
    assert not has_strong_place_cue(text, at(text, "Acme")[0])


@pytest.mark.unit
def test_organization_and_person_nouns_before_a_name_tell_its_kind() -> None:
    text = "The rights group Foro Penal said so. The grid operator, Ukrenergo, agreed, as did billionaire Ann Lee."
    assert has_organization_cue(text, *at(text, "Foro Penal"))
    assert has_organization_cue(text, *at(text, "Ukrenergo"))
    assert has_person_cue(text, at(text, "Ann Lee")[0]) and not has_person_cue(text, at(text, "Foro Penal")[0])


@pytest.mark.unit
def test_a_credit_line_verb_is_no_name() -> None:
    text = "Reporting by Ann Lee; Writing by Tom Hall"
    assert is_credit_word(text, *at(text, "Writing")) and not is_credit_word(text, *at(text, "Ann Lee"))


@pytest.mark.unit
def test_a_company_legal_form_makes_a_company() -> None:
    text = "PT Tambang Timah rose. Homestake Mining Co fell, Brewpole BV gained and Ann Lee Co-wrote it with Bo Sa."
    assert has_corporate_form(text, *at(text, "Tambang Timah"))
    assert has_corporate_form(text, *at(text, "Homestake Mining Co"))
    assert has_corporate_form(text, *at(text, "Brewpole"))
    assert not has_corporate_form(text, *at(text, "Ann Lee"))
    assert not has_corporate_form(text, *at(text, "Bo"))


@pytest.mark.unit
def test_a_house_number_a_street_preposition_or_a_street_before_and_make_a_street() -> None:
    streets = frozenset(["drive", "road"])
    text = (
        "the 2400 block of Jay Lane, 420 Augusta St., on Bucknell Drive, Elm Drive and Oak Road; Tom Lane and Al Road"
    )
    for name in ("Jay Lane", "Augusta St.", "Bucknell Drive", "Oak Road"):
        assert has_street_cue(text, at(text, name)[0], streets), name
    assert not has_street_cue(text, at(text, "Al Road")[0], streets)


@pytest.mark.unit
def test_an_age_or_a_post_set_off_after_a_name_makes_a_person() -> None:
    text = (
        "Jan Berg, 38, was jailed. Amara Essy of the Ivory Coast, its foreign minister, ran. His eldest son, "
        "Sigit Harjo, spoke. Foro Penal, a rights group, said. Acme Corp, the retailer, fell."
    )
    assert has_person_apposition(text, at(text, "Jan Berg")[1])
    assert has_person_apposition(text, at(text, "Amara Essy")[1])
    assert has_person_cue(text, at(text, "Sigit Harjo")[0])
    assert not has_person_apposition(text, at(text, "Foro Penal")[1])
    assert not has_person_apposition(text, at(text, "Acme Corp")[1])
