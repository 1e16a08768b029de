"""The theory part of the catalogue: rules, derivations, concept cards and ladders.

Read from `content/rules.toml`, `content/derivations/`, `content/cards/` and `content/ladders/`
into frozen dataclasses. The loader only checks shape and references; that every step holds and
every comparison agrees is `invert dev check`'s job (kinds/theory/verify.py), since it needs
SymPy and scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invert.catalog.toml import Reader, read_toml

# The names a formula may use (read by kinds/theory/sym.py, which checks with SymPy).


@dataclass(frozen=True)
class MatrixSpec:
    rows: int
    cols: int
    symmetric: bool = False


@dataclass(frozen=True)
class RandomSpec:
    """A random variable, independent of every other, known through its first two moments."""

    mean: str
    variance: str


@dataclass(frozen=True)
class Definition:
    """A named function written in terms of its arguments: sigmoid(z) = 1/(1 + exp(-z))."""

    args: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Context:
    """The names an expression may use, with what the checker may assume about them."""

    symbols: dict[str, str] = field(default_factory=dict)  # name -> "real positive ..."
    matrices: dict[str, MatrixSpec] = field(default_factory=dict)
    random: dict[str, RandomSpec] = field(default_factory=dict)
    define: dict[str, Definition] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)  # symbolic bounds made concrete to check
    indexed: dict[str, str] = field(default_factory=dict)  # y -> "real": y[i] inside a Sum
    unknowns: tuple[str, ...] = ()

    def names(self) -> list[str]:
        return sorted(
            {*self.symbols, *self.matrices, *self.random, *self.define, *self.sizes, *self.indexed}
        )


RULE_TOPICS = ("derivatives", "optimisation", "algebra", "logs", "linear-algebra", "probability")
COMPARES = ("predictions", "proba", "transform", "clusters", "coef", "function", "score")
RUN_DATASETS = ("iris", "wine", "breast_cancer", "diabetes", "digits", "penguins")
READING_KINDS = ("book", "paper")
KEY_POINTS = (3, 5)  # how many key points a card lists, at least and at most
KEY_POINT_CHARS = 200  # a key point is one short sentence a learner can check their words against
RUNG_LEVELS = ("library", "scipy", "matrix", "by-hand")


@dataclass(frozen=True)
class RuleCheck:
    lhs: str
    rhs: str
    context: Context


@dataclass(frozen=True)
class Rule:
    """One move of the toolkit: what it says, how to spot it, an example, and its own check."""

    id: str
    name: str
    topic: str
    statement: str
    pattern: str
    example: str
    check: RuleCheck | None = None


@dataclass(frozen=True)
class Step:
    expr: str
    rule: str
    note: str
    also: tuple[str, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        return (self.rule, *self.also)


@dataclass(frozen=True)
class Derivation:
    """A chain of expressions from `start`, each step naming the rule that licenses it."""

    id: str
    title: str
    goal: str
    conclusion: str
    start: str
    start_note: str
    context: Context
    steps: tuple[Step, ...]
    path: Path

    def rules(self) -> list[str]:
        """The rule ids this derivation uses, in order of first use."""
        return list(dict.fromkeys(rule for step in self.steps for rule in step.rules))


@dataclass(frozen=True)
class CodeRow:
    math: str
    code: str
    meaning: str


@dataclass(frozen=True)
class Reading:
    authors: str
    title: str
    year: int
    where: str
    kind: str
    why: str

    def citation(self) -> str:
        return f"{self.authors}, *{self.title}* ({self.year}), {self.where}"


@dataclass(frozen=True)
class RunSpec:
    """What `invert learn ID --run` fits side by side: ours against scikit-learn's."""

    dataset: str
    scale: bool
    scratch: str
    sklearn: str
    compare: str
    tolerance: float
    reason: str
    params: dict[str, Any] = field(default_factory=dict)
    scratch_params: dict[str, Any] = field(default_factory=dict)
    sklearn_params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Formula:
    expr: str
    name: str
    where: str
    context: Context


