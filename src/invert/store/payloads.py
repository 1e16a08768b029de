"""What each kind of event must carry, checked before an imported event reaches the journal.

Events invert writes itself always fit; an export edited by hand, truncated or made by another
tool may not. Everything that reads the journal (the derived tables, the journal listing, the
progress report, drill status) relies on the declared fields, so an import is refused, whole, at
the first event that lacks one or holds the wrong type, with a message naming the event and the
field. Fields not declared are kept as they are and read, where they are read at all, with
defaults.

The journal's own events are declared in `store/core_events.py`, every kind's in its
`events.py` (`Kind.events` in the registry); `payloads()` gathers them, and an event of a kind
none of them declares is refused (see `store/archive.py`).
"""

from __future__ import annotations

from typing import Any

from invert.kinds import REGISTRY, Kind
from invert.store.core_events import EVENTS, PROJECTIONS, WITHOUT_SUBJECT
from invert.store.fields import Field, Schema, fields_problem
from invert.store.projection import Projection

# What payloads() and projections() gathered, for the registry as it was then: every event
# appended or imported asks, and the registry changes only in tests (a toy kind added).
_gathered: dict[tuple[str, tuple[Kind, ...]], Any] = {}


def payloads() -> dict[str, Schema]:
    """Every event kind the store accepts, with the payload fields it must hold: the journal's
    own, then each registered kind's, in the registry's order."""
    key = ("payloads", tuple(REGISTRY))
    if key not in _gathered:
        _gathered[key] = _payloads()
    found: dict[str, Schema] = _gathered[key]
    return found


def _payloads() -> dict[str, Schema]:
    found = dict(EVENTS)
    for kind in REGISTRY:
        if kind.events is None:
            continue
        for name, schema in kind.attribute(kind.events).items():
            if name in found:
                raise ValueError(f"event kind {name!r} is declared twice ({kind.name})")
            found[name] = schema
    return found


def event_kinds() -> frozenset[str]:
    """Every kind of event the store accepts. Later features add kinds, never remove one."""
    return frozenset(payloads())


def projections() -> list[Projection]:
    """Every derived table's projection: the journal's own, then each registered kind's."""
    key = ("projections", tuple(REGISTRY))
    if key not in _gathered:
        found = list(PROJECTIONS)
        for kind in REGISTRY:
            if kind.projections is not None:
                found.extend(kind.attribute(kind.projections))
        _gathered[key] = found
    gathered: list[Projection] = _gathered[key]
    return gathered


def __getattr__(name: str) -> Any:
    # PAYLOADS and EVENT_KINDS are read from the registry when asked for, so that a kind added
    # to it (a test's toy kind) is seen; they were constants before the registry.
    if name == "PAYLOADS":
        return payloads()
    if name == "EVENT_KINDS":
        return event_kinds()
    raise AttributeError(name)


def payload_problem(kind: str, subject: str | None, payload: dict[str, Any]) -> str | None:
    """What is wrong with an event of `kind` carrying `payload`, in a few words; None if fine.

    >>> payload_problem("explanation_written", "overfitting", {"text": "...", "rating": 9})
    "'rating' should be from 1 to 5; got 9"
    >>> payload_problem("drill_hint", None, {"number": 1})
    'has no subject'
    """
    if kind not in WITHOUT_SUBJECT and not subject:
        return "has no subject"
    return fields_problem(payload, payloads().get(kind, {})) or comparison_problem(payload)


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


__all__ = ["Field", "event_kinds", "payload_problem", "payloads", "projections"]
