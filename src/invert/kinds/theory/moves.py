"""What one application of a rule may change: the check behind each derivation step.

Every step of a derivation is equal to every other, so equality alone says nothing about a step.
A step is judged here by what it changed (`invert.kinds.theory.form.differences`) and whether the
rules
it names explain that change:

* each rule with a local effect has a rewrite (`_REWRITES`): the derivative rules act on a
  ``Derivative`` node, the log rules on a ``log``, the expectation rules on ``E`` or ``Var``,
  substitute-definition replaces a defined function (or a declared mean or variance) by its
  value, the Bernoulli rules only a declared mean or variance, pairs-count binomial(k, 2) by
  k (k - 1) / 2. A changed part is explained when rewriting it and its replacement with the
  step's rules until nothing more applies gives the same result (SymPy's own arithmetic tidying
  both), so a rule may be applied forwards, backwards, at several places or at some of them;
* the algebra rules rewrite with SymPy's own algebra, each with the one operation it names:
  ``expand`` of products (distributive law, factor out, collect like terms), of integer powers of
  sums (expand a square), ``together`` (combine fractions), ``cancel`` (cancel a common factor);
* a change that SymPy's arithmetic alone undoes (``2*x/2`` to ``x``, ``x + x`` to ``2*x``) is
  explained only by an arithmetic rule (`ARITHMETIC`), or by a rule whose pattern the step removed
  (``log(exp(u))`` to ``u``, which SymPy also does on its own for real u);
* the equation rules (first-order condition, add to / divide both sides) compare the two
  equations as a whole.

Rules that fall back to the author's step (`FALLBACK`): every rule in a derivation with matrices.
SymPy's matrix expressions apply transposes and regroup products as they are built, so there is
no unevaluated matrix expression to rewrite locally; there the step must have the form of the
author's step (`form`, notation undone). multiply-by-inverse only appears with matrices.
Rules that only justify (`JUSTIFY`: a convex stationary point is a minimum, the identity matrix,
Bayes' rule...) change nothing themselves; naming them adds no rewrite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from invert.kinds.theory.form import (
    Form,
    FormError,
    cancel,
    collect,
    denominators,
    differences,
    distribute,
    expand_squares,
    form,
    spread_numbers,
    text,
    tidy,
)
from invert.kinds.theory.model import Context, Definition
from invert.kinds.theory.sym import _namespace, _parse_text, built

ARITHMETIC = frozenset(
    {
        "collect-like-terms",
        "cancel-common-factor",
        "factor-out",
        "distributive-law",
        "combine-fractions",
        "power-of-product",
        "expand-square",
        "weighted-mean-of-rates",
        "complement-of-a-share",
        "regroup-product",  # reorder and regroup factors, split a number: 2ab = (√2 a)(√2 b)
        "complete-the-square",
    }
)
# Rules of the evaluation metrics that are algebra moves under the name a learner meets them by:
# pooling group rates cancels the group sizes and joins the fractions; a share and its
# complement add to one, which joining (or splitting) the fractions shows. The first is the one
# SymPy operation that does the move.
ALGEBRA_ALIASES = {
    "weighted-mean-of-rates": ("cancel-common-factor", "combine-fractions"),
    "complement-of-a-share": ("combine-fractions",),
}
EQUATION = frozenset(
    {"first-order-condition", "add-to-both-sides", "divide-both-sides", "multiply-by-inverse"}
)
JUSTIFY = frozenset(
    {
        "convex-stationary-minimum",
        "identity-matrix",
        "bayes-rule",
        "conditional-independence",
        "argmax-monotone",
        "argmax-drop-constant",
        "eigen-equation",
        "lagrange-multiplier",
        "gradient-step",
        "mean-of-indicator",
        "bernoulli-probability",
    }
)
# Rules that only ever act on matrices: every step with matrices falls back to the author's form.
FALLBACK = frozenset(
    {
        "transpose-of-sum",
        "transpose-of-product",
        "matrix-distributive",
        "scalar-transpose",
        "grad-linear",
        "grad-quadratic-form",
    }
)
PASSES = 12  # rewriting stops after this many rounds (each rewrite makes the tree simpler)


@dataclass(frozen=True)
class Judgement:
    """Whether a step is one application of the named rules, and if not, what is wrong."""

    ok: bool
    why: str = ""  # for a refused step: what the rules would change instead


@dataclass
class Env:
    """What the rewrites know of the context: random variables, definitions, the active rules."""

    rules: frozenset[str]
    randoms: frozenset[Any]
    moments: dict[Any, tuple[Any, Any]] = field(default_factory=dict)
    define: dict[str, Any] = field(default_factory=dict)


# --- reading parts back into SymPy (names kept as written: the display namespace) ------------


_CACHE: dict[tuple[str, int], tuple[Context, Any]] = {}


def _cached(kind: str, ctx: Context, make: Callable[[Context], Any]) -> Any:
    """One value per context (contexts hold dicts, so they are kept by identity)."""
    key = (kind, id(ctx))
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not ctx:
        hit = (ctx, make(ctx))
        _CACHE[key] = hit
    return hit[1]


def _display_ns(ctx: Context) -> dict[str, Any]:
    return _cached("ns", ctx, lambda c: _namespace(c, "display"))  # type: ignore[no-any-return]


def sympify(part: Form, ctx: Context) -> Any:
    """SymPy's value of a form: its arithmetic done, its derivatives and names left as written."""
    return _parse_text(text(part), _display_ns(ctx), evaluate=True)


