"""Checks of theory content that need SymPy or the code itself: what `invert dev check` runs.

Each function returns the problems it found (an empty list when the content holds), so that dev
check can report every one of them and the tests can assert there are none.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from invert.kinds.theory.model import Card, Derivation, Rule
from invert.kinds.theory.sym import ExpressionError, equivalent, parse, pretty

if TYPE_CHECKING:
    from invert.catalog.models import Catalog
    from invert.catalog.report import CheckReport, Progress

# What may not appear in a card's plain-words idea: the idea comes before any symbol.
_SYMBOLS = re.compile(r"[=∑Σ∂√^∇]|\$|\\frac|\b[a-z]_(\{|[a-z0-9]\b)")


@dataclass(frozen=True)
class StepCheck:
    index: int  # 1-based; 0 is the start
    expr: str
    rule: str
    equal: bool
    how: str
    one_step: bool = True  # the step is one application of its rules (`moves.judge`)
    why: str = ""  # when it is not: what the rules would change instead
    shown_apart: bool = True  # its display differs from the previous step's


def check_derivation(derivation: Derivation) -> list[StepCheck]:
    """Check every step of `derivation` against the one before it, in its context: equal, one
    application of the rules it names (the check `invert derive` makes), displayed apart."""
    from invert.kinds.theory.moves import RULES_WITH_A_CHECK, judge

    ctx = derivation.context
    results: list[StepCheck] = []
    try:
        previous = parse(derivation.start, ctx)
        previous_shown = pretty(derivation.start, ctx)
    except ExpressionError as exc:
        return [StepCheck(0, derivation.start, "", False, str(exc))]
    before = derivation.start
    for index, step in enumerate(derivation.steps, start=1):
        try:
            current = parse(step.expr, ctx)
            shown = pretty(step.expr, ctx)
        except ExpressionError as exc:
            results.append(StepCheck(index, step.expr, step.rule, False, str(exc)))
            return results
        verdict = equivalent(previous, current, ctx)
        unchecked = [r for r in step.rules if r not in RULES_WITH_A_CHECK]
        if unchecked:
            move_ok, why = False, f"no step check for {', '.join(unchecked)}"
        else:
            move = judge(before, step.expr, frozenset(step.rules), ctx, step.expr)
            move_ok, why = move.ok, move.why
        results.append(
            StepCheck(
                index,
                step.expr,
                step.rule,
                verdict.equal,
                verdict.how,
                move_ok,
                why,
                shown != previous_shown,
            )
        )
        previous, previous_shown, before = current, shown, step.expr
    return results


def derivation_problems(
    derivation: Derivation, results: list[StepCheck] | None = None
) -> list[str]:
    """What is wrong with the steps of `derivation` (`results`, when already checked)."""
    where = f"derivations/{derivation.id}.toml"
    problems: list[str] = []
    for r in check_derivation(derivation) if results is None else results:
        at = f"{where} step {r.index}" if r.index else f"{where} start"
        if not r.equal:
            problems.append(f"{at}: {r.how}")
            continue
        if not r.one_step:
            problems.append(f"{at}: not one application of {r.rule} and its also-rules: {r.why}")
        if not r.shown_apart:
            problems.append(f"{at}: it displays exactly like the step before it")
    return problems


def rule_problems(rule: Rule) -> list[str]:
    """The rule's own SymPy check, when it has one, must hold."""
    if rule.check is None:
        return []
    ctx = rule.check.context
    try:
        verdict = equivalent(parse(rule.check.lhs, ctx), parse(rule.check.rhs, ctx), ctx)
    except ExpressionError as exc:
        return [f"rules.toml rule {rule.id}: {exc}"]
    return [] if verdict.equal else [f"rules.toml rule {rule.id}: check fails: {verdict.how}"]


