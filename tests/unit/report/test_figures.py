"""The report's figures: the timeline's bins, its chart, and the places map (escaped, zoomed to its points)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pipeline.report.figures import places_svg, timeline, timeline_png

pytestmark = pytest.mark.unit

NOON = datetime(2026, 11, 22, 12, 30, tzinfo=UTC)


def test_a_short_span_is_binned_per_hour_with_every_empty_hour_between() -> None:
    chart = timeline([NOON, NOON + timedelta(minutes=10), NOON + timedelta(hours=3)])

    assert chart["unit"] == "hour"
    assert [n for _, n in chart["bins"]] == [2, 0, 0, 1]
    assert chart["bins"][0][0] == "2026-11-22T12:00:00+00:00"


def test_a_span_over_three_days_is_binned_per_day() -> None:
    chart = timeline([NOON, NOON + timedelta(days=4)])

    assert chart["unit"] == "day"
    assert [n for _, n in chart["bins"]] == [1, 0, 0, 0, 1]


def test_no_dates_make_an_empty_timeline_and_still_a_chart() -> None:
    chart = timeline([])

    assert chart == {"unit": "hour", "bins": []}
    assert timeline_png(chart, left_out=2).startswith(b"\x89PNG")


def place(name: str, latitude: float, longitude: float, articles: int) -> dict[str, object]:
    return {
        "name": name,
        "country_code": "IRQ",
        "latitude": latitude,
        "longitude": longitude,
        "articles": articles,
        "mentions": articles,
    }


def test_the_map_escapes_place_names_and_tints_the_countries_named() -> None:
    svg = places_svg([place("<script>alert(1)</script>", 33.3, 44.4, 2)], {"IRQ": 3})

    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert 'data-country="IRQ"' in svg and "rgba(47,111,235,0.6)" in svg
    assert "2 articles, 2 mentions" in svg


def test_the_map_zooms_to_its_points_and_shows_the_world_without_any() -> None:
    world = places_svg([], {})
    zoomed = places_svg([place("Baghdad", 33.3, 44.4, 1), place("Basra", 30.5, 47.8, 1)], {})

    assert 'viewBox="0 0 960 379"' in world
    width = float(zoomed.split('viewBox="', 1)[1].split('"', 1)[0].split()[2])
    assert width < 960 / 4
