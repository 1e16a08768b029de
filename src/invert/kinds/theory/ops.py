"""The theory part of a lab: cards, derivations, the toolkit and its reviews, ladders.

`lab.theory` is what the CLI, the web app and notebooks call. Everything here records what the
learner did as events in the journal, in one transaction per action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from invert import clock
from invert.errors import LearnerError
from invert.kinds.part import Part
from invert.store import Event

if TYPE_CHECKING:
    from invert.catalog.models import Catalog, Concept
    from invert.kinds.theory.compare import SideBySide
    from invert.kinds.theory.derive import Attempt, DeriveSession
    from invert.kinds.theory.ladders import RungResult
    from invert.kinds.theory.model import Card, Rule
    from invert.kinds.theory.suggest import Suggestion, TopicStatus
    from invert.store.sqlite import QuestionRow, ToolkitRow


@dataclass(frozen=True)
class CardView:
    card: Card
    concept: Concept
    status: TopicStatus | None  # for math topics: unlocked or not yet useful
    answers: list[tuple[str, str]]  # (experiment id, its question)
    rules: list[Rule]  # the rules its derivation uses
    in_toolkit: frozenset[str] = frozenset()  # which of them the learner has in their toolkit
    # The concept graph around the card: (concept id, title, met by the learner yet).
    builds_on: tuple[tuple[str, str, bool], ...] = ()
    leads_to: tuple[tuple[str, str, bool], ...] = ()


@dataclass(frozen=True)
class Overview:
    suggestions: list[Suggestion]
    topics: dict[str, TopicStatus]
    cards: list[Card]
    open_questions: int
    requests: list[QuestionRow] = field(default_factory=list)  # open, answered by no card


@dataclass(frozen=True)
class ToolkitEntry:
    rule: Rule
    row: ToolkitRow
    due_now: bool
    recall: float | None  # FSRS retrievability now, once reviewed


def view_card(
    catalog: Catalog,
    card_id: str,
    topics: dict[str, TopicStatus],
    in_toolkit: frozenset[str] = frozenset(),
    met: frozenset[str] = frozenset(),
) -> CardView:
    """A card with what the learner brings to it: `met` are the concepts they have met (a card
    read, an experiment tried or a starter run that links the concept)."""
    card = catalog.card(card_id)
    derivation = catalog.theory.derivations[card.derivation]
    rules = [catalog.theory.rules[r] for r in derivation.rules()]
    cards = catalog.theory.cards.values()

    def node(concept: str) -> tuple[str, str, bool]:
        return concept, catalog.concepts[concept].title, concept in met

    return CardView(
        card=card,
        concept=catalog.concepts[card.id],
        status=topics.get(card.id),
        answers=[(e, catalog.experiments[e].question) for e in card.answers],
        rules=rules,
        in_toolkit=frozenset(r.id for r in rules if r.id in in_toolkit),
        builds_on=tuple(node(c) for c in card.builds_on if c in catalog.concepts),
        leads_to=tuple(node(c.id) for c in cards if card.id in c.builds_on),
    )


def overview(
    catalog: Catalog, questions: list[QuestionRow], topics: dict[str, TopicStatus]
) -> Overview:
    from invert.kinds.theory.suggest import suggest_cards

    cards = sorted(
        catalog.theory.cards.values(), key=lambda c: (c.math_topic, catalog.concepts[c.id].title)
    )
    from invert.kinds.theory.matching import answering_cards

    requests = [q for q in questions if not answering_cards(catalog, q.text, q.experiment)]
    return Overview(suggest_cards(catalog, questions), topics, cards, len(questions), requests)


def all_topics_locked(catalog: Catalog) -> dict[str, TopicStatus]:
    from invert.kinds.theory.suggest import topic_status

    return topic_status(catalog, set(), set())


@dataclass(frozen=True)
class CardStatus:
    """A card as the learner stands with it: read or not yet."""

    card: Card
    title: str
    read: bool

    @property
    def state(self) -> str:
        return "read" if self.read else "not attempted"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.card.id, "title": self.title, "state": self.state}


def listing(catalog: Catalog) -> list[dict[str, Any]]:
    """The catalogue's cards where there is no lab (no state)."""
    return [
        {"id": card.id, "title": catalog.concepts[card.id].title, "state": None}
        for card in catalog.theory.cards.values()
    ]