def card_problems(card: Card) -> list[str]:
    """The card's formula renders, its code rows quote its scratch module, its idea has no math."""
    where = f"cards/{card.id}.toml"
    problems: list[str] = []
    if _SYMBOLS.search(re.sub(r"`[^`]*`", "", card.idea)):
        problems.append(f"{where}: the idea should be plain words, without symbols")
    try:
        pretty(card.formula.expr, card.formula.context)
    except ExpressionError as exc:
        problems.append(f"{where} [formula]: {exc}")
    try:
        module, target = scratch_target(card)
    except (ImportError, AttributeError) as exc:
        return [*problems, f"{where} [scratch]: {card.scratch}: {exc}"]
    source = re.sub(r"\s+", "", inspect.getsource(module))
    for row in card.code:
        if re.sub(r"\s+", "", row.code) not in source:
            problems.append(
                f"{where} [[code]] {row.math}: {row.code!r} is not in {module.__name__}"
            )
    if card.show and not (
        hasattr(target, card.show) or getattr(target, "__name__", "") == card.show
    ):
        problems.append(f"{where} [scratch]: {card.scratch} has no {card.show}")
    return problems


def scratch_target(card: Card) -> tuple[Any, Any]:
    module_name, _, attribute = card.scratch.partition(":")
    module = importlib.import_module(module_name)
    target: Any = module
    for part in filter(None, attribute.split(".")):
        target = getattr(target, part)
    return module, target


def scratch_source(card: Card) -> str:
    """The source the card shows: the named method or function of its scratch object."""
    _, target = scratch_target(card)
    shown = getattr(target, card.show) if card.show and hasattr(target, card.show) else target
    return inspect.getsource(shown)


def prove(
    catalog: Catalog,
    report: CheckReport,
    run: bool = True,
    on_progress: Progress | None = None,
) -> None:
    """Rules' own checks, every derivation step, cards' code maps; with `run`, cards' side-by-side
    comparisons and every ladder rung, each within its stated tolerance."""
    theory = catalog.theory
    if on_progress is not None:
        on_progress(f"{len(theory.rules)} rules and {len(theory.derivations)} derivations")
    for rule in theory.rules.values():
        report.problems += rule_problems(rule)
        report.checked.append(f"rule {rule.id}" + ("" if rule.check else " (no SymPy check)"))
    for derivation in theory.derivations.values():
        results = check_derivation(derivation)
        report.problems += derivation_problems(derivation, results)
        one = sum(r.one_step and r.equal for r in results if r.index)
        apart = sum(r.shown_apart for r in results if r.index)
        report.checked.append(
            f"derivation {derivation.id} ({len(derivation.steps)} steps: {one} accepted as one "
            f"application of their rules, {apart} displayed apart from the step before)"
        )
    # Every concept has its card (a catalogue without cards at all is not checked here): a
    # learner sent to `invert learn` by a question or an experiment must find one.
    if theory.cards:
        report.problems += [
            f"concepts.toml: concept '{concept}' has no card (cards/{concept}.toml)"
            for concept in sorted(set(catalog.concepts) - set(theory.cards))
        ]
    for card in theory.cards.values():
        report.problems += card_problems(card)
        # The loader refuses a card without 3 to 5 key points (theory.key_point_problems).
        report.checked.append(f"card {card.id} ({len(card.key_points)} key points)")
        if not run:
            continue
        from invert.kinds.theory.compare import run_side_by_side

        if on_progress is not None:
            on_progress(f"card {card.id} --run")
        result = run_side_by_side(card.run)
        if not result.within:
            report.problems.append(
                f"cards/{card.id}.toml [run]: {result.difference_label} is "
                f"{result.difference:.3g}, above the stated tolerance {result.tolerance:g}"
            )
        report.checked.append(f"card {card.id} --run ({result.difference:.3g})")
    if not run:
        return
    from invert.kinds.theory.ladders import ladder_problems

    for ladder in theory.ladders.values():
        if on_progress is not None:
            on_progress(f"ladder {ladder.id}")
        report.problems += ladder_problems(ladder)
        report.checked.append(f"ladder {ladder.id}")
