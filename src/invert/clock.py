"""The lab's clock: every event's time and every "now" (reviews due, today's streak) come from here.

`INVERT_NOW` (an ISO date-time, e.g. 2026-03-01T09:00) starts the clock at that moment and lets it
run on in real time from there. Tests use it to replay a learner's history across simulated days;
a learner can use it to see what `invert next` would say a week from now. A naive time is UTC.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

from invert.errors import LearnerError

ENV = "INVERT_NOW"
_anchor: tuple[str, float] | None = None  # (INVERT_NOW's value, when it was first read)


def now() -> datetime:
    """The current time, aware, in UTC (or the simulated time that INVERT_NOW sets).

    >>> now().tzinfo is not None
    True
    """
    fixed = os.environ.get(ENV)
    if not fixed:
        return datetime.now(UTC)
    try:
        start = datetime.fromisoformat(fixed)
    except ValueError:
        raise LearnerError(
            f"{ENV} must be an ISO date-time such as 2026-03-01T09:00; got {fixed!r}"
        ) from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    global _anchor
    if _anchor is None or _anchor[0] != fixed:  # a new simulated time starts a new run
        _anchor = (fixed, time.monotonic())
    return start.astimezone(UTC) + timedelta(seconds=time.monotonic() - _anchor[1])


def local_date(at: str) -> str:
    """The learner's local date of an event's time.

    >>> local_date("2026-03-01T12:00:00+00:00")[:7]
    '2026-03'
    """
    return datetime.fromisoformat(at).astimezone().date().isoformat()
