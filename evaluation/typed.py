"""Typed entity scoring on CoNLL-2003: PER / ORG / LOC names per document, and who typed what as what.

Per document and type, the gold items are the distinct normalized entity names; a person's short form
(``Clinton`` after ``Bill Clinton``, the wire style) is folded into the longer name that contains it, for
gold and predictions alike, so a system that merges a person's mentions into one actor is not charged
for it and one that lists both forms is not paid twice. A prediction matches a gold item of its type by
any of its names (surface or canonical), one-to-one. MISC is not scored: a prediction named like a gold
MISC entity is neither right nor wrong.

Types of the systems' output (:data:`PROJECT_TYPES`, :data:`SPACY_TYPES`): the project's persons are PER;
organizations, armed groups and governments are ORG; country actors and every ``locations`` entry are LOC.
spaCy alone: PERSON is PER, ORG is ORG, GPE/LOC/FAC are LOC; NORP (nationalities, CoNLL's MISC) is dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evaluation.corpora import GoldDocument
from evaluation.metrics import Counts, max_matching, normalize_name
from evaluation.systems import PROJECT, Prediction

TYPES = ("PER", "ORG", "LOC")
MISC = "MISC"
MISSED, SPURIOUS = "missed", "spurious"
PROJECT_TYPES = {"person": "PER", "organization": "ORG", "group": "ORG", "government": "ORG", "country": "LOC"}
SPACY_TYPES = {"person": "PER", "organization": "ORG", "country": "LOC"}
SPORT_WORDS = (
    "SOCCER",
    "FOOTBALL",
    "AMERICAN FOOTBALL",
    "CRICKET",
    "TENNIS",
    "GOLF",
    "NBA",
    "NHL",
    "NFL",
    "NCAA",
    "BASEBALL",
    "BASKETBALL",
    "ICE HOCKEY",
    "HOCKEY",
    "RUGBY",
    "ATHLETICS",
    "CYCLING",
    "BOXING",
    "MOTOR RACING",
    "MOTORCYCLING",
    "FORMULA ONE",
    "SKIING",
    "ALPINE SKIING",
    "NORDIC SKIING",
    "FREESTYLE SKIING",
    "SKI JUMPING",
    "BIATHLON",
    "BOBSLEIGH",
    "LUGE",
    "SPEED SKATING",
    "FIGURE SKATING",
    "BADMINTON",
    "SQUASH",
    "TABLE TENNIS",
    "VOLLEYBALL",
    "HANDBALL",
    "SWIMMING",
    "ROWING",
    "SAILING",
    "YACHTING",
    "HORSE RACING",
    "EQUESTRIANISM",
    "JUDO",
    "WRESTLING",
    "WEIGHTLIFTING",
    "GYMNASTICS",
    "FENCING",
    "TRIATHLON",
    "SNOOKER",
    "DARTS",
    "CHESS",
)
MIN_WORDS = 30


def is_sports(document: GoldDocument) -> bool:
    """Whether the headline opens with a sport (``SOCCER -``, ``NHL ICE HOCKEY -``, ``RTRS - Cricket -``)."""
    headline = document.title.upper().removeprefix("RTRS - ")
    return any(headline.startswith(word) and not headline[len(word) : len(word) + 1].isalpha() for word in SPORT_WORDS)


def non_sports(document: GoldDocument) -> bool:
    """The news subset: not a sports story and at least :data:`MIN_WORDS` words (what normalize accepts)."""
    return document.word_count >= MIN_WORDS and not is_sports(document)


@dataclass(frozen=True)
class Item:
    """One entity of one type in one document, by all its normalized names; ``label`` for reading."""

    type: str
    names: frozenset[str]
    label: str


def _words(name: str) -> tuple[str, ...]:
    return tuple(w for w in (normalize_name(part) for part in name.split()) if w)


def _fold_persons(items: list[Item]) -> list[Item]:
    """Merge each person whose name's words all appear, in order, inside a longer person's name."""
    persons = sorted((i for i in items if i.type == "PER"), key=lambda i: -len(_words(i.label)))
    kept: list[Item] = []
    for item in persons:
        words = _words(item.label)
        home = next((i for i, k in enumerate(kept) if _contained(words, _words(k.label))), None)
        if home is None:
            kept.append(item)
        else:
            kept[home] = Item("PER", kept[home].names | item.names, kept[home].label)
    return [i for i in items if i.type != "PER"] + kept


def _contained(words: tuple[str, ...], longer: tuple[str, ...]) -> bool:
    return any(longer[i : i + len(words)] == words for i in range(len(longer) - len(words) + 1))


def _items(named: Sequence[tuple[str, Sequence[str]]]) -> list[Item]:
    """(type, names) pairs to items, duplicates (same type, a shared name) merged, persons folded."""
    items: list[Item] = []
    for kind, names in named:
        keys = frozenset(normalize_name(n) for n in names if normalize_name(n))
        if not keys:
            continue
        same = next((i for i, item in enumerate(items) if item.type == kind and item.names & keys), None)
        if same is None:
            items.append(Item(kind, keys, next(n for n in names if normalize_name(n))))
        else:
            items[same] = Item(kind, items[same].names | keys, items[same].label)
    return _fold_persons(items)


def gold_items(document: GoldDocument) -> list[Item]:
    """The document's gold entities as items (MISC included, for the MISC exemption)."""
    return _items([(e.type, (e.text,)) for e in document.entities])


