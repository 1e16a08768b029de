"""What the registry knows of a kind of content, without importing any of its code.

A kind lives in one package, ``invert.kinds.<name>``; its modules are found by their names
(`model`, `ops`, `cli`, `page`, `verify`) and imported only when a face uses them, so that
`invert --help` stays light. The order inside a kind's package is
model < check < ops < cli/page: a module imports only from those before it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Kind:
    """One kind of content: where its code is and which faces it has."""

    name: str  # the Lab's attribute (lab.drills) and the catalogue's key
    title: str  # how a learner calls them, plural: "Debugging drills"
    package: str  # the dotted package holding its modules
    cli: tuple[str, ...] = ("cli",)  # modules with register(app): its commands
    pages: tuple[str, ...] = ("page",)  # modules with a FastAPI `router`
    nav: tuple[tuple[str, str], ...] = ()  # (path, label) entries of the web app's navigation
    part: str | None = None  # "module:Class" of its operations, built as lab.<name>
    exercise: bool = False  # its part is an `Exercises`: `invert check|hint|solution|watch`

    def module(self, name: str) -> ModuleType:
        """The kind's module `name` (for instance "cli"), imported now."""
        return importlib.import_module(f"{self.package}.{name}")

    def attribute(self, dotted: str) -> Any:
        """ "module:attribute" inside the kind's package."""
        module, _, attribute = dotted.partition(":")
        return getattr(self.module(module), attribute)
