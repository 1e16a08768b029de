"""The single next best step, and why, judged from the evidence.

The rules are tried in order; the first that applies wins. The order is the method's: working
code before anything; today's review session (at most one a day, of at most ten rules, most
overdue first: see `invert.progress.review_plan`), after which new work comes first; theory when
the learner has a question it answers, then the answer in their own words; more experiments
where predictions keep missing; a drill on a concept a prediction just missed; explaining a card
just read; rewriting an algorithm whose card the learner has explained; after about two weeks of
experiments, a project on their own data; an unseen variant of a drill fixed with hints; then
whatever is still untried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invert.progress.evidence import Evidence

CARDS_PER_QUESTION = 2  # a question is ready to answer once one of its top cards is read
WEAK_HIT_RATE = 0.5  # below this, over at least WEAK_MIN_PREDICTIONS, a concept needs more work
WEAK_MIN_PREDICTIONS = 2
MISS_RECENT_DAYS = 3  # a miss older than this no longer calls for a drill
EXPLAIN_RECENT_DAYS = 3  # a card read within this many days is worth explaining
REBUILD_AFTER_RATING = 3  # an explanation rated at least this: ready to rewrite the algorithm
REBUILD_RECENT_DAYS = 7  # ... if explained, or the rewrite worked on, within this many days
PROJECT_AFTER_DAYS = 14  # about two weeks of experiments ...
PROJECT_AFTER_EXPERIMENTS = 5  # ... on at least this many experiments


@dataclass(frozen=True)
class NextStep:
    """One thing to do now: what, why, and where (a command and a page of the web app)."""

    kind: str  # which rule chose it, e.g. "question-card" or "weak-concept"
    title: str
    why: str
    command: str
    page: str  # empty when only the terminal offers it

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


Rule = Callable[["Evidence"], "NextStep | None"]


def first_starter(ev: Evidence) -> NextStep | None:
    if ev.by_kind.get("starter_run"):
        return None
    first = ev.catalog.ordered_starters()[0]
    return NextStep(
        "first-starter",
        f"Run your first starter: {first.title}",
        "The method starts with working code: run it, see what goes in and what comes out.",
        f"invert run {first.id}",
        f"/starters/{first.id}",
    )


def review_due(ev: Evidence) -> NextStep | None:
    """Today's review session, if there is one to do: bounded, and with the step after it."""
    plan = ev.review_plan
    if not plan.today:
        return None
    from invert.progress.words import count

    after = next(
        (step for rule in RULES if rule is not review_due and (step := rule(ev)) is not None),
        any_project(ev),
    )
    n = len(plan.today)
    which = f"the {n} most overdue of {plan.due} rules" if plan.later else count(n, "rule")
    title = f"Review {which} due"
    if plan.away_days:
        title = f"Back after {plan.away_days} days: review {which} due, then new work"
    return NextStep(
        "review",
        title,
        plan.summary(then=after.title)
        + " A rule recalled just before it would be forgotten stays longer (spaced repetition).",
        "invert review",
        "/review",
    )


def open_question(ev: Evidence) -> NextStep | None:
    """The oldest open why-question: read the card that answers it, then answer it yourself."""
    from invert.kinds.theory.suggest import suggest_cards

    opened = ev.subjects("card_opened")
    number = {q.uid: n for n, q in enumerate(ev.questions, start=1)}
    for question in ev.open_questions:
        cards = [s.card for s in suggest_cards(ev.catalog, [question])][:CARDS_PER_QUESTION]
        if not cards:
            continue
        if not opened & set(cards):
            title = ev.catalog.concepts[cards[0]].title
            return NextStep(
                "question-card",
                f"Read the card on {title}",
                f"It answers your open question: {question.text}",
                f"invert learn {cards[0]}",
                f"/cards/{cards[0]}",
            )
        n = number[question.uid]
        return NextStep(
            "answer-question",
            f"Answer your question in your own words: {question.text}",
            "You have read the card that answers it; saying the answer without it is the test.",
            f'invert answer {n} "..."',
            f"/journal#question-{n}",
        )
    return None


def _experiment_on(ev: Evidence, concept: str) -> str | None:
    """An experiment on `concept` the learner can run: the least tried (untried ones first)."""
    ran = ev.subjects("starter_run")
    counts = ev.experiment_counts()
    candidates = [
        e
        for e in ev.catalog.ordered_experiments()
        if concept in e.concepts and (e.starter is None or e.starter in ran)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda e: counts.get(e.id, 0)).id


