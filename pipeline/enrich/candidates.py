"""The NER model's PERSON and ORG spans sorted into people, organizations, and places despite the label."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from pipeline.enrich.aliases import is_shouted
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.cues import (
    has_corporate_form,
    has_organization_cue,
    has_person_apposition,
    has_person_cue,
    has_street_cue,
    has_strong_place_cue,
    is_credit_word,
)
from pipeline.enrich.entities import Entity, Sentence, with_descriptor
from pipeline.enrich.folding import SpanIndex, fold, surface_bounds
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.lexicon import COUNTRY_LED_BODIES
from pipeline.enrich.names import (
    has_org_word,
    is_non_actor_name,
    is_organization_name,
    is_person_name,
    name_tokens,
    strip_leading_titles,
)
from pipeline.enrich.places import has_locative_cue, is_toponym, name_cues
from pipeline.enrich.unresolved import read_place_kinds

PLACE_OVER_NAME_MIN_POPULATION = 1_000_000
LONE_PERSON_PLACE_MIN_POPULATION = 100_000
PLACE_LABELS = frozenset(["GPE", "LOC", "FAC"])
COMMON_WORD_MIN_LENGTH = 4
ACRONYM_MAX_LETTERS = 4
LOWER_WORD_RE = re.compile(r"(?<![\w\-])[^\W\d_A-Z][^\W\d_]*(?![\w\-])")


def _is_sentence_initial_word(text: str, start: int, end: int, sentences: Sequence[Sentence]) -> bool:
    """A lone Title-case word that is capitalized only where sentences start ("Turnout was 53%")."""
    surface = text[start:end]
    if " " in surface or not surface.istitle() or "-" in surface:
        return False
    starts = {s + len(text[s:e]) - len(text[s:e].lstrip()) for s, e in sentences}
    occurrences = [m.start() for m in re.finditer(rf"(?<![\w\-]){re.escape(surface)}(?![\w\-])", text)]
    return bool(occurrences) and all(position in starts for position in occurrences)


def _is_common_words_in_capitals(surface: str, lower_words: frozenset[str]) -> bool:
    """A headline's words in capitals that the article writes in lower case elsewhere ("GUNMEN", "CONDITIONS
    WORSENS"): ordinary words, no name. Short words are left alone: they are acronyms ("US", "WHO")."""
    words = re.findall(r"[^\W\d_]+", surface)
    return (
        surface.isupper()
        and bool(words)
        and all(len(word) >= COMMON_WORD_MIN_LENGTH and word.lower() in lower_words for word in words)
    )