def predicted_items(prediction: Prediction, types: Mapping[str, str]) -> list[Item]:
    """A system's actors typed by ``types`` (unmapped types dropped) and its locations as LOC."""
    named = [(types[a.type], a.names) for a in prediction.actors if a.type is not None and a.type in types]
    named += [("LOC", p.names) for p in prediction.locations]
    return _items(named)


@dataclass(frozen=True)
class DocumentScore:
    """One system on one document: per-type counts, the confusion cells, and the errors by name."""

    docid: str
    counts: Mapping[str, Counts]
    confusion: Counter[tuple[str, str]]
    errors: tuple[dict[str, str], ...]


def score_document(document: GoldDocument, prediction: Prediction, types: Mapping[str, str]) -> DocumentScore:
    """Match per type, then place every unmatched gold item and prediction in the confusion table."""
    gold, predicted = gold_items(document), predicted_items(prediction, types)
    matched_gold: set[int] = set()
    matched_pred: set[int] = set()
    counts = {}
    for kind in TYPES:
        g = [i for i, item in enumerate(gold) if item.type == kind]
        p = [i for i, item in enumerate(predicted) if item.type == kind]
        edges = [[gi for gi, gold_i in enumerate(g) if predicted[pi].names & gold[gold_i].names] for pi in p]
        pairs = {p[left]: g[right] for left, right in max_matching(edges, len(g)).items()}
        matched_pred.update(pairs)
        matched_gold.update(pairs.values())
        misc = frozenset().union(*(x.names for x in gold if x.type == MISC))
        exempt = {pi for pi in p if pi not in pairs and predicted[pi].names & misc}
        matched_pred.update(exempt)
        counts[kind] = Counts(len(pairs), len(p) - len(pairs) - len(exempt), len(g) - len(pairs))
    confusion: Counter[tuple[str, str]] = Counter()
    errors: list[dict[str, str]] = []
    for gi, item in enumerate(gold):
        if gi in matched_gold:
            confusion[item.type, item.type] += 1
            continue
        other = next((p for p in predicted if p.names & item.names and p.type != item.type), None)
        confusion[item.type, other.type if other else MISSED] += 1
        if item.type != MISC:
            errors.append(
                {
                    "name": item.label,
                    "gold": item.type,
                    "predicted": other.label if other else "",
                    "predicted_type": other.type if other else MISSED,
                }
            )
    for pi, item in enumerate(predicted):
        if pi not in matched_pred and not any(item.names & g.names for g in gold):
            confusion[SPURIOUS, item.type] += 1
            errors.append({"name": item.label, "gold": SPURIOUS, "predicted": item.label, "predicted_type": item.type})
    return DocumentScore(document.docid, counts, confusion, tuple(errors))


@dataclass(frozen=True)
class TypedScore:
    """One system over a set of documents, micro-averaged."""

    system: str
    documents: tuple[DocumentScore, ...] = field(default_factory=tuple)

    def counts(self, kind: str) -> Counts:
        """One type's counts summed over documents."""
        return sum((d.counts[kind] for d in self.documents), Counts())

    @property
    def overall(self) -> Counts:
        """PER, ORG and LOC together."""
        return sum((self.counts(kind) for kind in TYPES), Counts())

    @property
    def confusion(self) -> Counter[tuple[str, str]]:
        """(gold type or spurious, predicted type or missed) -> items."""
        return sum((d.confusion for d in self.documents), Counter())

    @property
    def loc_as_person(self) -> float:
        """Share of gold LOC items the system typed PER."""
        confusion = self.confusion
        total = sum(n for (gold, _), n in confusion.items() if gold == "LOC")
        return confusion["LOC", "PER"] / total if total else 0.0

    def summary(self) -> dict[str, Any]:
        """The headline figures as plain values."""
        confusion = self.confusion
        return {
            "system": self.system,
            "documents": len(self.documents),
            "overall": self.overall.as_dict(),
            **{kind: self.counts(kind).as_dict() for kind in TYPES},
            "gold_loc_typed_per": self.loc_as_person,
            "confusion": {f"{gold}->{pred}": n for (gold, pred), n in sorted(confusion.items())},
        }


def system_types(system: str) -> Mapping[str, str]:
    """How a system's actor types map onto CoNLL's."""
    return PROJECT_TYPES if system == PROJECT else SPACY_TYPES


def score_corpus(system: str, documents: Sequence[GoldDocument], predictions: Sequence[Prediction]) -> TypedScore:
    """One system over the documents; predictions in document order."""
    types = system_types(system)
    scores = (score_document(d, p, types) for d, p in zip(documents, predictions, strict=True))
    return TypedScore(system, tuple(scores))


def subset(score: TypedScore, docids: set[str]) -> TypedScore:
    """The same system's score over some documents only."""
    return TypedScore(score.system, tuple(d for d in score.documents if d.docid in docids))


def error_record(corpus: str, system: str, document: DocumentScore) -> dict[str, Any] | None:
    """A document's misses, mistypings and false positives as one JSON-able record (None: no error)."""
    if not document.errors:
        return None
    return {"corpus": corpus, "system": system, "docid": document.docid, "errors": list(document.errors)}
