"""The lab's store: an append-only event log in SQLite, and tables derived from it."""

from invert.store.events import Event
from invert.store.sqlite import SCHEMA_VERSION, Store

__all__ = ["SCHEMA_VERSION", "Event", "Store"]
