"""Where a learner stands in the method, and the one step to take next, judged from their journal.

The method has three phases: run working code (about days 1-3), build intuition by predicting
and experimenting (days 4-14), then read theory that answers the questions that came up (day 15
on). The calendar alone does not move a learner on: a phase is reached by doing its work, and
the days count only as active days (a date with something done in the lab).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invert.lab import Lab
    from invert.lab_theory import ToolkitEntry
    from invert.store.sqlite import Activity, QuestionRow

PHASES = ("run", "intuition", "theory")
PHASE_TITLES = {
    "run": "Run working code",
    "intuition": "Build intuition: predict, then experiment",
    "theory": "Theory that answers your questions",
}
INTUITION_DAY = 4  # the day the method turns from running code to experiments
THEORY_DAY = 15
THEORY_EXPERIMENTS = 6  # experiments tried that make theory worth reading sooner


@dataclass(frozen=True)
class Standing:
    """The phase with the evidence behind it."""

    phase: str
    because: str
    days_active: int
    starters_run: int
    experiments_tried: int
    predictions: int
    questions_asked: int
    open_questions: int
    cards_opened: int
    drills_fixed: int
    reviews_due: int

    @property
    def title(self) -> str:
        return PHASE_TITLES[self.phase]

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "title": self.title}


@dataclass(frozen=True)
class NextStep:
    """One thing to do now: what, why, and where (a command and a page of the web app)."""

    title: str
    why: str
    command: str
    page: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _count(n: int, thing: str) -> str:
    """How many of a thing, in words.

    >>> _count(1, "day"), _count(2, "day")
    ('1 day', '2 days')
    """
    return f"{n} {thing}{'' if n == 1 else 's'}"


def judge_phase(activity: Activity) -> tuple[str, str]:
    """The phase and the reason, from what was done.

    >>> from invert.store.sqlite import Activity
    >>> judge_phase(Activity({}, [], {}))
    ('run', 'no starter run yet')
    >>> judge_phase(Activity({"starter_run": 3}, ["2026-01-01"] * 4, {"starter_run": {"a"}}))
    ('intuition', '4 active days and 1 starter run')
    """
    days = len(activity.days)
    starters = activity.distinct("starter_run")
    tried = activity.distinct("experiment_run")
    asked = activity.counts.get("question_asked", 0)
    if starters == 0:
        return "run", "no starter run yet"
    if (days >= THEORY_DAY or tried >= THEORY_EXPERIMENTS) and asked > 0 and tried > 0:
        return "theory", (
            f"{_count(tried, 'experiment')} tried over {_count(days, 'active day')}, and "
            f"{_count(asked, 'why-question')} of your own to answer"
        )
    done = f"{_count(days, 'active day')} and {_count(starters, 'starter')} run"
    if days >= INTUITION_DAY or starters >= 3 or tried > 0:
        return "intuition", done + (f", {_count(tried, 'experiment')} tried" if tried else "")
    return "run", done


@dataclass(frozen=True)
class Evidence:
    """What the standing and the next step are judged from, read once per page."""

    activity: Activity
    questions: list[QuestionRow]
    due: list[ToolkitEntry]

    @classmethod
    def read(cls, lab: Lab) -> Evidence:
        return cls(lab.store.activity(), lab.store.questions(), lab.due_rules())

    @property
    def open_questions(self) -> list[QuestionRow]:
        return [q for q in self.questions if q.answered_at is None]


def standing(lab: Lab, evidence: Evidence | None = None) -> Standing:
    evidence = evidence or Evidence.read(lab)
    activity, questions = evidence.activity, evidence.questions
    phase, because = judge_phase(activity)
    return Standing(
        phase=phase,
        because=because,
        days_active=len(activity.days),
        starters_run=activity.distinct("starter_run"),
        experiments_tried=activity.distinct("experiment_run"),
        predictions=activity.counts.get("prediction_made", 0),
        questions_asked=len(questions),
        open_questions=sum(q.answered_at is None for q in questions),
        cards_opened=activity.distinct("card_opened"),
        drills_fixed=len(activity.drills_fixed),
        reviews_due=len(evidence.due),
    )


def next_step(lab: Lab, evidence: Evidence | None = None) -> NextStep:
    """The single next best step, in the method's order of what matters most now."""
    from invert.theory.suggest import suggest_cards

    evidence = evidence or Evidence.read(lab)
    catalog = lab.catalog
    progress = lab.store.starter_progress()
    starters = catalog.ordered_starters()
    if not progress:
        first = starters[0]
        return NextStep(
            f"Run your first starter: {first.title}",
            "The method starts with working code: run it, see what goes in and what comes out.",
            f"invert run {first.id}",
            f"/starters/{first.id}",
        )
    due = evidence.due
    if due:
        return NextStep(
            f"Review {len(due)} rule(s) due",
            "A rule recalled just before it is forgotten stays longer (spaced repetition).",
            "invert review",
            "/review",
        )
    opened = evidence.activity.subjects.get("card_opened", set())
    for suggestion in suggest_cards(catalog, evidence.open_questions):
        if suggestion.card not in opened:
            title = catalog.concepts[suggestion.card].title
            question = suggestion.questions[0] if suggestion.questions else ""
            return NextStep(
                f"Read the card on {title}",
                f"It answers your open question: {question}",
                f"invert learn {suggestion.card}",
                f"/cards/{suggestion.card}",
            )
    tried = evidence.activity.subjects.get(
        "prediction_made", set()
    ) | evidence.activity.subjects.get("experiment_run", set())
    for experiment in catalog.ordered_experiments():
        if experiment.id not in tried and (
            experiment.starter is None or experiment.starter in progress
        ):
            return NextStep(
                f"Predict, then try: {experiment.title}",
                "Change one thing and say what will happen before you run it: the miss teaches.",
                f"invert try {experiment.id}",
                f"/playground/{experiment.id}",
            )
    for starter in starters:
        if starter.id not in progress:
            return NextStep(
                f"Run the starter {starter.title}",
                "Its experiments open once you have seen it run.",
                f"invert run {starter.id}",
                f"/starters/{starter.id}",
            )
    for drill in lab.drills():
        if drill.state != "fixed":
            return NextStep(
                f"Fix the drill {drill.drill.title}",
                "Finding a fault in a pipeline shows what you understand.",
                f"invert drill {drill.drill.id}",
                f"/drills/{drill.drill.id}",
            )
    return NextStep(
        "Start a project on data you care about",
        "Apply the fixed workflow to your own question.",
        "invert project new DATA.csv --target COLUMN",
        "/portfolio",
    )
