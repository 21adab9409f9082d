"""State bodies found by the grammar, on literal text (no model)."""

from __future__ import annotations

import pytest

from pipeline.enrich.clusters import Cluster, Mention
from pipeline.enrich.countries import CountryTable
from pipeline.enrich.gazetteer import Gazetteer
from pipeline.enrich.institutions import MainCountry, add_institutions


def bodies(text: str, countries: CountryTable, gazetteer: Gazetteer) -> dict[str, str | None]:
    clusters: dict[str, Cluster] = {}
    mentions: list[Mention] = []
    add_institutions(text, clusters, mentions, [], countries, gazetteer, MainCountry(text, gazetteer))
    return {c.entry.canonical: c.entry.country for c in clusters.values() if c.entry is not None}


@pytest.mark.unit
def test_a_ministry_named_by_its_portfolio_takes_the_country_before_it(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    assert bodies("The Iraqi interior ministry said.", countries, gazetteer) == {"Ministry of Interior of Iraq": "IRQ"}


@pytest.mark.unit
def test_the_junta_is_the_military_government_of_the_country_the_article_is_about(
    countries: CountryTable, gazetteer: Gazetteer
) -> None:
    text = "Myanmar held talks. In Myanmar, the junta said it would hold elections."
    assert bodies(text, countries, gazetteer) == {"Myanmar military government": "MMR"}


@pytest.mark.unit
def test_the_main_country_is_the_most_named_one_and_ties_give_none(gazetteer: Gazetteer) -> None:
    assert MainCountry("Kenya and Kenya and Uganda.", gazetteer).code() == "KEN"
    assert MainCountry("Kenya and Uganda.", gazetteer).code() is None
