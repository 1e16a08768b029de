"""Which cards to read next: those that answer the learner's open why-questions, ranked.

A question is matched to the cards that answer what it asks (kinds/theory/matching.py: its
words against each card's, helped by the experiment it came from); a card that answers several
open questions, or answers one better, comes first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from invert.catalog.models import Catalog
from invert.store.sqlite import QuestionRow


@dataclass
class Suggestion:
    card: str
    score: float = 0.0
    questions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TopicStatus:
    card: str
    unlocked: bool
    because: str  # what made it useful, or what would


def suggest_cards(catalog: Catalog, questions: list[QuestionRow]) -> list[Suggestion]:
    """Cards ranked by how many open questions they answer and how well.

    >>> from invert.catalog.loader import load_catalog
    >>> q = QuestionRow("u", "2026-01-01", "why does accuracy stop rising with more trees?",
    ...                 "forest-n-estimators", None, [], None)
    >>> suggest_cards(load_catalog(), [q])[0].card
    'bagging'
    """
    from invert.kinds.theory.matching import answering_cards

    found: dict[str, Suggestion] = {}
    for question in questions:
        for rank, match in enumerate(answering_cards(catalog, question.text, question.experiment)):
            suggestion = found.setdefault(match.card, Suggestion(match.card))
            suggestion.score += match.score - 0.1 * rank
            suggestion.questions.append(question.text)
    return sorted(found.values(), key=lambda s: (-s.score, s.card))


def topic_status(
    catalog: Catalog, starters_run: set[str], experiments_tried: set[str]
) -> dict[str, TopicStatus]:
    """For each math topic: unlocked by the learner's history, or which step would unlock it."""
    statuses = {}
    for card in catalog.theory.cards.values():
        if not card.math_topic:
            continue
        met: list[str] = []
        wanted: list[str] = []
        for ref in card.useful_after:
            kind, _, ident = ref.partition(":")
            done = ident in (starters_run if kind == "starter" else experiments_tried)
            label = f"`invert {'run' if kind == 'starter' else 'try'} {ident}`"
            (met if done else wanted).append(label)
        if met:
            statuses[card.id] = TopicStatus(card.id, True, "useful since " + ", ".join(met))
        else:
            statuses[card.id] = TopicStatus(
                card.id, False, "becomes useful after " + " or ".join(wanted)
            )
    return statuses
