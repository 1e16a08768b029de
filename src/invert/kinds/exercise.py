"""What every checkable exercise shares (a drill, a rebuild, any later kind), written once.

An exercise is a file the learner copies into their lab, edits and checks: `Exercises` is the
part that copies it, resets it (keeping the learner's version), runs the kind's judge and
records the verdict, gives hints one at a time, opens the solution once a check has passed,
and reads the learner's standing back from the journal. A kind declares only what differs
(`Drills` in kinds/drills/ops.py, `Rebuilds` in kinds/rebuild/ops.py) and sets
``exercise=True`` on its registry line; `find_exercise` then finds its ids for
`invert check|hint|solution|watch`.

Every exercise kind keeps the same record, under its event prefix P: P_started, P_reset,
P_checked (the verdict's `state`, the hints used when it ran, the kind's own fields), P_hint
and P_solution_shown. The exercise is done from its first passing check on; before that the
last check says whether it still fails, and no check means not attempted.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from invert.errors import LearnerError, UnknownError
from invert.kinds.backups import keep_backup, sha256
from invert.kinds.part import Part
from invert.store import Event

if TYPE_CHECKING:
    from collections.abc import Callable

    from invert.kinds.part import LabCore
    from invert.store import Store

NOT_ATTEMPTED = "not attempted"


class Item(Protocol):
    """What the core reads of a catalogue item: an exercise of any kind."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def hints(self) -> tuple[str, ...]: ...

    @property
    def filename(self) -> str: ...


@dataclass
class Outcome:
    """One check or stage of a verdict: whether it passed, and what was observed."""

    id: str
    title: str
    passed: bool
    observed: str


@dataclass(kw_only=True)
class Verdict:
    """What a kind's judge found: the state and the learner's script's run; a kind's own
    verdict adds the item's id and its outcomes (checks, stages)."""

    state: str  # "not attempted", or the kind's failing or passing word
    output: str
    wall_seconds: float
    problem: str | None = None  # the script itself failed: why, in one line
    error: dict[str, Any] | None = None
    output_truncated: bool = False

    @property
    def outcomes(self) -> list[Outcome]:
        raise NotImplementedError

    @property
    def still_observed(self) -> list[str]:
        """What is still wrong, in the learner's terms: the problem, then each failing check
        or stage."""
        lines = [self.problem] if self.problem else []
        return lines + [f"{o.title}: {o.observed}" for o in self.outcomes if not o.passed]

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError


ItemT = TypeVar("ItemT", bound=Item)
VerdictT = TypeVar("VerdictT", bound=Verdict)
SolutionT = TypeVar("SolutionT")


@dataclass(frozen=True)
class Attempt:
    state: str  # `passed`, `failing` (as the exercise words them) or "not attempted"
    checks: list[Event]
    hints_used: int
    first_pass: Event | None

    @property
    def passed_at(self) -> str | None:
        return self.first_pass.at if self.first_pass else None

    @property
    def hints_when_passed(self) -> int | None:
        return int(self.first_pass.payload["hints_used"]) if self.first_pass else None


def attempt(events: list[Event], checked: str, hinted: str, passed: str, failing: str) -> Attempt:
    """The standing from one exercise's events (in time order), e.g. `passed="fixed"`."""
    checks = [e for e in events if e.kind == checked]
    hints = {e.payload["number"] for e in events if e.kind == hinted}
    first_pass = next((e for e in checks if e.payload["state"] == passed), None)
    if first_pass is not None:
        state = passed
    elif checks and checks[-1].payload["state"] == failing:
        state = failing
    else:
        state = NOT_ATTEMPTED
    return Attempt(state, checks, len(hints), first_pass)


def latest_event(store: Store, kinds: tuple[str, ...]) -> Event | None:
    """The latest of these kinds of event: the exercise `invert check` means without an id."""
    latest = None
    for kind in kinds:
        events = store.events(kind=kind)
        if events and (latest is None or events[-1].at > latest.at):
            latest = events[-1]
    return latest


@dataclass(frozen=True)
class ExerciseStatus(Generic[ItemT]):
    """An exercise as the learner stands with it; a kind's own status adds its fields."""

    item: ItemT
    state: str  # "not attempted", or the kind's failing or passing word
    copied: bool
    checks: int  # how many times `invert check` ran it
    hints_used: int
    passed_at: str | None
    hints_when_passed: int | None  # hints used before the first pass
    last_worked_at: str | None = None  # the latest start, check or hint

    @property
    def id(self) -> str:
        return self.item.id

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.item.id,
            "title": self.item.title,
            "state": self.state,
            "copied": self.copied,
            "checks": self.checks,
            "hints_used": self.hints_used,
            "hints": len(self.item.hints),
            "passed_at": self.passed_at,
            "hints_when_passed": self.hints_when_passed,
        }


@dataclass(frozen=True)
class Hint(Generic[ItemT]):
    item: ItemT
    number: int  # 1-based
    text: str
    new: bool  # False when every hint had been shown already

    @property
    def total(self) -> int:
        return len(self.item.hints)


