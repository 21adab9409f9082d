"""Actors of an article: NER people and organizations plus the curated dictionary, one per real entity.

Mentions come from three places: the alias dictionary (which wins any overlap), the NER model's PERSON and
ORG spans, and acronyms the article defines itself ("Islamic State (IS)" makes a later standalone "IS" a
mention). People are merged when one name's tokens are a subset of another's ("al-Sudani" ->
"Mohammed Shia al-Sudani"); NORP, GPE, dates, laws and quantities are never actors by themselves, except
party labels the dictionary lists as affiliations ("a Republican"). State bodies without a proper name are
found by a small grammar ("the interior ministry", "Kosovo police", "the state legislature", a lone
"Senate", "the junta", "the Trump administration") and typed government with their country.

Countries as actors: a country name is an actor only when it is the subject of a sovereign or hostile act
("Russia invaded", "Iran has launched", "Israel struck"), the events a conflict coder would record. Merely
being discussed, or "seeking", "maintaining" or "navigating", keeps it a location (see country_actors). A seat
standing for a state ("the Kremlin") counts as a mention of that country.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.enrich.aliases import AliasEntry, AliasMatch, is_shouted
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.entities import Entity, Sentence
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.normalize import fold, is_word_boundary, overlaps, surface_bounds
from pipeline.enrich.places import is_toponym
from pipeline.enrich.roles import (
    ROLE_HEADS,
    ROLE_MODIFIERS,
    RoleContext,
    role_after,
    role_before,
    role_from_experts,
)
from pipeline.records import Actor, ActorType

PLACE_OVER_NAME_MIN_POPULATION = 1_000_000
NAME_PARTICLES = frozenset(
    [
        "al",
        "el",
        "ad",
        "ash",
        "as",
        "at",
        "az",
        "bin",
        "ibn",
        "bint",
        "ben",
        "de",
        "da",
        "di",
        "du",
        "del",
        "der",
        "van",
        "von",
        "le",
        "la",
    ]
)
GENERIC_ORG_WORDS = frozenset(
    [
        "government",
        "parliament",
        "ministry",
        "army",
        "police",
        "court",
        "cabinet",
        "state",
        "council",
        "agency",
        "committee",
        "forces",
        "military",
        "navy",
        "senate",
        "congress",
        "administration",
        "office",
        "department",
        "commission",
        "authority",
        "regime",
        "party",
        "union",
        "assembly",
    ]
)
GROUP_WORDS = frozenset(
    [
        "brigade",
        "brigades",
        "militia",
        "militias",
        "battalion",
        "battalions",
        "mujahideen",
        "jihad",
        "rebels",
        "insurgents",
        "front",
        "movement",
        "cartel",
        "gang",
    ]
)
GOVERNMENT_WORDS = frozenset(
    [
        "ministry",
        "government",
        "parliament",
        "cabinet",
        "senate",
        "congress",
        "presidency",
        "army",
        "navy",
        "police",
        "armed",
        "air",
        "guard",
    ]
)
ORG_NAME_WORDS = frozenset(
    [
        "institute",
        "university",
        "center",
        "centre",
        "foundation",
        "group",
        "bank",
        "company",
        "corporation",
        "inc",
        "ltd",
        "news",
        "agency",
        "network",
        "fund",
        "association",
        "alliance",
        "coalition",
        "league",
    ]
)
NON_ACTOR_FIRST_WORDS = frozenset(
    [
        "operation",
        "storm",
        "hurricane",
        "typhoon",
        "cyclone",
        "tropical",
        "camp",
        "plant",
        "mount",
        "lake",
        "cape",
        "uss",
        "hms",
        "brp",
        "mv",
        "article",
        "resolution",
        "bill",
    ]
)
NON_ACTOR_LAST_WORDS = frozenset(
    [
        "act",
        "law",
        "constitution",
        "treaty",
        "agreement",
        "accord",
        "accords",
        "convention",
        "charter",
        "protocol",
        "dam",
        "barrage",
        "bridge",
        "airport",
        "crossing",
        "river",
        "mountains",
        "valley",
        "canal",
        "strait",
        "sea",
        "ocean",
        "country",
        "county",
        "province",
        "region",
        "district",
        "square",
        "street",
        "avenue",
        "road",
        "highway",
        "stadium",
        "shoal",
        "island",
        "islands",
        "peninsula",
        "desert",
        "basin",
    ]
)
NON_ACTOR_FOLLOWERS = frozenset(
    [
        "neighbourhood",
        "neighborhood",
        "district",
        "districts",
        "region",
        "province",
        "county",
        "crossing",
        "river",
        "mountains",
        "valley",
        "port",
        "airport",
        "dam",
        "strait",
        "area",
        "air",
        "missile",
        "missiles",
        "systems",
        "system",
        "drones",
        "drone",
        "rockets",
        "jets",
        "tanks",
        "agreement",
        "accord",
        "treaty",
        "exercise",
        "exercises",
        "drills",
        "camp",
        "camps",
        "refinery",
        "plant",
        "mountain",
    ]
)
NEXT_WORDS_RE = re.compile(r"(?:['’]s)?\s+((?:[a-z][\w\-]*\s?){1,2})")
ACRONYM_DEFINITION_RE = re.compile(r"\(\s*([A-Z][A-Z0-9&\-]{1,9})\s*\)")
LONG_FORM_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")
LONG_FORM_FILLERS = frozenset(["of", "for", "the", "and", "in", "on", "de", "du", "des", "al"])
DIGITS_RE = re.compile(r"\d")
MINISTRY_SUBJECTS = {
    "interior": "Interior",
    "home": "Home Affairs",
    "defence": "Defence",
    "defense": "Defense",
    "foreign": "Foreign Affairs",
    "finance": "Finance",
    "health": "Health",
    "justice": "Justice",
    "education": "Education",
    "economy": "Economy",
    "trade": "Trade",
    "energy": "Energy",
    "information": "Information",
    "agriculture": "Agriculture",
    "transport": "Transport",
    "environment": "Environment",
}
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


@dataclass
class _Cluster:
    """Mentions of one actor while the article is being read."""

    kind: str
    entry: AliasEntry | None = None
    token_sets: list[frozenset[str]] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    key: str
    counted: bool = True


@dataclass(frozen=True)
class ActorResult:
    """The article's actors, every character span they claim (places skip those spans), the NER
    PERSON/ORG spans the rules recognised as places instead, and seats standing for a state ("the Kremlin"),
    which are country actors only where they act (country_actors)."""

    actors: list[Actor]
    spans: list[tuple[int, int]]
    places: list[tuple[int, int]] = field(default_factory=list)
    seats: list[CountryMentions] = field(default_factory=list)


def name_tokens(surface: str) -> frozenset[str]:
    """Folded name parts without Arabic/European particles: "Bashar al-Assad" -> {bashar, assad}."""
    parts = re.split(r"[\s\-]+", fold(surface))
    return frozenset(part.strip(".'") for part in parts if part and part.strip(".'") not in NAME_PARTICLES)


def is_person_name(surface: str, countries: CountryTable) -> bool:
    """A plausible personal name: capitalized words, no digits, not just a title or a demonym."""
    words = surface.split()
    return (
        1 <= len(words) <= 6
        and surface[:1].isupper()
        and not DIGITS_RE.search(surface)
        and not all(word.lower() in ROLE_HEADS | ROLE_MODIFIERS for word in words)
        and not (len(words) == 1 and (surface.isupper() or countries.country_of_word(surface)))
        and bool(name_tokens(surface))
    )


def is_organization_name(surface: str, countries: CountryTable) -> bool:
    """A plausible organization name: capitalized, not a lone generic word, demonym, number or date."""
    words = surface.split()
    if not words or len(words) > 10 or not (surface[:1].isupper() or surface[:1].isdigit()):
        return False
    if not any(ch.isalpha() for ch in surface) or countries.country_of_word(surface):
        return False
    return not (len(words) == 1 and words[0].lower() in GENERIC_ORG_WORDS)


def organization_type(surface: str) -> ActorType:
    """group for armed groups and movements, government for state bodies, organization otherwise."""
    words = {word.lower() for word in surface.split()}
    if words & GROUP_WORDS:
        return "group"
    if words & GOVERNMENT_WORDS:
        return "government"
    return "organization"


def _strip_leading_titles(text: str, start: int, end: int) -> int:
    while True:
        match = re.match(r"[^\W\d_][\w\-]*\.?\s+", text[start:end])
        if not match or match.group(0).strip().lower().rstrip(".") not in ROLE_HEADS | ROLE_MODIFIERS:
            return start
        start += match.end()


def is_non_actor_name(text: str, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Names of things that do not act: laws, operations, storms, weapons, facilities, regions, platforms.

    Read off the name's own first or last word ("... Act", "Operation ...", "Storm ...", "... Dam"), the
    noun right after it ("Patriot air defence systems", "the Shujaiya neighbourhood"), or a medium
    ("wrote on Telegram").
    """
    surface = text[start:end]
    words = surface.split()
    if not words or gazetteer.is_region_name(surface):
        return True
    if words[0].lower() in NON_ACTOR_FIRST_WORDS or words[-1].lower() in NON_ACTOR_LAST_WORDS:
        return True
    after = NEXT_WORDS_RE.match(text, end)
    if after and {w.lower() for w in after.group(1).split()} & NON_ACTOR_FOLLOWERS:
        return True
    before = text[max(0, start - 12) : start].split()
    return len(words) == 1 and bool(before) and before[-1] in ("on", "via") and after is None


