"""What the learner has done, read from the journal once: what every progress figure stands on.

`invert progress`, `invert next` and the web dashboard are all judged from one `Evidence`, so the
three can never disagree. Nothing here is stored: it is worked out from the event log each time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from invert import clock

if TYPE_CHECKING:
    from invert.catalog.models import Catalog
    from invert.kinds.drills.ops import DrillStatus
    from invert.kinds.part import LabCore
    from invert.kinds.rebuild.ops import RebuildStatus
    from invert.kinds.theory.ops import ToolkitEntry
    from invert.progress.kinds import KindCount
    from invert.progress.review_plan import ReviewPlan
    from invert.store import Event
    from invert.store.sqlite import ExplanationRow, PredictionRow, QuestionRow

RECENT_PER_CONCEPT = 5  # a concept's power is judged on its last few predictions
PROJECT_STEPS = 7


@dataclass(frozen=True)
class ConceptRecord:
    """How the learner's recent predictions on one concept went (newest last)."""

    concept: str
    hits: list[bool]
    last_at: str

    @property
    def hit_rate(self) -> float:
        return sum(self.hits) / len(self.hits)


@dataclass(frozen=True)
class OwnProject:
    """A project on the learner's own data (not a dataset bundled with invert)."""

    name: str
    data: str
    created_at: str
    steps_run: frozenset[int]
    finished_at: str | None  # when the last of its seven steps first ran
    # The faults the audit left open when step 7 last ran (None: step 7 has not run since the
    # audit was recorded with each step, so it is not known).
    open_findings: tuple[str, ...] | None = None

    @property
    def done(self) -> bool:
        return self.finished_at is not None

    @property
    def trusted(self) -> bool:
        """Run end to end, and its last result presented under an audit with nothing open."""
        return self.done and self.open_findings == ()