class Theory(Part):
    """The theory as one learner works through it: `lab.theory`."""

    def statuses(self) -> list[CardStatus]:
        """Every card, in the catalogue's order, read or not."""
        read = self.cards_read()
        return [
            CardStatus(card, self.catalog.concepts[card.id].title, card.id in read)
            for card in self.catalog.theory.cards.values()
        ]

    # --- cards --------------------------------------------------------------------------------

    def topics(self) -> dict[str, TopicStatus]:
        """Math topics, unlocked or not yet useful, from the starters run and experiments tried."""
        from invert.kinds.theory.suggest import topic_status

        starters_run = set(self.store.starter_progress())
        tried = self.lab.part("experiments").tried() | {
            e.subject for e in self.store.events("experiment_run") if e.subject
        }
        return topic_status(self.catalog, starters_run, tried)

    def overview(self) -> Overview:
        return overview(self.catalog, self.store.questions(open_only=True), self.topics())

    def start(self, card_id: str) -> CardView:
        """Begin a card: open it, recorded as read (every kind's `start` begins an item)."""
        return self.open_card(card_id)

    def open_card(self, card_id: str, quiet_minutes: float = 0) -> CardView:
        """The card, recorded as read. Its rules do not join the toolkit: reading is not
        working with a rule (`add_rule` or an accepted derivation step puts one there).

        With `quiet_minutes`, a card already opened that recently is not recorded again (the
        web app: a reload is not a second reading), and the page is shown unrecorded rather
        than wait for another process's write or fail in a read-only lab.
        """
        self.note_read(card_id, quiet_minutes)
        return self.card_view(card_id)

    def card_view(self, card_id: str) -> CardView:
        """The card as this learner stands with it (what it builds on and they have met)."""
        return view_card(
            self.catalog, card_id, self.topics(), self.rules_in_toolkit(), self.concepts_met()
        )

    def note_read(self, card_id: str, quiet_minutes: float = 0) -> None:
        """Record that the card was read (see `open_card` for `quiet_minutes`)."""
        card = self.catalog.card(card_id).id
        opened = Event("card_opened", subject=card)
        if quiet_minutes <= 0:
            self.store.append(opened)
            return
        last = self.store.last_event_at("card_opened", card)
        if last is None or (clock.now() - datetime.fromisoformat(last)).total_seconds() >= (
            quiet_minutes * 60
        ):
            self.store.append_if_free(opened)

    def concepts_met(self) -> frozenset[str]:
        """The concepts the learner has met: a card read, an experiment tried or a starter run
        that links it."""
        experiments, starters = self.catalog.experiments, self.catalog.starters
        tried = self.lab.part("experiments").tried()
        linked = [experiments[e].concepts for e in tried if e in experiments]
        linked += [starters[s].concepts for s in self.store.starter_progress() if s in starters]
        return frozenset(self.cards_read() | {c for concepts in linked for c in concepts})

    def cards_read(self) -> set[str]:
        """The cards the learner has opened at least once."""
        return {event.subject for event in self.store.events("card_opened") if event.subject}

    def run_card(self, card_id: str) -> SideBySide:
        from invert.kinds.theory.compare import run_side_by_side

        card = self.catalog.card(card_id)
        result = run_side_by_side(card.run)
        self.store.append(
            Event(
                "card_opened",
                subject=card.id,
                payload={"run": {"difference": result.difference, "within": result.within}},
            )
        )
        return result

    # --- derivations --------------------------------------------------------------------------

    def start_derivation(self, derivation_id: str) -> DeriveSession:
        """A derive session (nothing is recorded until a step is attempted)."""
        from invert.kinds.theory.derive import DeriveSession

        derivation = self.catalog.derivation(derivation_id)
        return DeriveSession(derivation, self.catalog.theory.rules)

    def record_attempt(self, session: DeriveSession, attempt: Attempt, step: int) -> None:
        """Journal one attempt; an accepted step reviews the rule it applied, which joins the
        toolkit if it was not there yet."""
        derivation = session.derivation
        events = [
            Event(
                "derivation_step",
                subject=derivation.id,
                payload={
                    "step": step + 1,
                    "accepted": attempt.accepted,
                    "expression_ok": attempt.expression_ok,
                    "rule_ok": attempt.rule_ok,
                    "rule": attempt.rule,
                    "message": attempt.message,
                },
            )
        ]
        if attempt.accepted and attempt.rating and attempt.rule:
            events.append(
                Event(
                    "rule_reviewed",
                    subject=attempt.rule,
                    payload={"rating": attempt.rating, "via": f"derive:{derivation.id}"},
                )
            )
        if session.done:
            shown = sum(1 for a in session.log if a.message == "shown")
            events.append(
                Event(
                    "derivation_finished",
                    subject=derivation.id,
                    payload={"steps": len(derivation.steps), "shown": shown},
                )
            )
        self.store.append(*events)

    # --- the toolkit ----------------------------------------------------------------------------

    def rules_in_toolkit(self) -> frozenset[str]:
        return frozenset(row.rule for row in self.store.toolkit())

    def add_rule(self, rule_id: str, via: str = "") -> ToolkitEntry:
        """Put a rule in the learner's toolkit (first due a day later); a rule already there
        is left as it is."""
        rule = self.catalog.rule(rule_id)
        if rule.id not in self.rules_in_toolkit():
            self.store.append(Event("rule_added", subject=rule.id, payload={"via": via}))
        return next(e for e in self.toolkit() if e.rule.id == rule.id)

    def toolkit(self, now: datetime | None = None) -> list[ToolkitEntry]:
        """Every rule in the toolkit, soonest due first."""
        from invert.kinds.theory.toolkit import retrievability

        now = now or clock.now()
        entries = []
        for row in self.store.toolkit():
            rule = self.catalog.theory.rules.get(row.rule)
            if rule is None:  # a rule a later version of the content dropped
                continue
            due = datetime.fromisoformat(row.due)
            entries.append(ToolkitEntry(rule, row, due <= now, retrievability(row.state, now)))
        return entries

    def due_rules(self, now: datetime | None = None) -> list[ToolkitEntry]:
        return [entry for entry in self.toolkit(now) if entry.due_now]

    def next_review(self, now: datetime | None = None) -> ToolkitEntry | None:
        """The rule that falls due soonest, when none is due now (None if none or some are)."""
        entries = self.toolkit(now)
        if not entries or any(e.due_now for e in entries):
            return None
        return min(entries, key=lambda e: e.row.due)

    def review_rule(self, rule_id: str, rating: str) -> ToolkitEntry:
        """Record how well the learner recalled a rule; return its new schedule."""
        from invert.kinds.theory.toolkit import RATINGS

        rule = self.catalog.rule(rule_id)
        if rating not in RATINGS:
            raise LearnerError(f"rate your recall as one of {', '.join(RATINGS)}; got {rating!r}")
        if rule.id not in self.rules_in_toolkit():
            raise LearnerError(
                f"'{rule.id}' is not in your toolkit yet; add it with `invert rules add {rule.id}`"
            )
        self.store.append(
            Event("rule_reviewed", subject=rule.id, payload={"rating": rating, "via": "review"})
        )
        return next(e for e in self.toolkit() if e.rule.id == rule.id)

    # --- ladders -------------------------------------------------------------------------------

    def run_ladder(self, ladder_id: str) -> list[RungResult]:
        from invert.kinds.theory.ladders import run_ladder

        ladder = self.catalog.ladder(ladder_id)
        results = run_ladder(ladder)
        self.store.append(
            Event(
                "ladder_run",
                subject=ladder.id,
                payload={
                    "held": all(r.within for r in results),
                    "largest": [r.largest for r in results],
                },
            )
        )
        return results
