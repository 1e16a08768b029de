"""The vocabulary of event payload schemas: what one field of an event must hold.

Low on purpose (it imports nothing of invert): each kind's `events.py` describes its events
with these, and `store/payloads.py` checks an imported event against them.
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

Schema = dict[str, Field]  # an event's payload fields by name