def evaluated(e: Any, ctx: Context) -> Any:
    """An expression built unevaluated (`build`, or a rewrite of one), with SymPy's arithmetic."""
    import sympy

    return _parse_text(sympy.sstr(e, order="none"), _display_ns(ctx), evaluate=True)


def build(part: Form, ctx: Context | None, names: dict[str, Any] | None = None) -> Any:
    """A form as a SymPy expression with nothing evaluated: sums and products as written."""
    ns = names if names is not None else _display_ns(ctx)  # type: ignore[arg-type]
    return built(part, ns)


def _env_base(ctx: Context) -> tuple[frozenset[Any], dict[Any, tuple[Any, Any]], dict[str, Any]]:
    return _cached("env", ctx, _make_env)  # type: ignore[no-any-return]


def _make_env(ctx: Context) -> tuple[frozenset[Any], dict[Any, tuple[Any, Any]], dict[str, Any]]:
    import sympy

    ns = _display_ns(ctx)
    randoms = frozenset(ns[name] for name in ctx.random)
    moments = {
        ns[name]: (_parse_text(s.mean, ns, True), _parse_text(s.variance, ns, True))
        for name, s in ctx.random.items()
    }
    define: dict[str, Any] = {}
    for name, definition in ctx.define.items():
        define[name] = _lambda(definition, ns, sympy)
    return randoms, moments, define


def _lambda(definition: Definition, ns: dict[str, Any], sympy: Any) -> Any:
    args = [sympy.Symbol(a, real=True) for a in definition.args]
    body = build(form(definition.body), None, dict(ns) | {a.name: a for a in args})
    return sympy.Lambda(tuple(args), body)


def env(ctx: Context, rules: frozenset[str]) -> Env:
    randoms, moments, define = _env_base(ctx)
    return Env(rules, randoms, moments, define)


# --- the rewrites -------------------------------------------------------------------------------


def _derivative(e: Any) -> tuple[Any, Any] | None:
    import sympy

    if isinstance(e, sympy.Derivative) and len(e.variable_count) == 1:
        var, count = e.variable_count[0]
        if count == 1:
            return e.expr, var
    return None


def _prod(factors: list[Any]) -> Any:
    """The product of `factors`; one factor is itself (unevaluated, SymPy would write 1*x)."""
    import sympy

    return factors[0] if len(factors) == 1 else sympy.Mul(*factors)


def _d(f: Any, x: Any) -> Any:
    import sympy

    return sympy.Derivative(f, x)


def _linearity(e: Any, env: Env) -> Any:
    import sympy

    got = _derivative(e)
    if got is None:
        return None
    f, x = got
    if isinstance(f, sympy.Add):
        return sympy.Add(*(_d(t, x) for t in f.args))
    if isinstance(f, sympy.Mul):
        const = [a for a in f.args if not a.has(x) and a != 1]
        rest = [a for a in f.args if a.has(x)]
        if const and rest:
            return _prod(const) * _d(_prod(rest), x)
        coeff, body = f.as_coeff_Mul()
        if coeff != 1:
            return coeff * _d(body, x)
    return None


def _of_sum(e: Any, env: Env) -> Any:
    import sympy

    got = _derivative(e)
    if got is None:
        return None
    f, x = got
    if isinstance(f, sympy.Add):
        return sympy.Add(*(_d(t, x) for t in f.args))
    if isinstance(f, sympy.Sum):
        return sympy.Sum(_d(f.function, x), *f.limits)
    return None


def _constant(e: Any, env: Env) -> Any:
    import sympy

    got = _derivative(e)
    if got is not None and not got[0].has(got[1]):
        return sympy.S.Zero
    return None