def _is_sentence_initial_word(text: str, start: int, end: int, sentences: Sequence[Sentence]) -> bool:
    """A lone Title-case word that is capitalized only where sentences start ("Turnout was 53%")."""
    surface = text[start:end]
    if " " in surface or not surface.istitle() or "-" in surface:
        return False
    starts = {s + len(text[s:e]) - len(text[s:e].lstrip()) for s, e in sentences}
    occurrences = [m.start() for m in re.finditer(rf"(?<![\w\-]){re.escape(surface)}(?![\w\-])", text)]
    return bool(occurrences) and all(position in starts for position in occurrences)


def _split_spans(text: str, entity: Entity) -> list[tuple[int, int]]:
    """An NER span cut where it glues two names: "Davao, Duterte's" -> "Davao", "Duterte"."""
    start, end = surface_bounds(text, entity.start, entity.end)
    parts = []
    for match in re.finditer(r"[^,]+", text[start:end]):
        part_start, part_end = surface_bounds(text, start + match.start(), start + match.end())
        while part_start < part_end and text[part_start].isspace():
            part_start += 1
        if part_start < part_end:
            parts.append((part_start, part_end))
    return parts


def _ner_candidates(
    text: str,
    entities: Sequence[Entity],
    sentences: Sequence[Sentence],
    claimed: list[tuple[int, int]],
    countries: CountryTable,
    gazetteer: Gazetteer,
    context: frozenset[str],
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """PERSON and ORG spans that are people, organizations, or (despite the label) places.

    An ORG-tagged span that is a person's name given elsewhere in full ("Sharif" after "Shehbaz Sharif",
    "Bidzina Ivanishvili" when "Ivanishvili" is tagged PERSON) is a person.
    """
    people: list[tuple[int, int]] = []
    organizations: list[tuple[int, int]] = []
    places: list[tuple[int, int]] = []
    person_tokens = [
        name_tokens(text[e.start : e.end])
        for e in entities
        if e.label == "PERSON" and " " in text[e.start : e.end].strip()
    ]
    single_people = {fold(text[e.start : e.end]) for e in entities if e.label == "PERSON"}
    for entity in entities:
        if entity.label not in ("PERSON", "ORG"):
            continue
        parts = _split_spans(text, entity)
        for start, end in parts:
            label = entity.label
            if label == "PERSON":
                start = _strip_leading_titles(text, start, end)
                tail = re.search(r"\s+of\s+([A-Z][\w\s\-]*)$", text[start:end])
                if tail and gazetteer.is_place_name(tail.group(1), 0):
                    places.append((start + tail.start(1), end))
                    end = start + tail.start()
            surface = text[start:end]
            if start >= end or overlaps(start, end, claimed):
                continue
            tokens = name_tokens(surface)
            is_known_person = any(tokens <= known and tokens != known for known in person_tokens)
            if (
                label == "ORG"
                and tokens
                and (is_known_person or (fold(surface).split()[-1] in single_people and not _has_org_word(surface)))
            ):
                label = "PERSON"
            if not is_known_person and is_toponym(text, start, end, gazetteer, context):
                places.append((start, end))
                continue
            if gazetteer.is_place_name(surface, PLACE_OVER_NAME_MIN_POPULATION):
                if len(parts) > 1:
                    places.append((start, end))
                continue
            if _is_context_capital(surface, gazetteer, context):
                places.append((start, end))
                continue
            if is_non_actor_name(text, start, end, gazetteer):
                continue
            if not is_known_person and _is_sentence_initial_word(text, start, end, sentences):
                continue
            if label == "PERSON" and is_person_name(surface, countries):
                people.append((start, end))
            elif label == "ORG" and is_organization_name(surface, countries):
                organizations.append((start, end))
    return people, organizations, places


def _is_context_capital(surface: str, gazetteer: Gazetteer, context: frozenset[str]) -> bool:
    """The capital of a country the article is about ("Bratislava wanted assurances"): a place, not a name."""
    return any(
        c.place.is_capital and c.place.country_code in context and not c.by_alternate_name
        for c in gazetteer.candidates(surface)
    )


def _has_org_word(surface: str) -> bool:
    words = {word.lower() for word in re.split(r"[\s\-]+", surface)}
    return bool(words & (GENERIC_ORG_WORDS | GROUP_WORDS | GOVERNMENT_WORDS | ORG_NAME_WORDS)) or " of " in surface


def _cluster_people(
    text: str, spans: list[tuple[int, int]], clusters: dict[str, _Cluster], mentions: list[_Mention]
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
            clusters[key] = _Cluster(kind="person", token_sets=[tokens])
            first_seen[key] = start
        clusters[key].surfaces.append(surface)
        first_seen[key] = min(first_seen[key], start)
        mentions.append(_Mention(start, end, key))


def _cluster_organizations(
    text: str, spans: list[tuple[int, int]], clusters: dict[str, _Cluster], mentions: list[_Mention]
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
            clusters[key] = _Cluster(kind="org")
        clusters[key].surfaces.append(surface)
        mentions.append(_Mention(start, end, key))


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


def _resolve_acronyms(text: str, clusters: dict[str, _Cluster], mentions: list[_Mention]) -> list[_Mention]:
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
            clusters.setdefault(key, _Cluster(kind="org")).surfaces.append(surface)
            owner = _Mention(long_form[0], long_form[1], key)
            mentions = [m for m in mentions if not overlaps(m.start, m.end, [long_form])] + [owner]
        pattern = re.compile(rf"(?<![\w\-]){re.escape(acronym)}(?![\w\-])")
        for found in pattern.finditer(text, definition.start()):
            span = (found.start(), found.end())
            mentions = [m for m in mentions if (m.start, m.end) != span]
            if overlaps(*span, [(m.start, m.end) for m in mentions]) or is_shouted(text, *span):
                continue
            mentions.append(_Mention(span[0], span[1], owner.key))
    return mentions


def initials(surface: str) -> str:
    """Capital initials of a name, fillers skipped: "Lebanese Armed Forces" -> "LAF"."""
    words = [w for w in re.split(r"[\s\-]+", surface) if w]
    return "".join(w[0] for w in words if w[0].isupper() and w.lower() not in LONG_FORM_FILLERS)


def _merge_undefined_acronyms(clusters: dict[str, _Cluster], mentions: list[_Mention]) -> list[_Mention]:
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
    return [_Mention(m.start, m.end, remap.get(m.key, m.key), m.counted) for m in mentions]


def _scan_repeats(
    text: str, clusters: dict[str, _Cluster], mentions: list[_Mention], entities: Sequence[Entity]
) -> list[_Mention]:
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
                    mentions.append(_Mention(span[0], span[1], key))
    return mentions


def _uncount_definitions(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """ "Islamic State (IS)" is one mention: the parenthesised acronym right after its long form is not counted."""
    ordered = sorted(mentions, key=lambda m: m.start)
    result: list[_Mention] = []
    for index, mention in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        is_definition = (
            previous is not None
            and previous.key == mention.key
            and re.fullmatch(r"\s*\(\s*", text[previous.end : mention.start]) is not None
            and text[mention.end : mention.end + 1] == ")"
        )
        result.append(_Mention(mention.start, mention.end, mention.key, counted=not is_definition))
    return result


def _text_role(
    text: str, key_mentions: list[_Mention], sentences: Sequence[Sentence], countries: CountryTable
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


def _organization_country(surface: str, countries: CountryTable) -> str | None:
    first = surface.split()[0] if surface.split() else ""
    return countries.country_of_word(first)


class _MainCountry:
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


def _add_institution(
    text: str,
    clusters: dict[str, _Cluster],
    mentions: list[_Mention],
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
        clusters[key] = _Cluster(kind="alias", entry=entry)
    clusters[key].surfaces.append(text[start:end])
    mentions.append(_Mention(start, end, key))


def _administrations(
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


def _add_affiliations(
    text: str,
    entities: Sequence[Entity],
    aliases: Sequence[AliasEntry],
    clusters: dict[str, _Cluster],
    mentions: list[_Mention],
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
            key, _Cluster(kind="alias", entry=entry, token_sets=[name_tokens(s) for s in entry.surface_forms])
        ).surfaces.append(text[start:end])
        mentions.append(_Mention(start, end, key))


def _add_institutions(
    text: str,
    clusters: dict[str, _Cluster],
    mentions: list[_Mention],
    aliases: Sequence[AliasEntry],
    countries: CountryTable,
    gazetteer: Gazetteer,
    main: _MainCountry,
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
            _add_institution(text, clusters, mentions, start, end, canonical, code, key)

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
            mentions.append(_Mention(start, end, key))
        elif name_of(main.code()):
            add(start, end, f"{match.group('body')} of {name_of(main.code())}", main.code())
    for match in JUNTA_RE.finditer(text):
        place = name_of(main.code())
        if place:
            add(*match.span("body"), f"{place} military government", main.code())


def _known_body(
    word: str, code: str | None, clusters: dict[str, _Cluster], aliases: Sequence[AliasEntry]
) -> str | None:
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
    clusters.setdefault(key, _Cluster(kind="alias", entry=aliases[known[0]]))
    return key


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
    clusters: dict[str, _Cluster] = {}
    mentions: list[_Mention] = []
    seat_spans: dict[str, list[tuple[int, int]]] = {}
    administrations = _administrations(text, entities, alias_matches, aliases)
    for match in alias_matches:
        alias = aliases[match.entry]
        if overlaps(match.start, match.end, [span for span, _ in administrations]):
            continue
        if alias.type == "country" and alias.country:
            seat_spans.setdefault(alias.country, []).append((match.start, match.end))
            continue
        key = f"alias:{match.entry}"
        if key not in clusters:
            kind = "alias-person" if alias.type == "person" else "alias"
            clusters[key] = _Cluster(kind=kind, entry=alias, token_sets=[name_tokens(s) for s in alias.surface_forms])
        clusters[key].surfaces.append(text[match.start : match.end])
        mentions.append(_Mention(match.start, match.end, key))

    main = _MainCountry(text, gazetteer)
    for (start, end), country in administrations:
        _add_institution(text, clusters, mentions, start, end, text[start:end], country or main.code())
    _add_affiliations(text, entities, aliases, clusters, mentions)
    claimed = [(m.start, m.end) for m in mentions] + [span for spans in seat_spans.values() for span in spans]
    people, organizations, places = _ner_candidates(text, entities, sentences, claimed, countries, gazetteer, context)
    _cluster_organizations(text, organizations, clusters, mentions)
    _cluster_people(text, people, clusters, mentions)
    _add_institutions(text, clusters, mentions, aliases, countries, gazetteer, main)
    mentions = _resolve_acronyms(text, clusters, mentions)
    mentions = _merge_undefined_acronyms(clusters, mentions)
    mentions = _scan_repeats(text, clusters, mentions, entities)
    mentions = _uncount_definitions(text, mentions)

    by_key: dict[str, list[_Mention]] = {}
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
            canonical, actor_type = name, organization_type(name)
            country, dictionary_role = _organization_country(name, countries), None
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


COUNTRY_ACTION_VERBS = frozenset(
    [
        "attack",
        "attacks",
        "attacked",
        "strike",
        "strikes",
        "struck",
        "launch",
        "launches",
        "launched",
        "invade",
        "invades",
        "invaded",
        "bomb",
        "bombs",
        "bombed",
        "shell",
        "shells",
        "shelled",
        "fire",
        "fires",
        "fired",
        "shoot",
        "shoots",
        "shot",
        "seize",
        "seizes",
        "seized",
        "annex",
        "annexes",
        "annexed",
        "occupy",
        "occupies",
        "occupied",
        "sanction",
        "sanctions",
        "sanctioned",
        "expel",
        "expels",
        "expelled",
        "deploy",
        "deploys",
        "deployed",
        "mobilize",
        "mobilizes",
        "mobilized",
        "mobilise",
        "mobilises",
        "mobilised",
        "recognize",
        "recognizes",
        "recognized",
        "recognise",
        "recognises",
        "recognised",
        "sign",
        "signs",
        "signed",
        "ratify",
        "ratifies",
        "ratified",
        "veto",
        "vetoes",
        "vetoed",
        "ban",
        "bans",
        "banned",
        "boycott",
        "boycotts",
        "boycotted",
        "accuse",
        "accuses",
        "accused",
        "condemn",
        "condemns",
        "condemned",
        "threaten",
        "threatens",
        "threatened",
        "retaliate",
        "retaliates",
        "retaliated",
        "intercept",
        "intercepts",
        "intercepted",
        "blockade",
        "blockades",
        "blockaded",
        "recall",
        "recalls",
        "recalled",
        "impose",
        "imposes",
        "imposed",
        "suspend",
        "suspends",
        "suspended",
        "declare",
        "declares",
        "declared",
    ]
)
COUNTRY_ACTION_RE = re.compile(
    r"\s+(?:(?:has|have|had|will|would|could|may|might|did|does|also|again|reportedly|allegedly|then|now|"
    r"has\s+been|had\s+been|was|were|is)\s+)*(?:[a-z]+ly\s+)?(?P<verb>[a-z]+)\b"
)
NOT_SUBJECT_BEFORE = frozenset(
    [
        "in",
        "of",
        "to",
        "from",
        "into",
        "with",
        "against",
        "by",
        "for",
        "on",
        "at",
        "across",
        "toward",
        "towards",
        "near",
        "over",
        "inside",
        "outside",
        "within",
        "between",
    ]
)


EXTRA_ACTION_VERBS = frozenset(
    [
        "mediate",
        "mediates",
        "mediated",
        "broker",
        "brokers",
        "brokered",
        "hosted",
        "offered",
        "pressed",
        "urged",
        "urges",
        "demanded",
        "demands",
        "deny",
        "denies",
        "denied",
        "voted",
        "votes",
        "drafted",
        "extradited",
        "deported",
        "withdrew",
        "blocked",
        "blocks",
        "secured",
        "exchanged",
        "accepted",
        "rejected",
        "rejects",
        "lodged",
        "protested",
        "designated",
        "helped",
        "called",
        "raised",
        "completed",
        "sent",
        "criticised",
        "criticized",
        "said",
        "says",
        "announced",
        "acted",
    ]
)
WINDOW_ACTION_VERBS = (
    frozenset(verb for verb in COUNTRY_ACTION_VERBS | EXTRA_ACTION_VERBS if verb.endswith("ed"))
    | EXTRA_ACTION_VERBS
    | frozenset(["struck", "shot", "launched", "recognise", "recognize", "imposed", "signed", "expelled"])
)
PASSIVE_ACTION_VERBS = frozenset(
    ["brokered", "drafted", "mediated", "imposed", "launched", "run", "hosted", "signed", "sponsored", "proposed"]
)
MODALS = frozenset(["will", "would", "could", "may", "might", "must", "shall", "should", "can"])
SELF_SECURITY_WORDS = frozenset(
    ["protect", "preserve", "reinforce", "reinforced", "strengthen", "monitor", "monitoring", "analysing", "analyzing"]
)
SUBJECT_INTRODUCERS = frozenset(
    [
        "the",
        "that",
        "and",
        "but",
        "while",
        "as",
        "after",
        "before",
        "when",
        "since",
        "because",
        "although",
        "though",
        "whereas",
        "if",
        "then",
        "also",
        "meanwhile",
        "however",
        "which",
        "once",
        "said",
        "says",
        "told",
        "announced",
    ]
)
MODIFIED_NOUNS = ROLE_HEADS | frozenset(
    [
        "troops",
        "forces",
        "officials",
        "military",
        "army",
        "navy",
        "embassy",
        "delegation",
        "government",
        "authorities",
        "soldiers",
        "warships",
        "jets",
        "aircraft",
        "drones",
        "sanctions",
        "tariffs",
        "proposal",
    ]
)
ELLIPSIS_WORDS = frozenset(["neither", "nor", "so"])
ELLIPSIS_AUXILIARIES = frozenset(["do", "does", "did", "has", "have", "had", "is", "are", "was", "were"])
CLAUSE_BREAKS = frozenset(
    ["since", "because", "although", "though", "whereas", "while", "when", "until", "unless", "if", "where"]
)
ACT_NOUNS = frozenset(["deportations", "expulsions", "airstrikes", "strikes", "raids", "attacks", "sanctions"])
ACT_NOUN_VERBS = frozenset(["up", "out", "conducted", "resumed", "intensified", "escalated", "launched"])
RELATIVE_CLAUSE_RE = re.compile(r",\s*(?:which|who|whose)\b[^,.;:]*,")
JOINER_RE = re.compile(r"(?:\b(?:along|together)\s+with|\bas\s+did|\bjoined\s+by)\s+(?:the\s+)?$")
CLAUSE_WORD_RE = re.compile(r"[A-Za-z][\w'’\-]*|[.;:!?\n]")
COORDINATION_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?")
ACTION_WINDOW_WORDS = 14
PASSIVE_WINDOW_WORDS = 12


@dataclass(frozen=True)
class CountryMentions:
    """A country's name as the article writes it and every span that names it or its capital."""

    name: str
    canonical: str
    alpha3: str
    mentions: int
    spans: tuple[tuple[int, int], ...]


def _groups(text: str, spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Coordinated country mentions ("Egypt and Qatar", "Argentina, Peru and the United States") as groups."""
    groups: list[list[tuple[int, int, str]]] = []
    for span in sorted(spans):
        previous = groups[-1][-1] if groups else None
        gap = text[previous[1] : span[0]] if previous else ""
        if previous and COORDINATION_RE.fullmatch(gap):
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def _acts_as_subject(text: str, start: int, end: int) -> bool:
    """The words after a subject name an act on another party, not an intention or a security measure.

    A relative clause right after the subject ("Ethiopia, which keeps troops there, said ...") is skipped;
    the scan stops where a subordinate clause with its own subject begins ("... since the army seized").
    """
    if text[end : end + 2] in ("'s", "’s") or text[end : end + 1] == "-":
        return False
    following = re.match(r"\s+([a-z]+)", text[end : end + 30])
    if following and following.group(1) in MODIFIED_NOUNS:
        return False
    previous = text[max(0, start - 20) : start].split()
    if previous and not previous[-1].endswith((".", "!", "?", ":", ";")):
        word = previous[-1]
        lowered = word.lower().strip('"“(')
        if lowered in ELLIPSIS_AUXILIARIES and len(previous) > 1 and previous[-2].lower() in ELLIPSIS_WORDS:
            return _elided_act(text, start)
        if lowered in NOT_SUBJECT_BEFORE or (word[:1].islower() and lowered not in SUBJECT_INTRODUCERS):
            return False
    relative = RELATIVE_CLAUSE_RE.match(text, end)
    if relative:
        end = relative.end()
    first = COUNTRY_ACTION_RE.match(text, end)
    if first and first.group("verb") in COUNTRY_ACTION_VERBS | EXTRA_ACTION_VERBS:
        return not _vetoed(text, first.end())
    words = CLAUSE_WORD_RE.findall(text, end, end + 200)[:ACTION_WINDOW_WORDS]
    for index, word in enumerate(words):
        lowered = word.lower()
        if lowered in ".;:!?\n" or lowered in SELF_SECURITY_WORDS or (index < 2 and lowered in MODALS):
            return False
        if index and lowered in CLAUSE_BREAKS:
            return False
        if lowered in WINDOW_ACTION_VERBS or (
            lowered in ACT_NOUNS and index and words[index - 1].lower() in ACT_NOUN_VERBS
        ):
            return not _vetoed(text, end + text[end:].find(word) + len(word))
    return False


def _elided_act(text: str, start: int) -> bool:
    """ "Belgrade does not recognise it, and neither do Russia and China": the act of the clause before."""
    sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    words = [w.lower() for w in CLAUSE_WORD_RE.findall(text, sentence_start, start)]
    return bool(set(words) & (WINDOW_ACTION_VERBS | COUNTRY_ACTION_VERBS))


def _joins_acting(text: str, start: int, acting_starts: Sequence[int]) -> bool:
    """ "X and Y voted against, along with Z": Z joins an act of the same sentence."""
    if not JOINER_RE.search(text[max(0, start - 30) : start]):
        return False
    sentence_start = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    return any(sentence_start <= other < start for other in acting_starts)


def _vetoed(text: str, position: int) -> bool:
    """A statement about the state's own security or what it will do ("said it had reinforced its border")."""
    words = [w.lower() for w in CLAUSE_WORD_RE.findall(text, position, position + 80)[:8]]
    clause = words[: words.index(".")] if "." in words else words
    return bool(set(clause) & SELF_SECURITY_WORDS) or (
        len(clause) > 1 and clause[0] in ("it", "they") and clause[1] in MODALS
    )


def _passive_agent(text: str, start: int) -> bool:
    """ "brokered ... by the United States", "drafted by France": the country did the act."""
    before = text[max(0, start - 80) : start]
    match = re.search(r"\bby\s+(?:the\s+)?$", before)
    if not match:
        return False
    clause = re.split(r"[.;:!?\n]", before[: match.start()])[-1]
    words = [w.lower() for w in CLAUSE_WORD_RE.findall(clause)][-PASSIVE_WINDOW_WORDS:]
    return bool(set(words) & PASSIVE_ACTION_VERBS)


def country_actors(
    text: str, countries: Sequence[CountryMentions], seats: Sequence[CountryMentions] = ()
) -> list[Actor]:
    """Countries that perform a concrete act on another party somewhere in the article (guideline 1.3).

    A country or its capital ("Moscow says") is an actor when it is the subject of such an act, alone or in
    a list ("Egypt and Qatar mediated"), through a relative clause ("The United States, which helped broker
    a truce, said ..."), or as the agent of a passive ("drafted by France"). Possessives, modifiers, objects
    of prepositions, intentions ("will seek to preserve") and measures for its own security are not acts.
    """
    merged = {country.alpha3: country for country in countries}
    for seat in seats:
        known = merged.get(seat.alpha3)
        if known is None:
            merged[seat.alpha3] = seat
        else:
            count, seat_spans = known.mentions + seat.mentions, known.spans + seat.spans
            merged[seat.alpha3] = CountryMentions(known.name, known.canonical, known.alpha3, count, seat_spans)
    countries = list(merged.values())
    spans = [(start, end, country.alpha3) for country in countries for start, end in country.spans]
    acting: set[str] = set()
    acting_starts: list[int] = []
    for group in _groups(text, spans):
        first, last = group[0], group[-1]
        if (
            _acts_as_subject(text, first[0], last[1])
            or _passive_agent(text, first[0])
            or _joins_acting(text, first[0], acting_starts)
        ):
            acting.update(code for _, _, code in group)
            acting_starts.append(first[0])
    actors = []
    for country in countries:
        if country.alpha3 in acting:
            actors.append(Actor(country.name, country.canonical, "country", country.alpha3, None, country.mentions))
    return actors
