"""State bodies without a proper name, found by a small grammar and typed government with their country:
"the interior ministry", "Kosovo police", "the state legislature", a lone "Senate", "the junta", "the Trump
administration"; and party labels the dictionary lists as affiliations ("a Republican")."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from pipeline.enrich.aliases import AliasEntry, AliasMatch
from pipeline.enrich.clusters import Cluster, Mention
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.entities import Entity
from pipeline.enrich.folding import fold, overlaps, surface_bounds
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.lexicon import MINISTRY_SUBJECTS
from pipeline.enrich.names import name_tokens

MINISTRY_RE = re.compile(
    rf"(?:\b(?P<owner>[A-Z][a-z]+)\s+)?\b(?P<subject>(?i:{'|'.join(MINISTRY_SUBJECTS)}))\s+(?i:ministry)\b"
)
COUNTRY_BODY_RE = re.compile(
    r"\b(?P<owner>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})\s+(?P<body>police|mission|legislature|parliament|senate)\b"
)
STATE_BODY_RE = re.compile(
    r"(?:\b(?P<owner>[A-Z][\w\-]*)['’]s\s+|\bthe\s+)"
    r"(?P<body>state\s+(?:legislature|court|senate|assembly|prosecutor['’]s\s+office))\b"
)
LONE_BODY_RE = re.compile(r"\b(?P<body>Senate|Congress|Parliament|Legislature)\b(?!\s+(?:of\b|[A-Z]))")
JUNTA_RE = re.compile(r"\bthe\s+(?P<body>junta|military government|military regime)\b")
ADMINISTRATION_RE = re.compile(r"\s+administration\b")
NAME_WEIGHT = 2
STATE_OF_RE = re.compile(r"\bstate\s+of\s+(?P<name>[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)?)")


class MainCountry:
    """The country an article is mostly about, computed on first use: its name counts twice, a demonym once."""

    def __init__(self, text: str, gazetteer: Gazetteer) -> None:
        self._text = text
        self._gazetteer = gazetteer
        self._code: str | None = None
        self._done = False

    def code(self) -> str | None:
        if not self._done:
            counts: Counter[str] = Counter()
            for word in self._gazetteer.scan(self._text):
                if word.demonym_of:
                    counts[word.demonym_of] += 1
                    continue
                code = _country_of_name(self._text[word.start : word.end], self._gazetteer)
                if code:
                    counts[code] += NAME_WEIGHT
            ranked = counts.most_common(2)
            if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                self._code = ranked[0][0]
            self._done = True
        return self._code


def _country_of_name(name: str, gazetteer: Gazetteer) -> str | None:
    """The one country a place name lies in: a country before a US state before towns ("Georgia")."""
    candidates = [c.place for c in gazetteer.candidates(name)]
    countries = (
        [place for place in candidates if place.feature == "country"]
        or [place for place in candidates if place.feature == "admin1"]
        or candidates
    )
    return countries[0].country_code if len({place.country_code for place in countries}) == 1 else None


def _state_before(text: str, position: int, gazetteer: Gazetteer) -> str | None:
    """The state or province the text last named before a "state ..." body: "the state of Sinaloa", "Texas"."""
    named = list(STATE_OF_RE.finditer(text, 0, position))
    named_start = named[-1].start() if named else -1
    states = [
        w
        for w in gazetteer.scan(text[:position])
        if w.demonym_of is None
        and w.start > named_start
        and any(c.place.feature == "admin1" for c in gazetteer.candidates(text[w.start : w.end]))
    ]
    if states:
        return text[states[-1].start : states[-1].end]
    return named[-1].group("name") if named else None


def add_institution(
    text: str,
    clusters: dict[str, Cluster],
    mentions: list[Mention],
    start: int,
    end: int,
    canonical: str,
    country: str | None,
    key: str | None = None,
) -> None:
    """A state body the grammar found: one government actor per canonical name."""
    key = key or f"institution:{fold(canonical)}"
    if key not in clusters:
        entry = AliasEntry(canonical, "government", country, None, ())
        clusters[key] = Cluster(kind="alias", entry=entry)
    clusters[key].surfaces.append(text[start:end])
    mentions.append(Mention(start, end, key))


def administrations(
    text: str, entities: Sequence[Entity], alias_matches: Sequence[AliasMatch], aliases: Sequence[AliasEntry]
) -> list[tuple[tuple[int, int], str | None]]:
    """ "the Trump administration": a government named after its leader; the leader is no mention there."""
    found: list[tuple[tuple[int, int], str | None]] = []
    names: list[tuple[int, int, str | None]] = [(e.start, e.end, None) for e in entities if e.label == "PERSON"]
    names += [(m.start, m.end, aliases[m.entry].country) for m in alias_matches if aliases[m.entry].type == "person"]
    for match in ADMINISTRATION_RE.finditer(text):
        for start, end, country in names:
            if surface_bounds(text, start, end)[1] == match.start():
                found.append(((start, match.end()), country))
                break
    return found


def add_affiliations(
    text: str,
    entities: Sequence[Entity],
    aliases: Sequence[AliasEntry],
    clusters: dict[str, Cluster],
    mentions: list[Mention],
) -> None:
    """Party labels the NER model reads as an affiliation ("a Republican", "Democrats") name the party."""
    owners = {fold(form): index for index, entry in enumerate(aliases) for form in entry.affiliations}
    if not owners:
        return
    taken = [(m.start, m.end) for m in mentions]
    for entity in entities:
        start, end = surface_bounds(text, entity.start, entity.end)
        index = owners.get(fold(text[start:end]))
        if entity.label != "NORP" or index is None or overlaps(start, end, taken):
            continue
        key = f"alias:{index}"
        entry = aliases[index]
        clusters.setdefault(
            key, Cluster(kind="alias", entry=entry, token_sets=[name_tokens(s) for s in entry.surface_forms])
        ).surfaces.append(text[start:end])
        mentions.append(Mention(start, end, key))


def add_institutions(
    text: str,
    clusters: dict[str, Cluster],
    mentions: list[Mention],
    aliases: Sequence[AliasEntry],
    countries: CountryTable,
    gazetteer: Gazetteer,
    main: MainCountry,
) -> None:
    """State bodies named by a pattern rather than a proper name (guideline 1.2, government).

    "[the] [<demonym/country>] interior ministry", "<Country> police" / "<Country> mission", "the state
    legislature" / "Bosnia's state court", a lone "Senate" / "Congress" / "Parliament", and "the junta":
    typed government, with the country the words give or, failing that, the country the article is about.
    """
    taken = [(m.start, m.end) for m in mentions]

    def name_of(code: str | None) -> str | None:
        country = countries.by_alpha3.get(code) if code else None
        return country.name if country else None

    def add(start: int, end: int, canonical: str, code: str | None, key: str | None = None) -> None:
        if not overlaps(start, end, taken):
            add_institution(text, clusters, mentions, start, end, canonical, code, key)

    for match in MINISTRY_RE.finditer(text):
        owner = match.group("owner")
        code = countries.country_of_word(owner) if owner else None
        start = match.start("owner") if code else match.start("subject")
        code = code or main.code()
        subject = MINISTRY_SUBJECTS[match.group("subject").lower()]
        place = name_of(code)
        add(start, match.end(), f"Ministry of {subject} of {place}" if place else f"Ministry of {subject}", code)
    for match in COUNTRY_BODY_RE.finditer(text):
        words = match.group("owner").split()
        owners = (" ".join(words[-count:]) for count in range(len(words), 0, -1))
        owner = next((name for name in owners if countries.names.get(name)), None)
        if owner:
            code = countries.names[owner]
            add(
                match.end("owner") - len(owner),
                match.end(),
                f"{name_of(code) or owner} {match.group('body').title()}",
                code,
            )
    for match in STATE_BODY_RE.finditer(text):
        owner = match.group("owner")
        start = match.start("owner") if owner else match.start("body")
        where = owner or _state_before(text, start, gazetteer)
        code = (countries.country_of_word(owner) if owner else None) or (
            _country_of_name(where, gazetteer) if where else None
        )
        code = code or main.code()
        body = " ".join(word[:1].upper() + word[1:] for word in match.group("body").split())
        where = where or name_of(code)
        add(start, match.end(), f"{body} of {where}" if where else body, code, f"institution:{fold(body)}")
    for match in LONE_BODY_RE.finditer(text):
        start, end = match.span("body")
        before = text[max(0, start - 25) : start].split()
        if (before and before[-1][:1].isupper() and before[-1].lower() != "the") or overlaps(start, end, taken):
            continue
        key = _known_body(match.group("body"), main.code(), clusters, aliases)
        if key:
            mentions.append(Mention(start, end, key))
        elif name_of(main.code()):
            add(start, end, f"{match.group('body')} of {name_of(main.code())}", main.code())
    for match in JUNTA_RE.finditer(text):
        place = name_of(main.code())
        if place:
            add(*match.span("body"), f"{place} military government", main.code())


def _known_body(word: str, code: str | None, clusters: dict[str, Cluster], aliases: Sequence[AliasEntry]) -> str | None:
    """The actor a lone "Congress" or "Senate" stands for: one already named ("Indian National Congress",
    "US Congress"), else the dictionary's only body of the article's country ending in that word."""
    for key, cluster in clusters.items():
        names = cluster.surfaces + ([cluster.entry.canonical] if cluster.entry else [])
        if cluster.kind in ("alias", "org") and any(name.split()[-1:] == [word] for name in names):
            return key
    known = [
        index
        for index, entry in enumerate(aliases)
        if entry.type == "government"
        and entry.country == code
        and any(form.split()[-1] == word for form in entry.surface_forms)
    ]
    if len(known) != 1:
        return None
    key = f"alias:{known[0]}"
    clusters.setdefault(key, Cluster(kind="alias", entry=aliases[known[0]]))
    return key
