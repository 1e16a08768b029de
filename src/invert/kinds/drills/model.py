"""The drills part of the catalogue: broken pipelines, their declared checks, hints and fixes.

Each drill is a folder `content/drills/<id>/` holding `drill.toml`, the broken script
`broken.py`, the reference fix `solution.py`, and its corpus: correct fixes written otherwise
(`right_*.py`) and plausible wrong fixes (`wrong_*.py`), each wrong one naming the misconception
it shows. A drill's variants (`variants/<name>/`, each with its own drill.toml, scripts and
corpus) put the same fault elsewhere, in another column or dataset: a learner who passed the
drill meets one unseen. A variant takes from its drill whatever its drill.toml leaves out
(concept, hints, checks, explanation, misconceptions, a misconception of the same id replacing
the drill's) except what makes it a new exercise (`NOT_INHERITED`); its id is the drill's and
the folder's, `<drill>-<name>`. The loader checks shape and references only; that every drill
fails unsolved, passes solved and catches its wrong fixes is `invert dev check`'s job, since it
runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from invert.catalog.toml import Reader, read_toml

# The kinds of check a drill may declare; each is a function in invert/kinds/drills/check.py.
CHECK_KINDS = (
    "holdout",
    "refit",
    "reported",
    "finite",
    "reproducible",
    "batch_invariant",
    "repeatable",
    "untouched",
    "ignores",
    "apart",
    "names",
    "chosen_inside",
    "groups_apart",
    "time_ordered",
    "calibrated",
    "expected_count",
    "rare_class",
)
MIN_HINTS = 3


@dataclass(frozen=True)
class CheckSpec:
    """One declared check: its kind, the sentence the learner reads, and its parameters."""

    id: str
    kind: str
    title: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Observed:
    """The symptom, made measurable: a variable the unsolved script leaves inside a range."""

    variable: str
    between: tuple[float, float]


@dataclass(frozen=True)
class WrongFix:
    """A plausible fix that is not one, kept as a test case, with the checks that catch it and
    the misconception it shows."""

    file: str
    idea: str
    caught_by: tuple[str, ...]
    misconception: str | None = None
    signs: tuple[str, ...] = ()  # what its checks measure it to be ("reported=accuracy@X_test")


@dataclass(frozen=True)
class RightFix:
    """A correct fix written otherwise than the reference, kept as a test case: it must pass."""

    file: str
    idea: str


@dataclass(frozen=True)
class Misconception:
    """A known wrong way to fix a drill, and the words a learner reads when their change shows
    it: what is mistaken, never the fix."""

    id: str
    message: str


@dataclass(frozen=True)
class Drill:
    """A pipeline that runs but is wrong; the learner finds and fixes the fault."""

    id: str
    title: str
    order: int
    dataset: str
    concept: str
    card: str | None
    symptom: str
    brief: str
    hints: tuple[str, ...]
    explanation: str
    citations: tuple[str, ...]
    checks: tuple[CheckSpec, ...]
    wrong: tuple[WrongFix, ...]
    observed: tuple[Observed, ...]
    folder: Path
    requires: tuple[str, ...] = ()
    timeout: float = 120.0
    runs: int = 1  # how many times `invert check` runs the script (2 to test reproducibility)
    positive: str | int | None = None  # the class a decision threshold picks out
    right: tuple[RightFix, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    variant_of: str | None = None  # the drill this one varies: same concept, unseen script
    variants: tuple[str, ...] = ()  # the ids of this drill's variants

    def misconception(self, misconception_id: str) -> Misconception | None:
        return next((m for m in self.misconceptions if m.id == misconception_id), None)

    @property
    def broken(self) -> Path:
        return self.folder / "broken.py"

    @property
    def solution(self) -> Path:
        return self.folder / "solution.py"

    @property
    def scripts(self) -> tuple[Path, ...]:
        """Every script the folder declares: broken, solution, then the right and wrong fixes."""
        corpus = (
            *(self.folder / r.file for r in self.right),
            *(self.folder / w.file for w in self.wrong),
        )
        return (self.broken, self.solution, *corpus)

    @property
    def filename(self) -> str:
        return f"{self.id.replace('-', '_')}.py"


# What a variant does not take from its drill: it has its own script, symptom and corpus.
NOT_INHERITED = ("id", "title", "symptom", "brief", "observed", "wrong", "right", "misconception")


def load_drills(root: Path, problems: list[str]) -> dict[str, Drill]:
    drills: dict[str, Drill] = {}
    for path in sorted((root / "drills").glob("*/drill.toml")):
        where = f"drills/{path.parent.name}/drill.toml"
        table = read_toml(path, problems)
        drill = _read_drill(table, path.parent, where, problems)
        variants = []
        for found in sorted((path.parent / "variants").glob("*/drill.toml")):
            variant_where = f"drills/{path.parent.name}/variants/{found.parent.name}/drill.toml"
            own = read_toml(found, problems)
            if "id" in own:
                problems.append(f"{variant_where}: a variant's id is its drill's and its folder's")
            merged = {k: v for k, v in table.items() if k not in NOT_INHERITED}
            merged |= own
            merged["id"] = f"{drill.id}-{found.parent.name}"
            # The drill's misconceptions, each reworded for the variant where it says so.
            named = {m.get("id"): m for m in table.get("misconception", [])}
            named |= {m.get("id"): m for m in own.get("misconception", [])}
            merged["misconception"] = list(named.values())
            variants.append(_read_drill(merged, found.parent, variant_where, problems, drill.id))
        drill = replace(drill, variants=tuple(v.id for v in variants))
        for each in (drill, *variants):
            if each.id in drills:
                problems.append(f"{where}: drill id '{each.id}' is used twice")
            drills[each.id] = each
    return drills


def _read_drill(
    table: dict[str, Any],
    folder: Path,
    where: str,
    problems: list[str],
    variant_of: str | None = None,
) -> Drill:
    r = Reader(table, where, problems)
    checks = []
    for i, spec in enumerate(table.get("check", [])):
        c = Reader(spec, f"{where} check #{i + 1}", problems)
        params = {k: v for k, v in spec.items() if k not in ("id", "kind", "title")}
        checks.append(CheckSpec(c.get("id", str), c.get("kind", str), c.get("title", str), params))
    wrong = []
    for i, spec in enumerate(table.get("wrong", [])):
        w = Reader(spec, f"{where} wrong #{i + 1}", problems)
        idea, caught = w.get("idea", str), w.strings("caught_by")
        named = spec.get("misconception")
        signs = w.strings("signs") if "signs" in spec else ()
        wrong.append(WrongFix(w.get("file", str), idea, caught, named, signs))
    right = []
    for i, spec in enumerate(table.get("right", [])):
        w = Reader(spec, f"{where} right #{i + 1}", problems)
        right.append(RightFix(w.get("file", str), w.get("idea", str)))
    misconceptions = []
    for i, spec in enumerate(table.get("misconception", [])):
        m = Reader(spec, f"{where} misconception #{i + 1}", problems)
        message = " ".join(m.get("message", str).split())
        misconceptions.append(Misconception(m.get("id", str), message))
    observed = []
    for i, spec in enumerate(table.get("observed", [])):
        o = Reader(spec, f"{where} observed #{i + 1}", problems)
        low, high = [*o.get("between", list, [0.0, 0.0]), 0.0, 0.0][:2]
        observed.append(Observed(o.get("variable", str), (float(low), float(high))))
    card = table.get("card")
    drill = Drill(
        id=r.get("id", str),
        title=r.get("title", str),
        order=r.get("order", int),
        dataset=r.get("dataset", str),
        concept=r.get("concept", str),
        card=card if isinstance(card, str) else None,
        symptom=r.get("symptom", str).strip(),
        brief=r.get("brief", str).strip(),
        hints=r.strings("hints"),
        explanation=r.get("explanation", str).strip(),
        citations=r.strings("citations"),
        checks=tuple(checks),
        wrong=tuple(wrong),
        observed=tuple(observed),
        folder=folder,
        requires=r.strings("requires"),
        timeout=r.get("timeout", float, 120.0),
        runs=r.get("runs", int, 1),
        positive=table.get("positive"),
        right=tuple(right),
        misconceptions=tuple(misconceptions),
        variant_of=variant_of,
    )
    _check_shape(drill, where, problems)
    return drill


def _check_shape(drill: Drill, where: str, problems: list[str]) -> None:
    if drill.variant_of is None and drill.id != drill.folder.name:
        problems.append(f"{where}: id '{drill.id}' differs from its folder name")
    for script in drill.scripts:
        if not script.is_file():
            problems.append(f"{where}: missing {script.name}")
    if len(drill.hints) < MIN_HINTS:
        problems.append(f"{where}: {len(drill.hints)} hints; a drill has at least {MIN_HINTS}")
    if not drill.checks:
        problems.append(f"{where}: no check declared")
    if not drill.wrong:
        problems.append(f"{where}: no wrong fix kept as a test case")
    ids = [c.id for c in drill.checks]
    if len(set(ids)) != len(ids):
        problems.append(f"{where}: check ids are not unique")
    for check in drill.checks:
        if check.kind not in CHECK_KINDS:
            problems.append(f"{where}: check '{check.id}' has unknown kind '{check.kind}'")
    named = [m.id for m in drill.misconceptions]
    if len(set(named)) != len(named):
        problems.append(f"{where}: misconception ids are not unique")
    for wrong in drill.wrong:
        for caught in wrong.caught_by:
            if caught not in ids:
                problems.append(f"{where}: {wrong.file} caught_by unknown check '{caught}'")
        if wrong.misconception is not None and wrong.misconception not in named:
            problems.append(
                f"{where}: {wrong.file} names unknown misconception '{wrong.misconception}'"
            )
    for misconception in () if drill.variant_of else drill.misconceptions:
        if not any(w.misconception == misconception.id for w in drill.wrong):
            problems.append(f"{where}: misconception '{misconception.id}' has no wrong fix")
    files = [w.file for w in drill.wrong] + [r.file for r in drill.right]
    if len(set(files)) != len(files):
        problems.append(f"{where}: a corpus file is declared twice")
    if drill.runs < 2 and any(c.kind == "reproducible" for c in drill.checks):
        problems.append(f"{where}: a 'reproducible' check needs runs = 2")
    if not drill.citations:
        problems.append(f"{where}: no citation")


def cross_check_drills(
    drills: dict[str, Drill],
    datasets: set[str],
    concepts: set[str],
    cards: set[str],
    problems: list[str],
) -> None:
    """Every drill names a dataset, a concept and (if any) a card that exist."""
    for drill in drills.values():
        where = f"drills/{drill.id}/drill.toml"
        if drill.dataset not in datasets:
            problems.append(f"{where}: unknown dataset '{drill.dataset}'")
        if drill.concept not in concepts:
            problems.append(f"{where}: unknown concept '{drill.concept}'")
        if drill.card is not None and drill.card not in cards:
            problems.append(f"{where}: unknown card '{drill.card}'")