@dataclass(frozen=True)
class Card:
    """A concept card: idea, formula, formula-to-code, scratch code, derivation, reading."""

    id: str
    idea: str
    formula: Formula
    code: tuple[CodeRow, ...]
    scratch: str
    show: str | None
    run: RunSpec
    derivation: str
    read: tuple[Reading, ...]
    answers: tuple[str, ...] = ()
    math_topic: bool = False
    useful_after: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    further: tuple[str, ...] = ()  # more derivations the card points to
    # The few ideas an explanation of the concept must make, each one short sentence; the
    # learner compares their own explanation with them (`invert explain`).
    key_points: tuple[str, ...] = ()
    # The concepts a learner needs first (the concept graph's edges; what a card leads to is
    # the other direction, worked out by the catalogue).
    builds_on: tuple[str, ...] = ()
    # Questions as learners put them, in their words, that the card answers: read by the
    # matching of why-questions to cards (kinds/theory/matching.py), never shown as text.
    phrasings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rung:
    function: str
    title: str
    level: str
    explain: str
    tolerance: float


@dataclass(frozen=True)
class Ladder:
    """One method at several rungs, from the library call down to a loop by hand."""

    id: str
    title: str
    question: str
    dataset: str
    scale: bool
    module: str
    card: str | None
    rungs: tuple[Rung, ...]
    path: Path


@dataclass
class Theory:
    rules: dict[str, Rule] = field(default_factory=dict)
    derivations: dict[str, Derivation] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    ladders: dict[str, Ladder] = field(default_factory=dict)


# --- reading ------------------------------------------------------------------------------------


def context_from(table: dict[str, Any], where: str, problems: list[str]) -> Context:
    """A checking context from a TOML table with optional `context` and `unknowns` keys."""
    raw = table.get("context", {})
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'context' should be a table")
        return Context()
    try:
        matrices = {
            name: MatrixSpec(
                int(spec["shape"][0]), int(spec["shape"][1]), bool(spec.get("symmetric"))
            )
            for name, spec in raw.get("matrices", {}).items()
        }
        random = {
            name: RandomSpec(str(spec["mean"]), str(spec["variance"]))
            for name, spec in raw.get("random", {}).items()
        }
        define = {
            name: Definition(tuple(spec["args"]), str(spec["body"]))
            for name, spec in raw.get("define", {}).items()
        }
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        problems.append(f"{where}: malformed context ({exc})")
        return Context()
    return Context(
        symbols={str(k): str(v) for k, v in raw.get("symbols", {}).items()},
        matrices=matrices,
        random=random,
        define=define,
        sizes={str(k): int(v) for k, v in raw.get("sizes", {}).items()},
        indexed={str(k): str(v) for k, v in raw.get("indexed", {}).items()},
        unknowns=tuple(str(u) for u in table.get("unknowns", ())),
    )


def load_theory(root: Path, problems: list[str]) -> Theory:
    theory = Theory()
    rules_file = root / "rules.toml"
    if rules_file.exists():
        for i, table in enumerate(read_toml(rules_file, problems).get("rule", [])):
            r = Reader(table, f"rules.toml rule #{i + 1}", problems)
            check = None
            if isinstance(table.get("check"), dict):
                c = table["check"]
                where = f"rules.toml rule {table.get('id')}"
                check = RuleCheck(
                    str(c.get("lhs", "")), str(c.get("rhs", "")), context_from(c, where, problems)
                )
            rule = Rule(
                id=r.get("id", str),
                name=r.get("name", str),
                topic=r.get("topic", str),
                statement=r.get("statement", str),
                pattern=r.get("pattern", str),
                example=r.get("example", str),
                check=check,
            )
            if rule.topic not in RULE_TOPICS:
                problems.append(f"rules.toml rule {rule.id}: topic must be one of {RULE_TOPICS}")
            if rule.id in theory.rules:
                problems.append(f"rules.toml: rule id '{rule.id}' is used twice")
            theory.rules[rule.id] = rule
    for path in sorted((root / "derivations").glob("*.toml")):
        derivation = _derivation(path, read_toml(path, problems), problems)
        theory.derivations[derivation.id] = derivation
    for path in sorted((root / "cards").glob("*.toml")):
        card = _card(path, read_toml(path, problems), problems)
        theory.cards[card.id] = card
    for path in sorted((root / "ladders").glob("*.toml")):
        ladder = _ladder(path, read_toml(path, problems), problems)
        theory.ladders[ladder.id] = ladder
    return theory