class Exercises(Part, Generic[ItemT, VerdictT, SolutionT]):
    """The part of an exercise kind: copy, reset, check, hints, the solution, the standing.

    A subclass declares the class attributes and the methods that raise NotImplementedError.
    """

    kind_name: ClassVar[str]  # its name in the registry, and the command listing its items
    prefix: ClassVar[str]  # of its events: "drill" makes drill_started, drill_checked, ...
    noun: ClassVar[str]  # one item, as messages name it: "drill", "rebuild"
    folder: ClassVar[str]  # the lab's folder holding the learner's copies
    passed: ClassVar[str]  # the verdict's state words: "fixed" / "still broken"
    failing: ClassVar[str]
    no_copy: ClassVar[str]  # the refusal to check without a copy; {id} is the item's id
    locked: ClassVar[str]  # the refusal to show the solution before a pass; {id} likewise
    status_type: ClassVar[type[ExerciseStatus[Any]]] = ExerciseStatus

    # --- what a kind declares -------------------------------------------------------------------

    def items(self) -> list[ItemT]:
        """The catalogue's items of this kind, in the order a learner meets them."""
        raise NotImplementedError

    def item(self, item_id: str) -> ItemT:
        """The catalogue's item `item_id` (an UnknownError naming the near misses if none)."""
        raise NotImplementedError

    def original(self, item: ItemT) -> Path:
        """The file a start copies and a reset restores."""
        raise NotImplementedError

    def judge(
        self,
        item: ItemT,
        script: Path,
        *,
        unchanged: bool,
        timeout: float | None,
        on_output: Callable[[str], None] | None,
    ) -> VerdictT:
        """The kind's verdict on the learner's `script`."""
        raise NotImplementedError

    def judged(self, verdict: VerdictT) -> dict[str, Any]:
        """The kind's own fields of its check event, after `state`."""
        return {}

    def reveal(self, item: ItemT) -> SolutionT:
        """What the solution shows, once unlocked."""
        raise NotImplementedError

    def require(self, item: ItemT) -> None:
        """Refuse a start or a check that the item's optional modules are missing for."""

    def prepare(self, item: ItemT) -> None:
        """What a start writes besides the copy (a drill's readable data)."""

    def status_fields(self, item: ItemT, found: Attempt) -> dict[str, Any]:
        """The kind's own fields of its status."""
        return {}

    # --- the shared operations ------------------------------------------------------------------

    def event(self, what: str) -> str:
        """The name of this kind's event `what`: "checked" -> "drill_checked"."""
        return f"{self.prefix}_{what}"

    @property
    def worked(self) -> tuple[str, ...]:
        """The events that make an item the one the learner touched last."""
        return tuple(self.event(e) for e in ("started", "reset", "checked", "hint"))

    def path(self, item: ItemT) -> Path:
        """The learner's copy of `item` in the lab."""
        return self.root / self.folder / item.filename

    def statuses(self) -> list[Any]:
        """Every item in catalogue order, with the learner's status."""
        by_id: dict[str, list[Event]] = {}
        for event in self.store.events((*self.worked, self.event("solution_shown"))):
            by_id.setdefault(event.subject or "", []).append(event)
        return [
            self._status(item, sorted(by_id.get(item.id, []), key=lambda e: e.at))
            for item in self.items()
        ]

    def status(self, item_id: str) -> Any:
        item = self.item(item_id)
        return next(s for s in self.statuses() if s.item.id == item.id)

    def _status(self, item: ItemT, events: list[Event]) -> ExerciseStatus[ItemT]:
        found = self._attempt(events)
        work = (self.event("started"), self.event("checked"), self.event("hint"))
        return self.status_type(
            item=item,
            state=found.state,
            copied=self.path(item).is_file(),
            checks=len(found.checks),
            hints_used=found.hints_used,
            passed_at=found.passed_at,
            hints_when_passed=found.hints_when_passed,
            last_worked_at=max((e.at for e in events if e.kind in work), default=None),
            **self.status_fields(item, found),
        )

    def _attempt(self, events: list[Event]) -> Attempt:
        return attempt(events, self.event("checked"), self.event("hint"), self.passed, self.failing)

    def last_event(self) -> Event | None:
        """The latest event about an item of this kind still in the catalogue."""
        latest = latest_event(self.store, self.worked)
        if latest is None or latest.subject not in {item.id for item in self.items()}:
            return None
        return latest

    def resolve(self, item_id: str | None) -> ItemT:
        """The item named, or without a name the one the learner touched last."""
        if item_id is not None:
            return self.item(item_id)
        latest = self.last_event()
        if latest is None or latest.subject is None:
            raise LearnerError(f"no {self.noun} started yet: `invert {self.kind_name}` lists them")
        return self.item(latest.subject)

    def start(self, item_id: str) -> tuple[ItemT, Path]:
        """Copy the original into the lab's folder unless the learner has a copy already."""
        item = self.item(item_id)
        self.require(item)
        self.prepare(item)
        target = self.path(item)
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(self.original(item), target)
        self.store.append(
            Event(self.event("started"), subject=item.id, payload={"path": self.rel(target)})
        )
        return item, target

    def reset(self, item_id: str) -> tuple[Path, Path | None]:
        """Restore the original; the learner's version is kept as a backup."""
        item = self.item(item_id)
        target = self.path(item)
        backup = None
        if target.exists() and sha256(target) != sha256(self.original(item)):
            backup = keep_backup(self.root, target, f"{self.prefix}-{item.id}")
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(self.original(item), target)
        payload = {"backup": self.rel(backup) if backup else None}
        self.store.append(Event(self.event("reset"), subject=item.id, payload=payload))
        return target, backup

    def check(
        self,
        item_id: str | None = None,
        on_output: Callable[[str], None] | None = None,
        timeout: float | None = None,
    ) -> VerdictT:
        """Run the kind's judge on the learner's copy and record the verdict."""
        self.store.must_write()  # before the run, not after it
        item = self.resolve(item_id)
        self.require(item)
        script = self.path(item)
        if not script.is_file():
            raise LearnerError(self.no_copy.format(id=item.id))
        sha = sha256(script)
        verdict = self.judge(
            item,
            script,
            unchanged=sha == sha256(self.original(item)),
            timeout=timeout,
            on_output=on_output,
        )
        payload = {
            "state": verdict.state,
            **self.judged(verdict),
            "problem": verdict.problem,
            "hints_used": len(self._shown(item)),
            "script_sha256": sha,
            "wall_seconds": round(verdict.wall_seconds, 3),
        }
        self.store.append(Event(self.event("checked"), subject=item.id, payload=payload))
        return verdict

    def _shown(self, item: ItemT) -> set[int]:
        return {e.payload["number"] for e in self.store.events(self.event("hint"), item.id)}

    def hints_shown(self, item_id: str) -> list[Hint[ItemT]]:
        """The hints the learner has asked for so far, in order."""
        item = self.item(item_id)
        return [
            Hint(item, n, item.hints[n - 1], new=False)
            for n in sorted(self._shown(item))
            if n <= len(item.hints)
        ]

    def next_hint(self, item_id: str | None = None) -> Hint[ItemT]:
        """The next hint not yet shown (recorded), or the last one again once all are used."""
        item = self.resolve(item_id)
        shown = self._shown(item)
        number = next((n for n in range(1, len(item.hints) + 1) if n not in shown), None)
        if number is None:
            return Hint(item, len(item.hints), item.hints[-1], new=False)
        self.store.append(Event(self.event("hint"), subject=item.id, payload={"number": number}))
        return Hint(item, number, item.hints[number - 1], new=True)

    def solution(self, item_id: str) -> SolutionT:
        """What the kind shows as its solution; only once the learner's copy has passed."""
        item = self.item(item_id)
        if self._attempt(self.store.events(self.event("checked"), item.id)).state != self.passed:
            raise LearnerError(self.locked.format(id=item.id))
        shown = self.reveal(item)
        self.store.append(Event(self.event("solution_shown"), subject=item.id))
        return shown

    def next_after(self, item_id: str) -> ItemT | None:
        """The first item after `item_id` (wrapping round) not passed yet."""
        statuses = self.statuses()
        ids = [s.item.id for s in statuses]
        later = statuses[ids.index(item_id) + 1 :] + statuses[: ids.index(item_id)]
        return next((s.item for s in later if s.state != self.passed), None)


