"""A derivation worked by the learner, one step at a time: the logic behind `invert derive`.

At each step the learner types the next expression and the rule that licenses it. SymPy decides
whether the expression equals the previous one; `invert.kinds.theory.moves.judge` decides whether
it is
one application of the named rule (with the other rules the author's step names beside it), so
that the final answer typed at step 1 is refused as a skip, not accepted as "equal".

The learner may take another correct order: any rule a step still ahead names may be applied, as
long as the change is one application of it. The session keeps the learner's own expression
(`current`) and continues from it; it moves its place in the author's steps (`position`) when the
learner's expression is one of them (in any notation), and finishes when it is the last one.
Hints come in order: the rule, then the step itself; after a different route, the hint is the
first author step one rule away from the learner's expression, if there is one.
The session holds no I/O: the CLI (and later the web app) asks, the session answers.

How a step counts in the toolkit: right first time without hints is a "good" review of its rule;
right after a wrong try is "hard"; a step that needed a hint (which shows the rule) is "again".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from invert.kinds.theory.form import FormError, form
from invert.kinds.theory.model import Derivation, Rule, Step
from invert.kinds.theory.moves import describe_change, judge
from invert.kinds.theory.sym import ExpressionError, equivalent, parse, pretty


@dataclass(frozen=True)
class Attempt:
    """What the learner typed at one step, and what the checker found."""

    accepted: bool
    expression_ok: bool
    rule_ok: bool
    message: str
    rule: str | None = None  # the rule id the learner named, when it matched one
    rating: str | None = None  # the review this step earned its rule, once accepted
    step: int | None = None  # the author's step (0-based) the accepted expression is, if any


@dataclass
class DeriveSession:
    derivation: Derivation
    rules: dict[str, Rule]
    position: int = 0  # the index of the author's step the learner is working towards
    hints: int = 0  # hints taken on this step
    tries: int = 0  # wrong attempts on this step
    log: list[Attempt] = field(default_factory=list)
    current: str = ""  # the learner's expression so far (the start, at first)

    def __post_init__(self) -> None:
        if not self.current:
            self.current = self.derivation.start

    @property
    def done(self) -> bool:
        return self.position >= len(self.derivation.steps)

    @property
    def step(self) -> Step:
        return self.derivation.steps[self.position]

    @property
    def previous(self) -> str:
        """The expression the current step starts from: the learner's own, after their route."""
        return self.current

    @property
    def on_route(self) -> bool:
        """Whether the learner's expression is the author's (the start or the last step done)."""
        author = self.derivation.start if self.position == 0 else None
        if author is None:
            author = self.derivation.steps[self.position - 1].expr
        return self._form(self.current) == self._form(author)

    def shown(self, text: str) -> str:
        return pretty(text, self.derivation.context)

    def hint(self) -> str:
        """The next hint for this step: first the rule to use, then the step itself.

        After the learner took their own route, the hint is the first author step one rule
        away from their expression; when none is, it says so and gives the rules still ahead.
        """
        self.hints += 1
        step = self.step
        detour = ""
        if not self.on_route:
            reachable = self._reachable()
            if reachable is None:
                left = ", ".join(
                    dict.fromkeys(
                        r for s in self.derivation.steps[self.position :] for r in s.rules
                    )
                )
                return (
                    "Your route differs from the card's and no step of the card is one rule "
                    f"away from your expression; the rules still ahead are: {left}. "
                    f"The card's next step is:  {step.expr}"
                )
            step = reachable
            detour = "From your expression, "
        rule = self.rules.get(step.rule)
        if self.hints == 1:
            name = rule.name if rule else step.rule
            statement = f": {rule.statement}" if rule else ""
            return f"{detour}Use {name} ({step.rule}){statement}"
        return f"{detour}The step is:  {step.expr}\n{self.shown(step.expr)}\n({step.note})"

    def _reachable(self) -> Step | None:
        """The first author step still ahead that is one application of its rules away."""
        ctx = self.derivation.context
        for step in self.derivation.steps[self.position :]:
            try:
                with time_limit(CHECK_SECONDS):
                    if judge(self.current, step.expr, frozenset(step.rules), ctx, step.expr).ok:
                        return step
            except (CheckTimeout, ExpressionError):
                return None
        return None

    def reveal(self) -> Step:
        """Give up on this step: show it and move on (its rule is reviewed as forgotten)."""
        step = self.step
        self.log.append(Attempt(True, False, False, "shown", step.rule, "again", self.position))
        self.current = step.expr
        self._advance()
        return step

    def attempt(self, expression: str, rule_text: str) -> Attempt:
        """Check the learner's next expression and the rule they name for it.

        Accepted when it equals the previous expression AND is one application of the named
        rule (with the other rules of the author's step that names it). Refused, with what
        happened: not equal (a point where they differ), a later step of the card typed early
        (which steps it skips), or equal but not what the rule gives (what the rule would do).
        """
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
        ahead = self.derivation.steps[self.position :]
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
        if rule_id is None:
            named = repr(rule_text.strip())
            message = f"the expression is right; {named} is not a rule (type `rules` for the list)"
            return self._record(Attempt(False, True, False, message, rule_id))
        try:
            with time_limit(CHECK_SECONDS):
                return self._judge(expression, rule_id, ahead)
        except CheckTimeout:
            return self._record(Attempt(False, False, rule_ok, _TOO_LONG, rule_id), count=False)

    def _judge(self, expression: str, rule_id: str, ahead: tuple[Step, ...]) -> Attempt:
        """The verdict on an expression equal to the previous one, with a known rule."""
        ctx = self.derivation.context
        step = self.step
        matched = self._matches(expression)
        for offset, candidate in enumerate(ahead):
            # This step's rules, or a later step's when the learner names its main rule: an
            # order of their own, one rule (with the rules that step needs beside it) at a time.
            if rule_id not in (candidate.rules if offset == 0 else (candidate.rule,)):
                continue
            author = candidate.expr if offset == 0 else None
            if judge(self.current, expression, frozenset(candidate.rules), ctx, author).ok:
                return self._accept(expression, rule_id, matched)
        name = self.rules[rule_id].name
        if matched is not None and matched > self.position:
            skipped = "; ".join(
                f"step {i + 1} ({self._names(s)})"
                for i, s in enumerate(self.derivation.steps)
                if self.position <= i < matched
            )
            message = (
                f"that skips ahead: it is the expression of step {matched + 1}, which leaves out "
                f"{skipped}. Write step {self.position + 1} first: the expression "
                f"{self._names(step)} gives from the previous one"
            )
            return self._record(Attempt(False, False, False, message, rule_id))
        if rule_id not in {r for s in ahead for r in s.rules}:
            own = judge(self.current, expression, frozenset(step.rules), ctx, step.expr).ok
            if own:
                message = f"the expression is right, but {name} is not the rule this step uses"
                return self._record(Attempt(False, True, False, message, rule_id))
            message = (
                f"that is equal to the previous expression, but it is not one step from it, "
                f"and {name} is not a rule this derivation still uses"
            )
            return self._record(Attempt(False, False, False, message, rule_id))
        bundle = next(s.rules for s in ahead if rule_id in s.rules)
        would = describe_change(self.current, frozenset(bundle), ctx, rule_id, name)
        message = (
            f"that is equal to the previous expression, but {name} does not produce it "
            f"in one step: {would}"
        )
        return self._record(Attempt(False, False, rule_id in step.rules, message, rule_id))

    def _accept(self, expression: str, rule_id: str, matched: int | None) -> Attempt:
        rating = "again" if self.hints else "hard" if self.tries else "good"
        attempt = Attempt(True, True, True, "right", rule_id, rating, matched)
        self.log.append(attempt)
        self.current = expression
        if matched is not None and matched >= self.position:
            self.position = matched
            self._advance()
        else:  # a step of the learner's own route: the next one starts afresh
            self.hints = 0
            self.tries = 0
        return attempt

    def _matches(self, expression: str) -> int | None:
        """The last author step still ahead that `expression` is, notation aside."""
        mine = self._form(expression)
        found = None
        for i in range(self.position, len(self.derivation.steps)):
            if mine is not None and mine == self._form(self.derivation.steps[i].expr):
                found = i
        return found

    def _form(self, text: str) -> object:
        try:
            return form(text, frozenset(self.derivation.context.matrices))
        except FormError:
            return None

    def _names(self, step: Step) -> str:
        return " and ".join(self.rules[r].name if r in self.rules else r for r in step.rules)

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
