"""What `invert dev check` found: the one object every kind's proof (its verify.py) adds to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[str], None]  # told what is being checked now ("drill leak-scaler")


@dataclass
class CheckReport:
    """Every problem found, plus what was checked and what was skipped (with the reason)."""

    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems
