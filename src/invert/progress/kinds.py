"""How far the learner is with each kind of content, counted the same way for every kind.

Every registered kind whose part has `statuses()` gives one `KindCount`: how many items it has
and how many stand in each state. `invert progress` shows one line per kind from these, so a
new kind shows there with no change here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invert.kinds.part import LabCore


@dataclass(frozen=True)
class KindCount:
    """One kind's items in a lab, counted by state."""

    kind: str
    title: str
    items: int
    states: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line, e.g. "Starters: 10 (2 ran, 8 not attempted)"."""
        states = ", ".join(f"{n} {state}" for state, n in self.states.items())
        return f"{self.title}: {self.items}" + (f" ({states})" if states else "")

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, "items": self.items, "states": self.states}


def count_kinds(lab: LabCore) -> tuple[KindCount, ...]:
    """A `KindCount` for every registered kind whose part lists statuses, in registry order."""
    from invert.kinds import kinds

    counts = []
    for kind in kinds():
        if kind.part is None:
            continue
        statuses = getattr(lab.part(kind.name), "statuses", None)
        if statuses is None:
            continue
        rows = [status.to_json() for status in statuses()]
        states = Counter(str(row["state"]) for row in rows)
        counts.append(KindCount(kind.name, kind.title, len(rows), dict(states.most_common())))
    return tuple(counts)