def weak_concept(ev: Evidence) -> NextStep | None:
    weak = [
        r
        for r in ev.concept_records.values()
        if len(r.hits) >= WEAK_MIN_PREDICTIONS and r.hit_rate < WEAK_HIT_RATE
    ]
    for record in sorted(weak, key=lambda r: (r.hit_rate, r.last_at), reverse=False):
        experiment = _experiment_on(ev, record.concept)
        if experiment is None:
            continue
        concept = ev.catalog.concepts[record.concept].title
        return NextStep(
            "weak-concept",
            f"Another experiment on {concept}: {ev.catalog.experiments[experiment].title}",
            f"Your last predictions on {concept} were right {sum(record.hits)} time(s) in "
            f"{len(record.hits)}: predicting it again, from a different angle, is how the "
            "intuition forms.",
            f"invert try {experiment}",
            f"/playground/{experiment}",
        )
    return None


def drill_after_miss(ev: Evidence) -> NextStep | None:
    if not ev.scored:
        return None
    last = ev.scored[-1]
    if last.hit or ev.days_since(last.scored_at or last.at) > MISS_RECENT_DAYS:
        return None
    concepts = ev.concepts_of(last.experiment)
    for status in ev.drills:
        drill = status.drill
        if drill.concept in concepts and status.state != "fixed" and drill.variant_of is None:
            title = ev.catalog.concepts[drill.concept].title
            return NextStep(
                "drill-after-miss",
                f"Fix the drill {drill.title}",
                f"Your prediction on {last.experiment} missed; this drill breaks a pipeline "
                f"through {title}, the same idea seen from the inside.",
                f"invert drill {drill.id}",
                f"/drills/{drill.id}",
            )
    return None


def drill_variant(ev: Evidence) -> NextStep | None:
    """A drill whose last fix needed hints: a variant of it the learner has not fixed, the same
    fault in another place, shows whether the idea stayed and not the memory of one fix."""
    by_id = {status.drill.id: status for status in ev.drills}
    for status in ev.drills:
        family = [status, *(by_id[v] for v in status.drill.variants if v in by_id)]
        fixed = [s for s in family if s.state == "fixed"]
        if status.drill.variant_of is not None or not fixed:
            continue
        last = max(fixed, key=lambda s: s.fixed_at or "")
        offer = next((s for s in family[1:] if s.state != "fixed"), None)
        if not last.hints_when_fixed or offer is None:
            continue
        hints = f"{last.hints_when_fixed} hint{'s' if last.hints_when_fixed > 1 else ''}"
        return NextStep(
            "drill-variant",
            f"{'Finish' if offer.copied else 'Fix'} a variant: {offer.drill.title}",
            f"You fixed {last.drill.title} with {hints}. This variant puts the same fault "
            "somewhere you have not seen it: fixing it unaided shows the idea is yours.",
            f"invert drill {offer.drill.id}",
            f"/drills/{offer.drill.id}",
        )
    return None


def explain_card(ev: Evidence) -> NextStep | None:
    for event in reversed(ev.by_kind.get("card_opened", [])):
        if ev.days_since(event.at) > EXPLAIN_RECENT_DAYS:
            return None
        concept = event.subject or ""
        written = ev.explanations.get(concept)
        if concept in ev.catalog.concepts and (written is None or written.at < event.at):
            title = ev.catalog.concepts[concept].title
            return NextStep(
                "explain",
                f"Explain {title} in your own words",
                "Writing it down without the card shows what you understood and what you only "
                "recognised.",
                f'invert explain {concept} "..." --rating 1-5',
                f"/cards/{concept}#explain",
            )
    return None


def rebuild_after_explain(ev: Evidence) -> NextStep | None:
    """An algorithm whose card the learner has explained with some confidence: rewrite it."""
    for status in ev.rebuilds:
        exercise = status.exercise
        written = ev.explanations.get(exercise.card)
        if status.state == "passed" or written is None or written.rating < REBUILD_AFTER_RATING:
            continue
        if ev.days_since(max(written.at, status.last_worked_at or "")) > REBUILD_RECENT_DAYS:
            continue  # left alone a week: no longer in the way of everything else
        title = ev.catalog.concepts[exercise.card].title
        if status.copied:
            earned, stages = len(status.stages_earned), len(exercise.stages)
            return NextStep(
                "rebuild",
                f"Finish rebuilding {exercise.title}",
                f"{earned} of its {stages} stages pass so far; the part you cannot write yet is "
                "the part to understand next.",
                f"invert check {exercise.id}",
                f"/rebuild/{exercise.id}",
            )
        return NextStep(
            "rebuild",
            f"Rebuild it yourself: {exercise.title}",
            f"You have explained {title} in your own words; writing it with NumPy and checking "
            "it against scikit-learn shows whether you could have invented it.",
            f"invert rebuild {exercise.id}",
            f"/rebuild/{exercise.id}",
        )
    return None


