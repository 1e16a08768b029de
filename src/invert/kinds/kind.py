"""What the registry knows of a kind of content, without importing any of its code.

A kind lives in one package, ``invert.kinds.<name>``; its modules are found by their names
(`model`, `ops`, `cli`, `page`, `verify`, `events`) and imported only when a face or the shared
machinery uses them, so that `invert --help` stays light. The order inside a kind's package is
model < check < ops < cli/page: a module imports only from those before it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Proof:
    """One part of `invert dev check`: a function of the kind's, run over its content.

    `check` is "module:function" in the kind's package, called as
    ``function(catalog, report, run, on_progress)``: it adds to the `CheckReport`'s problems,
    checked and skipped lists, and runs content only when `run`.
    """

    check: str
    name: str | None = None  # `invert dev check --only <name>` runs it alone; None: never alone
    rank: int = 100  # its place in a whole check and in --only's list, lowest first
    first: bool = False  # runs before the rest; a problem found by the first ones stops what runs
    static: bool = False  # has checks that run nothing, made (run=False) even when a check stops


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
    # What the shared machinery loops over; each a "module:attribute" in its package, or None.
    model: str | None = None  # load(root, problems) -> its content, kept as catalog.content[name]
    references: str | None = None  # check_references(catalog, problems): what it names exists
    proofs: tuple[Proof, ...] = ()  # its parts of `invert dev check`
    events: str | None = None  # {event kind: {payload field: store Field}} of what it records
    projections: str | None = None  # tuple of store Projection: tables derived from its events

    def module(self, name: str) -> ModuleType:
        """The kind's module `name` (for instance "cli"), imported now."""
        return load_module(f"{self.package}.{name}")

    def attribute(self, dotted: str) -> Any:
        """ "module:attribute" inside the kind's package."""
        module, _, attribute = dotted.partition(":")
        return getattr(self.module(module), attribute)


def load_module(dotted: str) -> ModuleType:
    """Import the module `dotted` as an import statement does.

    Not `importlib.import_module`: `python -X importtime`, which tests/test_lazy_imports.py
    reads to prove that a command imports nothing heavy, does not see the modules that function
    loads, and a registry that loads every kind's modules by name must stay in that picture.
    """
    __import__(dotted)
    return sys.modules[dotted]
