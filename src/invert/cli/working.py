"""A spinner on stderr while a command works for more than a moment, for people only."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from invert.cli.output import console


@contextmanager
def working(what: str, quiet: bool = False) -> Iterator[None]:
    """Show `what` beside a spinner on stderr while the block runs; it vanishes after.

    Nothing is shown with `quiet` (--json), or when either stream is not a terminal, so that
    captured or piped output holds only the command's own.
    """
    out = console(stderr=True)
    if quiet or not out.is_terminal or not sys.stdout.isatty():
        yield
        return
    with out.status(what):
        yield