def _outer(f: Any, env: Env) -> tuple[Any, Any] | None:
    """(the outer function's derivative at u, u) for the outer functions the rules name."""
    import sympy

    if isinstance(f, sympy.Pow) and "power-rule" in env.rules:
        base, exp = f.args
        return exp * base ** (exp - 1), base
    if isinstance(f, sympy.exp) and "derivative-exp" in env.rules:
        return f, f.args[0]
    if isinstance(f, sympy.log) and "derivative-log" in env.rules:
        return 1 / f.args[0], f.args[0]
    if getattr(f.func, "__name__", "") == "sigmoid" and "derivative-sigmoid" in env.rules:
        return f * (1 - f), f.args[0]
    return None


def _elementary(e: Any, env: Env) -> Any:
    """An outer rule on its own: d/dx of x**n, exp(x), log(x), sigmoid(x); d/dx x is 1."""
    import sympy

    got = _derivative(e)
    if got is None:
        return None
    f, x = got
    if f == x and "power-rule" in env.rules:
        return sympy.S.One
    found = _outer_derivative(e, env)
    if found is None:
        return None
    slope, inner = found
    if inner == x and not (isinstance(f, sympy.Pow) and f.args[1].has(x)):
        return slope
    return None


def _outer_derivative(e: Any, env: Env) -> tuple[Any, Any] | None:
    """For d/dx f(u) whose outer function a named rule differentiates: (f'(u), u)."""
    got = _derivative(e)
    return None if got is None else _outer(got[0], env)


def _chain(e: Any, env: Env) -> Any:
    """The chain rule with a named outer rule: d/dx f(u) is f'(u) times d/dx u."""
    import sympy

    got, found = _derivative(e), _outer_derivative(e, env)
    if got is None or found is None:
        return None
    f, x = got
    slope, inner = found
    if inner == x or (isinstance(f, sympy.Pow) and f.args[1].has(x)) or not inner.has(x):
        return None
    return slope * _d(inner, x)


def _product(e: Any, env: Env) -> Any:
    import sympy

    got = _derivative(e)
    if got is None or not isinstance(got[0], sympy.Mul):
        return None
    f, x = got
    moving = [a for a in f.args if a.has(x)]
    if len(moving) < 2:
        return None
    const = sympy.Mul(*(a for a in f.args if not a.has(x)))
    terms = []
    for i, a in enumerate(moving):
        others = sympy.Mul(*(b for j, b in enumerate(moving) if j != i))
        terms.append(others * _d(a, x))
    return const * sympy.Add(*terms)


def _substitute(e: Any, env: Env) -> Any:
    """A defined function by its body; E and Var of a declared variable by its mean, variance."""
    import sympy

    name = getattr(e.func, "__name__", "")
    if name in env.define and isinstance(e, sympy.Function):
        return env.define[name](*e.args)
    if name in ("E", "Var") and len(e.args) == 1 and e.args[0] in env.moments:
        mean, variance = env.moments[e.args[0]]
        return mean if name == "E" else variance
    return None


def _moment(e: Any, env: Env, name: str) -> Any:
    """E (name "E") or Var of a declared random variable by its declared mean or variance only:
    the Bernoulli rules, whose context declares a 0/1 variable with mean p, variance p(1 - p)."""
    if getattr(e.func, "__name__", "") == name and len(e.args) == 1 and e.args[0] in env.moments:
        mean, variance = env.moments[e.args[0]]
        return mean if name == "E" else variance
    return None


def _pairs(e: Any, env: Env) -> Any:
    """binomial(k, 2), the pairs that can be made from k things, is k (k - 1) / 2."""
    import sympy

    if isinstance(e, sympy.binomial) and e.args[1] == 2:
        k = e.args[0]
        return k * (k - 1) / 2
    return None


def _randomness(f: Any, env: Env) -> frozenset[Any]:
    return frozenset(f.free_symbols) & env.randoms


def _call(e: Any, name: str) -> Any:
    if getattr(e.func, "__name__", "") == name and len(e.args) == 1:
        return e.args[0]
    return None


def _fn(name: str, arg: Any) -> Any:
    import sympy

    return sympy.Function(name)(arg)


def _linear_expectation(e: Any, env: Env) -> Any:
    import sympy

    f = _call(e, "E")
    if f is None:
        return None
    if isinstance(f, sympy.Add):
        return sympy.Add(*(_fn("E", t) for t in f.args))
    if isinstance(f, sympy.Mul):
        const = [a for a in f.args if not _randomness(a, env) and a != 1]
        rest = [a for a in f.args if _randomness(a, env)]
        if const and rest:
            return _prod(const) * _fn("E", _prod(rest))
    return None


