"""Content text as HTML: the cards' Markdown (CommonMark, raw HTML escaped) and their math."""

from __future__ import annotations

from functools import cache, lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from invert.kinds.theory.model import Context


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


@lru_cache(maxsize=4096)  # content text: the same few hundred strings, page after page
def markdown(text: str) -> Markup:
    """CommonMark to HTML; any HTML in the text is shown as text, not interpreted.

    >>> str(markdown("a *b* <i>c</i>"))
    '<p>a <em>b</em> &lt;i&gt;c&lt;/i&gt;</p>\\n'
    """
    return Markup(_parser().render(text.strip()))


def math(expr: str, context: Context) -> Markup:
    """A formula as MathML (SymPy takes milliseconds a formula: callers cache the page part)."""
    from invert.kinds.theory.sym import mathml

    return Markup(mathml(expr, context))
