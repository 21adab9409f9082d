"""The run report's two figures: a bar chart of articles over time (PNG, matplotlib) and a map of the
articles' places (SVG drawn offline from the country outlines countryinfo ships: no tile server)."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from markupsafe import Markup

from pipeline.pages import render_page

HOURLY_UP_TO = timedelta(hours=72)  # a longer span is charted per day, so bars stay wider than a few pixels
MAP_WIDTH = 960.0
LAT_TOP, LAT_BOTTOM = 84.0, -58.0  # Antarctica left out: no news place there worth the space
MIN_SPAN_DEG = 40.0  # the map zooms to its points, but never closer than this many degrees of longitude


def timeline(published: Iterable[datetime]) -> dict[str, Any]:
    """Counts per hour (a span up to 72 h) or per day, every bin from the first to the last present."""
    times = sorted(published)
    if not times:
        return {"unit": "hour", "bins": []}
    unit = "hour" if times[-1] - times[0] <= HOURLY_UP_TO else "day"
    step = timedelta(hours=1) if unit == "hour" else timedelta(days=1)

    def floor(t: datetime) -> datetime:
        t = t.replace(minute=0, second=0, microsecond=0)
        return t if unit == "hour" else t.replace(hour=0)

    counts: dict[datetime, int] = {}
    for t in times:
        counts[floor(t)] = counts.get(floor(t), 0) + 1
    bins, at = [], floor(times[0])
    while at <= floor(times[-1]):
        bins.append((at.isoformat(), counts.get(at, 0)))
        at += step
    return {"unit": unit, "bins": bins}


def timeline_png(chart: dict[str, Any], left_out: int) -> bytes:
    """Bars one bin wide with integer counts; ``left_out`` (articles dated only by their fetch) is captioned."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(10, 3.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bins = chart["bins"]
    if bins:
        width = 1 / 24 if chart["unit"] == "hour" else 1.0
        axes.bar(
            date2num([datetime.fromisoformat(at) for at, _ in bins]),
            [n for _, n in bins],
            width=width * 0.85,
            align="edge",
            color="#2f6feb",
        )
        locator = AutoDateLocator(minticks=3, maxticks=10)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max(n for _, n in bins) * 1.1 + 0.5)
    else:
        axes.text(0.5, 0.5, "no dated articles in this batch", ha="center", va="center", transform=axes.transAxes)
        axes.set_yticks([])
    axes.set_ylabel("articles")
    axes.spines[["top", "right"]].set_visible(False)
    title = f"Articles per {chart['unit']} of publication (UTC)"
    if left_out:
        title += f"; {left_out} dated only by fetch time not shown"
    axes.set_title(title, fontsize=11)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _x(lon: float) -> float:
    return (lon + 180.0) / 360.0 * MAP_WIDTH


def _y(lat: float) -> float:
    return (LAT_TOP - max(min(lat, LAT_TOP), LAT_BOTTOM)) / 360.0 * MAP_WIDTH


def _ring(ring: list[list[float]]) -> str:
    return "M" + "L".join(f"{_x(lon):.1f},{_y(lat):.1f}" for lon, lat in ring) + "Z"


@cache
def country_paths() -> tuple[tuple[str, str, str], ...]:
    """(alpha-3, name, SVG path) of every country outline countryinfo ships (Natural Earth, low resolution)."""
    from countryinfo import CountryInfo

    shapes = []
    for info in CountryInfo.all().values():
        for feature in (info.get("geoJSON") or {}).get("features", []):
            geometry = feature["geometry"]
            polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
            path = "".join(_ring(ring) for polygon in polygons for ring in polygon)
            shapes.append((info["ISO"]["alpha3"], info["name"], path))
    return tuple(sorted(shapes))


def _view_box(points: list[dict[str, Any]]) -> str:
    """Zoom to the points (padded, at least MIN_SPAN_DEG wide, 2:1), or the whole map without points."""
    height = _y(LAT_BOTTOM)
    if not points:
        return f"0 0 {MAP_WIDTH:.0f} {height:.0f}"
    xs, ys = [_x(p["longitude"]) for p in points], [_y(p["latitude"]) for p in points]
    pad = MAP_WIDTH / 36  # 10 degrees
    width = max(max(xs) - min(xs) + 2 * pad, MIN_SPAN_DEG / 360 * MAP_WIDTH, 2 * (max(ys) - min(ys) + 2 * pad))
    width = min(width, MAP_WIDTH)
    box_height = min(width / 2, height)
    left = min(max((min(xs) + max(xs) - width) / 2, 0.0), MAP_WIDTH - width)
    top = min(max((min(ys) + max(ys) - box_height) / 2, 0.0), height - box_height)
    return f"{left:.1f} {top:.1f} {width:.1f} {box_height:.1f}"


def places_svg(points: list[dict[str, Any]], countries: dict[str, int]) -> Markup:
    """An inline SVG map: country outlines (those the articles are about tinted), a circle per place whose
    area grows with its articles, and a tooltip naming it."""
    view = _view_box(points)
    scale = float(view.split()[2]) / MAP_WIDTH  # circles keep their on-screen size whatever the zoom
    most = max(countries.values(), default=1)
    shapes = [
        {"code": code, "name": name, "d": d, "tint": round(0.15 + 0.45 * countries[code] / most, 2)}
        if code in countries
        else {"code": code, "name": name, "d": d, "tint": None}
        for code, name, d in country_paths()
    ]
    circles = [
        {
            **p,
            "cx": round(_x(p["longitude"]), 1),
            "cy": round(_y(p["latitude"]), 1),
            "r": round((3 + 2.5 * math.sqrt(p["articles"])) * scale, 2),
        }
        for p in sorted(points, key=lambda p: -p["articles"])
    ]
    return Markup(render_page("map.svg.j2", view_box=view, shapes=shapes, circles=circles, stroke=0.6 * scale))
