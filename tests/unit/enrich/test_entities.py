"""NER spans trimmed to the names they hold: nothing of a name is lost, nothing else kept."""

from __future__ import annotations

import pytest

from pipeline.enrich.entities import Entity, clean_entities, replaced, trim_span


def trimmed(surface: str, label: str = "GPE") -> str:
    start, end = trim_span(surface, 0, len(surface), label)
    return surface[start:end]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("surface", "label", "name"),
    [
        ("the Soviet Union", "GPE", "Soviet Union"),
        ("GLASGOW 1996-12-07", "GPE", "GLASGOW"),
        ("Suu Kyi's", "PERSON", "Suu Kyi"),
        ('Mohammed Rashid "', "PERSON", "Mohammed Rashid"),
        ("Pete Sampras 6-3", "PERSON", "Pete Sampras"),
        ("National League for Democracy (NLD", "ORG", "National League for Democracy"),
        ("(NLD", "ORG", "NLD"),
        ("Fla.", "GPE", "Fla."),
        ("the U.S.", "GPE", "U.S."),
        ("Channel 4 1996-12-07", "ORG", "Channel 4"),
        ("Group 3", "ORG", "Group 3"),
    ],
)
def test_a_span_is_trimmed_to_its_name(surface: str, label: str, name: str) -> None:
    assert trimmed(surface, label) == name


@pytest.mark.unit
def test_a_span_over_a_line_break_is_cut_into_its_names_and_numbers_alone_are_dropped() -> None:
    text = "Results\nTeam Points\n1996-12-07 Glasgow"
    entities = [Entity(8, 38, "ORG"), Entity(20, 38, "GPE"), Entity(0, 7, "DATE")]

    cleaned = clean_entities(text, [*entities, Entity(20, 30, "CARDINAL")])

    assert [(text[e.start : e.end], e.label) for e in cleaned] == [
        ("Team Points", "ORG"),
        ("Glasgow", "ORG"),
        ("Glasgow", "GPE"),
        ("Results", "DATE"),
        ("1996-12-07", "CARDINAL"),
    ]


@pytest.mark.unit
def test_a_span_with_no_letter_left_is_dropped() -> None:
    assert clean_entities('a " 1996 " b', [Entity(2, 10, "PERSON")]) == []


@pytest.mark.unit
def test_an_organizations_lower_case_descriptor_is_cut_off() -> None:
    text = "the Xinhua news agency said, citing the U.N. refugee agency and Interfax news."
    entities = [
        Entity(text.index("the Xinhua"), text.index(" said"), "ORG"),
        Entity(text.index("U.N."), text.index(" and"), "ORG"),
        Entity(text.index("Interfax"), len(text) - 1, "ORG"),
    ]

    assert [text[e.start : e.end] for e in clean_entities(text, entities)] == ["Xinhua", "U.N.", "Interfax"]


@pytest.mark.unit
def test_a_persons_span_ending_on_a_particle_takes_the_name_after_it() -> None:
    text = "((Gilbert Le Gras 204 947 3548)) and Anne de."
    entities = [
        Entity(text.index("Gilbert"), text.index(" Gras"), "PERSON"),
        Entity(text.index("Anne"), text.index("."), "PERSON"),
    ]

    assert [text[e.start : e.end] for e in clean_entities(text, entities)] == ["Gilbert Le Gras", "Anne de"]


@pytest.mark.unit
def test_two_organization_spans_with_only_a_space_between_are_one_name() -> None:
    text = "Movement for a Democratic Slovakia, Reuters Ltd"
    split = text.index(" Slovakia")
    entities = [Entity(0, split, "ORG"), Entity(split + 1, text.index(","), "ORG"), Entity(36, 47, "ORG")]

    assert [text[e.start : e.end] for e in clean_entities(text, entities)] == [
        "Movement for a Democratic Slovakia",
        "Reuters Ltd",
    ]


@pytest.mark.unit
def test_entities_a_rule_found_replace_every_entity_they_overlap_in_text_order() -> None:
    model = [Entity(0, 6, "ORG"), Entity(10, 20, "PERSON"), Entity(30, 35, "GPE")]
    found = [Entity(8, 14, "GPE"), Entity(2, 4, "PERSON")]

    assert replaced(model, found) == [Entity(2, 4, "PERSON"), Entity(8, 14, "GPE"), Entity(30, 35, "GPE")]
    assert replaced(model, []) == model
