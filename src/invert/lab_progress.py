"""The Lab's progress operations: where the learner stands, the next step, and the learner's own
words (answers to why-questions, explanations of concepts) that the checklist is filled from.

`Lab` inherits these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invert.errors import LearnerError, UnknownError
from invert.store import Event

if TYPE_CHECKING:
    from invert.catalog import Catalog
    from invert.evidence import Evidence
    from invert.next_step import NextStep
    from invert.progress import Progress
    from invert.review_plan import ReviewPlan
    from invert.store import Store
    from invert.store.sqlite import ExplanationRow, QuestionRow

MIN_WORDS = 12  # an explanation or an answer shorter than this is a label, not an explanation
RATINGS = range(1, 6)


def _words(text: str, what: str) -> str:
    text = text.strip()
    words = len(text.split())
    if words < MIN_WORDS:
        raise LearnerError(
            f"{what} needs at least {MIN_WORDS} words in your own words; this has {words}"
        )
    return text


class ProgressOperations:
    """Mixed into `Lab`: it provides `catalog` and `store`."""

    catalog: Catalog
    store: Store

    def evidence(self) -> Evidence:
        """What the learner has done, read once from the journal."""
        from invert.evidence import Evidence

        return Evidence.read(self)  # type: ignore[arg-type]

    def progress(self, evidence: Evidence | None = None) -> Progress:
        """Where the learner stands: phase, figures, checklist, calendar, weeks, next step."""
        from invert.progress import progress

        return progress(evidence or self.evidence())

    def next_step(self, evidence: Evidence | None = None) -> NextStep:
        """The single next best step, and why."""
        from invert.next_step import next_step

        return next_step(evidence or self.evidence())

    def review_plan(self, evidence: Evidence | None = None) -> ReviewPlan:
        """Today's review session (at most one a day, bounded, most overdue first) and the days
        the rest of the due rules are spread over."""
        return (evidence or self.evidence()).review_plan

    def question(self, ref: str) -> QuestionRow:
        """A why-question by its number in `invert why --all` (1 is the first asked) or its id."""
        questions = self.store.questions()
        ref = ref.strip()
        if ref.isdigit() and 1 <= int(ref) <= len(questions):
            return questions[int(ref) - 1]
        found = [q for q in questions if len(ref) >= 4 and q.uid.startswith(ref)]
        if len(found) == 1:
            return found[0]
        span = f"1 to {len(questions)}" if questions else "none asked yet"
        raise UnknownError(f"no why-question {ref!r}: give its number from `invert why` ({span})")

    def answer_question(self, ref: str, text: str) -> QuestionRow:
        """Mark a why-question answered, with the answer in the learner's own words."""
        question = self.question(ref)
        text = _words(text, "an answer")
        self.store.append(Event("question_answered", subject=question.uid, payload={"text": text}))
        return next(q for q in self.store.questions() if q.uid == question.uid)

    def explain(self, concept_id: str, text: str, rating: int) -> ExplanationRow:
        """Record the learner's explanation of a concept, and how well they rate it (1-5)."""
        concept = self.catalog.concept(concept_id)
        if rating not in RATINGS:
            raise LearnerError(
                f"rate your explanation from 1 (barely) to 5 (I could teach it); got {rating}"
            )
        text = _words(text, "an explanation")
        self.store.append(
            Event(
                "explanation_written",
                subject=concept.id,
                payload={"text": text, "rating": rating},
            )
        )
        return self.store.explanations()[concept.id]

    def explanations(self) -> dict[str, ExplanationRow]:
        return self.store.explanations()
