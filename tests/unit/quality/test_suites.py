"""The entities_batch suite's frame: one row per actor and per location, built in Arrow from the nested columns."""

from __future__ import annotations

import pytest

from pipeline.quality.suites import ENTITY_TYPES, entity_table
from tests.support.articles import article_row, article_table

pytestmark = pytest.mark.unit

GROUP = {
    "name": "ISIS",
    "canonical": "Islamic State",
    "type": "group",
    "country_code": None,
    "role": None,
    "mentions": 3,
}


def test_every_actor_and_place_is_a_row_named_by_its_article() -> None:
    first, second, third = article_row(1), article_row(2, actors=[GROUP], locations=[]), article_row(3, actors=[])
    entities = entity_table(article_table([first, second, third])).to_pylist()

    assert [(e["article_id"], e["entity_type"], e["canonical"]) for e in entities] == [
        (first["article_id"], "person", "Mohammed Shia al-Sudani"),
        (second["article_id"], "group", "Islamic State"),
        (first["article_id"], "location", "Baghdad"),
        (third["article_id"], "location", "Baghdad"),
    ]
    place = entities[2]
    assert (place["feature"], place["latitude"], place["longitude"], place["mentions"]) == (
        "city",
        33.34058,
        44.40088,
        1,
    )
    actor = entities[0]
    assert (actor["feature"], actor["latitude"], actor["country_code"], actor["mentions"]) == (None, None, "IRQ", 2)


def test_a_slice_of_a_batch_flattens_only_its_own_rows() -> None:
    table = article_table([article_row(1), article_row(2, actors=[GROUP]), article_row(3)])

    entities = entity_table(table.slice(1, 1)).to_pylist()

    assert [e["canonical"] for e in entities] == ["Islamic State", "Baghdad"]
    assert {e["article_id"] for e in entities} == {table.column("article_id")[1].as_py()}


def test_articles_without_entities_give_an_empty_typed_table() -> None:
    entities = entity_table(
        article_table([article_row(1, actors=[], locations=[]), article_row(2, actors=None, locations=None)])
    )

    assert entities.num_rows == 0
    assert entities.schema == ENTITY_TYPES
