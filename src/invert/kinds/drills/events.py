"""The events drills record: started, reset, checked, a hint read, the solution shown."""

from __future__ import annotations

from invert.store.fields import MAYBE_TEXT, PATH, Field, Schema

EVENTS: dict[str, Schema] = {
    "drill_started": {"path": PATH},
    "drill_reset": {"backup": MAYBE_TEXT},
    "drill_checked": {
        "state": Field((str,), choices=("fixed", "still broken", "not attempted")),
        "hints_used": Field((int,), low=0, high=1000),
        "failing": Field((list,), required=False, items=str),
        "problem": MAYBE_TEXT,
    },
    "drill_hint": {"number": Field((int,), low=1, high=1000)},
    "drill_solution_shown": {},
}
