"""The event: the one record the journal is made of."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from invert.clock import now


def utc_now() -> str:
    return now().isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Event:
    """Something that happened in the lab. Events are never updated or deleted."""

    kind: str
    subject: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    at: str = field(default_factory=utc_now)
    uid: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "at": self.at,
            "kind": self.kind,
            "subject": self.subject,
            "payload": self.payload,
        }

    @classmethod
    def from_row(cls, row: tuple[str, str, str, str | None, str]) -> Event:
        uid, at, kind, subject, payload = row
        return cls(kind=kind, subject=subject, payload=json.loads(payload), at=at, uid=uid)
