"""Mentions merged per entity: people by name parts, acronyms the article defines, repeats the model missed."""

from __future__ import annotations

import pytest

from pipeline.enrich.clusters import (
    Cluster,
    Mention,
    cluster_organizations,
    cluster_people,
    merge_people_named_like_organizations,
    resolve_acronyms,
    scan_repeats,
    uncount_definitions,
)


def span(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


@pytest.mark.unit
def test_a_surname_joins_the_full_name_and_its_unmarked_repeats_are_found() -> None:
    text = "Mohammed Shia al-Sudani met aides. Al-Sudani said no. Sudani left."
    clusters: dict[str, Cluster] = {}
    mentions: list[Mention] = []

    cluster_people(text, [span(text, "Mohammed Shia al-Sudani"), span(text, "Al-Sudani")], clusters, mentions)
    mentions = scan_repeats(text, clusters, mentions, [])

    assert len(clusters) == 1
    assert sorted(text[m.start : m.end] for m in mentions) == ["Al-Sudani", "Mohammed Shia al-Sudani", "Sudani"]


@pytest.mark.unit
def test_an_acronym_defined_after_its_long_form_is_one_counted_mention_then_a_mention() -> None:
    text = "The Popular Mobilization Forces (PMF) said the PMF would stay."
    clusters: dict[str, Cluster] = {}
    mentions: list[Mention] = []

    cluster_organizations(text, [span(text, "Popular Mobilization Forces")], clusters, mentions)
    mentions = uncount_definitions(text, resolve_acronyms(text, clusters, mentions))

    assert {m.key for m in mentions} == {"org:popular mobilization forces"}
    assert [(text[m.start : m.end], m.counted) for m in sorted(mentions, key=lambda m: m.start)] == [
        ("Popular Mobilization Forces", True),
        ("PMF", False),
        ("PMF", True),
    ]


@pytest.mark.unit
def test_a_person_written_only_like_an_organization_of_the_article_joins_it() -> None:
    clusters = {
        "org:bre-x": Cluster(kind="org", surfaces=["Bre-X"]),
        "person:1": Cluster(kind="person", surfaces=["Bre-X", "Bre-X"]),
        "person:2": Cluster(kind="person", surfaces=["Barrick", "Peter Munk"]),
    }
    mentions = [Mention(0, 5, "org:bre-x"), Mention(10, 15, "person:1"), Mention(20, 27, "person:2")]

    merged = merge_people_named_like_organizations(clusters, mentions)

    assert [m.key for m in merged] == ["org:bre-x", "org:bre-x", "person:2"]


@pytest.mark.unit
def test_a_person_written_like_a_company_without_its_leading_legal_form_joins_it() -> None:
    clusters = {
        "org:timah": Cluster(kind="org", surfaces=["PT Tambang Timah"]),
        "person:1": Cluster(kind="person", surfaces=["Tambang Timah"]),
    }
    mentions = [Mention(0, 16, "org:timah"), Mention(30, 43, "person:1")]

    assert [m.key for m in merge_people_named_like_organizations(clusters, mentions)] == ["org:timah", "org:timah"]