def _derivation(path: Path, table: dict[str, Any], problems: list[str]) -> Derivation:
    where = f"derivations/{path.name}"
    r = Reader(table, where, problems)
    steps = []
    for i, raw in enumerate(table.get("step", []), start=1):
        s = Reader(raw, f"{where} step {i}", problems)
        steps.append(
            Step(s.get("expr", str), s.get("rule", str), s.get("note", str), s.strings("also"))
        )
    derivation = Derivation(
        id=r.get("id", str),
        title=r.get("title", str),
        goal=r.get("goal", str),
        conclusion=r.get("conclusion", str),
        start=r.get("start", str),
        start_note=r.get("start_note", str),
        context=context_from(table, where, problems),
        steps=tuple(steps),
        path=path,
    )
    if derivation.id != path.stem:
        problems.append(f"{where}: id '{derivation.id}' should match the file name")
    if len(steps) < 2:
        problems.append(f"{where}: a derivation needs at least two steps")
    return derivation


def _card(path: Path, table: dict[str, Any], problems: list[str]) -> Card:
    where = f"cards/{path.name}"
    r = Reader(table, where, problems)
    formula_table = r.get("formula", dict)
    f = Reader(formula_table, f"{where} [formula]", problems)
    formula = Formula(
        f.get("expr", str),
        f.get("name", str),
        f.get("where", str),
        context_from(formula_table, f"{where} [formula]", problems),
    )
    code = tuple(
        CodeRow(c.get("math", str), c.get("code", str), c.get("meaning", str))
        for c in (Reader(row, f"{where} code", problems) for row in table.get("code", []))
    )
    scratch = Reader(r.get("scratch", dict), f"{where} [scratch]", problems)
    run = Reader(r.get("run", dict), f"{where} [run]", problems)
    spec = RunSpec(
        dataset=run.get("dataset", str),
        scale=run.get("scale", bool, False),
        scratch=run.get("scratch", str),
        sklearn=run.get("sklearn", str),
        compare=run.get("compare", str),
        tolerance=run.get("tolerance", float),
        reason=run.get("reason", str),
        params=run.get("params", dict, {}),
        scratch_params=run.get("scratch_params", dict, {}),
        sklearn_params=run.get("sklearn_params", dict, {}),
    )
    if spec.compare not in COMPARES:
        problems.append(f"{where} [run]: compare must be one of {', '.join(COMPARES)}")
    if spec.dataset not in RUN_DATASETS:
        problems.append(f"{where} [run]: dataset must be one of {', '.join(RUN_DATASETS)}")
    reads = []
    for raw in table.get("read", []):
        rr = Reader(raw, f"{where} [[read]]", problems)
        reading = Reading(
            rr.get("authors", str),
            rr.get("title", str),
            rr.get("year", int),
            rr.get("where", str),
            rr.get("kind", str),
            rr.get("why", str),
        )
        if reading.kind not in READING_KINDS:
            problems.append(f"{where} [[read]]: kind must be book or paper")
        reads.append(reading)
    card = Card(
        id=r.get("id", str),
        idea=r.get("idea", str),
        formula=formula,
        code=code,
        scratch=scratch.get("object", str),
        show=scratch.get("show", str, None),
        run=spec,
        derivation=r.get("derivation", str),
        read=tuple(reads),
        answers=r.strings("answers"),
        math_topic=r.get("math_topic", bool, False),
        useful_after=r.strings("useful_after"),
        keywords=r.strings("keywords"),
        further=r.strings("further"),
        key_points=tuple(point.strip() for point in r.strings("key_points")),
        builds_on=r.strings("builds_on"),
        phrasings=r.strings("phrasings"),
    )
    problems += key_point_problems(card.key_points, where)
    if card.id != path.stem:
        problems.append(f"{where}: id '{card.id}' should match the file name")
    if not card.read:
        problems.append(f"{where}: a card needs at least one [[read]] entry")
    if len(card.code) < 2:
        problems.append(f"{where}: map the formula to code in at least two [[code]] rows")
    if card.math_topic and not card.useful_after:
        problems.append(
            f"{where}: a math topic names the experiments or starters it is useful after"
        )
    return card


