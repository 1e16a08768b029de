"""Figures in words, as every progress view writes them."""

from __future__ import annotations


def count(n: int, thing: str) -> str:
    """How many of a thing, in words.

    >>> count(1, "day"), count(2, "day")
    ('1 day', '2 days')
    """
    return f"{n} {thing}{'' if n == 1 else 's'}"


def percent(rate: float | None) -> str:
    """
    >>> percent(0.666), percent(None)
    ('67%', '-')
    """
    return "-" if rate is None else f"{rate:.0%}"