def unanswered_probe(ev: Evidence) -> NextStep | None:
    """A transfer probe on offer (its concept practised) that the learner has not answered."""
    from invert.kinds.experiments.offers import probe_offers

    for offer in probe_offers(ev.catalog, ev.predictions):
        if offer.offered and not offer.answers:
            return NextStep(
                "probe",
                f"Transfer: {offer.probe.question}",
                f"On offer because {offer.reason}. The same knob on a problem you have never "
                "run: a prediction here shows whether the idea, not the memory, is yours.",
                f"invert probe {offer.probe.id}",
                "",  # no page yet: probes are answered in the terminal
            )
    return None


def own_project(ev: Evidence) -> NextStep | None:
    runs = ev.by_kind.get("experiment_run", [])
    if not runs or any(p.trusted for p in ev.own_projects):
        return None
    finished = [p for p in ev.own_projects if p.done]
    if finished:
        project = finished[-1]
        why = (
            f"its audit left open: {'; '.join(project.open_findings)}"
            if project.open_findings
            else "its step 7 ran before the audit was recorded"
        )
        return NextStep(
            "own-project",
            f"Make the result of {project.name} one you can trust",
            f"All seven steps have run, but {why}. Address each finding (project.toml or the "
            "script), then run the steps again.",
            f"invert project audit {project.name}",
            "/portfolio",
        )
    if ev.days_since(runs[0].at) < PROJECT_AFTER_DAYS or len(ev.tried) < PROJECT_AFTER_EXPERIMENTS:
        return None
    started = [p for p in ev.own_projects if not p.done]
    if started:
        project = started[-1]
        return NextStep(
            "own-project",
            f"Finish your project {project.name}",
            f"{len(project.steps_run)} of its 7 steps have run; the rest apply what the "
            "experiments taught to your own question.",
            f"invert project run {project.name}",
            "/portfolio",
        )
    return NextStep(
        "own-project",
        "Start a project on data you care about",
        f"{ev.days_since(runs[0].at)} days of experiments on {len(ev.tried)} of them: time to see "
        "whether the intuition transfers to a question of your own.",
        "invert project new DATA.csv --target COLUMN",
        "/portfolio",
    )


def untried_experiment(ev: Evidence) -> NextStep | None:
    ran, tried = ev.subjects("starter_run"), ev.tried
    for experiment in ev.catalog.ordered_experiments():
        if experiment.id not in tried and (experiment.starter is None or experiment.starter in ran):
            return NextStep(
                "experiment",
                f"Predict, then try: {experiment.title}",
                "Change one thing and say what will happen before you run it: the miss teaches.",
                f"invert try {experiment.id}",
                f"/playground/{experiment.id}",
            )
    return None


def unrun_starter(ev: Evidence) -> NextStep | None:
    ran = ev.subjects("starter_run")
    for starter in ev.catalog.ordered_starters():
        if starter.id not in ran:
            return NextStep(
                "starter",
                f"Run the starter {starter.title}",
                "Its experiments open once you have seen it run.",
                f"invert run {starter.id}",
                f"/starters/{starter.id}",
            )
    return None


def unfixed_drill(ev: Evidence) -> NextStep | None:
    for status in ev.drills:
        if status.state != "fixed" and status.drill.variant_of is None:
            return NextStep(
                "drill",
                f"Fix the drill {status.drill.title}",
                "Finding a fault in a pipeline shows what you understand.",
                f"invert drill {status.drill.id}",
                f"/drills/{status.drill.id}",
            )
    return None


def unbuilt_algorithm(ev: Evidence) -> NextStep | None:
    for status in ev.rebuilds:
        if status.state != "passed":
            exercise = status.exercise
            return NextStep(
                "rebuild",
                f"Rebuild it yourself: {exercise.title}",
                "Writing an algorithm you have used, and matching scikit-learn, is the last "
                "step of learning it.",
                f"invert rebuild {exercise.id}",
                f"/rebuild/{exercise.id}",
            )
    return None


def any_project(ev: Evidence) -> NextStep:
    return NextStep(
        "project",
        "Start a project on data you care about",
        "Apply the fixed workflow to your own question.",
        "invert project new DATA.csv --target COLUMN",
        "/portfolio",
    )


RULES: tuple[Rule, ...] = (
    first_starter,
    review_due,
    open_question,
    weak_concept,
    drill_after_miss,
    explain_card,
    rebuild_after_explain,
    own_project,
    drill_variant,
    unanswered_probe,
    untried_experiment,
    unrun_starter,
    unfixed_drill,
    unbuilt_algorithm,
)


def next_step(ev: Evidence) -> NextStep:
    """The first rule that applies, in the method's order."""
    for rule in RULES:
        step = rule(ev)
        if step is not None:
            return step
    return any_project(ev)
