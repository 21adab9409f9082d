"""The words with which news pages label the day a story was first published ("Published on 7 April 2020",
"Veröffentlicht am 16.08.2019", "Erschienen am: 13.10.2021", "Publié le ..."), in the languages of the
sources read; data for :func:`pipeline.extract.dates.labelled_publication`. An update label ("Updated",
"Letzte Änderung", "Mis à jour") is deliberately absent: it names the last edit, not the publication.
"""

from __future__ import annotations

# Lower case; a label is matched as a whole word, case aside.
PUBLICATION_LABELS = (
    "published",
    "posted",
    "veröffentlicht",
    "erschienen",
    "publiziert",
    "publié",
    "publicado",
    "pubblicato",
    "gepubliceerd",
    "publicerad",
    "opublikowano",
)
# The preposition a label takes before its date ("published on", "veröffentlicht am", "publié le").
LABEL_PREPOSITIONS = ("on", "am", "le", "el", "em", "il", "op", "den", "dnia")
