"""A person's role and country from the words around a mention (no spaCy model needed)."""

from __future__ import annotations

import pytest

from pipeline.enrich.countries import CountryTable
from pipeline.enrich.roles import RoleContext, render_role, role_after, role_before, role_from_experts


@pytest.mark.unit
@pytest.mark.parametrize(
    ("before", "role", "country"),
    [
        ("Turkish President ", "President", "TUR"),
        ("Sudanese army chief ", "army chief", "SDN"),
        ("Iraq's prime minister, ", "Prime Minister", "IRQ"),
        ("Secretary of State ", "Secretary of State", None),
        ("The analyst ", "analyst", None),
    ],
)
def test_role_before_a_name(countries: CountryTable, before: str, role: str, country: str | None) -> None:
    context = role_before(before + "Jane Doe", 0, len(before), countries.country_of_word)

    assert context is not None
    assert (context.role, context.country) == (role, country)


@pytest.mark.unit
def test_render_role_title_cases_formal_titles_only() -> None:
    assert render_role(["former", "prime", "minister"]) == "former Prime Minister"
    assert render_role(["Army", "chief"]) == "army chief"


@pytest.mark.unit
def test_no_role_word_before_a_name_gives_none(countries: CountryTable) -> None:
    assert role_before("Yesterday Jane Doe", 0, len("Yesterday "), countries.country_of_word) is None


@pytest.mark.unit
@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (", the Iraqi foreign minister, said", RoleContext("Foreign Minister", "IRQ")),
        (", an analyst at the institute", RoleContext("analyst", None)),
        (" said on Monday", None),
    ],
)
def test_role_after_a_name(countries: CountryTable, after: str, expected: RoleContext | None) -> None:
    text = "Jane Doe" + after

    assert role_after(text, len("Jane Doe"), len(text), countries.country_of_word) == expected


@pytest.mark.unit
def test_the_person_quoted_after_analysts_is_an_analyst() -> None:
    text = "Analysts caution that the truce is fragile. Jane Doe said talks would fail."
    first = text.index(".") + 1
    sentences = [(0, first), (first + 1, len(text))]
    start = text.index("Jane")

    assert role_from_experts(text, sentences, start, start + len("Jane Doe")) == "analyst"
    assert role_from_experts(text, sentences[1:], start, start + len("Jane Doe")) is None  # no sentence before
