"""What each kind of event must carry, checked before an imported event reaches the journal.

Events invert writes itself always fit; an export edited by hand, truncated or made by another
tool may not. Everything that reads the journal (the derived tables, the journal listing, the
progress report, drill status) relies on the fields below, so an import is refused, whole, at
the first event that lacks one or holds the wrong type, with a message naming the event and the
field. Fields not listed are kept as they are and read, where they are read at all, with defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Field:
    types: tuple[type, ...]
    required: bool = True
    choices: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    inner: dict[str, Field] | None = None  # the fields of a nested object
    items: type | None = None  # the type of every item of a list

    def problem(self, value: Any, name: str) -> str | None:
        """What is wrong with `value` for the field called `name`, or None."""
        if value is None:
            return None if type(None) in self.types else "is missing or null"
        numeric = float in self.types or int in self.types
        if isinstance(value, bool) and bool not in self.types:
            return f"should be {self.describe()}, not {value!r}"
        if not isinstance(value, self.types):
            return f"should be {self.describe()}, not {type(value).__name__}"
        if numeric and isinstance(value, float) and not math.isfinite(value):
            return f"should be a finite number, not {value!r}"
        if self.choices and value not in self.choices:
            return f"should be one of {', '.join(map(str, self.choices))}; got {value!r}"
        if self.low is not None and self.high is not None and isinstance(value, int | float):
            if not self.low <= value <= self.high:
                return f"should be from {self.low:g} to {self.high:g}; got {value!r}"
        if self.items is not None and not all(isinstance(v, self.items) for v in value):
            return f"should hold only {self.items.__name__} items"
        if self.inner is not None:
            return fields_problem(value, self.inner, f"{name}.")
        return None

    def describe(self) -> str:
        names = {
            str: "text",
            int: "a whole number",
            float: "a number",
            bool: "true or false",
            list: "a list",
            dict: "an object",
        }
        return " or ".join(names[t] for t in self.types if t in names)


def fields_problem(
    payload: dict[str, Any], fields: dict[str, Field], prefix: str = ""
) -> str | None:
    for name, field in fields.items():
        if name not in payload:
            if field.required:
                return f"has no '{prefix}{name}'"
            continue
        problem = field.problem(payload[name], prefix + name)
        if problem is not None:
            return problem if problem.startswith(("'", "has no")) else f"'{prefix}{name}' {problem}"
    return None


NULL = type(None)
TEXT = Field((str,))
NUMBER = Field((int, float))
MAYBE_TEXT = Field((str, NULL), required=False)
MAYBE_NUMBER = Field((int, float, NULL), required=False)
PATH = Field((str,), required=False)
SHAPE = Field((str, NULL))  # present, but null when no shape could be read
# The learner's words compared with key points (invert.progress.key_points): the points shown and
# the
# indices of those made. Absent from events written before key points existed.
KEY_POINTS = Field((list,), required=False, items=str)
COVERED = Field((list,), required=False, items=int)

PAYLOADS: dict[str, dict[str, Field]] = {
    "lab_created": {"path": PATH},
    "starter_copied": {"path": PATH},
    "starter_run": {"score": MAYBE_NUMBER, "wall_seconds": MAYBE_NUMBER},
    "starter_reset": {"backup": MAYBE_TEXT},
    "prediction_made": {
        "shape": TEXT,
        "confidence": Field((int, float), low=0, high=1),
        "gap": MAYBE_TEXT,
        "guess": Field(
            (dict, NULL),
            required=False,
            inner={"value": Field((str, int, float)), "number": NUMBER},
        ),
        "blind": Field((bool, NULL), required=False),
        "seen_run": MAYBE_TEXT,
        "probe": MAYBE_TEXT,
    },
    "experiment_run": {
        "prediction": MAYBE_TEXT,
        "measured": Field(
            (dict,),
            inner={"shape": SHAPE, "train_shape": SHAPE, "gap": SHAPE},
        ),
        "outcome": Field(
            (dict, NULL),
            required=False,
            inner={
                "verdict": TEXT,
                "hit": Field((bool, int, NULL), required=False),
                "gap_hit": Field((bool, int, NULL), required=False),
                "brier": MAYBE_NUMBER,
                "guess_error": MAYBE_NUMBER,
                "guess_within_spread": Field((bool, int, NULL), required=False),
                "guess_spread": MAYBE_NUMBER,
            },
        ),
        "values": Field((list,), required=False),
        "points": Field((list,), required=False, items=list),
        "plots": Field((dict, NULL), required=False),
    },
    "observation_written": {"text": TEXT, "run": MAYBE_TEXT},
    "question_asked": {
        "text": TEXT,
        "run": MAYBE_TEXT,
        "concepts": Field((list,), items=str),
    },
    "question_answered": {
        "text": TEXT,
        "key_points": KEY_POINTS,
        "covered": COVERED,
        "key_point_concepts": Field((list,), required=False, items=str),
    },
    "explanation_written": {
        "text": TEXT,
        "rating": Field((int,), low=1, high=5),
        "key_points": KEY_POINTS,
        "covered": COVERED,
    },
    "card_opened": {"run": Field((dict, NULL), required=False)},
    "rule_met": {"via": Field((str,), required=False)},
    "rule_added": {"via": Field((str,), required=False)},
    "rule_reviewed": {
        "rating": Field((str,), choices=("again", "hard", "good", "easy")),
        "via": Field((str,), required=False),
    },
    "derivation_step": {
        "step": Field((int,), required=False),
        "accepted": Field((bool,), required=False),
    },
    "derivation_finished": {"steps": Field((int,), required=False)},
    "ladder_run": {"held": Field((bool,), required=False)},
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

# Kinds whose subject names what they are about (a starter, an experiment, a rule, ...).
NEEDS_SUBJECT = frozenset(PAYLOADS) - {"lab_created", "question_asked"}


def payload_problem(kind: str, subject: str | None, payload: dict[str, Any]) -> str | None:
    """What is wrong with an event of `kind` carrying `payload`, in a few words; None if fine.

    >>> payload_problem("explanation_written", "overfitting", {"text": "...", "rating": 9})
    "'rating' should be from 1 to 5; got 9"
    >>> payload_problem("drill_hint", None, {"number": 1})
    'has no subject'
    """
    if kind in NEEDS_SUBJECT and not subject:
        return "has no subject"
    return fields_problem(payload, PAYLOADS.get(kind, {})) or comparison_problem(payload)


def comparison_problem(payload: dict[str, Any]) -> str | None:
    """What is wrong with a comparison with key points: `covered` without `key_points`, an index
    that names no point shown, or concepts not one per point.

    >>> comparison_problem({"key_points": ["a", "b"], "covered": [0, 2]})
    "'covered' holds 2, but only 2 key points were shown"
    """
    points = payload.get("key_points")
    covered = payload.get("covered")
    if covered is None and points is None:
        return None
    if not isinstance(points, list) or not isinstance(covered, list):
        return "has 'key_points' and 'covered' only together"
    for index in covered:
        if isinstance(index, bool) or not 0 <= index < len(points):
            return f"'covered' holds {index!r}, but only {len(points)} key points were shown"
    concepts = payload.get("key_point_concepts")
    if concepts is not None and len(concepts) != len(points):
        return "'key_point_concepts' should name one concept per key point"
    return None
