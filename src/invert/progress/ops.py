"""The Lab's progress operations: where the learner stands, the next step, and the learner's own
words (answers to why-questions, explanations of concepts) that the checklist is filled from.

`Lab` inherits these.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError, UnknownError
from invert.progress.key_points import KeyPoint, compare
from invert.store import Event

if TYPE_CHECKING:
    from invert.catalog import Catalog
    from invert.progress.evidence import Evidence
    from invert.progress.next_step import NextStep
    from invert.progress.review_plan import ReviewPlan
    from invert.progress.summary import Progress
    from invert.store import Store
    from invert.store.sqlite import ExplanationRow, QuestionRow

MIN_WORDS = 12  # an explanation or an answer shorter than this is a label, not an explanation
RATINGS = range(1, 6)


def own_words(text: str, what: str) -> str:
    """`text`, stripped, if it is long enough to be an explanation; else a LearnerError."""
    text = text.strip()
    words = len(text.split())
    if words < MIN_WORDS:
        raise LearnerError(
            f"{what} needs at least {MIN_WORDS} words in your own words; this has {words}"
        )
    return text


def check_rating(rating: int) -> int:
    """`rating` if it is a self-rating from 1 to 5; else a LearnerError."""
    if rating not in RATINGS:
        raise LearnerError(
            f"rate your explanation from 1 (barely) to 5 (I could teach it); got {rating}"
        )
    return rating


class ProgressOperations:
    """Mixed into `Lab`: it provides `catalog` and `store`."""

    catalog: Catalog
    store: Store

    def evidence(self) -> Evidence:
        """What the learner has done, read once from the journal."""
        from invert.progress.evidence import Evidence

        return Evidence.read(self)  # type: ignore[arg-type]

    def progress(self, evidence: Evidence | None = None) -> Progress:
        """Where the learner stands: phase, figures, checklist, calendar, weeks, next step."""
        from invert.progress.summary import progress

        return progress(evidence or self.evidence())

    def next_step(self, evidence: Evidence | None = None) -> NextStep:
        """The single next best step, and why."""
        from invert.progress.next_step import next_step

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

    def key_points(self, concept_id: str) -> tuple[KeyPoint, ...]:
        """The key points an explanation of a concept must make: its card's; none without one."""
        card = self.catalog.theory.cards.get(concept_id)
        return tuple(KeyPoint(concept_id, text) for text in card.key_points) if card else ()

    def question_key_points(self, question: QuestionRow) -> tuple[KeyPoint, ...]:
        """The key points of a why-question's concepts that have a card, concept by concept."""
        return tuple(p for c in dict.fromkeys(question.concepts) for p in self.key_points(c))

    def answer_question(
        self, ref: str, text: str, covered: Collection[int] | None = None
    ) -> QuestionRow:
        """Mark a why-question answered, with the answer in the learner's own words.

        `covered`: the indices (0 = the first) of the question's key points
        (`question_key_points`) that the learner says their answer made; recorded with the points
        shown. None records no comparison.
        """
        question = self.question(ref)
        text = own_words(text, "an answer")
        payload: dict[str, Any] = {"text": text}
        if covered is not None:
            points = self.question_key_points(question)
            comparison = compare([p.text for p in points], covered)
            if points:
                payload |= comparison.payload()
                payload["key_point_concepts"] = [p.concept for p in points]
        self.store.append(Event("question_answered", subject=question.uid, payload=payload))
        return next(q for q in self.store.questions() if q.uid == question.uid)

    def explain(
        self, concept_id: str, text: str, rating: int, covered: Collection[int] | None = None
    ) -> ExplanationRow:
        """Record the learner's explanation of a concept, and how well they rate it (1-5).

        `covered`: the indices (0 = the first) of the card's key points that the learner says
        their words made; recorded with the points shown, for the checklist's "Can explain".
        None (or a concept without a card) records no comparison, and such an explanation does
        not count there.
        """
        concept = self.catalog.concept(concept_id)
        check_rating(rating)
        text = own_words(text, "an explanation")
        payload: dict[str, Any] = {"text": text, "rating": rating}
        if covered is not None:
            points = self.key_points(concept.id)
            comparison = compare([p.text for p in points], covered)
            if points:
                payload |= comparison.payload()
        self.store.append(Event("explanation_written", subject=concept.id, payload=payload))
        return self.store.explanations()[concept.id]

    def explanations(self) -> dict[str, ExplanationRow]:
        return self.store.explanations()
