"""The registry: every kind of content invert teaches with, in the order a learner meets them.

The faces (the CLI, the web app) and the shared machinery (the catalogue's loader,
`invert dev check`, the store's event kinds, export and import, progress) loop over `REGISTRY`
and never name a kind. Adding a kind is a package under ``invert/kinds/`` and one line here
(CONTRIBUTING.md, "Add a new kind").
"""

from __future__ import annotations

from invert.kinds.kind import Kind

REGISTRY: list[Kind] = [
    Kind(
        "starters",
        "Starters",
        "invert.kinds.starters",
        nav=(("/starters", "Starters"),),
        part="ops:Starters",
    ),
    Kind(
        "experiments",
        "Experiments",
        "invert.kinds.experiments",
        cli=("cli", "cli_probes"),
        pages=("page", "page_runs"),
        nav=(("/playground", "Playground"),),
        part="ops:Experiments",
    ),
    Kind(
        "theory",
        "Theory",
        "invert.kinds.theory",
        cli=("cli",),
        pages=("page", "page_review"),
        nav=(("/cards", "Cards"), ("/review", "Review")),
        part="ops:Theory",
    ),
    Kind("drills", "Debugging drills", "invert.kinds.drills", nav=(("/drills", "Drills"),)),
    Kind("rebuild", "Rebuild exercises", "invert.kinds.rebuild", nav=(("/rebuild", "Rebuild"),)),
    Kind("traces", "Traces", "invert.kinds.traces", pages=(), part="ops:Traces"),
    Kind("projects", "Projects", "invert.kinds.projects", pages=(), part="ops:Projects"),
]


def kinds() -> list[Kind]:
    """The registered kinds, in order."""
    return list(REGISTRY)


def kind(name: str) -> Kind:
    """The registered kind called `name`."""
    for found in REGISTRY:
        if found.name == name:
            return found
    raise KeyError(name)


__all__ = ["REGISTRY", "Kind", "kind", "kinds"]