def _expect_constant(e: Any, env: Env) -> Any:
    f = _call(e, "E")
    if f is not None and not _randomness(f, env):
        return f
    return None


def _split(f: Any, env: Env) -> tuple[Any, Any] | None:
    """Two groups of the factors (terms) of `f` with no random variable in common."""
    args = list(f.args)
    for i in range(1, 2 ** len(args) - 1):
        left = [a for j, a in enumerate(args) if i >> j & 1]
        right = [a for j, a in enumerate(args) if not i >> j & 1]
        lr = frozenset().union(*(_randomness(a, env) for a in left))
        rr = frozenset().union(*(_randomness(a, env) for a in right))
        if lr and rr and not lr & rr:
            return f.func(*left), f.func(*right)
    return None


def _independent_product(e: Any, env: Env) -> Any:
    import sympy

    f = _call(e, "E")
    if f is None or not isinstance(f, sympy.Mul):
        return None
    f = sympy.Mul(*(a for a in f.args if _randomness(a, env)))
    const = sympy.Mul(*(a for a in _call(e, "E").args if not _randomness(a, env)))
    parts = _split(f, env) if isinstance(f, sympy.Mul) else None
    if parts is None:
        return None
    return const * _fn("E", parts[0]) * _fn("E", parts[1])


def _variance_scaled(e: Any, env: Env) -> Any:
    """Var(a*X + b) is a**2*Var(X) when a and b are not random."""
    import sympy

    f = _call(e, "Var")
    if f is None:
        return None
    if isinstance(f, sympy.Add):
        fixed = [t for t in f.args if not _randomness(t, env)]
        if fixed:
            return _fn("Var", sympy.Add(*(t for t in f.args if _randomness(t, env))))
    if isinstance(f, sympy.Mul):
        const = [a for a in f.args if not _randomness(a, env) and a != 1]
        rest = [a for a in f.args if _randomness(a, env)]
        if const and rest:
            return _prod(const) ** 2 * _fn("Var", _prod(rest))
    if isinstance(f, sympy.Add) and len(f.args) > 1:  # a common constant factor of every term
        with sympy.evaluate(True):
            try:
                common = sympy.gcd_terms(sympy.sympify(sympy.sstr(f), locals=_names(f)))
            except (TypeError, ValueError, AttributeError, sympy.SympifyError):
                return None
        if isinstance(common, sympy.Mul) and common != f:
            return _variance_scaled(_fn("Var", common), env)
    return None


def _names(e: Any) -> dict[str, Any]:
    """The symbols and functions of `e` by name, to read a printed copy of it back."""
    names: dict[str, Any] = {str(s): s for s in e.free_symbols}
    for call in e.atoms(__import__("sympy").core.function.AppliedUndef):
        names[call.func.__name__] = call.func
    return names


def _variance_independent_sum(e: Any, env: Env) -> Any:
    import sympy

    f = _call(e, "Var")
    if f is None or not isinstance(f, sympy.Add):
        return None
    parts = _split(f, env)
    if parts is None:
        return None
    return _fn("Var", parts[0]) + _fn("Var", parts[1])


def _variance_definition(e: Any, env: Env) -> Any:
    """E(X**2) is Var(X) + E(X)**2."""
    import sympy

    f = _call(e, "E")
    if f is not None and isinstance(f, sympy.Pow) and f.args[1] == 2 and _randomness(f, env):
        return _fn("Var", f.args[0]) + _fn("E", f.args[0]) ** 2
    return None


def _log_split(e: Any, env: Env, quotient: bool) -> Any:
    import sympy

    if not isinstance(e, sympy.log) or not isinstance(e.args[0], sympy.Mul):
        return None
    factors = e.args[0].args
    below = [a for a in factors if isinstance(a, sympy.Pow) and a.args[1].is_negative]
    above = [a for a in factors if a not in below]
    if quotient and below:
        top = _prod(above) if above else sympy.S.One
        bottom = _prod([a.args[0] ** -a.args[1] for a in below])
        return sympy.log(top) - sympy.log(bottom)
    if not quotient and len(factors) > 1:
        return sympy.Add(*(sympy.log(a) for a in factors))
    return None


def _log_power(e: Any, env: Env) -> Any:
    import sympy

    if isinstance(e, sympy.log) and isinstance(e.args[0], sympy.Pow):
        base, exp = e.args[0].args
        return exp * sympy.log(base)
    return None


def _log_exp(e: Any, env: Env) -> Any:
    import sympy

    if isinstance(e, sympy.log) and isinstance(e.args[0], sympy.exp):
        return e.args[0].args[0]
    return None


