"""The theory content is code: every rule's check, every derivation step, every card's code map
and side-by-side run, and every ladder rung is verified here, as `invert dev check` does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from invert.catalog.loader import CONTENT_DIR, load_catalog, read_catalog
from invert.catalog.report import CheckReport
from invert.kinds.theory.compare import run_side_by_side
from invert.kinds.theory.ladders import run_ladder
from invert.kinds.theory.model import Card
from invert.kinds.theory.verify import card_problems, check_derivation, prove, rule_problems

CATALOG = load_catalog()
THEORY = CATALOG.theory


@pytest.mark.content
def test_the_catalogue_has_what_the_issue_asks_for() -> None:
    assert len(THEORY.cards) >= 50
    assert len(THEORY.rules) >= 70
    assert len(THEORY.derivations) >= 30
    assert len(THEORY.ladders) >= 4
    topics = {c.id for c in THEORY.cards.values() if c.math_topic}
    assert {"matrix-operations", "derivatives", "probability", "bias-variance"} <= topics
    assert "eigendecomposition" in topics
    assert len(topics) > 5  # the math timeline grows with the cards
    assert {"pca", "linear-regression", "logistic-regression", "kmeans"} <= set(THEORY.ladders)


@pytest.mark.content
def test_every_concept_has_a_card_that_names_what_it_builds_on() -> None:
    assert set(CATALOG.concepts) == set(THEORY.cards)
    roots = [c.id for c in THEORY.cards.values() if not c.builds_on]
    assert len(roots) <= 8, roots  # the few concepts everything starts from
    for card in THEORY.cards.values():
        assert len(card.phrasings) >= 4, card.id  # how learners ask for it, for the matching


def test_dev_check_fails_on_a_concept_without_a_card(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    referenced = {ladder.card for ladder in THEORY.ladders.values()}
    referenced |= {d.card for d in CATALOG.drills.values() if getattr(d, "card", None)}
    lonely = next(c.id for c in THEORY.cards.values() if not c.answers and c.id not in referenced)
    (root / "cards" / f"{lonely}.toml").unlink()
    catalog, problems = read_catalog(root)
    assert problems == [], problems  # the catalogue still loads: a learner can go on
    report = CheckReport()
    prove(catalog, report, run=False)
    expected = f"concepts.toml: concept '{lonely}' has no card (cards/{lonely}.toml)"
    assert expected in report.problems, report.problems


def test_cards_that_build_on_each_other_are_refused(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    first, second = sorted(THEORY.cards)[:2]
    for this, other in ((first, second), (second, first)):
        path = root / "cards" / f"{this}.toml"
        text = re.sub(r"^builds_on = \[[^\]]*\]\n", "", path.read_text(), flags=re.M)
        path.write_text(f'builds_on = ["{other}"]\n' + text)
    _, problems = read_catalog(root)
    assert any("builds_on goes round in a circle" in p for p in problems), problems


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