def _is_acronym_of_no_place(text: str, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """An ORG-tagged word of up to four capitals in running text whose only namesakes are places written in
    lower case ("routes where BA and AA compete": an airline, not Ba in Fiji): an acronym. The codes news
    writes for countries and states ("UAE", "NY") are places' other names, and stay places."""
    surface = text[start:end]
    letters = surface.replace(".", "")
    if not (letters.isalpha() and letters.isupper() and len(letters) <= ACRONYM_MAX_LETTERS):
        return False
    if is_shouted(text, start, end):
        return False
    candidates = gazetteer.candidates(surface)
    return bool(candidates) and all(not c.by_alternate_name and c.place.name != surface for c in candidates)


def _is_unrepeated_shout(text: str, start: int, end: int) -> bool:
    """A name on a line written all in capitals (a headline, a table title) that the article never writes
    again ("CONDITIONS WORSENS", "AFTERNOON HEALINES"): the model reads every shouted word as a name, and a
    headline's actor is named again in the story ("HAVEL ..." then "Havel"). A lone word is left alone: an
    acronym is written in capitals wherever it stands ("FSA INSURED"), and a results table's header names
    its teams once ("BOSTON AT DETROIT")."""
    if len(text[start:end].split()) < 2:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if not line.isupper() or len(line.split()) < 2:
        return False
    elsewhere = re.compile(rf"(?<![\w\-]){re.escape(text[start:end])}(?![\w\-])", re.IGNORECASE)
    return not any(m.start() < line_start or m.start() >= line_start + len(line) for m in elsewhere.finditer(text))


def _is_common_word(text: str, start: int, end: int, lower_words: frozenset[str]) -> bool:
    """Capitalized words the article also writes in lower case, each as it is or in its other number
    ("Steer" beside "steers"; "Slaughter Heifers" opening a line beside "slaughter steers and heifers"): a
    table's row or column heading, no name. Several words count only at a line's start, where a heading
    stands (a person may be called "Mark Price" in an article about prices); a name holding an
    organization's word is left alone ("World Trade Organisation" in an article about organisations)."""
    surface = text[start:end]
    words = surface.split()
    return (
        bool(words)
        and (len(words) == 1 or start == 0 or text[start - 1] == "\n")
        and all(word.istitle() and word.isalpha() and len(word) >= COMMON_WORD_MIN_LENGTH for word in words)
        and all(_written_in_lower_case(word.lower(), lower_words) for word in words)
        and not has_org_word(surface)
    )


def _written_in_lower_case(word: str, lower_words: frozenset[str]) -> bool:
    """The word, or its plural or singular by the regular -s ending, among the article's lower-case words."""
    return word in lower_words or word + "s" in lower_words or (word.endswith("s") and word[:-1] in lower_words)


def _is_lone_person_place(surface: str, label: str, gazetteer: Gazetteer) -> bool:
    """A one-word "person" no full name in the article explains that is a country, a state or a city of
    100,000 ("open Rotterdam is a prime candidate"): a place; a person is named in full first."""
    return (
        label == "PERSON" and " " not in surface and gazetteer.is_place_name(surface, LONE_PERSON_PLACE_MIN_POPULATION)
    )


def _split_spans(text: str, entity: Entity) -> list[tuple[int, int]]:
    """An NER span cut where it glues two names ("Davao, Duterte's" -> "Davao", "Duterte") or runs over a
    line break (a table header, a dateline): each part is kept, none dropped."""
    start, end = surface_bounds(text, entity.start, entity.end)
    parts = []
    for match in re.finditer(r"[^,\n]+", text[start:end]):
        part_start, part_end = surface_bounds(text, start + match.start(), start + match.end())
        while part_start < part_end and text[part_start].isspace():
            part_start += 1
        if part_start < part_end:
            parts.append((part_start, part_end))
    return parts


def ner_candidates(
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
        name_tokens(text[start:end])
        for e in entities
        if e.label == "PERSON"
        for start, end in _split_spans(text, e)
        if " " in text[start:end]
        and is_person_name(text[start:end], countries)
        and not has_corporate_form(text, start, end)
    ]
    single_people = {fold(text[e.start : e.end]) for e in entities if e.label == "PERSON"}
    mostly_people = _mostly_people(text, entities, gazetteer)
    organization_names = [fold(text[e.start : with_descriptor(text, e.end)]) for e in entities if e.label == "ORG"]
    lower_words = frozenset(LOWER_WORD_RE.findall(text))
    place_words = {
        word
        for e in entities
        if e.label in PLACE_LABELS and " " in text[e.start : e.end].strip()
        for word in fold(text[e.start : e.end]).split()
    }
    cues = name_cues(entities)
    claimed_spans = SpanIndex(claimed)
    for entity in entities:
        if entity.label not in ("PERSON", "ORG"):
            continue
        parts = _split_spans(text, entity)
        for start, end in parts:
            label = entity.label
            if label == "PERSON":
                start = strip_leading_titles(text, start, end)
                tail = re.search(r"\s+of\s+([A-Z][\w\s\-]*)$", text[start:end])
                if tail and gazetteer.is_place_name(tail.group(1), 0):
                    places.append((start + tail.start(1), end))
                    end = start + tail.start()
            if start >= end or claimed_spans.overlaps(start, end):
                continue
            tokens = name_tokens(text[start:end])
            is_known_person = any(tokens <= known and tokens != known for known in person_tokens) or (
                label == "ORG" and fold(text[start:end]) in mostly_people
            )
            label, start = _relabel(text, label, start, end, is_known_person, single_people, organization_names)
            if label == "ORG":
                start = _after_country_word(text, start, end, countries, organization_names)
            surface = text[start:end]
            placeable = not is_known_person and not (
                label == "ORG" and _is_acronym_of_no_place(text, start, end, gazetteer)
            )
            if placeable and _names_an_area_or_a_street(text, start, end):
                places.append((start, end))
                continue
            if placeable and is_toponym(text, start, end, gazetteer, context, cues):
                places.append((start, end))
                continue
            if placeable and _in_place_context(text, start, end, label, place_words):
                if gazetteer.candidates(surface):
                    places.append((start, end))
                continue
            if placeable and gazetteer.is_place_name(surface, PLACE_OVER_NAME_MIN_POPULATION):
                if len(parts) > 1:
                    places.append((start, end))
                continue
            if placeable and _is_lone_person_place(surface, label, gazetteer):
                places.append((start, end))
                continue
            if placeable and _is_context_capital(surface, gazetteer, context):
                places.append((start, end))
                continue
            if is_non_actor_name(text, start, end, gazetteer, person=label == "PERSON") or is_credit_word(
                text, start, end
            ):
                continue
            if not is_known_person and (
                _is_sentence_initial_word(text, start, end, sentences)
                or _is_common_words_in_capitals(surface, lower_words)
                or _is_unrepeated_shout(text, start, end)
                or _is_common_word(text, start, end, lower_words)
            ):
                continue
            if label == "PERSON" and is_person_name(surface, countries, known=is_known_person):
                people.append((start, end))
            elif label == "ORG" and is_organization_name(surface, countries):
                organizations.append((start, end))
    return people, organizations, places


def _mostly_people(text: str, entities: Sequence[Entity], gazetteer: Gazetteer) -> frozenset[str]:
    """Names of two words or more the model tags PERSON more often than ORG in the article ("Lester Lawhon"
    twice a person, once an organization before "'s trailer"): one name is one entity, and its usual label
    is the one its context gives most often. A name led by a large city is left as tagged ("Munich Re"): a
    company is named after its city far more often than a person is."""
    labels = Counter((fold(text[e.start : e.end]), e.label) for e in entities if e.label in ("PERSON", "ORG"))
    return frozenset(
        name
        for (name, label), count in labels.items()
        if label == "PERSON"
        and " " in name
        and count > labels[(name, "ORG")]
        and not any(
            not c.by_alternate_name and c.place.population >= LONE_PERSON_PLACE_MIN_POPULATION
            for c in gazetteer.candidates(name.split()[0])
        )
    )


def _relabel(
    text: str,
    label: str,
    start: int,
    end: int,
    is_known_person: bool,
    single_people: set[str],
    organization_names: Sequence[str],
) -> tuple[str, int]:
    """The label the name's own words and neighbours give, and where the name starts once titles are off.

    ORG -> PERSON, titles off ("General Antoine Lahd" beside "Lahd" is "Antoine Lahd"): a person's name given
    elsewhere ("Sharif" after "Shehbaz Sharif"), a title of two words or more
    inside the span ("Major General Sylvain Ekenge", unlike "General Intelligence Service"), or a role right
    before it ("billionaire Bidzina Ivanishvili", "his eldest son, Sigit Harjojudanto"), or an age or a post set
    off by commas after it ("Darrel Voeks, 38,", "Amara Essy of the Ivory Coast, its foreign minister").
    PERSON -> ORG: an organization noun before it or "which" after it ("the rights group Foro Penal",
    "Ukrenergo, which"), a company's legal form ("PT Tambang Timah", "Brewpole BV"), or the short form of an
    organization the article names ("Georgian Dream" beside "Georgian Dream party", "Homestake" beside
    "Homestake Mining Co"). Those cues also keep an ORG an organization ("medical equipment group Radiometer").
    """
    surface = text[start:end]
    is_company = has_organization_cue(text, start, end) or has_corporate_form(text, start, end)
    if label == "ORG":
        if is_company:
            return label, start
        untitled = strip_leading_titles(text, start, end)
        if name_tokens(surface) and (
            is_known_person or (fold(surface).split()[-1] in single_people and not has_org_word(surface))
        ):
            return "PERSON", untitled if untitled < end else start
        named = 2 <= len(text[untitled:end].split()) <= 4 and not has_org_word(text[untitled:end])
        if named and (
            len(text[start:untitled].split()) >= 2 or has_person_cue(text, start) or has_person_apposition(text, end)
        ):
            return "PERSON", untitled
        return label, start
    folded = fold(surface)
    if not is_known_person and (
        is_company
        or any(name.startswith(folded + " ") and has_org_word(name[len(folded) :]) for name in organization_names)
    ):
        return "ORG", start
    return label, start


def _names_an_area_or_a_street(text: str, start: int, end: int) -> bool:
    """A county-like area ("Madison County"), a name a place-kind word ends ("Freeborn Lake", "Acadia Drive
    between 172 and 175"), or a street where the words before say so ("on Bucknell Drive", "420 Augusta St."):
    a place whatever the model's label; no person or body is called so."""
    kinds = read_place_kinds()
    surface = text[start:end]
    return (
        kinds.names_an_area(surface)
        or kinds.ends_in_a_place_word(surface)
        or (kinds.names_a_street(surface) and has_street_cue(text, start, kinds.streets))
    )


def _after_country_word(
    text: str, start: int, end: int, countries: CountryTable, organization_names: Sequence[str]
) -> int:
    """Where an organization's name starts when a country word before it is no part of it: "Japan NTT"
    (an acronym after it), "Estonian Tallinna Pank" beside "Tallinna Pank" (the rest tagged alone), "Thai
    Commerce Ministry", "UK Department of Transport" (a state body). The word still gives the actor its
    country and its canonical name (actors.py)."""
    first = re.match(r"\S+\s+", text[start:end])
    if first is None or not countries.country_of_word(first.group(0).strip()):
        return start
    rest = text[start + first.end() : end]
    words = rest.split()
    is_acronym = len(words) == 1 and len(rest) >= 2 and rest.replace(".", "").replace("&", "").isupper()
    is_body = bool({words[0].lower(), words[-1].lower()} & COUNTRY_LED_BODIES)
    if is_acronym or is_body or fold(rest) in organization_names:
        return start + first.end()
    return start


def _in_place_context(text: str, start: int, end: int, label: str, place_words: set[str]) -> bool:
    """Words around the name that make it a place, never an actor: "north of X", "western X"; and for a one-word
    "person", a locative word before it ("near Mongla") or its being part of a place name the article uses
    ("Bengal" beside "the Bay of Bengal")."""
    if has_strong_place_cue(text, start):
        return True
    surface = text[start:end]
    return label == "PERSON" and " " not in surface and (has_locative_cue(text, start) or fold(surface) in place_words)


def _is_context_capital(surface: str, gazetteer: Gazetteer, context: frozenset[str]) -> bool:
    """The capital of a country the article is about ("Bratislava wanted assurances"): a place, not a name."""
    return any(
        c.place.is_capital and c.place.country_code in context and not c.by_alternate_name
        for c in gazetteer.candidates(surface)
    )