def _exp_sum(e: Any, env: Env) -> Any:
    import sympy

    if isinstance(e, sympy.exp) and isinstance(e.args[0], sympy.Add):
        return sympy.Mul(*(sympy.exp(t, evaluate=False) for t in e.args[0].args), evaluate=False)
    return None


def _exp_negative(e: Any, env: Env) -> Any:
    import sympy

    if isinstance(e, sympy.exp) and e.args[0].could_extract_minus_sign():
        return 1 / sympy.exp(-e.args[0], evaluate=False)
    return None


def _sum_linear(e: Any, env: Env) -> Any:
    """A sum over i of a sum of terms, or of a factor free of i times a term, or of a constant."""
    import sympy

    if not isinstance(e, sympy.Sum) or len(e.limits) != 1:
        return None
    f = e.function
    i, low, high = e.limits[0]
    if isinstance(f, sympy.Add):
        return sympy.Add(*(sympy.Sum(t, e.limits[0]) for t in f.args))
    if not f.has(i):
        return (high - low + 1) * f
    if isinstance(f, sympy.Mul):
        const = [a for a in f.args if not a.has(i) and a != 1]
        rest = [a for a in f.args if a.has(i)]
        if const and rest:
            return _prod(const) * sympy.Sum(_prod(rest), e.limits[0])
    return None


Rewrite = Callable[[Any, Env], Any]
_REWRITES: dict[str, tuple[Rewrite, ...]] = {
    "derivative-linearity": (_linearity,),
    "derivative-of-sum": (_of_sum,),
    "constant-rule": (_constant,),
    "power-rule": (_elementary,),
    "chain-rule": (_chain,),
    "product-rule": (_product,),
    "derivative-exp": (_elementary,),
    "derivative-log": (_elementary,),
    "derivative-sigmoid": (_elementary,),
    "substitute-definition": (_substitute,),
    "gaussian-density": (_substitute,),
    "linearity-of-expectation": (_linear_expectation,),
    "expectation-of-constant": (_expect_constant,),
    "independent-product": (_independent_product,),
    "variance-of-scaled": (_variance_scaled,),
    "variance-of-independent-sum": (_variance_independent_sum,),
    "variance-definition": (_variance_definition,),
    "log-of-product": (lambda e, env: _log_split(e, env, quotient=False),),
    "log-of-quotient": (lambda e, env: _log_split(e, env, quotient=True),),
    "log-of-power": (_log_power,),
    "log-of-exp": (_log_exp,),
    "exp-of-sum": (_exp_sum,),
    "exp-of-negative": (_exp_negative,),
    "linearity-of-sum": (_sum_linear,),
    "mean-of-bernoulli": (lambda e, env: _moment(e, env, "E"),),
    "variance-of-bernoulli": (lambda e, env: _moment(e, env, "Var"),),
    "pairs-count": (_pairs,),
}


def _algebra(rule: str, e: Any) -> Any:
    """The one SymPy operation an algebra rule names, applied to the whole part."""
    import sympy

    rule = ALGEBRA_ALIASES.get(rule, (rule,))[0]
    if rule in ("distributive-law", "factor-out", "collect-like-terms"):
        return sympy.expand(
            e,
            mul=True,
            multinomial=False,
            power_exp=False,
            power_base=False,
            log=False,
            basic=False,
        )
    if rule in ("expand-square", "complete-the-square"):
        return sympy.expand(
            e, mul=True, multinomial=True, power_exp=False, power_base=False, log=False, basic=False
        )
    if rule == "combine-fractions":
        return sympy.together(e)
    if rule == "cancel-common-factor":
        return sympy.cancel(sympy.together(e))
    if rule == "power-of-product":
        return sympy.expand_power_base(e, force=True)
    return e


RULES_WITH_A_CHECK = (
    frozenset(_REWRITES)
    | {
        "distributive-law",
        "factor-out",
        "collect-like-terms",
        "expand-square",
        "complete-the-square",
        "combine-fractions",
        "cancel-common-factor",
        "power-of-product",
        "regroup-product",
    }
    | frozenset(ALGEBRA_ALIASES)
    | EQUATION
    | JUSTIFY
    | FALLBACK
)


def rewrite(e: Any, env: Env, algebra: bool = True) -> Any:
    """`e` with the active rules' rewrites applied everywhere until nothing changes."""
    rewrites = [fn for rule in sorted(env.rules) for fn in _REWRITES.get(rule, ())]
    for _ in range(2):  # the algebra rules may uncover more work for the others, once
        for _ in range(PASSES):
            done = _once(e, env, rewrites)
            if done == e:
                break
            e = done
        for rule in sorted(env.rules) if algebra else []:
            e = _algebra(rule, e)
    return e


