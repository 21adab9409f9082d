"""Countries acting, on literal spans (no model): subjects of acts, not objects, modifiers or intentions."""

from __future__ import annotations

import pytest

from pipeline.enrich.country_actors import CountryMentions, country_actors


def mention(text: str, name: str, alpha3: str) -> CountryMentions:
    spans = []
    start = text.find(name)
    while start >= 0:
        spans.append((start, start + len(name)))
        start = text.find(name, start + 1)
    return CountryMentions(name, name, alpha3, len(spans), tuple(spans))


@pytest.mark.unit
def test_a_subject_of_an_act_acts_and_its_object_does_not() -> None:
    text = "Russia invaded Ukraine in 2022."

    actors = country_actors(text, [mention(text, "Russia", "RUS"), mention(text, "Ukraine", "UKR")])

    assert [(a.canonical, a.type) for a in actors] == [("Russia", "country")]


@pytest.mark.unit
def test_coordinated_subjects_all_act_and_a_modifier_does_not() -> None:
    text = "Egypt and Qatar mediated the truce. Iranian troops and Iraq troops stayed."

    actors = country_actors(
        text, [mention(text, "Egypt", "EGY"), mention(text, "Qatar", "QAT"), mention(text, "Iraq", "IRQ")]
    )

    assert {a.country_code for a in actors} == {"EGY", "QAT"}


@pytest.mark.unit
def test_an_intention_or_a_measure_for_its_own_security_is_no_act() -> None:
    text = "Poland will seek to protect its border. Poland said it had reinforced its border."

    assert country_actors(text, [mention(text, "Poland", "POL")]) == []


@pytest.mark.unit
def test_a_seat_acting_makes_its_country_an_actor() -> None:
    text = "The Kremlin condemned the vote."
    seat = CountryMentions("Kremlin", "Russia", "RUS", 1, ((4, 11),))

    assert [a.canonical for a in country_actors(text, [], [seat])] == ["Russia"]