@dataclass(frozen=True)
class Evidence:
    """Everything the progress figures, the checklist and the next step are judged from."""

    catalog: Catalog
    events: list[Event]  # the whole log, oldest first
    questions: list[QuestionRow]
    predictions: list[PredictionRow]
    explanations: dict[str, ExplanationRow]
    drills: list[DrillStatus]
    rebuilds: list[RebuildStatus]
    due: list[ToolkitEntry]
    rules_known: int
    now: datetime
    kinds: tuple[KindCount, ...] = ()  # every registered kind's items, counted by state

    @classmethod
    def read(cls, lab: LabCore) -> Evidence:
        """Read from the lab's catalogue, journal and parts (never the whole `Lab`)."""
        from invert.progress.kinds import count_kinds

        now = clock.now()
        toolkit = lab.part("theory").toolkit(now)
        return cls(
            catalog=lab.catalog,
            events=lab.store.events(),
            questions=lab.store.questions(),
            predictions=lab.store.predictions(),
            explanations=lab.store.explanations(),
            drills=lab.part("drills").statuses(),
            rebuilds=lab.part("rebuild").statuses(),
            due=[entry for entry in toolkit if entry.due_now],
            rules_known=len(toolkit),
            now=now,
            kinds=count_kinds(lab),
        )

    # --- the log by kind and by day -----------------------------------------------------------

    @cached_property
    def by_kind(self) -> dict[str, list[Event]]:
        kinds: dict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            kinds[event.kind].append(event)
        return kinds

    def subjects(self, *kinds: str) -> set[str]:
        return {e.subject for kind in kinds for e in self.by_kind.get(kind, []) if e.subject}

    @cached_property
    def today(self) -> date:
        return self.now.astimezone().date()

    @cached_property
    def calendar(self) -> dict[str, int]:
        """Local date -> how many things were done that day (creating the lab does not count)."""
        days: dict[str, int] = defaultdict(int)
        for event in self.events:
            if event.kind != "lab_created":
                days[clock.local_date(event.at)] += 1
        return dict(sorted(days.items()))

    @property
    def days(self) -> list[str]:
        return list(self.calendar)

    def days_since(self, at: str) -> int:
        return (self.today - date.fromisoformat(clock.local_date(at))).days

    def streaks(self) -> tuple[int, int]:
        """The current streak of active days (alive until a day is missed) and the longest.

        Today not yet active does not break the streak: it counts up to yesterday.
        """
        active = {date.fromisoformat(day) for day in self.calendar}
        longest = run = 0
        previous: date | None = None
        for day in sorted(active):
            run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
            longest = max(longest, run)
            previous = day
        current = 0
        day = self.today if self.today in active else self.today - timedelta(days=1)
        while day in active:
            current += 1
            day -= timedelta(days=1)
        return current, longest

    # --- predictions -------------------------------------------------------------------------

    @cached_property
    def scored(self) -> list[PredictionRow]:
        """The predictions that count, in the order they were scored: scored and made blind.

        Practice (a result it overlaps had been shown: invert.kinds.experiments.blindness) and
        predictions of
        unknown blindness (made before invert recorded it) are left out of every figure.
        """
        from invert.kinds.experiments.predictions import scored_in_order

        return scored_in_order([row for row in self.predictions if row.counted])

    @cached_property
    def practice(self) -> list[PredictionRow]:
        """Scored predictions made after an overlapping result had been shown (not counted)."""
        from invert.kinds.experiments.predictions import scored_in_order

        return scored_in_order([row for row in self.predictions if row.blind == 0])

    @cached_property
    def unknown_blindness(self) -> list[PredictionRow]:
        """Scored predictions from before invert recorded blindness (not counted)."""
        from invert.kinds.experiments.predictions import scored_in_order

        return scored_in_order([row for row in self.predictions if row.blind is None])

    def concepts_of(self, experiment: str) -> tuple[str, ...]:
        known = self.catalog.experiments.get(experiment)
        return known.concepts if known else ()

    @cached_property
    def concept_records(self) -> dict[str, ConceptRecord]:
        """Per concept, the hits of its last few scored predictions."""
        hits: dict[str, list[bool]] = defaultdict(list)
        last: dict[str, str] = {}
        for row in self.scored:
            for concept in self.concepts_of(row.experiment):
                hits[concept].append(bool(row.hit))
                last[concept] = row.scored_at or row.at
        return {
            concept: ConceptRecord(concept, values[-RECENT_PER_CONCEPT:], last[concept])
            for concept, values in hits.items()
        }

    @property
    def tried(self) -> set[str]:
        """Experiments with at least one prediction or run of their own (not a probe's)."""
        mine = {row.experiment for row in self.predictions if row.probe is None}
        return mine | self.experiments_run

    @property
    def experiments_run(self) -> set[str]:
        """Experiments run as themselves: a transfer probe's run (the experiment's knob on
        another problem) does not count as trying its experiment."""
        runs = self.by_kind.get("experiment_run", [])
        return {e.subject for e in runs if e.subject and not e.payload.get("probe")}

    def experiment_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.predictions:
            counts[row.experiment] += 1
        return counts

    @cached_property
    def review_plan(self) -> ReviewPlan:
        """Today's review session, if any, and the days the rest of the due rules take."""
        from invert.progress.review_plan import plan_reviews

        return plan_reviews(self)

    # --- questions, drills, projects --------------------------------------------------------

    @property
    def open_questions(self) -> list[QuestionRow]:
        return [q for q in self.questions if q.answered_at is None]

    @cached_property
    def drills_fixed(self) -> list[DrillStatus]:
        return [d for d in self.drills if d.state == "fixed"]

    def drills_located(self, max_hints: int) -> list[DrillStatus]:
        """Drills fixed with at most `max_hints` hints (the reference fix opens only after a
        pass, so none was fixed by copying it)."""
        return [d for d in self.drills_fixed if (d.hints_when_fixed or 0) <= max_hints]

    @cached_property
    def own_projects(self) -> list[OwnProject]:
        """Projects whose data is not a bundled dataset, with the steps run since created."""
        bundled_files = {d.file for d in self.catalog.datasets.values() if d.file}
        created: dict[str, Event] = {}
        for event in self.by_kind.get("project_created", []):
            p = event.payload
            bundled = p["bundled"] if "bundled" in p else p.get("data") in bundled_files
            if event.subject and not bundled:
                created[event.subject] = event
        steps: dict[str, dict[int, str]] = defaultdict(dict)
        audited: dict[str, tuple[str, ...] | None] = {}
        for event in self.by_kind.get("project_step_run", []):
            start = created.get(event.subject or "")
            if start is not None and event.at >= start.at:
                number = int(event.payload.get("step", 0))
                steps[start.subject or ""].setdefault(number, event.at)
                if number == PROJECT_STEPS:
                    audit = event.payload.get("audit")
                    opened = audit.get("open") if isinstance(audit, dict) else None
                    audited[start.subject or ""] = (
                        tuple(str(o) for o in opened) if isinstance(opened, list) else None
                    )
        projects = []
        for name, event in created.items():
            run = steps.get(name, {})
            complete = all(n in run for n in range(1, PROJECT_STEPS + 1))
            projects.append(
                OwnProject(
                    name=name,
                    data=str(event.payload.get("data", "")),
                    created_at=event.at,
                    steps_run=frozenset(run),
                    finished_at=max(run.values()) if complete else None,
                    open_findings=audited.get(name),
                )
            )
        return projects