def sites(e: Any, env: Env) -> int:
    """How many parts of `e` the active rules could rewrite: a forward step lowers the count,
    a backward one raises it; a step that leaves it alike did not apply the rule."""
    import sympy

    rewrites = [fn for rule in sorted(env.rules) for fn in _REWRITES.get(rule, ())]
    count = 0
    for node in sympy.preorder_traversal(e):
        if any(fn(node, env) is not None for fn in rewrites):
            count += 1
        if "expand-square" in env.rules and isinstance(node, sympy.Pow):
            count += bool(isinstance(node.base, sympy.Add) and node.exp.is_Integer and node.exp > 1)
    return count


def _once(e: Any, env: Env, rewrites: list[Rewrite]) -> Any:
    import sympy

    if e.args and not isinstance(e, sympy.Symbol | sympy.Indexed | sympy.Tuple):
        args = [_once(a, env, rewrites) if isinstance(a, sympy.Basic) else a for a in e.args]
        if args != list(e.args):
            e = e.func(*args)
    for fn in rewrites:
        done = fn(e, env)
        if done is not None:
            return done
    return e


def first_change(
    e: Any, env: Env, algebra: bool = True, only: tuple[Rewrite, ...] | None = None
) -> tuple[Any, Any] | None:
    """The first part of `e` (outermost first) that the active rules (or the rewrites `only`)
    rewrite, and into what."""
    import sympy

    rewrites = (
        list(only)
        if only is not None
        else [fn for rule in sorted(env.rules) for fn in _REWRITES.get(rule, ())]
    )
    for node in sympy.preorder_traversal(e):
        for fn in rewrites:
            done = fn(node, env)
            if done is not None and done != node:
                return node, done
    for rule in sorted(env.rules & ARITHMETIC) if algebra else []:
        done = _algebra(rule, e)
        if done != e:
            return e, done
    return None


# --- judging a step -----------------------------------------------------------------------------


def matrices(ctx: Context) -> frozenset[str]:
    return frozenset(ctx.matrices)


def judge(
    before: str, after: str, rules: frozenset[str], ctx: Context, author: str | None = None
) -> Judgement:
    """Whether `after` is one application of `rules` to `before` (both already known equal).

    `author` is the author's step for these rules, used only where the check falls back to it.
    A step SymPy cannot take apart is refused with that reason, never an exception.
    """
    try:
        return _judge(before, after, rules, ctx, author)
    except (
        FormError,
        RecursionError,
        ArithmeticError,
        TypeError,
        ValueError,
        AttributeError,
        KeyError,
        IndexError,
        NotImplementedError,
    ) as exc:
        return Judgement(False, f"the step could not be taken apart ({type(exc).__name__})")


def _judge(
    before: str, after: str, rules: frozenset[str], ctx: Context, author: str | None
) -> Judgement:
    mats = matrices(ctx)
    rules = rules.union(*(ALGEBRA_ALIASES[rule] for rule in rules & ALGEBRA_ALIASES.keys()))
    try:
        old, new = form(before, mats), form(after, mats)
    except FormError:
        return Judgement(False, "the step could not be taken apart")
    if old == new:
        return Judgement(False, "it is the previous expression, only written differently")
    if ctx.matrices:
        if author is not None and new == form(author, mats):
            return Judgement(True)
        return Judgement(False, _fallback_why(rules))
    if new[0] == "==" or old[0] == "==":
        if rules & EQUATION:
            return _equation(old, new, rules, ctx)
        if old[0] != new[0]:
            return Judgement(False, "none of these rules turns an expression into an equation")
    active = env(ctx, rules)
    for part_old, part_new in differences(old, new, mats):
        verdict = _part(part_old, part_new, active, ctx)
        if not verdict.ok and not verdict.why.endswith("arithmetic"):
            # The rule may act on a larger part than what changed: Var(mu + X) to Var(X).
            whole = _part(old, new, active, ctx)
            return whole if whole.ok else verdict
        if not verdict.ok:
            return verdict
    return Judgement(True)


def _fallback_why(rules: frozenset[str]) -> str:
    return "with matrices the step is checked against the card's own form of it"


