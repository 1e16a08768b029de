"""The learner's toolkit: the rules they have worked with, scheduled for review with FSRS.

A rule joins the toolkit when the learner adds it (`rule_added`) or applies it in an accepted
derivation step (a `rule_reviewed`); reading a card that uses it does not. The schedule is a pure
function of the journal: replaying those events in order through one `fsrs.Scheduler` (fuzzing
off, so a replay is exact) gives each rule's memory state and due date. The store keeps the
result in its `toolkit` table.

The scheduler has no learning steps of minutes: a rule comes back a day or more later, never
ten minutes after it was met or missed (a review session is a once-a-day thing, see
`invert.progress.review_plan`).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4}
RATING_NAMES = {v: k for k, v in RATINGS.items()}
FIRST_REVIEW_AFTER = timedelta(days=1)  # recalling a rule minutes after adding it tests nothing

_scheduler: Any = None


def scheduler() -> Any:
    global _scheduler
    if _scheduler is None:
        import fsrs

        # No steps of minutes: a new or forgotten rule is next due a day or more later.
        _scheduler = fsrs.Scheduler(enable_fuzzing=False, learning_steps=(), relearning_steps=())
    return _scheduler


def new_card(at: str, card_id: int) -> dict[str, Any]:
    """A rule just added, not yet reviewed: first due a day after `at`."""
    import fsrs

    card = fsrs.Card(card_id=card_id, due=datetime.fromisoformat(at) + FIRST_REVIEW_AFTER)
    return dict(card.to_dict())


def review(state: dict[str, Any], rating: str, at: str) -> dict[str, Any]:
    """The memory state after a review with `rating` ("again", "hard", "good", "easy") at `at`."""
    import fsrs

    card = fsrs.Card.from_dict(state)  # type: ignore[arg-type]
    card, _ = scheduler().review_card(
        card, fsrs.Rating(RATINGS[rating]), review_datetime=datetime.fromisoformat(at)
    )
    return dict(card.to_dict())


def retrievability(state: dict[str, Any], at: datetime) -> float | None:
    """The chance of recalling the rule at `at`, or None before its first review."""
    import fsrs

    card = fsrs.Card.from_dict(state)  # type: ignore[arg-type]
    if card.last_review is None:
        return None
    return float(scheduler().get_card_retrievability(card, at))


def dumps(state: dict[str, Any]) -> str:
    return json.dumps(state, sort_keys=True)
