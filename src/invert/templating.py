"""Jinja2 templates shipped in invert/templates: the project report and the portfolio site.

Autoescaping is on for HTML and off for Markdown; an undefined name is an error, not an empty
string, so a template that asks for something the code did not pass fails in the tests.
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = lambda value, digits=4: "" if value is None else f"{value:.{digits}f}"
    env.filters["pct"] = lambda value: "" if value is None else f"{100 * value:.0f}%"
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def data_uri(path: Path) -> str:
    """A PNG as a data: URI, so a page that shows it needs no other file."""
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
