"""The learner's words compared with a card's key points: which points they say they made.

A concept card lists the few ideas an explanation of it must make (`Card.key_points`). After
writing an explanation (or an answer to a why-question), the learner reads their words beside
those points and says which ones their words made. The comparison is recorded in the event's
payload, `key_points` (the texts shown) and `covered` (indices into them, 0 = the first), so the
checklist judges from what was shown at the time, whatever the card says later.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from invert.errors import LearnerError


@dataclass(frozen=True)
class KeyPoint:
    """One key point as shown to the learner: its text and the concept whose card lists it."""

    concept: str
    text: str


@dataclass(frozen=True)
class Comparison:
    """The key points shown beside the learner's words, and the ones they said they made."""

    points: tuple[str, ...]
    covered: frozenset[int]  # indices into `points`, 0 = the first

    @property
    def made(self) -> int:
        return len(self.covered)

    @property
    def missed(self) -> tuple[int, ...]:
        """The indices of the points not made, in order."""
        return tuple(i for i in range(len(self.points)) if i not in self.covered)

    @property
    def complete(self) -> bool:
        """Every point shown was made (and there was at least one to make)."""
        return bool(self.points) and not self.missed

    def payload(self) -> dict[str, Any]:
        return {"key_points": list(self.points), "covered": sorted(self.covered)}

    @classmethod
    def of(cls, payload: Mapping[str, Any]) -> Comparison | None:
        """The comparison an event recorded; None when it recorded none (an explanation written
        before key points existed, or of a concept without a card).

        >>> Comparison.of({"text": "...", "rating": 5}) is None
        True
        >>> Comparison.of({"key_points": ["a", "b", "c"], "covered": [0, 2, 7]}).missed
        (1,)
        """
        points = payload.get("key_points")
        covered = payload.get("covered")
        if not isinstance(points, list) or not points or not isinstance(covered, list):
            return None
        return cls(
            tuple(str(p) for p in points),
            # An index out of range (a journal edited by hand) is not a point made.
            frozenset(i for i in covered if type(i) is int and 0 <= i < len(points)),
        )


def compare(points: Collection[str], covered: Collection[int]) -> Comparison:
    """The comparison of the learner's words with `points`, checked: every index names a point.

    >>> compare(("a", "b"), [1]).covered
    frozenset({1})
    """
    points = tuple(points)
    for index in covered:
        if not 0 <= index < len(points):
            raise LearnerError(_no_such_point(index + 1, len(points)))
    return Comparison(points, frozenset(covered))


def _no_such_point(number: int, count: int) -> str:
    if count == 0:
        return "there are no key points to compare your words with here"
    return f"there is no key point {number}: give numbers from 1 to {count}, all, or none"


def parse_covered(text: str, count: int) -> tuple[int, ...]:
    """The key points a learner says their words made, from what they typed: numbers as shown
    (1 = the first; "1 3", "1,3"), "all" or "none". Returns indices (0 = the first).

    >>> parse_covered("3, 1", 4), parse_covered("none", 4), parse_covered("all", 3)
    ((0, 2), (), (0, 1, 2))
    >>> parse_covered("1 x", 4)
    Traceback (most recent call last):
    invert.errors.LearnerError: 'x' is not a key point's number: give numbers from 1 to 4 \
(e.g. 1 3), all, or none
    """
    words = [w for w in re.split(r"[\s,;]+", text.strip().lower()) if w]
    span = f"numbers from 1 to {count} (e.g. 1 3), all, or none"
    if not words:
        raise LearnerError(f"say which key points your words made: {span}")
    if words == ["none"]:
        return ()
    if words == ["all"]:
        return tuple(range(count))
    numbers = set()
    for word in words:
        if not re.fullmatch(r"[0-9]{1,9}", word):
            raise LearnerError(f"{word!r} is not a key point's number: give {span}")
        number = int(word)
        if not 1 <= number <= count:
            raise LearnerError(_no_such_point(number, count))
        numbers.add(number - 1)
    return tuple(sorted(numbers))
