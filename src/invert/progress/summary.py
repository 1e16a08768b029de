"""Where the learner stands: the phase, the figures, the understanding checklist, the long view.

Every figure is worked out from the event log (through `Evidence`), so `invert progress`, its JSON
and the web dashboard show the same numbers. The method has three phases: run working code (about
days 1-3), build intuition by predicting and experimenting (days 4-14), then read theory that
answers the questions that came up (day 15 on). The calendar alone does not move a learner on: a
phase is reached by doing its work, and the days count only as active days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from invert import clock
from invert.progress.words import count, percent

if TYPE_CHECKING:
    from invert.kinds.experiments.predictions import PowerReport
    from invert.progress.evidence import Evidence, OwnProject
    from invert.progress.kinds import KindCount
    from invert.progress.next_step import NextStep
    from invert.progress.review_plan import ReviewPlan
    from invert.store import Event

PHASES = ("run", "intuition", "theory")
PHASE_TITLES = {
    "run": "Run working code",
    "intuition": "Build intuition: predict, then experiment",
    "theory": "Theory that answers your questions",
}
INTUITION_DAY = 4  # the day the method turns from running code to experiments
THEORY_DAY = 15
THEORY_EXPERIMENTS = 6  # experiments tried that make theory worth reading sooner

# The understanding checklist's thresholds, stated to the learner with each box.
PREDICT_WINDOW = 10  # judged on the last this many scored predictions
PREDICT_HIT_RATE = 0.7
PREDICT_CONCEPTS = 3  # ... and on at least this many concepts among them,
PREDICT_PER_CONCEPT = 2  # each with at least this many predictions in the window
PROBE_PREDICTIONS = 3  # ... and at least this many blind predictions on transfer probes,
PROBE_CONCEPTS = 3  # covering at least this many concepts, right at PREDICT_HIT_RATE or better
EXPLAIN_CONCEPTS = 3
EXPLAIN_RATING = 4  # of 5, the learner's own rating
# ... of explanations the learner compared with the card's key points, saying they made all.
SELF_CHECKED_EXPLAIN = "self-checked against the card's key points"
LOCATE_DRILLS = 3
LOCATE_MAX_HINTS = 1
CALENDAR_WEEKS = 26


def judge_phase(ev: Evidence) -> tuple[str, str]:
    """The phase and the reason, from what was done (not from the calendar alone)."""
    days = len(ev.days)
    starters = len(ev.subjects("starter_run"))
    tried = len(ev.experiments_run)
    asked = len(ev.questions)
    if starters == 0:
        return "run", "no starter run yet"
    if (days >= THEORY_DAY or tried >= THEORY_EXPERIMENTS) and asked > 0 and tried > 0:
        return "theory", (
            f"{count(tried, 'experiment')} tried over {count(days, 'active day')}, and "
            f"{count(asked, 'why-question')} of your own to answer"
        )
    done = f"{count(days, 'active day')} and {count(starters, 'starter')} run"
    if days >= INTUITION_DAY or starters >= 3 or tried > 0:
        return "intuition", done + (f", {count(tried, 'experiment')} tried" if tried else "")
    return "run", done


@dataclass(frozen=True)
class Check:
    """One box of the understanding checklist, with the evidence behind it."""

    id: str
    title: str
    met: bool
    evidence: str
    needs: str  # what ticks the box, stated
    items: tuple[str, ...] = ()
    # Empty when invert judged the box from measured evidence; otherwise what the learner
    # judged themselves, shown beside the box.
    self_checked: str = ""

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "items": list(self.items)}


@dataclass(frozen=True)
class ProbeRecord:
    """How the learner did on transfer probes answered blind: the knob of an experiment on a
    dataset or model they had not run, predicted before any result of it was shown."""

    predictions: int
    hits: int
    concepts: tuple[str, ...]  # the concepts of the probes' experiments
    probes: tuple[str, ...]  # the probes answered (one per prediction, oldest first)

    @property
    def hit_rate(self) -> float | None:
        return self.hits / self.predictions if self.predictions else None

    def describe(self) -> str:
        if not self.predictions:
            return "no blind probe prediction yet (`invert probe` lists them)"
        return (
            f"{self.hits} of {count(self.predictions, 'blind probe prediction')} right "
            f"({percent(self.hit_rate)}), on {count(len(self.concepts), 'concept')}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "predictions": self.predictions,
            "hits": self.hits,
            "hit_rate": self.hit_rate,
            "concepts": list(self.concepts),
            "probes": list(self.probes),
            "computed_from": "scored predictions on transfer probes made blind (row.counted)",
        }


def probe_record(ev: Evidence) -> ProbeRecord:
    """The scored blind predictions on transfer probes (practice runs of a probe excluded)."""
    rows = [row for row in ev.scored if row.probe is not None and row.counted]
    concepts = sorted({c for row in rows for c in ev.concepts_of(row.experiment)})
    return ProbeRecord(
        predictions=len(rows),
        hits=sum(bool(row.hit) for row in rows),
        concepts=tuple(concepts),
        probes=tuple(str(row.probe) for row in rows),
    )


def check_predict(ev: Evidence, power: PowerReport) -> Check:
    """Right often enough on blind predictions, on several concepts, and on problems never run:
    practice (a prediction made after a result it overlaps was shown) counts for nothing."""
    window = [row for row in ev.scored if row.counted][-PREDICT_WINDOW:]
    probes = probe_record(ev)
    needs = (
        f"at least {PREDICT_HIT_RATE:.0%} right over your last {PREDICT_WINDOW} blind "
        f"predictions (made before any result they overlap was shown; practice runs do not "
        f"count), and on each of at least {PREDICT_CONCEPTS} concepts among them "
        f"({PREDICT_PER_CONCEPT}+ predictions each); and at least {PROBE_PREDICTIONS} blind "
        f"predictions on transfer probes (`invert probe`: a knob on a problem you have not run), "
        f"covering at least {PROBE_CONCEPTS} concepts, {PREDICT_HIT_RATE:.0%} or more of them right"
    )
    probes_met = (
        probes.predictions >= PROBE_PREDICTIONS
        and len(probes.concepts) >= PROBE_CONCEPTS
        and (probes.hit_rate or 0.0) >= PREDICT_HIT_RATE
    )
    on_probes = f"probes: {probes.describe()}"
    if not window:
        evidence = f"no blind prediction scored yet; {on_probes}"
        return Check("predict", "Can predict", False, evidence, needs)
    hits = sum(bool(row.hit) for row in window)
    per: dict[str, list[bool]] = defaultdict(list)
    for row in window:
        for concept in ev.concepts_of(row.experiment):
            per[concept].append(bool(row.hit))
    strong = sorted(
        c
        for c, h in per.items()
        if len(h) >= PREDICT_PER_CONCEPT and sum(h) / len(h) >= PREDICT_HIT_RATE
    )
    rate = hits / len(window)
    met = (
        len(window) >= PREDICT_WINDOW
        and rate >= PREDICT_HIT_RATE
        and len(strong) >= PREDICT_CONCEPTS
        and probes_met
    )
    evidence = (
        f"{hits} of your last {count(len(window), 'blind prediction')} right ({rate:.0%}); "
        f"strong on {count(len(strong), 'concept')}; {on_probes}"
    )
    items = tuple(f"{c}: {sum(per[c])} of {len(per[c])} right" for c in strong)
    return Check("predict", "Can predict", met, evidence, needs, items)


def check_explain(ev: Evidence) -> Check:
    """Concepts whose latest explanation was compared with the card's key points, made every one
    of them, and was rated EXPLAIN_RATING or better; both judgements are the learner's own.

    Read from the `explanation_written` events: the comparison is in their payload. An
    explanation recorded without one (written before key points existed, or of a concept
    without a card) does not count.
    """
    from invert.progress.key_points import Comparison

    needs = (
        f"at least {EXPLAIN_CONCEPTS} concepts with a card whose latest explanation in your own "
        f"words you compared with the card's key points, saying it made every one of them, and "
        f"rated {EXPLAIN_RATING}/5 or better (`invert explain CONCEPT`)"
    )
    latest: dict[str, Event] = {}
    for event in ev.by_kind.get("explanation_written", []):
        if event.subject:
            latest.pop(event.subject, None)
            latest[event.subject] = event  # in the order of the latest explanations
    if not latest:
        return Check(
            "explain",
            "Can explain",
            False,
            "no explanation written yet",
            needs,
            self_checked=SELF_CHECKED_EXPLAIN,
        )
    good, uncompared, items = [], [], []
    for concept, event in latest.items():
        comparison = Comparison.of(event.payload)
        rating = int(event.payload.get("rating", 0))
        words = count(len(str(event.payload.get("text", "")).split()), "word")
        if comparison is None:
            uncompared.append(concept)
            how = (
                f"`invert explain {concept}` again to compare it with the card's key points"
                if concept in ev.catalog.theory.cards
                else "no card, so no key points to compare it with"
            )
            items.append(f"{concept}: not compared, {rating}/5 ({words}); {how}")
            continue
        made = f"{comparison.made} of {count(len(comparison.points), 'key point')} made"
        missed = ", ".join(str(i + 1) for i in comparison.missed)
        if comparison.complete and rating >= EXPLAIN_RATING:
            good.append(concept)
        items.append(
            f"{concept}: {made}"
            + (f" (missed {missed})" if missed else "")
            + f", {rating}/5 ({words})"
        )
    evidence = (
        f"{count(len(latest), 'concept')} explained; {len(good)} made every key point and rated "
        f"{EXPLAIN_RATING}/5 or better"
    )
    with_card = [c for c in uncompared if c in ev.catalog.theory.cards]
    if with_card:
        evidence += (
            f"; {len(with_card)} not compared with the card's key points, so not counted: "
            f"`invert explain {with_card[0]}` again compares one"
        )
    met = len(good) >= EXPLAIN_CONCEPTS
    return Check(
        "explain",
        "Can explain",
        met,
        evidence,
        needs,
        tuple(items),
        self_checked=SELF_CHECKED_EXPLAIN,
    )


def check_locate(ev: Evidence) -> Check:
    needs = (
        f"at least {LOCATE_DRILLS} drills fixed with at most {count(LOCATE_MAX_HINTS, 'hint')} "
        "each, before seeing the reference fix"
    )
    located = ev.drills_located(LOCATE_MAX_HINTS)
    evidence = (
        f"{count(len(ev.drills_fixed), 'drill')} fixed, {len(located)} with at most "
        f"{count(LOCATE_MAX_HINTS, 'hint')}"
    )
    items = tuple(f"{d.drill.id}: {count(d.hints_when_fixed or 0, 'hint')}" for d in located)
    met = len(located) >= LOCATE_DRILLS
    return Check("locate", "Can locate a pipeline fault", met, evidence, needs, items)


def check_transfer(ev: Evidence) -> Check:
    needs = (
        "a project on your own data (not a bundled dataset) run end to end, all seven steps, "
        "with step 7 last run when its audit left nothing open (invert project audit)"
    )
    projects = ev.own_projects
    done = [p for p in projects if p.trusted]
    finished = [p for p in projects if p.done]
    if done:
        evidence = f"{count(len(done), 'project')} on your own data run end to end, audit clear"
    elif finished:
        best = finished[-1]
        if best.open_findings is None:
            evidence = f"project {best.name}: run end to end before its audit was recorded"
        else:
            evidence = f"project {best.name}: audit left open {'; '.join(best.open_findings)}"
    elif projects:
        best = max(projects, key=lambda p: len(p.steps_run))
        evidence = f"project {best.name}: {len(best.steps_run)} of 7 steps run"
    else:
        evidence = "no project on your own data yet"
    items = tuple(f"{p.name} ({p.data}): {_project_state(p)}" for p in projects)
    return Check("transfer", "Can transfer", bool(done), evidence, needs, items)


def _project_state(project: OwnProject) -> str:
    steps = f"{len(project.steps_run)} of 7 steps"
    if not project.done:
        return steps
    if project.open_findings is None:
        return f"{steps}; audit not recorded (run step 7 again)"
    if project.open_findings:
        return f"{steps}; audit open: {'; '.join(project.open_findings)}"
    return f"{steps}; audit clear"


@dataclass(frozen=True)
class Week:
    """What one week (Monday to Sunday, local time) held."""

    start: str
    days_active: int = 0
    starters_run: int = 0
    experiments_run: int = 0
    predictions_scored: int = 0  # counted ones only: scored and made blind
    hits: int = 0
    practice: int = 0  # scored predictions made after seeing an overlapping result
    questions_asked: int = 0
    questions_answered: int = 0
    cards_read: int = 0
    explanations: int = 0
    drills_fixed: int = 0
    reviews: int = 0

    @property
    def hit_rate(self) -> float | None:
        return self.hits / self.predictions_scored if self.predictions_scored else None

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "hit_rate": self.hit_rate}


WEEK_EVENTS = {
    "starter_run": "starters_run",
    "experiment_run": "experiments_run",
    "question_asked": "questions_asked",
    "question_answered": "questions_answered",
    "explanation_written": "explanations",
    "rule_reviewed": "reviews",
}


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks(ev: Evidence) -> list[Week]:
    """Every week from the first active one to this one, the empty ones too (the long view)."""
    if not ev.calendar:
        return []
    tallies: dict[date, dict[str, Any]] = defaultdict(lambda: defaultdict(int))

    def week_of(at: str) -> dict[str, Any]:
        return tallies[monday(date.fromisoformat(clock.local_date(at)))]

    for day in ev.calendar:
        tallies[monday(date.fromisoformat(day))]["days_active"] += 1
    for kind, name in WEEK_EVENTS.items():
        for event in ev.by_kind.get(kind, []):
            week_of(event.at)[name] += 1
    cards: dict[date, set[str]] = defaultdict(set)
    for event in ev.by_kind.get("card_opened", []):
        cards[monday(date.fromisoformat(clock.local_date(event.at)))].add(event.subject or "")
    for start, seen in cards.items():
        tallies[start]["cards_read"] = len(seen)
    for row in ev.scored:
        tally = week_of(row.scored_at or row.at)
        tally["predictions_scored"] += 1
        tally["hits"] += bool(row.hit)
    for row in ev.practice:
        week_of(row.scored_at or row.at)["practice"] += 1
    for status in ev.drills_fixed:
        week_of(status.fixed_at or "")["drills_fixed"] += 1
    first = monday(date.fromisoformat(next(iter(ev.calendar))))
    last = max(monday(ev.today), max(tallies))
    result = []
    start = first
    while start <= last:
        result.append(Week(start.isoformat(), **tallies.get(start, {})))
        start += timedelta(days=7)
    return result


@dataclass(frozen=True)
class Progress:
    """Where the learner stands, every figure from the journal."""

    today: str
    phase: str
    because: str
    first_day: str | None
    days_active: int
    streak: int
    longest_streak: int
    starters_run: int
    starters_total: int
    experiments_tried: int
    experiments_total: int
    predictions_made: int
    power: PowerReport
    questions_open: int
    questions_answered: int
    drills_fixed: int
    drills_total: int
    rebuilds_passed: int
    rebuilds_total: int
    stages_earned: int
    reviews_due: int
    rules_known: int
    concepts_read: int
    concepts_total: int
    concepts_explained: int
    own_projects_done: int
    probes: ProbeRecord  # blind predictions on transfer probes
    checklist: tuple[Check, ...]
    next: NextStep
    reviews: ReviewPlan
    calendar: dict[str, int] = field(default_factory=dict)
    weeks: tuple[Week, ...] = ()
    predictions_practice: int = 0  # scored after an overlapping result was shown: not counted
    predictions_unknown: int = 0  # scored before blindness was recorded: not counted
    kinds: tuple[KindCount, ...] = ()  # every registered kind's items, counted by state

    @property
    def title(self) -> str:
        return PHASE_TITLES[self.phase]

    def figures(self) -> list[tuple[str, str, str]]:
        """(key, label, value) for each headline figure, worded once for every interface."""
        overall = self.power.overall
        power = (
            "none scored yet"
            if overall.hit_rate is None
            else f"{overall.hits} of {overall.predictions} right ({percent(overall.hit_rate)}), "
            f"Brier {overall.brier:.3f}, trend: {self.power.trend}"
        )
        return [
            ("phase", "Phase", self.title),
            ("days_active", "Active days", str(self.days_active)),
            (
                "streak",
                "Streak",
                f"{count(self.streak, 'day')} (longest {count(self.longest_streak, 'day')})",
            ),
            ("starters_run", "Starters run", f"{self.starters_run} of {self.starters_total}"),
            (
                "experiments_tried",
                "Experiments tried",
                f"{self.experiments_tried} of {self.experiments_total}",
            ),
            (
                "predictions",
                "Predictions",
                f"{self.predictions_made} made, {overall.predictions} counted (scored, made "
                f"blind), {self.predictions_practice} practice"
                + (
                    f", {self.predictions_unknown} from before blindness was recorded"
                    if self.predictions_unknown
                    else ""
                ),
            ),
            ("power", "Predictive power", power),
            ("probes", "Predicts on problems not seen before", self.probes.describe()),
            (
                "questions",
                "Why-questions",
                f"{self.questions_open} open, {self.questions_answered} answered",
            ),
            ("drills_fixed", "Drills fixed", f"{self.drills_fixed} of {self.drills_total}"),
            (
                "rebuilds",
                "Algorithms rebuilt",
                f"{self.rebuilds_passed} of {self.rebuilds_total} "
                f"({count(self.stages_earned, 'stage')} earned)",
            ),
            ("reviews_due", "Reviews due", f"{self.reviews_due} of {self.rules_known} rules"),
            ("concepts_read", "Concepts read", f"{self.concepts_read} of {self.concepts_total}"),
            (
                "concepts_explained",
                "Concepts explained",
                f"{self.concepts_explained} (in your own words)",
            ),
            ("own_projects", "Own projects run end to end", str(self.own_projects_done)),
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "title": self.title,
            "power": self.power.to_json(),
            "probes": self.probes.to_json(),
            "checklist": [c.to_json() for c in self.checklist],
            "next": self.next.to_json(),
            "reviews": self.reviews.to_json(),
            "figures": [{"key": k, "label": label, "value": v} for k, label, v in self.figures()],
            "weeks": [w.to_json() for w in self.weeks],
            "kinds": [k.to_json() for k in self.kinds],
        }


def progress(ev: Evidence) -> Progress:
    from invert.kinds.experiments.predictions import power_report
    from invert.progress.next_step import next_step

    phase, because = judge_phase(ev)
    streak, longest = ev.streaks()
    catalog = ev.catalog
    concepts = {e.id: e.concepts for e in catalog.experiments.values()}
    # Every row: the counted ones make the figures, the rest are summed apart as not counted.
    power = power_report(ev.predictions, concepts, PREDICT_WINDOW)
    return Progress(
        today=ev.today.isoformat(),
        phase=phase,
        because=because,
        first_day=ev.days[0] if ev.days else None,
        days_active=len(ev.days),
        streak=streak,
        longest_streak=longest,
        starters_run=len(ev.subjects("starter_run")),
        starters_total=len(catalog.starters),
        experiments_tried=len(ev.experiments_run),
        experiments_total=len(catalog.experiments),
        predictions_made=len(ev.predictions),
        power=power,
        questions_open=len(ev.open_questions),
        questions_answered=len(ev.questions) - len(ev.open_questions),
        drills_fixed=len(ev.drills_fixed),
        drills_total=len(ev.drills),
        rebuilds_passed=sum(r.state == "passed" for r in ev.rebuilds),
        rebuilds_total=len(ev.rebuilds),
        stages_earned=sum(len(r.stages_earned) for r in ev.rebuilds),
        reviews_due=len(ev.due),
        rules_known=ev.rules_known,
        concepts_read=len(ev.subjects("card_opened") & set(catalog.theory.cards)),
        concepts_total=len(catalog.theory.cards),
        concepts_explained=len(ev.explanations),
        own_projects_done=sum(p.done for p in ev.own_projects),
        probes=probe_record(ev),
        checklist=(
            check_predict(ev, power),
            check_explain(ev),
            check_locate(ev),
            check_transfer(ev),
        ),
        next=next_step(ev),
        reviews=ev.review_plan,
        calendar=ev.calendar,
        weeks=tuple(weeks(ev)),
        predictions_practice=len(ev.practice),
        predictions_unknown=len(ev.unknown_blindness),
        kinds=ev.kinds,
    )
