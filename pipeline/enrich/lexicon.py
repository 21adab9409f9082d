"""The word lists of the actor and role rules, read from pipeline/data/actor_lexicon.yml.

The lists are data (a reviewer extends them without reading the rules), so they live in one YAML file and
are checked here once, at import: a missing key or a list that is not all strings stops the process with the
file and key named, instead of a rule silently matching nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "actor_lexicon.yml"


class LexiconFileError(ValueError):
    """The lexicon file is malformed; the message names the file and the key."""


def _read(path: Path) -> dict[str, Any]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise LexiconFileError(f"{path}: expected a mapping of list names to word lists")
    return raw


_RAW = _read(LEXICON_FILE)


def words(key: str) -> frozenset[str]:
    """The word list under key, as a set."""
    value = _RAW.get(key)
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise LexiconFileError(f"{LEXICON_FILE}: {key} must be a list of words")
    return frozenset(value)


def mapping(key: str) -> dict[str, str]:
    """The word -> word mapping under key."""
    value = _RAW.get(key)
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise LexiconFileError(f"{LEXICON_FILE}: {key} must map words to words")
    return dict(value)


NAME_PARTICLES = words("name_particles")
GENERIC_ORG_WORDS = words("generic_org_words")
GROUP_WORDS = words("group_words")
GOVERNMENT_WORDS = words("government_words")
CORPORATE_FORMS = words("corporate_forms")
LEADING_CORPORATE_FORMS = words("leading_corporate_forms")
LEADING_FORM = "|".join(re.escape(form) for form in sorted(LEADING_CORPORATE_FORMS, key=len, reverse=True))
ORG_NAME_WORDS = words("org_name_words") | CORPORATE_FORMS
LONG_FORM_FILLERS = words("long_form_fillers")
ORG_DESCRIPTOR_NOUNS = words("org_descriptor_nouns")
DESK_WORDS = words("desk_words")
COUNTRY_LED_BODIES = words("country_led_bodies")
NON_ACTOR_FIRST_WORDS = words("non_actor_first_words")
NON_ACTOR_LAST_WORDS = words("non_actor_last_words")
NON_ACTOR_FOLLOWERS = words("non_actor_followers")
MINISTRY_SUBJECTS = mapping("ministry_subjects")

TITLE_HEADS = words("title_heads")
ROLE_HEADS = TITLE_HEADS | words("role_heads")
ROLE_MODIFIERS = words("role_modifiers")
OF_OBJECTS = words("of_objects")
LOWERCASE_QUALIFIERS = words("lowercase_qualifiers")
EXPERT_PLURALS = mapping("expert_plurals")
REPORTING_VERBS = words("reporting_verbs")
LEAD_INS = words("lead_ins")

COUNTRY_ACTION_VERBS = words("country_action_verbs")
EXTRA_ACTION_VERBS = words("extra_action_verbs")
WINDOW_ACTION_VERBS = (
    frozenset(verb for verb in COUNTRY_ACTION_VERBS | EXTRA_ACTION_VERBS if verb.endswith("ed"))
    | EXTRA_ACTION_VERBS
    | words("window_action_verbs")
)
PASSIVE_ACTION_VERBS = words("passive_action_verbs")
NOT_SUBJECT_BEFORE = words("not_subject_before")
SUBJECT_INTRODUCERS = words("subject_introducers")
MODIFIED_NOUNS = ROLE_HEADS | words("modified_nouns")
MODALS = words("modals")
SELF_SECURITY_WORDS = words("self_security_words")
ELLIPSIS_WORDS = words("ellipsis_words")
ELLIPSIS_AUXILIARIES = words("ellipsis_auxiliaries")
CLAUSE_BREAKS = words("clause_breaks")
ACT_NOUNS = words("act_nouns")
ACT_NOUN_VERBS = words("act_noun_verbs")

PLACE_COMPASS_WORDS = words("place_compass_words")
SETTLEMENT_NOUNS = words("settlement_nouns")
AREA_ADJECTIVES = words("area_adjectives")
ORGANIZATION_NOUNS = words("organization_nouns")
PERSON_NOUNS = words("person_nouns")
GIVEN_NAME_FIRST_WORDS = words("given_name_first_words")