def exercise_parts(lab: LabCore) -> list[Exercises[Any, Any, Any]]:
    """The parts of every exercise kind in the registry, in its order."""
    from invert.kinds import kinds

    return [lab.part(kind.name) for kind in kinds() if kind.exercise]


def find_exercise(lab: LabCore, item_id: str | None) -> tuple[Exercises[Any, Any, Any], Any]:
    """(part, item) for `invert check|hint|solution|watch [ID]`: the item named, searched in
    every exercise kind (their ids never collide: the catalogue's loader refuses it), or
    without an id the one touched last across them all."""
    parts = exercise_parts(lab)
    if item_id is not None:
        for part in parts:
            if item_id in {item.id for item in part.items()}:
                return part, part.item(item_id)
        raise UnknownError(_unknown(parts, item_id))
    touched = [(part, part.last_event()) for part in parts]
    latest = [(event.at, -i, part) for i, (part, event) in enumerate(touched) if event]
    if not latest:
        return parts[0], parts[0].resolve(None)  # its message: nothing started yet
    part = max(latest, key=lambda found: found[:2])[2]
    return part, part.resolve(None)


def _unknown(parts: list[Exercises[Any, Any, Any]], item_id: str) -> str:
    import difflib

    ids = [item.id for part in parts for item in part.items()]
    close = difflib.get_close_matches(item_id, ids, n=3, cutoff=0.5)
    nouns = _listed([part.noun for part in parts], "or")
    listings = _listed([f"`invert {part.kind_name}`" for part in parts], "and")
    hint = f"did you mean {' or '.join(close)}?" if close else f"{listings} list them"
    return f"unknown {nouns} '{item_id}'; {hint}"


def _listed(words: list[str], last: str) -> str:
    """ "a", "a or b", "a, b or c"."""
    return f" {last} ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
