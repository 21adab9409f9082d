"""Actors of an article: NER people and organizations plus the curated dictionary, one per real entity.

Mentions come from three places: the alias dictionary (which wins any overlap), the NER model's PERSON and
ORG spans (candidates.py), and acronyms the article defines itself ("Islamic State (IS)" makes a later
standalone "IS" a mention). Mentions merge into one cluster per entity (clusters.py); NORP, GPE, dates, laws
and quantities are never actors by themselves, except party labels the dictionary lists as affiliations ("a
Republican"). State bodies without a proper name come from a small grammar (institutions.py), countries
acting as actors from country_actors.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.enrich.aliases import AliasEntry, AliasMatch
from pipeline.enrich.candidates import ner_candidates
from pipeline.enrich.clusters import (
    Cluster,
    Mention,
    cluster_organizations,
    cluster_people,
    merge_people_named_like_organizations,
    merge_undefined_acronyms,
    resolve_acronyms,
    scan_repeats,
    uncount_definitions,
)
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.country_actors import CountryMentions
from pipeline.enrich.entities import Entity, Sentence
from pipeline.enrich.folding import fold, overlaps
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.institutions import (
    MainCountry,
    add_affiliations,
    add_institution,
    add_institutions,
    administrations,
)
from pipeline.enrich.names import name_tokens, organization_type
from pipeline.enrich.roles import RoleContext, role_after, role_before, role_from_experts
from pipeline.records import Actor


@dataclass(frozen=True)
class ActorResult:
    """The article's actors, every character span they claim (places skip those spans), the NER
    PERSON/ORG spans the rules recognised as places instead, and seats standing for a state ("the Kremlin"),
    which are country actors only where they act (country_actors)."""

    actors: list[Actor]
    spans: list[tuple[int, int]]
    places: list[tuple[int, int]] = field(default_factory=list)
    seats: list[CountryMentions] = field(default_factory=list)


def _text_role(
    text: str, key_mentions: list[Mention], sentences: Sequence[Sentence], countries: CountryTable
) -> RoleContext:
    role: str | None = None
    country: str | None = None
    for mention in key_mentions:
        sentence = next(((s, e) for s, e in sentences if s <= mention.start < e), (0, len(text)))
        for context in (
            role_before(text, sentence[0], mention.start, countries.country_of_word),
            role_after(text, mention.end, sentence[1], countries.country_of_word),
        ):
            if context is not None:
                role = role or context.role
                country = country or context.country
        if role and country:
            break
    if role is None and key_mentions:
        first = key_mentions[0]
        role = role_from_experts(text, sentences, first.start, first.end)
    return RoleContext(role, country)


def _country_word_before(text: str, key_mentions: Sequence[Mention], countries: CountryTable) -> str | None:
    """A country name or demonym written right before a mention ("Thai" in "the Thai Commerce Ministry"),
    which the name was cut from (candidates.py)."""
    for mention in key_mentions:
        before = re.search(r"(?:^|[ \t])([A-Z][\w.\-]*) $", text[max(0, mention.start - 40) : mention.start])
        if before and countries.country_of_word(before.group(1)):
            return before.group(1)
    return None


def _foreign_namesake(
    text: str, match: AliasMatch, alias: AliasEntry, entities: Sequence[Entity], countries: CountryTable
) -> bool:
    """A dictionary name ending a longer organization's name the model tagged, led by another country's word
    ("Democratic Party" in "the Czech Civic Democratic Party"): a party or a body named like a better-known one
    abroad is that country's own actor, and its whole name stays. The entry's own country leading it ("the U.S.
    Democratic Party", "United States State Department") is the dictionary's actor."""
    if alias.country is None:
        return False
    for entity in entities:
        if entity.label != "ORG" or not entity.start < match.start < match.end <= entity.end:
            continue
        if text[match.end : entity.end] not in ("", "'s", "’s"):
            continue
        lead = [w for w in text[entity.start : match.start].split() if w.lower() != "the"]
        codes = {countries.country_of_word(w) for w in [*lead, " ".join(lead)]} - {None}
        if codes and alias.country not in codes:
            return True
    return False


def _without_place_names(
    text: str, mentions: Sequence[Mention], clusters: dict[str, Cluster], places: Sequence[tuple[int, int]]
) -> list[Mention]:
    """The mentions but an organization's where the rules found a place ("landed in Butte"), and but every
    mention of an organization (no dictionary's: those are "alias" clusters) whose every mention is written like
    one of those places: the model tagged the town an organization elsewhere too ("Butte officials"), and one
    text uses one name for one thing. A person's mentions stay: "Obama" is a town too, and a person is named
    so in full elsewhere."""
    spans = set(places)
    names = {fold(text[start:end]) for start, end in places}
    kept = [m for m in mentions if (m.start, m.end) not in spans or clusters[m.key].kind != "org"]
    placed = {
        key
        for key in {m.key for m in kept}
        if clusters[key].kind == "org" and all(fold(text[m.start : m.end]) in names for m in kept if m.key == key)
    }
    return [m for m in kept if m.key not in placed]


def find_actors(
    text: str,
    entities: Sequence[Entity],
    sentences: Sequence[Sentence],
    alias_matches: Sequence[AliasMatch],
    aliases: Sequence[AliasEntry],
    countries: CountryTable,
    gazetteer: Gazetteer,
    context: frozenset[str] = frozenset(),
) -> ActorResult:
    """Every person, organization, group and government actor of the article, mentions merged.

    context: the countries the article names or uses demonyms of, where its lesser-known towns lie.
    """
    clusters: dict[str, Cluster] = {}
    mentions: list[Mention] = []
    seat_spans: dict[str, list[tuple[int, int]]] = {}
    named_administrations = administrations(text, entities, alias_matches, aliases)
    for match in alias_matches:
        alias = aliases[match.entry]
        if overlaps(match.start, match.end, [span for span, _ in named_administrations]):
            continue
        if alias.type != "person" and _foreign_namesake(text, match, alias, entities, countries):
            continue
        if alias.type == "country" and alias.country:
            seat_spans.setdefault(alias.country, []).append((match.start, match.end))
            continue
        key = f"alias:{match.entry}"
        if key not in clusters:
            kind = "alias-person" if alias.type == "person" else "alias"
            clusters[key] = Cluster(kind=kind, entry=alias, token_sets=[name_tokens(s) for s in alias.surface_forms])
        clusters[key].surfaces.append(text[match.start : match.end])
        mentions.append(Mention(match.start, match.end, key))

    main = MainCountry(text, gazetteer)
    for (start, end), country in named_administrations:
        add_institution(text, clusters, mentions, start, end, text[start:end], country or main.code())
    add_affiliations(text, entities, aliases, clusters, mentions)
    claimed = [(m.start, m.end) for m in mentions] + [span for spans in seat_spans.values() for span in spans]
    people, organizations, places = ner_candidates(text, entities, sentences, claimed, countries, gazetteer, context)
    cluster_organizations(text, organizations, clusters, mentions)
    cluster_people(text, people, clusters, mentions)
    add_institutions(text, clusters, mentions, aliases, countries, gazetteer, main)
    mentions = resolve_acronyms(text, clusters, mentions)
    mentions = merge_undefined_acronyms(clusters, mentions)
    mentions = scan_repeats(text, clusters, mentions, entities)
    mentions = merge_people_named_like_organizations(clusters, mentions)
    mentions = uncount_definitions(text, mentions)
    mentions = _without_place_names(text, mentions, clusters, places)

    by_key: dict[str, list[Mention]] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        by_key.setdefault(mention.key, []).append(mention)

    actors: list[Actor] = []
    for key, key_mentions in by_key.items():
        cluster = clusters[key]
        surfaces = [re.sub(r"['’]s$", "", text[m.start : m.end]) for m in key_mentions]
        name = max(surfaces, key=len)
        entry = cluster.entry
        if entry is not None:
            canonical, actor_type, country, dictionary_role = entry.canonical, entry.type, entry.country, entry.role
        elif cluster.kind == "person":
            canonical, actor_type, country, dictionary_role = name, "person", None, None
        else:
            lead = _country_word_before(text, key_mentions, countries)
            canonical, actor_type = f"{lead} {name}" if lead else name, organization_type(name)
            country = countries.country_of_word(lead or name.split()[0])
            dictionary_role = None
        role: str | None = None
        if actor_type == "person":
            said = _text_role(text, key_mentions, sentences, countries)
            role = said.role or dictionary_role
            country = country or said.country
        actors.append(
            Actor(
                name=name,
                canonical=canonical,
                type=actor_type,
                country_code=country,
                role=role,
                mentions=sum(1 for m in key_mentions if m.counted),
            )
        )
    seats = [
        CountryMentions(text[found[0][0] : found[0][1]], countries.by_alpha3[code].name, code, len(found), tuple(found))
        for code, found in seat_spans.items()
        if code in countries.by_alpha3
    ]
    spans = sorted([(m.start, m.end) for m in mentions] + [span for seat in seats for span in seat.spans])
    return ActorResult(actors=actors, spans=spans, places=[p for p in places if not overlaps(*p, spans)], seats=seats)
