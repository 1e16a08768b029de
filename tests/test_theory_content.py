"""The theory content is code: every rule's check, every derivation step, every card's code map
and side-by-side run, and every ladder rung is verified here, as `invert dev check` does."""

from __future__ import annotations

import pytest

from invert.catalog.loader import load_catalog
from invert.kinds.theory.compare import run_side_by_side
from invert.kinds.theory.ladders import run_ladder
from invert.kinds.theory.model import Card
from invert.kinds.theory.verify import card_problems, check_derivation, rule_problems

CATALOG = load_catalog()
THEORY = CATALOG.theory


@pytest.mark.content
def test_the_catalogue_has_what_the_issue_asks_for() -> None:
    assert len(THEORY.cards) >= 20
    assert len(THEORY.rules) >= 40
    assert len(THEORY.derivations) >= 12
    assert len(THEORY.ladders) >= 4
    topics = {c.id for c in THEORY.cards.values() if c.math_topic}
    assert {"matrix-operations", "derivatives", "probability", "bias-variance"} <= topics
    assert "eigendecomposition" in topics
    assert {"pca", "linear-regression", "logistic-regression", "kmeans"} <= set(THEORY.ladders)


@pytest.mark.content
def test_every_experiment_is_answered_by_a_card() -> None:
    answered = {e for card in THEORY.cards.values() for e in card.answers}
    assert set(CATALOG.experiments) <= answered


@pytest.mark.content
def test_every_derivation_is_shown_by_a_card_and_every_card_has_one() -> None:
    shown = {d for card in THEORY.cards.values() for d in (card.derivation, *card.further)}
    assert shown == set(THEORY.derivations)


@pytest.mark.content
@pytest.mark.parametrize("rule_id", sorted(THEORY.rules))
def test_rule_checks_hold(rule_id: str) -> None:
    rule = THEORY.rules[rule_id]
    assert rule.statement and rule.pattern and rule.example
    assert rule.name.lower() not in rule.pattern.lower()  # the front of a review card
    assert rule_problems(rule) == []


@pytest.mark.content
def test_most_rules_carry_their_own_sympy_check() -> None:
    checked = sum(rule.check is not None for rule in THEORY.rules.values())
    assert checked >= 40


@pytest.mark.content
@pytest.mark.parametrize("derivation_id", sorted(THEORY.derivations))
def test_every_derivation_step_is_verified_by_sympy(derivation_id: str) -> None:
    derivation = THEORY.derivations[derivation_id]
    results = check_derivation(derivation)
    assert len(results) == len(derivation.steps)
    failing = [f"step {r.index}: {r.how}" for r in results if not r.equal]
    assert failing == []
    for step in derivation.steps:
        assert all(rule in THEORY.rules for rule in step.rules)


def test_a_broken_step_is_caught() -> None:
    """The verification can fail: change one step of a real derivation and it must."""
    from dataclasses import replace

    derivation = THEORY.derivations["sigmoid-derivative"]
    steps = list(derivation.steps)
    steps[-1] = replace(steps[-1], expr="sigmoid(z)**2")
    results = check_derivation(replace(derivation, steps=tuple(steps)))
    assert not results[-1].equal


@pytest.mark.content
@pytest.mark.parametrize("card_id", sorted(THEORY.cards))
def test_card_parts_are_in_place(card_id: str) -> None:
    card = THEORY.cards[card_id]
    assert card_problems(card) == []
    assert card.idea.strip() and card.formula.where.strip() and card.read
    for reading in card.read:
        assert 1800 < reading.year <= 2026 and reading.authors and reading.where


@pytest.mark.content
@pytest.mark.parametrize("card_id", sorted(THEORY.cards))
def test_scratch_matches_sklearn_within_the_cards_tolerance(card_id: str) -> None:
    card: Card = THEORY.cards[card_id]
    result = run_side_by_side(card.run)
    assert result.within, f"{result.difference_label} = {result.difference} > {card.run.tolerance}"
    assert card.run.reason


@pytest.mark.content
@pytest.mark.parametrize("ladder_id", sorted(THEORY.ladders))
def test_every_ladder_rung_reproduces_the_one_above(ladder_id: str) -> None:
    ladder = THEORY.ladders[ladder_id]
    results = run_ladder(ladder)
    assert [r.rung.title for r in results] == [r.title for r in ladder.rungs]
    levels = [r.rung.level for r in results]
    assert levels[0] == "library" and levels[-1] == "by-hand"
    for result in results[1:]:
        assert result.within, (result.rung.title, result.differences)
        assert result.differences  # every quantity was compared
