"""Numbers typed on the command line: finite floats only (nan, inf and 1e999 are refused)."""

from __future__ import annotations

import math
from collections.abc import Callable

import typer


def finite(text: str) -> float:
    """A float option's parser: refuses what is not a number, and nan, inf, -inf, 1e999."""
    try:
        number = float(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise typer.BadParameter(f"takes a finite number; got {text!r}")
    return number


def finite_at_least(low: float) -> Callable[[str], float]:
    """A parser for a finite float of at least `low` (Typer's min= does not apply with parser=)."""

    def parse(text: str) -> float:
        number = finite(text)
        if number < low:
            raise typer.BadParameter(f"must be at least {low:g}; got {text!r}")
        return number

    return parse
