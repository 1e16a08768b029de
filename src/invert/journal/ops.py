"""The journal part of a lab: what the learner writes and reads in their own words.

`lab.journal` records observations and why-questions, answers them and explanations of concepts
(compared with the key points the cards name), and reads the journal back: its entries, its
open questions, the predictive power of the counted predictions.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError, UnknownError
from invert.journal.entries import JOURNAL_KINDS, JournalEntry, journal_entry
from invert.kinds.part import Part
from invert.progress.key_points import KeyPoint, compare
from invert.store import Event

if TYPE_CHECKING:
    from invert.kinds.experiments.predictions import PowerReport
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


class Journal(Part):
    """The learner's journal in one lab: `lab.journal`."""

    def observe(self, experiment_id: str, text: str, run_id: str | None = None) -> str:
        """Write an observation into the journal; return its id."""
        text = text.strip()
        if not text:
            raise LearnerError("an observation needs some words")
        event = Event(
            "observation_written",
            subject=self.catalog.experiment(experiment_id).id,
            payload={"text": text, "run": run_id},
        )
        self.store.append(event)
        return event.uid

    def ask_why(
        self, text: str, experiment_id: str | None = None, run_id: str | None = None
    ) -> QuestionRow:
        """Record a why-question, linked to the cards that answer what it asks (by its words,
        helped by the experiment it came from); linked to none, it stands as a request for a
        card."""
        text = text.strip()
        if len(text) < 3:
            raise LearnerError("a why-question needs a few words")
        if experiment_id is not None:
            experiment_id = self.catalog.experiment(experiment_id).id
        concepts = self._answering(text, experiment_id)
        event = Event(
            "question_asked",
            subject=experiment_id,
            payload={"text": text, "run": run_id, "concepts": concepts},
        )
        self.store.append(event)
        return next(q for q in self.store.questions(open_only=False) if q.uid == event.uid)

    def questions(self, open_only: bool = True) -> list[QuestionRow]:
        """The why-questions, oldest first, each linked to the cards that answer it now: a
        request asked before its card existed is answered once the card is there."""
        from dataclasses import replace

        return [
            replace(q, concepts=self._answering(q.text, q.experiment))
            for q in self.store.questions(open_only=open_only)
        ]

    def _answering(self, text: str, experiment: str | None) -> list[str]:
        from invert.kinds.theory.matching import answering_cards

        return [m.card for m in answering_cards(self.catalog, text, experiment)]

    def predictive_power(self, window: int = 10) -> PowerReport:
        """Every figure of the counted predictions only (scored and made blind); practice and
        predictions of unknown blindness are summed apart, as not counted."""
        from invert.kinds.experiments.predictions import power_report

        concepts = {e.id: e.concepts for e in self.catalog.experiments.values()}
        return power_report(self.store.predictions(), concepts, window)

    def entries(
        self, experiment: str | None = None, concept: str | None = None, newest: int | None = None
    ) -> list[JournalEntry]:
        """Predictions, outcomes, observations, questions and starter runs, oldest first (the
        `newest` few)."""
        if experiment is not None:
            self.catalog.experiment(experiment)
        if concept is None:
            events = self.store.events(JOURNAL_KINDS, experiment, newest)
            return [journal_entry(event) for event in events]
        self.catalog.concept(concept)
        wanted = {e.id for e in self.catalog.experiments.values() if concept in e.concepts}
        wanted |= {s.id for s in self.catalog.starters.values() if concept in s.concepts}
        entries = []
        for event in self.store.events(JOURNAL_KINDS, experiment):
            if event.subject not in wanted:
                if not (event.kind == "question_asked" and concept in event.payload["concepts"]):
                    continue
            entries.append(journal_entry(event))
        return entries[-newest:] if newest else entries

    def size(self, experiment: str | None = None) -> int:
        """How many entries the journal holds (about one experiment)."""
        return self.store.count(JOURNAL_KINDS, experiment)

    def question(self, ref: str) -> QuestionRow:
        """A why-question by its number in `invert why --all` (1 is the first asked) or its id."""
        questions = self.questions(open_only=False)
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
        return next(q for q in self.questions(open_only=False) if q.uid == question.uid)

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
