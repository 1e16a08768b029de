"""How a learner stands with an exercise (a drill or a rebuild), read from its events.

Both keep the same record: a check event per check (its payload's `state`, and the hints used
when it ran) and a hint event per hint shown. The exercise is done from its first passing check
on; before that the last check says whether it still fails, and no check means not attempted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from invert.store import Event, Store

NOT_ATTEMPTED = "not attempted"


@dataclass(frozen=True)
class Attempt:
    state: str  # `passed`, `failing` (as the exercise words them) or "not attempted"
    checks: list[Event]
    hints_used: int
    first_pass: Event | None

    @property
    def passed_at(self) -> str | None:
        return self.first_pass.at if self.first_pass else None

    @property
    def hints_when_passed(self) -> int | None:
        return int(self.first_pass.payload["hints_used"]) if self.first_pass else None


def attempt(events: list[Event], checked: str, hinted: str, passed: str, failing: str) -> Attempt:
    """The standing from one exercise's events (in time order), e.g. `passed="fixed"`."""
    checks = [e for e in events if e.kind == checked]
    hints = {e.payload["number"] for e in events if e.kind == hinted}
    first_pass = next((e for e in checks if e.payload["state"] == passed), None)
    if first_pass is not None:
        state = passed
    elif checks and checks[-1].payload["state"] == failing:
        state = failing
    else:
        state = NOT_ATTEMPTED
    return Attempt(state, checks, len(hints), first_pass)


def latest_event(store: Store, kinds: tuple[str, ...]) -> Event | None:
    """The latest of these kinds of event: the exercise `invert check` means without an id."""
    latest = None
    for kind in kinds:
        events = store.events(kind=kind)
        if events and (latest is None or events[-1].at > latest.at):
            latest = events[-1]
    return latest
