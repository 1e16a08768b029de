"""The SymPy checker behind derivations: what it accepts, what it refuses, and how it says so."""

from __future__ import annotations

import itertools

import pytest

from invert.kinds.theory.model import Context, Definition, MatrixSpec, RandomSpec
from invert.kinds.theory.sym import (
    Equation,
    ExpressionError,
    equivalent,
    parse,
    pretty,
)

SCALAR = Context(symbols={"x": "real", "y": "real", "w": "real", "a": "positive"})
LEAST_SQUARES = Context(
    matrices={"X": MatrixSpec(3, 2), "y": MatrixSpec(3, 1), "w": MatrixSpec(2, 1)},
    unknowns=("w",),
)
SIGMOID = Context(symbols={"z": "real"}, define={"sigmoid": Definition(("z",), "1/(1 + exp(-z))")})


def step(before: str, after: str, ctx: Context) -> bool:
    return equivalent(parse(before, ctx), parse(after, ctx), ctx).equal


def test_a_correct_rewrite_is_accepted_and_a_wrong_one_gets_a_counterexample() -> None:
    assert step("(x - y)**2", "x**2 - 2*x*y + y**2", SCALAR)
    verdict = equivalent(parse("(x - y)**2", SCALAR), parse("x**2 - y**2", SCALAR), SCALAR)
    assert not verdict.equal
    assert verdict.how.startswith("at x = ") and "differ by" in verdict.how


def test_derivatives_are_carried_out_before_comparing() -> None:
    assert step("Derivative((y - w*x)**2, w)", "-2*x*(y - w*x)", SCALAR)
    assert not step("Derivative((y - w*x)**2, w)", "2*x*(y - w*x)", SCALAR)


def test_log_rules_hold_only_where_the_assumptions_allow() -> None:
    assert step("log(a**2)", "2*log(a)", SCALAR)  # a is positive
    assert not step("log(x**2)", "2*log(x)", SCALAR)  # x may be negative: log|x| differs


def test_the_sigmoid_is_checked_through_its_definition_but_shown_by_name() -> None:
    assert step("Derivative(sigmoid(z), z)", "sigmoid(z)*(1 - sigmoid(z))", SIGMOID)
    assert not step("Derivative(sigmoid(z), z)", "sigmoid(z)**2", SIGMOID)
    assert "sigmoid(z)" in pretty("sigmoid(z)*(1 - sigmoid(z))", SIGMOID)


def test_the_normal_equation_chain_holds_for_explicit_matrices() -> None:
    chain = [
        "grad((y - X*w).T*(y - X*w), w)",
        "grad(y.T*y - 2*w.T*X.T*y + w.T*X.T*X*w, w)",
        "-2*X.T*y + 2*X.T*X*w",
        "-2*X.T*y + 2*X.T*X*w == 0",
        "X.T*X*w == X.T*y",
        "w == (X.T*X)**-1*X.T*y",
    ]
    for before, after in itertools.pairwise(chain):
        assert step(before, after, LEAST_SQUARES), after
    assert not step("X.T*X*w == X.T*y", "w == X.T*y", LEAST_SQUARES)
    verdict = equivalent(parse("X.T*y", LEAST_SQUARES), parse("X*w", LEAST_SQUARES), LEAST_SQUARES)
    assert verdict.how == "the shapes differ: a 2x1 matrix against a 3x1 matrix"


def test_an_equation_must_have_the_same_solutions() -> None:
    ctx = Context(symbols={"x": "real", "a": "positive", "b": "real"}, unknowns=("x",))
    assert step("a*x + b == 0", "x == -b/a", ctx)
    assert step("2*a*x - 2*b == 0", "a*x == b", ctx)  # proportional
    assert not step("a*x + b == 0", "x == b/a", ctx)
    assert isinstance(parse("x == 1", ctx), Equation)


def test_expectations_use_the_declared_moments() -> None:
    ctx = Context(
        symbols={"f": "real", "m": "real", "v": "positive"},
        random={"eps": RandomSpec("0", "v")},
    )
    assert step("E((f - (m + eps))**2)", "(f - m)**2 + v", ctx)
    assert step("Var(m + 3*eps)", "9*v", ctx)
    assert not step("E((f - (m + eps))**2)", "(f - m)**2", ctx)
    with pytest.raises(ExpressionError, match="moment"):
        step("E(eps**3)", "0", ctx)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x +", "ends too early"),
        ("2x", "write multiplication with *"),
        ("(x + y", "1 bracket left open"),
        ("x + y)", "closes nothing"),
        ("x = 1", "write an equation with =="),
        ("foo(x)", "unknown name 'foo'"),
        ("__import__('os')", "only SymPy expressions"),
        ("", "type an expression"),
        ("a == b == c", "one =="),
    ],
)
def test_input_that_cannot_be_read_gets_one_helpful_line(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text, SCALAR)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_identity_matrices_and_undeclared_moment_names() -> None:
    ridge = Context(
        symbols={"lamda": "positive"},
        matrices={"X": MatrixSpec(3, 2), "w": MatrixSpec(2, 1)},
    )
    assert step("(X.T*X + lamda*Identity(2))*w", "X.T*X*w + lamda*w", ridge)
    bad = Context(random={"eps": RandomSpec("0", "undeclared")})
    with pytest.raises(ExpressionError, match="unknown name 'undeclared'"):
        parse("E(eps)", bad)


def test_matrix_shape_errors_are_one_line() -> None:
    with pytest.raises(ExpressionError, match="could not read"):
        parse("X*X", LEAST_SQUARES)


def test_pretty_prints_like_a_book() -> None:
    shown = pretty(
        "Sum((x[i] - c)**2, (i, 1, n))",
        Context(symbols={"c": "real", "i": "integer"}, indexed={"x": "real"}, sizes={"n": 3}),
    )
    assert "n" in shown and "i = 1" in shown and "╲" in shown
    assert pretty("w == (X.T*X)**-1*X.T*y", LEAST_SQUARES).splitlines() == [
        "          -1     ",
        "    ⎛ T  ⎞    T  ",
        "w = ⎝X ⋅X⎠  ⋅X ⋅y",
    ]