def _part(old: Form, new: Form, active: Env, ctx: Context) -> Judgement:
    import sympy

    try:
        e_old, e_new = sympify(old, ctx), sympify(new, ctx)
        raw_old, raw_new = build(old, ctx), build(new, ctx)
    except Exception:  # a part SymPy cannot build is not explained by a rule
        return Judgement(False, f"SymPy could not read the part {text(old)}")
    if _canon(e_old) == _canon(e_new):  # only arithmetic changed
        if _algebra_on_forms(old, new, active.rules, ctx):
            return Judgement(True)
        if _removes_pattern(raw_old, raw_new, active):
            return Judgement(True)
        return Judgement(False, f"{text(old)} became {text(new)}, which is arithmetic")
    local = Env(active.rules - ARITHMETIC, active.randoms, active.moments, active.define)
    mats = matrices(ctx)
    try:
        w_old, w_new = _written(raw_old, local, mats), _written(raw_new, local, mats)
        if w_old == w_new or spread_numbers(w_old, mats) == spread_numbers(w_new, mats):
            return Judgement(True)
        if active.rules & ARITHMETIC:
            if _algebra_on_forms(w_old, w_new, active.rules, ctx):
                return Judgement(True)
            # The algebra may uncover more work for the other rules: E((a - b)**2) expanded
            # is a sum, which linearity of expectation then splits.
            again_old = _written(build(_algebra_forms(w_old, active.rules, mats), ctx), local, mats)
            again_new = _written(build(_algebra_forms(w_new, active.rules, mats), ctx), local, mats)
            if _algebra_forms(again_old, active.rules, mats) == _algebra_forms(
                again_new, active.rules, mats
            ):
                return Judgement(True)
    except (FormError, sympy.SympifyError, TypeError, ValueError, AttributeError, RecursionError):
        pass
    return Judgement(False, f"{text(old)} became {text(new)}")


def _algebra_forms(f: Form, rules: frozenset[str], mats: frozenset[str]) -> Form:
    """`f` after the named form-level algebra: expand squares, multiply out, join like terms,
    cancel, each only when its rule is named (in that order)."""
    if "expand-square" in rules:
        f = expand_squares(f, mats)
    if rules & {"distributive-law", "factor-out"}:
        f = distribute(f, mats)
    if rules & {"collect-like-terms", "factor-out"}:
        f = collect(f, mats)
    if "cancel-common-factor" in rules:
        f = cancel(f, mats)
    return f


def _algebra_on_forms(old: Form, new: Form, rules: frozenset[str], ctx: Context) -> bool:
    """Whether the named algebra rules, done on the forms with only numbers folded, explain the
    change: both sides reach the same form by expanding squares (expand-square), multiplying
    out (distributive law, factor out), joining like terms (collect, factor out), cancelling
    equal factors (cancel), each only if named. Combining fractions asks SymPy's `together`, as
    long as the sums divided by stay (else it cancelled); power of a product, `expand_power_base`.
    """
    import sympy

    mats = matrices(ctx)
    steps: list[Callable[[Form, frozenset[str]], Form]] = []
    if "expand-square" in rules:
        steps.append(expand_squares)
    if "complete-the-square" in rules:
        # Read backwards: (x - a)**2 - a**2 expanded, then -a**2 + a**2 joined, is x**2 - 2*a*x.
        steps += [expand_squares, collect]
    if rules & {"distributive-law", "factor-out"}:
        steps.append(distribute)
    if rules & {"collect-like-terms", "factor-out"}:
        steps.append(collect)
    if "cancel-common-factor" in rules:
        steps.append(cancel)
    if steps:
        a, b = old, new
        for op in steps:
            a, b = op(a, mats), op(b, mats)
        if a == b:
            return True
    e_old, e_new = sympify(old, ctx), sympify(new, ctx)
    if "regroup-product" in rules and e_old == e_new:
        return True  # reordered or regrouped factors, a number split: evaluation undoes it all
    if "combine-fractions" in rules and sympy.together(e_old) == sympy.together(e_new):
        kept, made = denominators(old), denominators(new)
        # A fraction must be there to combine or split: with no division on either side the
        # step did something else (multiplied out, factored), which this rule does not license.
        if _divides(e_old, e_new) and (kept <= made or made <= kept):
            return True
    return bool(
        "power-of-product" in rules
        and sympy.expand_power_base(e_old, force=True) == sympy.expand_power_base(e_new, force=True)
    )


def _divides(*exprs: Any) -> bool:
    """Whether any of `exprs` divides by something (a negative power or a fraction anywhere)."""
    import sympy

    return any(
        (isinstance(node, sympy.Pow) and node.exp.is_negative)
        or (node.is_Rational and not node.is_Integer)  # a half is a division by two
        for e in exprs
        for node in sympy.preorder_traversal(e)
    )


def _squares(e: Any) -> int:
    import sympy

    return sum(
        1
        for node in sympy.preorder_traversal(e)
        if isinstance(node, sympy.Pow) and isinstance(node.base, sympy.Add) and node.exp == 2
    )


