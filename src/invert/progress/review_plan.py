"""How many rules to review today, and when the rest: the review half of the next step.

Reviews must not crowd out new work. There is at most one review session a day, of at most
`DAILY_REVIEWS` rules, the most overdue first; once the learner has reviewed in a session today,
new work comes first until tomorrow. A backlog (after weeks away, say) is spread over the next
days at the same cap, and the plan says so, instead of a pile of "N rules due".
`invert next`, `invert progress` and the dashboard all read the plan from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from invert import clock

if TYPE_CHECKING:
    from invert.kinds.theory.ops import ToolkitEntry
    from invert.store import Event

DAILY_REVIEWS = 10  # rules in one day's review session, at most
AWAY_DAYS = 7  # a gap longer than this since the last active day: the learner was away
SECONDS_PER_REVIEW = 30  # recall, reveal, rate: about half a minute a rule
SESSION_VIA = "review"  # a review in a review session (a derivation step's review is not one)


@dataclass(frozen=True)
class ReviewPlan:
    """Today's review session (if any), and how many days the rest of the backlog takes."""

    due: int  # rules due now
    today: tuple[str, ...]  # rule ids to review today, most overdue first
    reviewed_today: int  # rules reviewed in a review session today
    later_days: int  # days after today the rest take, at DAILY_REVIEWS a day
    away_days: int | None  # days since the last active day, when that was over AWAY_DAYS

    @property
    def later(self) -> int:
        """Rules due now that wait for another day."""
        return self.due - len(self.today)

    @property
    def minutes(self) -> int:
        return math.ceil(len(self.today) * SECONDS_PER_REVIEW / 60)

    def summary(self, then: str | None = None) -> str:
        """The plan in one or two sentences; `then` is the step that follows today's reviews.

        >>> plan = ReviewPlan(40, tuple("abcdefghij"), 0, 3, 30)
        >>> print(plan.summary("Fix the drill X"))  # doctest: +NORMALIZE_WHITESPACE
        You were away 30 days. Plan: today review the 10 most overdue of 40 rules due
        (about 5 minutes), then “Fix the drill X”; the other 30 spread over the next 3 days,
        10 a day.
        """
        from invert.progress.words import count

        away = f"You were away {self.away_days} days. " if self.away_days else ""
        spread = (
            "tomorrow"
            if self.later_days == 1
            else f"spread over the next {self.later_days} days, {DAILY_REVIEWS} a day"
        )
        if not self.today:
            if not self.due:
                return away + "Nothing is due for review."
            done = f"You reviewed {count(self.reviewed_today, 'rule')} today; "
            wait = "wait for tomorrow" if self.later_days == 1 else f"are {spread}"
            return f"{away}{done}the {self.due} still due {wait}."
        which = (
            f"the {count(self.due, 'rule')} due"
            if not self.later
            else f"the {len(self.today)} most overdue of {self.due} rules due"
        )
        text = f"{away}Plan: today review {which} (about {count(self.minutes, 'minute')})"
        if then:
            text += f", then “{then}”"
        return text + (f"; the other {self.later} {spread}." if self.later else ".")

    def to_json(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "today": list(self.today),
            "later": self.later,
            "minutes": self.minutes,
            "daily": DAILY_REVIEWS,
            "summary": self.summary(),
        }


class Record(Protocol):
    """What the plan reads of the learner's record (`invert.progress.evidence.Evidence`)."""

    @property
    def today(self) -> date: ...

    @property
    def by_kind(self) -> dict[str, list[Event]]: ...

    @property
    def calendar(self) -> dict[str, int]: ...

    @property
    def due(self) -> list[ToolkitEntry]: ...


def plan_reviews(ev: Record) -> ReviewPlan:
    """Today's session: the most overdue rules, up to the daily cap, unless one was done today."""
    today = ev.today.isoformat()
    reviewed_today = sum(
        1
        for event in ev.by_kind.get("rule_reviewed", [])
        if event.payload.get("via") == SESSION_VIA and clock.local_date(event.at) == today
    )
    overdue = [entry.rule.id for entry in sorted(ev.due, key=lambda e: (e.row.due, e.rule.id))]
    session = () if reviewed_today else tuple(overdue[:DAILY_REVIEWS])
    before = [day for day in ev.calendar if day < today]
    gap = (ev.today - date.fromisoformat(before[-1])).days if before else 0
    return ReviewPlan(
        due=len(overdue),
        today=session,
        reviewed_today=reviewed_today,
        later_days=math.ceil((len(overdue) - len(session)) / DAILY_REVIEWS),
        away_days=gap if gap > AWAY_DAYS else None,
    )
