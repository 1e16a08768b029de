"""Starters: the plain scripts a learner owns first, and their manifests.

Each starter is `content/starters/<id>.py` (the script, which never imports invert) and
`<id>.toml` (its dataset, task, model, what goes in and comes out, the score it must reach and
the one edit its next step names). `load_starters` reads them, collecting every problem; the
catalogue's loader calls it first, since experiments and every other kind name starters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from invert.catalog.dataset import TASKS, Dataset
from invert.catalog.toml import Reader, read_toml


@dataclass(frozen=True)
class ScoreSpec:
    """Which module-level variable of a starter holds its score, and the range it must land in."""

    name: str
    variable: str
    expect: tuple[float, float]


@dataclass(frozen=True)
class TourStop:
    """A stop of a starter's debugger tour: a fragment of its line, what to see, what to type."""

    at: str
    look: str
    tries: tuple[str, ...]


@dataclass(frozen=True)
class SuggestedEdit:
    """The first change a starter's next_step suggests, as a literal replacement in its script."""

    old: str  # the manifest's `from`: found exactly once in the original script
    new: str  # the manifest's `to`

    def apply(self, source: str) -> str:
        return source.replace(self.old, self.new, 1)

    def is_in(self, source: str) -> bool:
        """Whether `source` has the change made (spaces and line breaks aside): `to` is there
        and, unless `to` contains it, `from` is gone (an edit that removes text)."""
        old, new, text = _squeezed(self.old), _squeezed(self.new), _squeezed(source)
        return new in text and (old in new or old not in text)


def _squeezed(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True)
class Starter:
    """A plain Python script that trains a real model on real data, and what it teaches."""

    id: str
    title: str
    order: int
    dataset: str
    task: str
    model: str
    summary: str
    goes_in: str
    comes_out: str
    next_step: str
    score: ScoreSpec
    script: Path
    truth_variable: str
    predicted_variable: str
    concepts: tuple[str, ...] = ()
    experiments: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    tour: tuple[TourStop, ...] = ()
    edit: SuggestedEdit | None = None  # the change next_step suggests, machine-readable

    @property
    def filename(self) -> str:
        return self.script.name


def _load_starter(manifest: Path, problems: list[str]) -> Starter:
    where = f"starters/{manifest.name}"
    r = Reader(read_toml(manifest, problems), where, problems)
    score = Reader(r.get("score", dict), f"{where} [score]", problems)
    outputs = Reader(r.get("outputs", dict), f"{where} [outputs]", problems)
    expect = score.get("expect", list)
    if len(expect) != 2 or not all(isinstance(v, int | float) for v in expect):
        problems.append(f"{where} [score]: 'expect' should be [low, high]")
        expect = [float("-inf"), float("inf")]
    starter_id = r.get("id", str)
    if starter_id != manifest.stem:
        problems.append(f"{where}: id '{starter_id}' should match the file name '{manifest.stem}'")
    return Starter(
        id=starter_id,
        title=r.get("title", str),
        order=r.get("order", int),
        dataset=r.get("dataset", str),
        task=r.get("task", str),
        model=r.get("model", str),
        summary=r.get("summary", str),
        goes_in=r.get("goes_in", str),
        comes_out=r.get("comes_out", str),
        next_step=r.get("next_step", str),
        score=ScoreSpec(
            name=score.get("name", str),
            variable=score.get("variable", str),
            expect=(float(expect[0]), float(expect[1])),
        ),
        script=manifest.with_suffix(".py"),
        truth_variable=outputs.get("truth", str),
        predicted_variable=outputs.get("predicted", str),
        concepts=r.strings("concepts"),
        experiments=r.strings("experiments"),
        requires=r.strings("requires"),
        tour=tuple(_tour_stop(t, f"{where} [[tour]]", problems) for t in r.get("tour", list, [])),
        edit=_suggested_edit(r.get("edit", dict), f"{where} [edit]", manifest, problems),
    )


def _suggested_edit(
    table: dict[str, Any], where: str, manifest: Path, problems: list[str]
) -> SuggestedEdit:
    """The [edit] table: `from` once in the script, `to` not in it yet (else it is not a change)."""
    r = Reader(table, where, problems)
    edit = SuggestedEdit(old=r.get("from", str), new=r.get("to", str))
    script = manifest.with_suffix(".py")
    if edit.old and edit.new and script.is_file():
        source = script.read_text(encoding="utf-8")
        if source.count(edit.old) != 1:
            found = source.count(edit.old)
            problems.append(f"{where}: 'from' should be in the script once, not {found} times")
        elif edit.is_in(source):
            problems.append(f"{where}: the script already has 'to'; the edit changes nothing")
    return edit


def _tour_stop(table: Any, where: str, problems: list[str]) -> TourStop:
    r = Reader(table if isinstance(table, dict) else {}, where, problems)
    return TourStop(at=r.get("at", str), look=r.get("look", str), tries=r.strings("try"))


def load_starters(
    root: Path, datasets: dict[str, Dataset], problems: list[str]
) -> dict[str, Starter]:
    starters: dict[str, Starter] = {}
    folder = root / "starters"
    for manifest in sorted(folder.glob("*.toml")):
        starter = _load_starter(manifest, problems)
        where = f"starters/{manifest.name}"
        if starter.id in starters:
            problems.append(f"{where}: starter id '{starter.id}' is used twice")
        if not starter.script.is_file():
            problems.append(f"{where}: script starters/{starter.script.name} does not exist")
        if starter.dataset not in datasets:
            problems.append(f"{where}: unknown dataset '{starter.dataset}'")
        if starter.task not in TASKS:
            problems.append(f"{where}: task '{starter.task}' is not one of {', '.join(TASKS)}")
        low, high = starter.score.expect
        if not low <= high:
            problems.append(f"{where} [score]: expect range is empty")
        starters[starter.id] = starter
    for script in sorted(folder.glob("*.py")):
        if not script.with_suffix(".toml").is_file():
            problems.append(f"starters/{script.name}: stray script with no manifest")
    orders = [s.order for s in starters.values()]
    if len(set(orders)) != len(orders):
        problems.append("starters: two starters share an 'order'")
    return starters
