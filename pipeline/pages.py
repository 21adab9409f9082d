"""The HTML pages a run leaves (run report, validation results), rendered from the Jinja2 templates shipped
in ``pipeline/templates/``. Autoescaping is on: titles, names, URLs and details come from the web."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def environment() -> Environment:
    """One environment per process; StrictUndefined makes a missing value an error, not a blank cell."""
    return Environment(
        loader=PackageLoader("pipeline", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(template: str, **values: Any) -> str:
    """Render one packaged template (``report.html.j2``, ``validation.html.j2``, ...)."""
    return environment().get_template(template).render(**values)
