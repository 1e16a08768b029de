"""The events projects record: a project created from the learner's data, and a step run."""

from __future__ import annotations

from invert.store.fields import NULL, Field, Schema

EVENTS: dict[str, Schema] = {
    "project_created": {
        "data": Field((str,), required=False),
        "bundled": Field((str, bool, NULL), required=False),
        "rows": Field((int,), required=False),
        "columns": Field((int,), required=False),
        "target": Field((str,), required=False),
    },
    "project_step_run": {
        "step": Field((int,), required=False),
        # The audit as it stood when the step ran; events written before it was recorded lack it.
        "audit": Field(
            (dict,),
            required=False,
            inner={
                "open": Field((list,), items=str),
                "faults": Field((int,), low=0, high=100_000),
                "split": Field((str,), required=False),
            },
        ),
    },
}
