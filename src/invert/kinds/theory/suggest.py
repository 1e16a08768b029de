"""Which cards to read next: those that answer the learner's open why-questions, ranked.

A card answers a question when the question came from an experiment the card names in
`answers`, when the question was linked to the card's concept as it was asked, or when its
words match the card's (SQLite FTS5 over title, summary, keywords and idea).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from invert.catalog.models import Catalog
from invert.catalog.search import rank_by_text
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
    cards = catalog.theory.cards
    found: dict[str, Suggestion] = {}
    for question in questions:
        scores: dict[str, float] = {}
        for card in cards.values():
            if question.experiment and question.experiment in card.answers:
                scores[card.id] = scores.get(card.id, 0.0) + 3.0
        for rank, concept in enumerate(question.concepts):
            if concept in cards:
                scores[concept] = scores.get(concept, 0.0) + 2.0 - 0.5 * rank
        for rank, card_id in enumerate(_search_cards(catalog, question.text)):
            scores[card_id] = scores.get(card_id, 0.0) + 1.5 - 0.4 * rank
        for card_id, score in scores.items():
            suggestion = found.setdefault(card_id, Suggestion(card_id))
            suggestion.score += score
            suggestion.questions.append(question.text)
    return sorted(found.values(), key=lambda s: (-s.score, s.card))


_searched: dict[tuple[int, str], list[str]] = {}


def _search_cards(catalog: Catalog, text: str, limit: int = 3) -> list[str]:
    """The cards whose words best match `text`; remembered, as a question's text never changes
    and the dashboard ranks every open question on each load."""
    key = (id(catalog), f"{limit}:{text}")
    if key not in _searched:
        _searched[key] = _rank_cards(catalog, text, limit)
    return list(_searched[key])


def _rank_cards(catalog: Catalog, text: str, limit: int) -> list[str]:
    rows = []
    for card in catalog.theory.cards.values():
        concept = catalog.concepts[card.id]
        keywords = " ".join((*concept.keywords, *card.keywords))
        rows.append((card.id, concept.title, concept.summary, keywords, card.idea))
    columns = ("title", "summary", "keywords", "idea")
    return rank_by_text(rows, columns, (4.0, 1.0, 3.0, 0.5), text, limit, min_length=3)


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
