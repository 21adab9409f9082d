"""Mentions merged into one cluster per real entity: people by name parts, organizations by name, acronyms
the article defines or spells, and verbatim repeats the model missed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.enrich.aliases import AliasEntry, is_shouted
from pipeline.enrich.companies import without_leading_form
from pipeline.enrich.entities import Entity
from pipeline.enrich.folding import fold, is_word_boundary, overlaps
from pipeline.enrich.lexicon import LONG_FORM_FILLERS, NAME_PARTICLES
from pipeline.enrich.names import initials, name_tokens

ACRONYM_DEFINITION_RE = re.compile(r"\(\s*([A-Z][A-Z0-9&\-]{1,9})\s*\)")
LONG_FORM_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")


@dataclass
class Cluster:
    """Mentions of one actor while the article is being read."""

    kind: str
    entry: AliasEntry | None = None
    token_sets: list[frozenset[str]] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str
    counted: bool = True


def cluster_people(
    text: str, spans: list[tuple[int, int]], clusters: dict[str, Cluster], mentions: list[Mention]
) -> None:
    first_seen = {m.key: m.start for m in reversed(mentions)}
    for start, end in sorted(spans, key=lambda span: (-len(name_tokens(text[span[0] : span[1]])), span[0])):
        surface = text[start:end]
        tokens = name_tokens(surface)
        matching = [
            key
            for key, cluster in clusters.items()
            if cluster.kind in ("person", "alias-person") and any(tokens <= known for known in cluster.token_sets)
        ]
        if matching:
            key = min(matching, key=lambda k: (first_seen[k] > start, abs(first_seen[k] - start)))
        else:
            key = f"person:{len(clusters)}"
            clusters[key] = Cluster(kind="person", token_sets=[tokens])
            first_seen[key] = start
        clusters[key].surfaces.append(surface)
        first_seen[key] = min(first_seen[key], start)
        mentions.append(Mention(start, end, key))


def cluster_organizations(
    text: str, spans: list[tuple[int, int]], clusters: dict[str, Cluster], mentions: list[Mention]
) -> None:
    for start, end in sorted(spans, key=lambda span: span[0] - span[1]):
        surface = text[start:end]
        folded = fold(surface)
        key = next(
            (
                k
                for k, cluster in clusters.items()
                if cluster.kind == "org"
                and any(
                    s == folded or (s.startswith(folded + " ") and " " in folded) for s in map(fold, cluster.surfaces)
                )
            ),
            None,
        )
        if key is None:
            key = f"org:{folded}"
            clusters[key] = Cluster(kind="org")
        clusters[key].surfaces.append(surface)
        mentions.append(Mention(start, end, key))


def _long_form_by_initials(text: str, end: int, acronym: str) -> tuple[int, int] | None:
    """The capitalized words right before "(ACRONYM)" whose initials spell it, skipping "of", "the", ..."""
    letters = [ch for ch in acronym if ch.isalpha()]
    words = list(LONG_FORM_WORD_RE.finditer(text, max(0, end - 150), end))
    if not words or words[-1].end() != end:
        return None
    initials: list[str] = []
    for word in reversed(words):
        token = word.group(0)
        if initials and token.lower() in LONG_FORM_FILLERS:
            continue
        if not token[0].isupper():
            return None
        initials.insert(0, token[0])
        if len(initials) == len(letters):
            return (word.start(), end) if initials == letters else None
    return None


def resolve_acronyms(text: str, clusters: dict[str, Cluster], mentions: list[Mention]) -> list[Mention]:
    by_end = {m.end: m for m in mentions}
    for definition in ACRONYM_DEFINITION_RE.finditer(text):
        acronym = definition.group(1)
        paren = definition.start()
        before = paren
        while before > 0 and text[before - 1].isspace():
            before -= 1
        owner = by_end.get(before)
        if owner is None:
            long_form = _long_form_by_initials(text, before, acronym)
            if long_form is None:
                continue
            surface = text[long_form[0] : long_form[1]]
            key = f"org:{fold(surface)}"
            clusters.setdefault(key, Cluster(kind="org")).surfaces.append(surface)
            owner = Mention(long_form[0], long_form[1], key)
            mentions = [m for m in mentions if not overlaps(m.start, m.end, [long_form])] + [owner]
        pattern = re.compile(rf"(?<![\w\-]){re.escape(acronym)}(?![\w\-])")
        for found in pattern.finditer(text, definition.start()):
            span = (found.start(), found.end())
            mentions = [m for m in mentions if (m.start, m.end) != span]
            if overlaps(*span, [(m.start, m.end) for m in mentions]) or is_shouted(text, *span):
                continue
            mentions.append(Mention(span[0], span[1], owner.key))
    return mentions


def merge_undefined_acronyms(clusters: dict[str, Cluster], mentions: list[Mention]) -> list[Mention]:
    """An all-caps name the article never defines joins the organization whose initials it spells ("LAF")."""
    long_forms: dict[str, str] = {}
    for key, cluster in clusters.items():
        if cluster.kind in ("org", "alias"):
            for surface in cluster.surfaces:
                for candidate in (surface, re.sub(r"^The\s+", "", surface)):
                    if len(candidate.split()) > 1:
                        long_forms.setdefault(initials(candidate), key)
    remap = {}
    for key, cluster in clusters.items():
        if cluster.kind == "org" and all(s.isupper() and 2 <= len(s) <= 6 for s in cluster.surfaces):
            owner = long_forms.get(cluster.surfaces[0])
            if owner and owner != key:
                remap[key] = owner
    return [Mention(m.start, m.end, remap.get(m.key, m.key), m.counted) for m in mentions]


def scan_repeats(
    text: str, clusters: dict[str, Cluster], mentions: list[Mention], entities: Sequence[Entity]
) -> list[Mention]:
    """Add verbatim repeats of names the model tagged once but missed elsewhere (surnames for people)."""
    foreign = [(e.start, e.end) for e in entities if e.label not in ("PERSON", "ORG")]
    for key, cluster in clusters.items():
        if cluster.kind not in ("person", "org"):
            continue
        forms = set(cluster.surfaces)
        if cluster.kind == "person":
            last = max(cluster.surfaces, key=len).split()[-1]
            forms.add(last)
            if "-" in last and last.split("-")[0].lower() in NAME_PARTICLES:
                forms.add(last.split("-", 1)[1])
        for form in sorted(forms, key=len, reverse=True):
            if len(form) < 3 or not form[0].isupper():
                continue
            for found in re.finditer(re.escape(form), text):
                span = (found.start(), found.end())
                taken = [(m.start, m.end) for m in mentions] + foreign
                if is_word_boundary(text, *span) and not overlaps(*span, taken):
                    mentions.append(Mention(span[0], span[1], key))
    return mentions


def uncount_definitions(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Islamic State (IS)" is one mention: the parenthesised acronym right after its long form is not counted."""
    ordered = sorted(mentions, key=lambda m: m.start)
    result: list[Mention] = []
    for index, mention in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        is_definition = (
            previous is not None
            and previous.key == mention.key
            and re.fullmatch(r"\s*\(\s*", text[previous.end : mention.start]) is not None
            and text[mention.end : mention.end + 1] == ")"
        )
        result.append(Mention(mention.start, mention.end, mention.key, counted=not is_definition))
    return result


def merge_people_named_like_organizations(clusters: dict[str, Cluster], mentions: list[Mention]) -> list[Mention]:
    """A "person" every mention of which is written like an organization of the article ("Bre-X" beside
    the ORG-tagged "Bre-X", "Tambang Timah" beside "PT Tambang Timah") is that organization: one name in one
    article is one entity."""
    organizations: dict[str, str] = {}
    for key, cluster in clusters.items():
        if cluster.kind == "org":
            for surface in cluster.surfaces:
                organizations.setdefault(fold(surface), key)
                organizations.setdefault(fold(without_leading_form(surface)), key)
    remap: dict[str, str] = {}
    for key, cluster in clusters.items():
        owners = {organizations.get(fold(surface), "") for surface in cluster.surfaces}
        owner = owners.pop() if len(owners) == 1 else ""
        if cluster.kind == "person" and owner:
            remap[key] = owner
    return [Mention(m.start, m.end, remap.get(m.key, m.key), m.counted) for m in mentions]
