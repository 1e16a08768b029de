"""Export the journal to one JSON file and import it back, validating everything before writing."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from invert._version import __version__
from invert.errors import LearnerError
from invert.store.events import Event, utc_now
from invert.store.payloads import event_kinds, payload_problem
from invert.store.sqlite import SCHEMA_VERSION, Store

EXPORT_FORMAT = 1


def export_document(store: Store) -> dict[str, Any]:
    return {
        "invert_export": EXPORT_FORMAT,
        "schema_version": store.schema_version,
        "invert_version": __version__,
        "exported_at": utc_now(),
        "events": [event.to_json() for event in store.events()],
    }


def write_export(store: Store, path: Path) -> int:
    """Write the whole journal to `path` atomically; return the number of events written."""
    document = export_document(store)
    target = path.resolve()
    if target.is_dir():
        raise LearnerError(f"{path} is a folder; give a file name such as lab-export.json")
    if not target.parent.is_dir():
        raise LearnerError(f"folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".invert-export-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(document["events"])


def read_export(path: Path) -> list[Event]:
    """The events in an export file; a LearnerError names the first thing wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LearnerError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LearnerError(f"cannot read {path}: {exc}") from None
    try:
        document = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        raise LearnerError(f"{path} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(document, dict) or "invert_export" not in document:
        raise LearnerError(f"{path} is not an invert export (no 'invert_export' field)")
    if document["invert_export"] != EXPORT_FORMAT:
        raise LearnerError(f"{path} has export format {document['invert_export']!r}; expected 1")
    schema = document.get("schema_version")
    if not isinstance(schema, int) or schema > SCHEMA_VERSION:
        raise LearnerError(f"{path} comes from a newer invert (schema {schema!r}); upgrade first")
    raw_events = document.get("events")
    if not isinstance(raw_events, list):
        raise LearnerError(f"{path}: 'events' should be a list")
    events = [_event(raw, f"{path}: event #{i + 1}") for i, raw in enumerate(raw_events)]
    seen: set[str] = set()
    for i, event in enumerate(events):
        if event.uid in seen:
            raise LearnerError(f"{path}: event #{i + 1} repeats the uid of an earlier event")
        seen.add(event.uid)
    return events


def _not_json(constant: str) -> None:
    # Python's json reads NaN and Infinity, which JSON (and SQLite's json_valid) does not.
    raise json.JSONDecodeError(f"{constant} is not a JSON value", constant, 0)


def _event(raw: Any, where: str) -> Event:
    if not isinstance(raw, dict):
        raise LearnerError(f"{where} should be an object")
    uid, at, kind = raw.get("uid"), raw.get("at"), raw.get("kind")
    subject, payload = raw.get("subject"), raw.get("payload")
    if not isinstance(uid, str) or not 8 <= len(uid) <= 64:
        raise LearnerError(f"{where} has no valid 'uid'")
    if not isinstance(at, str):
        raise LearnerError(f"{where} has no 'at' timestamp")
    try:
        aware = datetime.fromisoformat(at).tzinfo is not None
    except ValueError:
        raise LearnerError(f"{where}: 'at' is not an ISO timestamp: {at!r}") from None
    if not aware:
        raise LearnerError(f"{where}: 'at' has no time zone: {at!r}")
    if not isinstance(kind, str) or kind not in event_kinds():
        raise LearnerError(f"{where} has unknown kind {kind!r}")
    if subject is not None and not isinstance(subject, str):
        raise LearnerError(f"{where}: 'subject' should be a string or null")
    if not isinstance(payload, dict):
        raise LearnerError(f"{where}: 'payload' should be an object")
    problem = payload_problem(kind, subject, payload)
    if problem is not None:
        raise LearnerError(f"{where} ({kind}) {problem}")
    return Event(kind=kind, subject=subject, payload=payload, at=at, uid=uid)
