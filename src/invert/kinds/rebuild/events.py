"""The events rebuild exercises record: started, reset, checked, a hint read, the solution shown."""

from __future__ import annotations

from invert.store.fields import MAYBE_TEXT, PATH, Field, Schema

EVENTS: dict[str, Schema] = {
    "rebuild_started": {"path": PATH},
    "rebuild_reset": {"backup": MAYBE_TEXT},
    "rebuild_checked": {
        "state": Field((str,), choices=("passed", "still failing", "not attempted")),
        "hints_used": Field((int,), low=0, high=1000),
        "stages_passed": Field((list,), required=False, items=str),
        "problem": MAYBE_TEXT,
    },
    "rebuild_hint": {"number": Field((int,), low=1, high=1000)},
    "rebuild_solution_shown": {},
}
