"""The curated actor dictionary and its Aho-Corasick matcher (no spaCy model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.enrich.aliases import (
    ACTOR_TYPES,
    ALIASES_FILE,
    AliasEntry,
    AliasFileError,
    AliasMatcher,
    is_shouted,
    parse_alias_entries,
    read_alias_entries,
)
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.folding import fold


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
def test_an_entry_read_from_a_file_is_found_in_text_with_its_offsets(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yml"
    path.write_text(
        "- {canonical: Kenya Defence Forces, type: government, country: KEN, aliases: [KDF], role: army}\n",
        encoding="utf-8",
    )

    entries = read_alias_entries(frozenset({"KEN"}), path)
    text = "The KDF deployed troops; the Kenya Defence Forces said."
    found = AliasMatcher(entries).find(text)

    assert entries == [AliasEntry("Kenya Defence Forces", "government", "KEN", "army", ("KDF",))]
    assert [text[match.start : match.end] for match in found] == ["KDF", "Kenya Defence Forces"]


@pytest.mark.unit
def test_a_malformed_file_names_the_file_and_the_entry(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yml"
    path.write_text("- {type: group, aliases: [X]}\n", encoding="utf-8")

    with pytest.raises(AliasFileError, match="entry 0 has no canonical name") as raised:
        read_alias_entries(frozenset(), path)
    assert raised.value.path == path
    with pytest.raises(AliasFileError, match="expected a list"):
        parse_alias_entries({"canonical": "X"}, frozenset(), path)


@pytest.mark.unit
def test_an_acronym_between_capitalised_words_is_shouted_text() -> None:
    assert is_shouted("REBELS SEIZE TOWN", 7, 12)
    assert not is_shouted("Rebels seize the town", 7, 12)
