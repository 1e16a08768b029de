"""The registry: every kind of content invert teaches with, in the order a learner meets them.

The faces (the CLI, the web app) and the shared machinery (the catalogue's loader,
`invert dev check`, the store's event kinds, export and import, progress) loop over `REGISTRY`
and never name a kind. Adding a kind is a package under ``invert/kinds/`` and one line here
(CONTRIBUTING.md, "Add a new kind").
"""

from __future__ import annotations

from invert.kinds.kind import Kind, Proof

REGISTRY: list[Kind] = [
    Kind(
        "starters",
        "Starters",
        "invert.kinds.starters",
        nav=(("/starters", "Starters"),),
        part="ops:Starters",
        proofs=(Proof("verify:prove", rank=20, first=True),),
        events="events:EVENTS",
        projections="events:PROJECTIONS",
    ),
    Kind(
        "experiments",
        "Experiments",
        "invert.kinds.experiments",
        cli=("cli", "cli_probes"),
        pages=("page", "page_runs"),
        nav=(("/playground", "Playground"),),
        part="ops:Experiments",
        proofs=(
            Proof("verify:prove", rank=80),
            Proof("verify:prove_probes", name="probes", rank=90, static=True),
        ),
        events="events:EVENTS",
        projections="events:PROJECTIONS",
    ),
    Kind(
        "theory",
        "Theory",
        "invert.kinds.theory",
        cli=("cli",),
        pages=("page", "page_review"),
        nav=(("/cards", "Cards"), ("/review", "Review")),
        part="ops:Theory",
        model="model:load_theory",
        references="references:check_references",
        proofs=(Proof("verify:prove", name="theory", rank=10, first=True),),
        events="events:EVENTS",
        projections="events:PROJECTIONS",
    ),
    Kind(
        "drills",
        "Debugging drills",
        "invert.kinds.drills",
        nav=(("/drills", "Drills"),),
        part="ops:Drills",
        exercise=True,
        model="model:load_drills",
        references="references:check_references",
        proofs=(Proof("verify:prove", name="drills", rank=30),),
        events="events:EVENTS",
    ),
    Kind(
        "rebuild",
        "Rebuild exercises",
        "invert.kinds.rebuild",
        nav=(("/rebuild", "Rebuild"),),
        part="ops:Rebuilds",
        exercise=True,
        model="model:load_rebuilds",
        references="references:check_references",
        proofs=(Proof("verify:prove", name="rebuild", rank=40),),
        events="events:EVENTS",
    ),
    Kind(
        "traces",
        "Traces",
        "invert.kinds.traces",
        pages=(),
        part="ops:Traces",
        model="model:load",
        references="references:check_references",
        proofs=(
            Proof("verify:prove_tours", name="tours", rank=50, static=True),
            Proof("verify:prove", name="traces", rank=60, static=True),
        ),
    ),
    Kind(
        "projects",
        "Projects",
        "invert.kinds.projects",
        pages=(),
        part="ops:Projects",
        proofs=(Proof("verify:prove", name="projects", rank=70),),
        events="events:EVENTS",
    ),
]


def kinds() -> list[Kind]:
    """The registered kinds, in order."""
    return list(REGISTRY)


def proofs() -> list[tuple[Kind, Proof]]:
    """Every kind's parts of `invert dev check` with their kind, lowest rank first (the
    registry's order among equal ranks)."""
    found = [(kind, proof) for kind in REGISTRY for proof in kind.proofs]
    return sorted(found, key=lambda pair: pair[1].rank)


def parts() -> list[str]:
    """What `invert dev check --only` takes: the proofs that can run alone, in rank order."""
    return [proof.name for _, proof in proofs() if proof.name is not None]


def kind(name: str) -> Kind:
    """The registered kind called `name`."""
    for found in REGISTRY:
        if found.name == name:
            return found
    raise KeyError(name)


__all__ = ["REGISTRY", "Kind", "Proof", "kind", "kinds", "parts", "proofs"]