def key_point_problems(points: tuple[str, ...], where: str) -> list[str]:
    """What is wrong with a card's key points: 3 to 5 of them, each one short sentence, none
    repeated.

    >>> key_point_problems(("A.", "B.", "A."), "cards/x.toml")
    ['cards/x.toml: key point 3 repeats key point 1']
    """
    low, high = KEY_POINTS
    if not low <= len(points) <= high:
        return [
            f"{where}: list {low} to {high} key_points, the ideas an explanation must make "
            f"(has {len(points)})"
        ]
    problems = []
    for n, point in enumerate(points, start=1):
        if not point:
            problems.append(f"{where}: key point {n} is empty")
        elif len(point) > KEY_POINT_CHARS:
            problems.append(
                f"{where}: key point {n} has {len(point)} characters; keep it under "
                f"{KEY_POINT_CHARS}, one short sentence"
            )
        elif point in points[: n - 1]:
            problems.append(f"{where}: key point {n} repeats key point {points.index(point) + 1}")
    return problems


def _ladder(path: Path, table: dict[str, Any], problems: list[str]) -> Ladder:
    where = f"ladders/{path.name}"
    r = Reader(table, where, problems)
    rungs = []
    for i, raw in enumerate(table.get("rung", []), start=1):
        g = Reader(raw, f"{where} rung {i}", problems)
        rung = Rung(
            g.get("function", str),
            g.get("title", str),
            g.get("level", str),
            g.get("explain", str),
            g.get("tolerance", float),
        )
        if rung.level not in RUNG_LEVELS:
            problems.append(f"{where} rung {i}: level must be one of {', '.join(RUNG_LEVELS)}")
        rungs.append(rung)
    ladder = Ladder(
        id=r.get("id", str),
        title=r.get("title", str),
        question=r.get("question", str),
        dataset=r.get("dataset", str),
        scale=r.get("scale", bool, False),
        module=r.get("module", str, path.stem.replace("-", "_")),
        card=r.get("card", str, None),
        rungs=tuple(rungs),
        path=path,
    )
    if len(rungs) < 3:
        problems.append(f"{where}: a ladder needs at least three rungs")
    if not (path.parent / f"{ladder.module}.py").exists():
        problems.append(f"{where}: module {ladder.module}.py is missing")
    return ladder


def _graph_problems(theory: Theory) -> list[str]:
    """A concept may not build, through others, on itself: the graph has no cycle."""
    import graphlib

    graph = {card.id: set(card.builds_on) for card in theory.cards.values()}
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        return [f"cards: builds_on goes round in a circle: {' -> '.join(exc.args[1])}"]
    return []


def cross_check(
    theory: Theory,
    concepts: set[str],
    experiments: set[str],
    starters: set[str],
    problems: list[str],
) -> None:
    """Every reference between theory content and the rest of the catalogue resolves."""
    for derivation in theory.derivations.values():
        for i, step in enumerate(derivation.steps, start=1):
            for rule in step.rules:
                if rule not in theory.rules:
                    problems.append(
                        f"derivations/{derivation.id}.toml step {i}: unknown rule '{rule}'"
                    )
    for card in theory.cards.values():
        where = f"cards/{card.id}.toml"
        if card.id not in concepts:
            problems.append(f"{where}: '{card.id}' is not a concept in concepts.toml")
        for derivation_id in (card.derivation, *card.further):
            if derivation_id not in theory.derivations:
                problems.append(f"{where}: unknown derivation '{derivation_id}'")
        for experiment in card.answers:
            if experiment not in experiments:
                problems.append(f"{where}: answers unknown experiment '{experiment}'")
        for ref in card.useful_after:
            kind, _, ident = ref.partition(":")
            known = experiments if kind == "experiment" else starters if kind == "starter" else None
            if known is None or ident not in known:
                problems.append(f"{where}: useful_after '{ref}' is not experiment:ID or starter:ID")
        for concept in card.builds_on:
            if concept not in concepts or concept == card.id:
                problems.append(f"{where}: builds_on '{concept}' is not another concept")
    problems += _graph_problems(theory)
    for ladder in theory.ladders.values():
        if ladder.card is not None and ladder.card not in theory.cards:
            problems.append(f"ladders/{ladder.id}.toml: unknown card '{ladder.card}'")
    answered = {e for card in theory.cards.values() for e in card.answers}
    if theory.cards:
        for experiment in sorted(experiments - answered):
            problems.append(f"experiments/{experiment}.toml: no concept card answers its question")
