"""Readers of the public gold sets, in their own formats, into one shape the scorers share.

- LGL and TR-News (GitHub milangritta/Pragmatic-Guide-to-Geoparsing-Evaluation, ``data/Corpora/``): XML,
  ``<article docid>`` with ``<title>``, ``<text>`` and ``<toponyms><toponym>`` holding ``<start>``,
  ``<end>``, ``<phrase>`` and, when the annotators found the place in GeoNames, ``<gaztag geonameid>``
  with ``<lat>`` and ``<lon>``. A toponym without a gaztag is still a place the text names: it counts for
  detection and is left out of resolution.
- CoNLL-2003 (``eng.testb``): one token per line with POS, chunk and IOB1 NER tags, blank lines between
  sentences, ``-DOCSTART-`` between documents (a copy may lack the first one). A document's first sentence
  is its headline; its text is rebuilt one sentence per line from the tokens.

Nothing here is tuned to a corpus: a reader only turns a file into documents and gold labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml.ElementTree import parse as parse_xml

from pipeline.errors import DataFileError

NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re", "'ve"})
NO_SPACE_AFTER = frozenset({"(", "[", "{", "$"})
CONLL_TYPES = ("PER", "ORG", "LOC", "MISC")
DOCSTART = "-DOCSTART-"
WORD = re.compile(r"[^\W\d_]")


class GoldFileError(DataFileError):
    """A gold-set file (public corpus or in-house set) missing or not in its format; names file and reason."""


@dataclass(frozen=True)
class GoldToponym:
    """One toponym mention; ``geonameid`` and the point are None when the annotators found no entry."""

    phrase: str
    start: int
    end: int
    geonameid: int | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class GoldEntity:
    """One CoNLL entity mention: its type (PER, ORG, LOC, MISC) and surface text."""

    type: str
    text: str


@dataclass(frozen=True)
class GoldDocument:
    """A document as a user would feed it (title, text) and its gold labels."""

    docid: str
    title: str
    text: str
    toponyms: tuple[GoldToponym, ...] = ()
    entities: tuple[GoldEntity, ...] = ()

    @property
    def word_count(self) -> int:
        """Whitespace-separated tokens holding a letter (numbers and punctuation are not words)."""
        return sum(1 for token in self.text.split() if WORD.search(token))


def _child_text(element: Element, tag: str, path: Path, where: str) -> str:
    child = element.find(tag)
    if child is None or child.text is None:
        raise GoldFileError(path, f"{where} has no <{tag}>")
    return child.text


def _toponym(element: Element, path: Path, where: str) -> GoldToponym:
    phrase = _child_text(element, "phrase", path, where).strip()
    gaztag = element.find("gaztag")
    try:
        start, end = int(_child_text(element, "start", path, where)), int(_child_text(element, "end", path, where))
        if gaztag is None:
            return GoldToponym(phrase, start, end, None, None, None)
        return GoldToponym(
            phrase,
            start,
            end,
            int(gaztag.attrib["geonameid"]),
            float(_child_text(gaztag, "lat", path, where)),
            float(_child_text(gaztag, "lon", path, where)),
        )
    except (KeyError, ValueError) as exc:
        raise GoldFileError(path, f"{where}, toponym {phrase!r}: bad number or missing geonameid ({exc})") from exc


def read_geoparsing_xml(path: Path) -> list[GoldDocument]:
    """The articles of an LGL / TR-News style XML file, in file order."""
    try:
        root = parse_xml(str(path)).getroot()
    except FileNotFoundError as exc:
        raise GoldFileError(path, "no such file") from exc
    except (ParseError, OSError) as exc:
        raise GoldFileError(path, f"not readable XML ({exc})") from exc
    documents = []
    for index, article in enumerate(root.iter("article")):
        docid = article.attrib.get("docid") or str(index)
        where = f"article {docid}"
        text = _child_text(article, "text", path, where)
        title = (article.findtext("title") or "").strip()
        toponyms = tuple(_toponym(t, path, where) for t in article.iter("toponym"))
        documents.append(GoldDocument(docid, title, text, toponyms=toponyms))
    if not documents:
        raise GoldFileError(path, "no <article> elements: not an LGL / TR-News XML file")
    return documents


def detokenize(tokens: list[str]) -> str:
    """Tokens joined by spaces, without the space before closing punctuation or after an opening one."""
    out: list[str] = []
    for token in tokens:
        if out and token not in NO_SPACE_BEFORE and out[-1] not in NO_SPACE_AFTER:
            out.append(" ")
        out.append(token)
    return "".join(out)


def _entities(sentence: list[tuple[str, str]]) -> Iterator[GoldEntity]:
    """IOB1 spans: I-X continues an entity of type X, B-X starts a new one beside it."""
    tokens: list[str] = []
    current = None
    for token, tag in [*sentence, ("", "O")]:
        prefix, _, kind = tag.partition("-")
        if current is not None and (tag == "O" or prefix == "B" or kind != current):
            yield GoldEntity(current, detokenize(tokens))
            current, tokens = None, []
        if tag != "O":
            current = kind
            tokens.append(token)


def _conll_document(index: int, sentences: list[list[tuple[str, str]]]) -> GoldDocument:
    lines = [detokenize([token for token, _ in sentence]) for sentence in sentences]
    entities = tuple(e for sentence in sentences for e in _entities(sentence))
    return GoldDocument(f"conll-{index:03d}", lines[0], "\n".join(lines), entities=entities)


def read_conll(path: Path) -> list[GoldDocument]:
    """The documents of a CoNLL-2003 file (token, POS, chunk, NER tag per line), in file order."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise GoldFileError(path, "no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(path, f"not readable text ({exc})") from exc
    documents: list[list[list[tuple[str, str]]]] = [[]]
    sentence: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        fields = line.split()
        if not fields or fields[0] == DOCSTART:
            if sentence:
                documents[-1].append(sentence)
                sentence = []
            if fields and documents[-1]:
                documents.append([])
            continue
        tag = fields[-1]
        if len(fields) < 2 or (tag != "O" and tag.partition("-")[2] not in CONLL_TYPES):
            raise GoldFileError(path, f"line {number}: expected 'token ... NER-tag' with an IOB tag, got {line!r}")
        sentence.append((fields[0], tag))
    if sentence:
        documents[-1].append(sentence)
    found = [_conll_document(i, doc) for i, doc in enumerate(d for d in documents if d)]
    if not found:
        raise GoldFileError(path, "no tokens: not a CoNLL-2003 file")
    return found
