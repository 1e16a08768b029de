"""The rebuild part of the catalogue: algorithms the learner rewrites, checked against scikit-learn.

`content/rebuild/catalog.toml` lists the exercises; each names a skeleton in `skeletons/` (what
the learner gets: the class with `TODO`s), a reference solution in `solutions/` (built on
`invert.scratch`), a file in `cheats/` that delegates to scikit-learn (which must be refused),
and its stages, each one kind of comparison (invert/kinds/rebuild/judge.py) with its parameters. The
hidden datasets are named here and made in invert/kinds/rebuild/reference.py, never in a skeleton.
That every skeleton fails, every solution passes and every cheat is refused is proved by
`invert dev check`, since it runs them.

Each exercise also has a corpus in `corpus/<id>/`: learner files that must pass every stage
(`[[exercise.right]]`: correct, written differently from the reference) and files that must fail
(`[[exercise.wrong]]`: a plausible mistake, the stages it `fails` and the `misconception` it
shows). A learner's failing stage is matched by behaviour to a wrong file's misconception, whose
message the verdict shows (invert/kinds/rebuild/matcher.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invert.catalog.toml import Reader, read_toml

# The kinds of stage a rebuild may declare; each is a function in invert/kinds/rebuild/judge.py and
# one in invert/kinds/rebuild/reference.py.
STAGE_KINDS = (
    "classifier",
    "regressor",
    "clusters",
    "components",
    "impurity",
    "split",
    "gradients",
    "sgd_step",
)
MIN_HINTS = 3
HIDDEN_DATASETS = (
    "classes-2",
    "classes-3",
    "blobs-4",
    "blobs-separated",
    "wine",
    "wine-raw",
    "breast-cancer",
    "diabetes",
    "regression",
    "grid-3",
    "edge-high",
)


@dataclass(frozen=True)
class Stage:
    """One step of an exercise, checked and credited on its own."""

    id: str
    title: str
    kind: str
    tolerance: str  # how close counts as the same, in words, with the reason
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def checked(self) -> str:
        """What the stage checks, in words: its `checks` line, then its hidden cases with the
        parameters they are run with."""
        parts = [self.params["checks"]] if "checks" in self.params else []
        for case in self.params.get("cases", []):
            given = ", ".join(f"{k}={v}" for k, v in case.get("params", {}).items())
            if case.get("answers") == "stated-rule":
                given += ", ties by the skeleton's rules"
            parts.append(f"{case.get('dataset')}" + (f" ({given})" if given else ""))
        return "; ".join(parts)


@dataclass(frozen=True)
class RightFile:
    """A correct learner file written differently from the reference: must pass every stage."""

    file: str
    idea: str


@dataclass(frozen=True)
class WrongFile:
    """A plausible wrong learner file: must fail exactly `fails` and show its misconception.

    `unseen` files are left out of the matcher's pool, so that the message they get proves the
    match is made by behaviour (the same mistake written another way), not by the file itself.
    """

    file: str
    idea: str
    fails: tuple[str, ...]
    misconception: str
    unseen: bool = False


@dataclass(frozen=True)
class Misconception:
    """A known mistake and what the learner reads when their file behaves like it."""

    id: str
    message: str


@dataclass(frozen=True)
class Exercise:
    """An algorithm the learner rewrites from a skeleton."""

    id: str
    title: str
    order: int
    card: str
    summary: str
    hints: tuple[str, ...]
    explanation: str
    citations: tuple[str, ...]
    reference: tuple[str, ...]  # "module:name" in invert.scratch, shown after a pass
    stages: tuple[Stage, ...]
    folder: Path
    timeout: float = 60.0
    right: tuple[RightFile, ...] = ()
    wrong: tuple[WrongFile, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()

    @property
    def skeleton(self) -> Path:
        return self.folder / "skeletons" / self.filename

    @property
    def solution(self) -> Path:
        return self.folder / "solutions" / self.filename

    @property
    def cheat(self) -> Path:
        return self.folder / "cheats" / self.filename

    @property
    def filename(self) -> str:
        return f"{self.id.replace('-', '_')}.py"

    @property
    def corpus(self) -> Path:
        return self.folder / "corpus" / self.id

    def message(self, misconception: str) -> str:
        return next(m.message for m in self.misconceptions if m.id == misconception)

    @property
    def pool(self) -> tuple[WrongFile, ...]:
        """The wrong files a learner's failing stage is compared with."""
        return tuple(w for w in self.wrong if not w.unseen)


