"""A derivation worked by the learner, one step at a time: the logic behind `invert derive`.

At each step the learner types the next expression and the rule that licenses it. SymPy decides
whether the expression follows from the previous one; the rule fits when it is one the step
names. Hints come in order: the rule, then the step itself. The session holds no I/O: the CLI
(and later the web app) asks, the session answers.

How a step counts in the toolkit: right first time without hints is a "good" review of its rule;
right after a wrong try is "hard"; a step that needed a hint (which shows the rule) is "again".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from invert.catalog.theory import Derivation, Rule, Step
from invert.theory.sym import ExpressionError, equivalent, parse, pretty


@dataclass(frozen=True)
class Attempt:
    """What the learner typed at one step, and what the checker found."""

    accepted: bool
    expression_ok: bool
    rule_ok: bool
    message: str
    rule: str | None = None  # the rule id the learner named, when it matched one
    rating: str | None = None  # the review this step earned its rule, once accepted


@dataclass
class DeriveSession:
    derivation: Derivation
    rules: dict[str, Rule]
    position: int = 0  # the index of the step the learner is working on
    hints: int = 0  # hints taken on this step
    tries: int = 0  # wrong attempts on this step
    log: list[Attempt] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.position >= len(self.derivation.steps)

    @property
    def step(self) -> Step:
        return self.derivation.steps[self.position]

    @property
    def previous(self) -> str:
        """The expression the current step starts from."""
        if self.position == 0:
            return self.derivation.start
        return self.derivation.steps[self.position - 1].expr

    def shown(self, text: str) -> str:
        return pretty(text, self.derivation.context)

    def hint(self) -> str:
        """The next hint for this step: first the rule to use, then the step itself."""
        self.hints += 1
        step = self.step
        rule = self.rules.get(step.rule)
        if self.hints == 1:
            name = rule.name if rule else step.rule
            statement = f": {rule.statement}" if rule else ""
            return f"Use {name} ({step.rule}){statement}"
        return f"The step is:  {step.expr}\n{self.shown(step.expr)}\n({step.note})"

    def reveal(self) -> Step:
        """Give up on this step: show it and move on (its rule is reviewed as forgotten)."""
        step = self.step
        self.log.append(Attempt(True, False, False, "shown", step.rule, "again"))
        self._advance()
        return step

    def attempt(self, expression: str, rule_text: str) -> Attempt:
        """Check the learner's next expression and the rule they name for it."""
        ctx = self.derivation.context
        step = self.step
        try:
            with time_limit(CHECK_SECONDS):
                before = parse(self.previous, ctx)
                after = parse(expression, ctx)
        except ExpressionError as exc:
            return self._record(Attempt(False, False, False, str(exc)), count=False)
        except CheckTimeout:
            return self._record(Attempt(False, False, False, _TOO_LONG), count=False)
        rule_id = self.match_rule(rule_text)
        rule_ok = rule_id is not None and rule_id in step.rules
        if _same_text(expression, self.previous):
            return self._record(
                Attempt(False, False, rule_ok, "that is the previous expression unchanged", rule_id)
            )
        try:
            with time_limit(CHECK_SECONDS):
                verdict = equivalent(before, after, ctx)
        except CheckTimeout:
            return self._record(Attempt(False, False, rule_ok, _TOO_LONG, rule_id), count=False)
        if not verdict.equal:
            message = f"that does not follow from the previous expression: {verdict.how}"
            return self._record(Attempt(False, False, rule_ok, message, rule_id))
        if not rule_ok:
            named = self.rules[rule_id].name if rule_id else repr(rule_text.strip())
            message = (
                f"the expression is right, but {named} is not the rule this step uses"
                if rule_id
                else f"the expression is right; {named} is not a rule (type `rules` for the list)"
            )
            return self._record(Attempt(False, True, False, message, rule_id))
        rating = "again" if self.hints else "hard" if self.tries else "good"
        attempt = Attempt(True, True, True, "right", rule_id, rating)
        self.log.append(attempt)
        self._advance()
        return attempt

    def match_rule(self, text: str) -> str | None:
        """A rule id from what the learner typed: the id, the name, or close to either."""
        wanted = " ".join(text.strip().lower().replace("_", "-").split())
        if not wanted:
            return None
        by_name = {rule.name.lower(): rule.id for rule in self.rules.values()}
        if wanted in self.rules:
            return wanted
        if wanted in by_name:
            return by_name[wanted]
        dashed = wanted.replace(" ", "-")
        if dashed in self.rules:
            return dashed
        close = difflib.get_close_matches(wanted, [*self.rules, *by_name], n=1, cutoff=0.85)
        if close:
            return by_name.get(close[0], close[0])
        return None

    def _record(self, attempt: Attempt, count: bool = True) -> Attempt:
        if count:
            self.tries += 1
        self.log.append(attempt)
        return attempt

    def _advance(self) -> None:
        self.position += 1
        self.hints = 0
        self.tries = 0


def _same_text(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


CHECK_SECONDS = 10
_TOO_LONG = (
    f"SymPy could not check that within {CHECK_SECONDS} s; write the step more simply "
    "(the derivation never needs huge numbers)"
)


class CheckTimeout(BaseException):
    """A check ran past its time limit (a BaseException, so SymPy's own handlers let it by)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise CheckTimeout in this block after `seconds`, where a timer signal can do it.

    Only the main thread of a process with SIGALRM can be interrupted so (the CLI); elsewhere
    (the web app's threads) the block runs unbounded and the size screen in sym.parse is the
    guard. Arithmetic inside one C call is not interrupted either: hence that screen.
    """
    import signal
    import threading

    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise CheckTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