def _algebra_all(rules: list[str], e: Any) -> Any:
    for rule in rules:
        e = _algebra(rule, e)
    return e


def _written(raw: Any, active: Env, mats: frozenset[str]) -> Form:
    """`raw` rewritten by the rules with nothing evaluated, read back as a form with its numbers
    folded (2*x/2 is x): no rule gets another rule's algebra (collecting, cancelling) for free."""
    import sympy

    with sympy.evaluate(False):
        done = rewrite(raw, active, algebra=False)
    return tidy(form(sympy.sstr(done, order="none"), mats), mats)


def _canon(e: Any) -> Any:
    """`e` with its products multiplied out (numbers distributed, like terms merged)."""
    import sympy

    return sympy.expand(
        e, mul=True, multinomial=False, power_exp=False, power_base=False, log=False, basic=False
    )


def _removes_pattern(raw_old: Any, raw_new: Any, active: Env) -> bool:
    """Whether the step removed places where the rules act, SymPy's own evaluation doing the
    rest of their work (``log(exp(u))`` to ``u``, which SymPy also does for a real u)."""
    import sympy

    local = Env(active.rules - ARITHMETIC, active.randoms, active.moments, active.define)
    with sympy.evaluate(False):
        return sites(raw_old, local) > sites(raw_new, local)


def _equation(old: Form, new: Form, rules: frozenset[str], ctx: Context) -> Judgement:
    import sympy

    if old[0] != "==":
        if "first-order-condition" in rules and new[0] == "==":
            zero = ("num", "0")
            side = new[1] if new[2] == zero else new[2] if new[1] == zero else None
            if side is not None and side == old:
                return Judgement(True)
            return Judgement(False, "the first-order condition sets the expression itself to 0")
        return Judgement(False, "none of these rules turns an expression into an equation")
    if new[0] != "==":
        return Judgement(False, "an equation stays an equation")
    lo, ro = sympify(old[1], ctx), sympify(old[2], ctx)
    ln, rn = sympify(new[1], ctx), sympify(new[2], ctx)
    sizes = {sympy.Symbol(n, integer=True, positive=True) for n in ctx.sizes}
    for left, right in ((ln, rn), (rn, ln)):
        if left == lo and right == ro:
            continue
        diff_old, diff_new = lo - ro, left - right
        if "add-to-both-sides" in rules and sympy.expand(diff_old - diff_new) == 0:
            return Judgement(True)
        if "divide-both-sides" in rules and left != 0:
            k = sympy.cancel(lo / left) if left != 0 else None
            plain = k is not None and k != 0 and (k.is_number or k.free_symbols <= sizes)
            if plain and sympy.expand(ro - k * right) == 0:
                return Judgement(True)
            if "add-to-both-sides" in rules and diff_new != 0:
                k = sympy.cancel(diff_old / diff_new)
                if k != 0 and (k.is_number or k.free_symbols <= sizes):
                    return Judgement(True)
    names = ", ".join(sorted(rules & EQUATION))
    return Judgement(False, f"{names} does not turn {text(old)} into {text(new)}")


def describe_change(
    before: str, rules: frozenset[str], ctx: Context, rule: str, name: str = ""
) -> str:
    """What `rule` (with the other `rules` of its step) would change in `before`, in words."""
    import sympy

    name = name or rule
    if ctx.matrices or rule in JUSTIFY or rule in EQUATION:
        return f"in this derivation {name} gives the card's own next step"
    try:
        raw = build(form(before, matrices(ctx)), ctx)
        own = env(ctx, rules)
        with sympy.evaluate(False):  # what the named rule itself does, its step's rules beside
            found = first_change(raw, own, algebra=False, only=_REWRITES.get(rule, ()))
    except Exception:  # a description is a courtesy; the verdict stands without it
        found = None
    if found is not None:
        part, done = (sympy.sstr(x, order="none") for x in found)
        return f"applied to {part} it gives {done}"
    algebra = {
        "distributive-law": "it multiplies a product out over a sum (or back), and nothing more",
        "factor-out": "it takes a common factor out of a sum (or multiplies it back in)",
        "collect-like-terms": "it joins terms that differ only by a number, and nothing more",
        "expand-square": "it writes the square of a sum as its expanded terms (or back)",
        "complete-the-square": "it writes x**2 - 2*a*x as (x - a)**2 - a**2 (or back)",
        "cancel-common-factor": "it cancels a factor that is both above and below the line",
        "combine-fractions": "it brings fractions over a common denominator (or splits them)",
        "power-of-product": "it splits a power of a product into a product of powers (or back)",
    }
    return algebra.get(rule, f"{name} has nothing to act on in the previous expression")