def load_rebuilds(root: Path, problems: list[str]) -> dict[str, Exercise]:
    folder = root / "rebuild"
    where = "rebuild/catalog.toml"
    exercises: dict[str, Exercise] = {}
    for i, table in enumerate(read_toml(folder / "catalog.toml", problems).get("exercise", [])):
        r = Reader(table, f"{where} exercise #{i + 1}", problems)
        stages = []
        for j, spec in enumerate(table.get("stage", [])):
            s = Reader(spec, f"{where} exercise #{i + 1} stage #{j + 1}", problems)
            params = {
                k: v for k, v in spec.items() if k not in ("id", "title", "kind", "tolerance")
            }
            stages.append(
                Stage(
                    s.get("id", str),
                    s.get("title", str),
                    s.get("kind", str),
                    " ".join(s.get("tolerance", str).split()),
                    params,
                )
            )
        exercise = Exercise(
            id=r.get("id", str),
            title=r.get("title", str),
            order=r.get("order", int),
            card=r.get("card", str),
            summary=" ".join(r.get("summary", str).split()),
            hints=r.strings("hints"),
            explanation=r.get("explanation", str).strip(),
            citations=r.strings("citations"),
            reference=r.strings("reference"),
            stages=tuple(stages),
            folder=folder,
            timeout=r.get("timeout", float, 60.0),
            **_corpus(table, f"{where} exercise #{i + 1}", problems),
        )
        _check_shape(exercise, f"{where} [{exercise.id}]", problems)
        if exercise.id in exercises:
            problems.append(f"{where}: exercise id '{exercise.id}' is used twice")
        exercises[exercise.id] = exercise
    return exercises


def _corpus(table: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    right, wrong, misconceptions = [], [], []
    for k, spec in enumerate(table.get("right", [])):
        r = Reader(spec, f"{where} right #{k + 1}", problems)
        right.append(RightFile(r.get("file", str), " ".join(r.get("idea", str).split())))
    for k, spec in enumerate(table.get("wrong", [])):
        r = Reader(spec, f"{where} wrong #{k + 1}", problems)
        wrong.append(
            WrongFile(
                r.get("file", str),
                " ".join(r.get("idea", str).split()),
                r.strings("fails"),
                r.get("misconception", str),
                r.get("unseen", bool, False),
            )
        )
    for k, spec in enumerate(table.get("misconception", [])):
        r = Reader(spec, f"{where} misconception #{k + 1}", problems)
        misconceptions.append(
            Misconception(r.get("id", str), " ".join(r.get("message", str).split()))
        )
    return {"right": tuple(right), "wrong": tuple(wrong), "misconceptions": tuple(misconceptions)}


def _check_corpus(exercise: Exercise, where: str, problems: list[str]) -> None:
    stages = {s.id for s in exercise.stages}
    known = {m.id for m in exercise.misconceptions}
    if len(known) != len(exercise.misconceptions):
        problems.append(f"{where}: misconception ids are not unique")
    files = [f.file for f in exercise.right] + [f.file for f in exercise.wrong]
    if len(set(files)) != len(files):
        problems.append(f"{where}: a corpus file is declared twice")
    for name in files:
        if not (exercise.corpus / name).is_file():
            problems.append(f"{where}: missing corpus/{exercise.id}/{name}")
    for wrong in exercise.wrong:
        if not wrong.fails or not set(wrong.fails) <= stages:
            problems.append(f"{where}: {wrong.file} fails {list(wrong.fails)}, not stage ids")
        if wrong.misconception not in known:
            problems.append(f"{where}: {wrong.file} names unknown misconception")
    for misconception in exercise.misconceptions:
        if not any(w.misconception == misconception.id for w in exercise.pool):
            problems.append(f"{where}: no wrong file in the pool shows '{misconception.id}'")


def _check_shape(exercise: Exercise, where: str, problems: list[str]) -> None:
    _check_corpus(exercise, where, problems)
    for script in (exercise.skeleton, exercise.solution, exercise.cheat):
        if not script.is_file():
            problems.append(f"{where}: missing {script.relative_to(exercise.folder)}")
    if len(exercise.hints) < MIN_HINTS:
        problems.append(f"{where}: {len(exercise.hints)} hints; at least {MIN_HINTS}")
    if not exercise.stages:
        problems.append(f"{where}: no stage declared")
    ids = [s.id for s in exercise.stages]
    if len(set(ids)) != len(ids):
        problems.append(f"{where}: stage ids are not unique")
    for stage in exercise.stages:
        if stage.kind not in STAGE_KINDS:
            problems.append(f"{where}: stage '{stage.id}' has unknown kind '{stage.kind}'")
        if not stage.tolerance:
            problems.append(f"{where}: stage '{stage.id}' states no tolerance")
        for case in stage.params.get("cases", []):
            if case.get("dataset") not in HIDDEN_DATASETS:
                problems.append(
                    f"{where}: stage '{stage.id}' names unknown dataset {case.get('dataset')!r}"
                )
    if not exercise.citations:
        problems.append(f"{where}: no citation")
    if not exercise.reference:
        problems.append(f"{where}: no reference implementation named")


def cross_check_rebuilds(
    exercises: dict[str, Exercise], drills: set[str], cards: set[str], problems: list[str]
) -> None:
    """Every exercise names a card that exists, and no id is also a drill's (`invert check ID`
    must know which one is meant)."""
    for exercise in exercises.values():
        where = f"rebuild/catalog.toml [{exercise.id}]"
        if exercise.card not in cards:
            problems.append(f"{where}: unknown card '{exercise.card}'")
        if exercise.id in drills:
            problems.append(f"{where}: the id is also a drill's; `invert check` would be ambiguous")
        skeleton = exercise.skeleton
        source = skeleton.read_text(encoding="utf-8") if skeleton.is_file() else ""
        if source and f"invert learn {exercise.card}" not in source:
            problems.append(f"{where}: the skeleton does not name `invert learn {exercise.card}`")
        if source and "TODO" not in source:
            problems.append(f"{where}: the skeleton has no TODO")
