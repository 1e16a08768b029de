"""SymPy behind the derivations: parse what a learner or a content file writes, decide equality.

A `Context` declares the names an expression may use: scalar symbols with their assumptions,
matrices with their shapes, random variables with their mean and variance, and small named
functions (``sigmoid``). Every expression is parsed twice over its life:

* for display, names stay as written (``sigmoid(z)``, ``E(eps**2)``, ``Xᵀ``) so that SymPy's
  unicode printer shows the formula a book would;
* for checking, every name is made concrete: a matrix becomes an explicit matrix of scalar
  symbols of its declared shape, ``sigmoid`` becomes its definition, ``E`` and ``Var`` expand a
  polynomial in the random variables and replace each moment by its declared value (independent
  variables, so the expectation of a product is the product of expectations).

Two expressions are equal when SymPy reduces their difference to zero (`cancel` for rational
functions, `simplify` otherwise), or, when simplification is incomplete (exp and log mixed), when
the difference vanishes at several random points evaluated to 30 significant digits. When they
differ, the check returns a point where they do, so the learner sees numbers, not a verdict.

SymPy takes half a second to import, so this module imports it only inside functions.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError
from invert.kinds.theory.model import Context, MatrixSpec

if TYPE_CHECKING:
    import sympy

ASSUMPTIONS = ("real", "positive", "nonnegative", "negative", "integer", "nonzero")
# Names from SymPy a learner may use in an expression, beyond the context's own.
FUNCTIONS = (
    "exp",
    "log",
    "sqrt",
    "Abs",
    "Sum",
    "Product",
    "Derivative",
    "diff",
    "Rational",
    "pi",
    "oo",
    "Max",
    "Min",
    "sin",
    "cos",
    "tanh",
    "Identity",
    "Matrix",
    "factorial",
    "binomial",
    "Piecewise",
    "Heaviside",
)
_UNSAFE = re.compile(r"__|\bimport\b|\blambda\b|\bexec\b|\beval\b|\bopen\b|\bglobals\b")


@dataclass(frozen=True)
class Equation:
    """``left == right``: what a derivation step becomes once a condition is imposed."""

    left: Any
    right: Any


@dataclass(frozen=True)
class Verdict:
    equal: bool
    how: str  # "symbolic", "numeric", or, when not equal, what differs and where


class ExpressionError(LearnerError):
    """Text that does not parse, or uses a name the context does not declare."""


# --- parsing ------------------------------------------------------------------------------------


def _symbol(name: str, assumptions: str) -> sympy.Symbol:
    import sympy

    flags = {word: True for word in assumptions.split()}
    return sympy.Symbol(name, **flags)


def _matrix_class() -> Any:
    """A SymPy matrix whose 1x1 products are scalars, as they are on paper: wᵀw - 1 is a number."""
    import sympy

    global _MATRIX
    if _MATRIX is None:

        class ScalarCollapsingMatrix(sympy.MutableDenseMatrix):  # type: ignore[misc]
            _class_priority = 20

            def __mul__(self, other: Any) -> Any:
                return _collapse(super().__mul__(other))

            def __rmul__(self, other: Any) -> Any:
                return _collapse(super().__rmul__(other))

            __matmul__ = __mul__

        _MATRIX = ScalarCollapsingMatrix
    return _MATRIX


_MATRIX: Any = None


def _collapse(value: Any) -> Any:
    import sympy

    if isinstance(value, sympy.MatrixBase) and value.shape == (1, 1):
        return value[0, 0]
    return value


def _explicit(name: str, spec: MatrixSpec) -> Any:
    import sympy

    def entry(i: int, j: int) -> sympy.Symbol:
        if spec.symmetric and j < i:
            i, j = j, i
        return sympy.Symbol(f"{name}_{i + 1}{j + 1}", real=True)

    return _matrix_class()(spec.rows, spec.cols, entry)


def _namespace(ctx: Context, mode: str) -> dict[str, Any]:
    import sympy

    ns: dict[str, Any] = {name: getattr(sympy, name) for name in FUNCTIONS}
    ns["Rational"] = sympy.Rational
    for name, assumptions in ctx.symbols.items():
        ns[name] = _symbol(name, assumptions)
    for name in ctx.sizes:
        ns[name] = sympy.Symbol(name, integer=True, positive=True)
    for name in ctx.random:
        ns[name] = sympy.Symbol(name, real=True)
    for name, assumptions in ctx.indexed.items():
        ns[name] = sympy.IndexedBase(name, **{word: True for word in assumptions.split()})
    if mode == "display":
        for name, spec in ctx.matrices.items():
            ns[name] = sympy.MatrixSymbol(name, spec.rows, spec.cols)
        for name in ctx.define:
            ns[name] = sympy.Function(name)
        ns["grad"] = lambda f, w: sympy.Derivative(f, w)
        ns["E"] = sympy.Function("E")
        ns["Var"] = sympy.Function("Var")
        ns["Cov"] = sympy.Function("Cov")
        ns["T"] = sympy.Function("T")
        return ns
    for name, spec in ctx.matrices.items():
        ns[name] = _explicit(name, spec)
    ns["Identity"] = lambda n: _matrix_class().eye(int(n))
    for name, definition in ctx.define.items():
        _check_names(definition.body, ctx)
        args = [sympy.Symbol(a, real=True) for a in definition.args]
        local = dict(ns) | {a.name: a for a in args}
        body = _parse_text(definition.body, local, evaluate=True)
        ns[name] = sympy.Lambda(tuple(args), body)
    randoms = {ns[name]: spec for name, spec in ctx.random.items()}
    for random_spec in ctx.random.values():
        _check_names(random_spec.mean, ctx)
        _check_names(random_spec.variance, ctx)
    moments = {
        symbol: (
            _parse_text(spec.mean, ns, evaluate=True),
            _parse_text(spec.variance, ns, evaluate=True),
        )
        for symbol, spec in randoms.items()
    }
    ns["E"] = lambda expr: expectation(expr, moments)
    ns["Var"] = lambda expr: expectation(expr**2, moments) - expectation(expr, moments) ** 2
    ns["Cov"] = lambda a, b: (
        expectation(a * b, moments) - expectation(a, moments) * expectation(b, moments)
    )
    ns["grad"] = gradient
    return ns


def _parse_text(text: str, ns: dict[str, Any], evaluate: bool) -> Any:
    import sympy
    from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

    return parse_expr(
        text,
        local_dict=dict(ns),
        global_dict={
            "__builtins__": {},
            "Integer": sympy.Integer,
            "Float": sympy.Float,
            "Symbol": sympy.Symbol,
        },
        transformations=(*standard_transformations, convert_xor),
        evaluate=evaluate,
    )


def parse(text: str, ctx: Context, mode: str = "check") -> Any:
    """Parse `text` (SymPy syntax; ``a == b`` is an equation) in `ctx`, for "check" or "display".

    >>> ctx = Context(symbols={"x": "real"})
    >>> parse("x^2 + 2*x", ctx)
    x**2 + 2*x
    >>> parse("x == 1", ctx)
    Equation(left=x, right=1)
    >>> parse("x +", ctx)
    Traceback (most recent call last):
    ...
    invert.kinds.theory.sym.ExpressionError: could not read 'x +': the expression ends too early
    """
    text = text.strip()
    if not text:
        raise ExpressionError("type an expression, for example 2*x*(y - w*x)")
    if _UNSAFE.search(text):
        raise ExpressionError(f"could not read {text!r}: only SymPy expressions are allowed")
    parts = _split_equation(text)
    if len(parts) == 2:
        return Equation(parse(parts[0], ctx, mode), parse(parts[1], ctx, mode))
    if len(parts) > 2:
        raise ExpressionError(f"could not read {text!r}: an equation has one ==")
    _check_names(text, ctx)
    _check_brackets(text)
    _check_size(text)
    ns = _namespace(ctx, mode)
    try:
        if mode == "display":
            try:
                return _expression(text, _parse_text(text, ns, evaluate=False))
            except Exception:
                return _expression(text, _parse_text(text, ns, evaluate=True))
        return _expression(text, _parse_text(text, ns, evaluate=True))
    except ExpressionError:
        raise
    except SyntaxError as exc:
        raise ExpressionError(f"could not read {text!r}: {_syntax_reason(text, exc)}") from None
    except (TypeError, ValueError, AttributeError, ZeroDivisionError, IndexError) as exc:
        raise ExpressionError(f"could not read {text!r}: {_reason(exc)}") from None
    except Exception as exc:
        raise ExpressionError(f"could not read {text!r}: {_reason(exc)}") from None


def _expression(text: str, parsed: Any) -> Any:
    """`parsed` if it is an expression or a matrix; a bare function name or a tuple is not."""
    import sympy

    if isinstance(parsed, sympy.Basic | sympy.MatrixBase):
        return parsed
    raise ExpressionError(
        f"could not read {text!r}: it is not an expression (a function needs its arguments)"
    )


def _split_equation(text: str) -> list[str]:
    depth, parts, start = 0, [], 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif text.startswith("==", i) and depth == 0:
            parts.append(text[start:i])
            start = i + 2
            i += 1
        i += 1
    parts.append(text[start:])
    return parts


_IDENT = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z_0-9]*)")


MAX_BITS = 20_000  # a constant larger than this (about 6,000 digits) is not a derivation step
_GROWING = {"factorial": 1000, "factorial2": 2000, "gamma": 1000, "binomial": 10**6}


def _check_size(text: str) -> None:
    """Refuse constants too large to compute (``9**9**9**9``, ``factorial(10**7)``) before
    SymPy tries, since computing them would hold the interpreter for hours.

    >>> _check_size("x**2 + 2**10")
    >>> _check_size("9**9**9**9")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    invert...ExpressionError: could not check '9**9**9**9': numbers too large to compute
    """
    import ast
    import math

    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except SyntaxError:
        return  # the parser says what is wrong, better than this could

    def bits(node: ast.AST) -> float | None:
        """An upper bound of the bits of a constant subexpression; None when not constant."""
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float | complex):
            value = float(abs(node.value))
            return math.log2(value + 1) if math.isfinite(value) else 0.0
        if isinstance(node, ast.UnaryOp):
            return bits(node.operand)
        if isinstance(node, ast.BinOp):
            left, right = bits(node.left), bits(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Pow):
                if left <= 1:  # 0 or 1 to any power
                    return left
                return math.inf if right > 64 else left * 2.0**right
            if isinstance(node.op, ast.LShift):
                return math.inf if right > 64 else left + 2.0**right
            return left + right + 1
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            limit = _GROWING.get(node.func.id)
            size = bits(node.args[0])
            if limit is not None and size is not None:
                return math.inf if size > math.log2(limit) else size * limit
        return None

    for node in ast.walk(tree):
        if (bits(node) or 0) > MAX_BITS:
            raise ExpressionError(f"could not check {text!r}: numbers too large to compute")


def _check_names(text: str, ctx: Context) -> None:
    allowed = {*ctx.names(), *FUNCTIONS, "E", "Var", "Cov", "grad", "T", "inv"}
    for arguments in ctx.define.values():
        allowed.update(arguments.args)
    for match in _IDENT.finditer(text):
        name = match.group(1)
        if name not in allowed:
            known = ", ".join(ctx.names()) or "no names"
            raise ExpressionError(
                f"unknown name '{name}' in {text!r}; this derivation uses {known} "
                f"(and SymPy functions such as exp, log, sqrt, Sum, Derivative)"
            )


def _check_brackets(text: str) -> None:
    depth = 0
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for ch in text:
        if ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                raise ExpressionError(f"could not read {text!r}: a '{ch}' closes nothing")
    depth = len(stack)
    if depth:
        raise ExpressionError(
            f"could not read {text!r}: {depth} bracket{'s' if depth > 1 else ''} left open"
        )


def _syntax_reason(text: str, exc: SyntaxError) -> str:
    if text.count("(") != text.count(")"):
        return "the brackets do not balance"
    if re.search(r"[+\-*/^]\s*$", text):
        return "the expression ends too early"
    if "=" in text and "==" not in text:
        return "write an equation with ==, for example w == 0"
    if re.search(r"\d\s*[A-Za-z(]", text):
        return "write multiplication with *, for example 2*x"
    return "this is not SymPy syntax (use *, **, and brackets as in Python)"


def _reason(exc: Exception) -> str:
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "not callable" in message:
        return "a name is used as a function but is not one"
    if "shape" in message.lower() or "dimension" in message.lower():
        return f"the matrix shapes do not fit ({message})"
    return message[:160]


def pretty(text: str, ctx: Context) -> str:
    """The unicode rendering of `text`, as a book would typeset it."""
    import sympy

    try:
        value = parse(text, ctx, mode="display")
    except ExpressionError:
        if not ctx.matrices:
            raise
        parse(text, ctx, mode="check")  # still reject what does not parse at all
        return _plain(text)
    value = _as_written(text, ctx) or value  # as written: SymPy would tidy 2*tp*tp to 2*tp**2
    if isinstance(value, Equation):
        try:
            return str(
                sympy.pretty(sympy.Eq(value.left, value.right, evaluate=False), order="none")
            )
        except Exception:
            return _side_by_side(_pretty(value.left), " = ", _pretty(value.right))
    return str(sympy.pretty(value, use_unicode=True, order="none"))


def built(part: Any, ns: dict[str, Any]) -> Any:
    """A form (`invert.kinds.theory.form`) as a SymPy expression with nothing evaluated: sums,
    products, powers and transposes as written, names from `ns` (the display namespace)."""
    import sympy

    from invert.kinds.theory.form import FormError

    head = part[0]
    if head == "num":
        return sympy.Rational(part[1]) if "." not in part[1] else sympy.Float(part[1])
    if head == "sym":
        return ns[part[1]]
    args = [built(p, ns) for p in part[1:] if isinstance(p, tuple)]
    matrix = any(isinstance(a, sympy.MatrixExpr) for a in args)
    if head == "+":
        return sympy.MatAdd(*args) if matrix else sympy.Add(*args, evaluate=False)
    if head == "*":
        return sympy.MatMul(*args) if matrix else sympy.Mul(*args, evaluate=False)
    if head == "^":
        return sympy.MatPow(*args) if matrix else sympy.Pow(*args, evaluate=False)
    if head == "T":
        return sympy.Transpose(args[0])
    if head == "tuple":
        return sympy.Tuple(*args)
    if head == "==":
        return Equation(args[0], args[1])
    if head == "[]":
        return args[0][tuple(args[1:])] if len(args) > 2 else args[0][args[1]]
    if head == "call":
        fn = ns[part[1]]
        try:
            return fn(*args, evaluate=False)
        except TypeError:
            return fn(*args)
    raise FormError(f"no SymPy form for {head}")


def _as_written(text: str, ctx: Context) -> Any:
    """`text` built as written, for display; None where SymPy cannot build it so."""
    from invert.kinds.theory.form import FormError, form

    try:
        parts = form(text, frozenset(ctx.matrices), written=True)
        return _without_unit_factors(built(parts, _namespace(ctx, "display")))
    except (FormError, TypeError, ValueError, AttributeError, KeyError, IndexError):
        return None
    except Exception:  # SymPy raises its own kinds; the fallback still shows it
        return None


def _without_unit_factors(value: Any) -> Any:
    """`value` with factors of 1 left out of products (`1/x` is read as 1 * x**-1, and a book
    writes it 1/x, not 1*(1/x)); nothing else is changed or evaluated."""
    import sympy

    if not isinstance(value, sympy.Basic) or not value.args or value.is_Atom:
        return value
    args = [_without_unit_factors(arg) for arg in value.args]
    if isinstance(value, sympy.Mul) and not isinstance(value, sympy.MatrixExpr):
        kept = [arg for arg in args if arg != sympy.S.One]
        if not kept:
            return sympy.S.One
        return kept[0] if len(kept) == 1 else sympy.Mul(*kept, evaluate=False)
    if isinstance(value, sympy.Add | sympy.Pow):
        return value.func(*args, evaluate=False)
    return value if list(args) == list(value.args) else value.func(*args)


def mathml(text: str, ctx: Context) -> str:
    """`text` as presentation MathML (a ``<math>`` element), for the web app's cards.

    Expressions SymPy cannot build for display (some matrix products) come back as their
    typewriter rendering inside ``<mtext>``, still inside ``<math>``: never raw source.

    >>> mathml("x**2 + 1", Context(symbols={"x": "real"}))[:30]
    '<math display="block"><mrow><m'
    """
    import html

    import sympy

    try:
        value = parse(text, ctx, mode="display")
    except ExpressionError:
        if not ctx.matrices:
            raise
        parse(text, ctx, mode="check")
        return f'<math display="block"><mtext>{html.escape(_plain(text))}</mtext></math>'
    value = _as_written(text, ctx) or value
    if isinstance(value, Equation):
        value = sympy.Eq(value.left, value.right, evaluate=False)
    body = _mathml_printer()({"order": "none"}).doprint(value)
    return f'<math display="block">{body}</math>'


@cache
def _mathml_printer() -> Any:
    """SymPy's presentation MathML printer, but a derivative of a sum, product or anything
    looser than a power has brackets, as on paper and in `pretty`: d/dz (1 - sigmoid(z))."""
    from sympy.printing.mathml import MathMLPresentationPrinter
    from sympy.printing.precedence import PRECEDENCE

    class Printer(MathMLPresentationPrinter):  # type: ignore[misc]
        def _print_Derivative(self, e: Any) -> Any:
            mrow = super()._print_Derivative(e)
            mrow.replaceChild(
                self.parenthesize(e.expr, PRECEDENCE["Pow"], strict=True), mrow.lastChild
            )
            return mrow

    return Printer


def _side_by_side(*blocks: str) -> str:
    columns = [block.splitlines() or [""] for block in blocks]
    height = max(len(lines) for lines in columns)
    padded = []
    for lines in columns:
        width = max(len(line) for line in lines)
        top = (height - len(lines)) // 2
        full = [""] * top + lines + [""] * (height - len(lines) - top)
        padded.append([line.ljust(width) for line in full])
    return "\n".join("".join(parts).rstrip() for parts in zip(*padded, strict=True))


def _plain(text: str) -> str:
    """A typewriter rendering for matrix expressions SymPy cannot build symbolically (wᵀw - 1)."""
    text = re.sub(r"\.T\b", "ᵀ", text)
    text = text.replace("**-1", "⁻¹").replace("**2", "²").replace("**", "^")
    text = re.sub(r"grad\((.*), (\w+)\)$", r"∇_\2 (\1)", text)
    text = text.replace("==", "=").replace("*", "·")
    return text


def _pretty(value: Any) -> str:
    import sympy

    return str(sympy.pretty(value, use_unicode=True, order="none"))


# --- the operators the check mode adds ----------------------------------------------------------


def expectation(expr: Any, moments: dict[Any, tuple[Any, Any]]) -> Any:
    """E[expr] for a polynomial in independent random variables known by mean and variance.

    >>> import sympy
    >>> e, m, v = sympy.symbols("e m v")
    >>> expectation((m + e) ** 2, {e: (0, v)})
    m**2 + v
    """
    import sympy

    expr = sympy.sympify(expr)
    if isinstance(expr, sympy.MatrixBase):
        return expr.applyfunc(lambda entry: expectation(entry, moments))
    randoms = [r for r in moments if expr.has(r)]
    if not randoms:
        return expr
    poly = sympy.Poly(sympy.expand(expr), *randoms)
    total = sympy.Integer(0)
    for powers, coefficient in poly.terms():
        term = coefficient
        for r, k in zip(randoms, powers, strict=True):
            mean, variance = moments[r]
            if k == 1:
                term *= mean
            elif k == 2:
                term *= variance + mean**2
            elif k > 2:
                raise ExpressionError(
                    f"E[{r}^{k}] needs a moment this derivation does not declare (only mean and "
                    f"variance are known)"
                )
        total += term
    return sympy.expand(total)


def gradient(f: Any, w: Any) -> Any:
    """The gradient of a scalar (or 1x1 matrix) `f` with respect to the entries of matrix `w`."""
    import sympy

    if isinstance(f, sympy.MatrixBase):
        if f.shape != (1, 1):
            raise ExpressionError("grad takes a scalar; this expression is a matrix")
        f = f[0, 0]
    if isinstance(w, sympy.MatrixBase):
        return w.applyfunc(lambda entry: sympy.diff(f, entry))
    return sympy.diff(f, w)


# --- equality ---------------------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    import sympy

    if isinstance(value, sympy.MatrixBase) and value.shape == (1, 1):
        return value[0, 0]
    return value


def _concrete(value: Any, ctx: Context) -> Any:
    """Substitute declared sizes and carry out pending derivatives, sums and products."""
    import sympy

    value = _scalar(value)
    if ctx.sizes:
        subs = {sympy.Symbol(k, integer=True, positive=True): v for k, v in ctx.sizes.items()}
        value = value.subs(subs)
    return value.doit()


def _zero(d: Any, ctx: Context, rng: random.Random) -> Verdict:
    import sympy

    entries = list(d) if isinstance(d, sympy.MatrixBase) else [d]
    entries = [sympy.sympify(e) for e in entries]
    if all(e == 0 for e in entries):
        return Verdict(True, "symbolic")
    entries = [_unindex(e) for e in entries]
    symbols = sorted(set().union(*(e.free_symbols for e in entries)), key=str)
    if all(e.is_rational_function(*symbols) for e in entries):
        if all(sympy.cancel(e) == 0 for e in entries):
            return Verdict(True, "symbolic")
        return _counterexample(entries, symbols, rng) or Verdict(False, "differs")
    found = _counterexample(entries, symbols, rng)
    if found:
        return found
    if all(sympy.simplify(e) == 0 for e in entries):
        return Verdict(True, "symbolic")
    return Verdict(True, "numeric")


def _unindex(expr: Any) -> Any:
    """Replace y[1], y[2], ... by plain symbols y_1, y_2, so they can be sampled and solved."""
    import sympy

    replacements = {
        item: sympy.Symbol(
            f"{item.base}_{'_'.join(map(str, item.indices))}",
            real=bool(item.is_real),
            positive=bool(item.is_positive) or None,
        )
        for item in expr.atoms(sympy.Indexed)
    }
    return expr.xreplace(replacements) if replacements else expr


def _sample(symbol: Any, rng: random.Random) -> Any:
    import sympy

    if symbol.is_integer:
        low = 1 if symbol.is_positive else -3
        return sympy.Integer(rng.randint(low, 5))
    value = sympy.Rational(rng.randint(3, 29), rng.randint(7, 19))
    if symbol.is_positive or symbol.is_nonnegative:
        return value
    return value if rng.random() < 0.5 else -value


def _counterexample(entries: list[Any], symbols: list[Any], rng: random.Random) -> Verdict | None:
    """A point where some entry is clearly not zero, or None if all vanish at several points."""
    import sympy

    tries = 0
    checked = 0
    while checked < 4 and tries < 20:
        tries += 1
        point = {s: _sample(s, rng) for s in symbols}
        values: list[Any] = []
        for entry in entries:
            value = entry.subs(point).evalf(30)
            if not value.is_number or value.has(sympy.nan):
                values = []
                break
            values.append(value)
        if not values:
            continue
        checked += 1
        worst = max(abs(complex(v)) for v in values)
        if worst > 1e-20:
            where = ", ".join(f"{s} = {point[s]}" for s in symbols[:6])
            return Verdict(False, f"at {where} they differ by {worst:.4g}")
    return None


def equivalent(before: Any, after: Any, ctx: Context, seed: int = 0) -> Verdict:
    """Whether the step from `before` to `after` keeps the value (or the solutions) it had.

    Expressions must be equal. An equation follows an expression when it sets that expression
    to zero; an equation follows an equation when their differences are proportional or they
    have the same solutions for the context's unknowns.

    >>> ctx = Context(symbols={"x": "real", "y": "real"})
    >>> equivalent(parse("(x + y)**2", ctx), parse("x**2 + 2*x*y + y**2", ctx), ctx).equal
    True
    >>> equivalent(parse("(x + y)**2", ctx), parse("x**2 + y**2", ctx), ctx).equal
    False
    """
    import sympy

    rng = random.Random(seed)
    if isinstance(before, Equation) or isinstance(after, Equation):
        if not isinstance(after, Equation):
            return Verdict(False, "an equation cannot turn back into a plain expression")
        first = before if isinstance(before, Equation) else Equation(before, sympy.Integer(0))
        return _same_equation(first, after, ctx, rng)
    a, b = _concrete(before, ctx), _concrete(after, ctx)
    shape_a = a.shape if isinstance(a, sympy.MatrixBase) else None
    shape_b = b.shape if isinstance(b, sympy.MatrixBase) else None
    if shape_a != shape_b:
        return Verdict(False, f"the shapes differ: {_shape(shape_a)} against {_shape(shape_b)}")
    return _zero(a - b, ctx, rng)


def _shape(shape: tuple[int, int] | None) -> str:
    return "a scalar" if shape is None else f"a {shape[0]}x{shape[1]} matrix"


def _difference(eq: Equation, ctx: Context) -> Any:
    import sympy

    left, right = _concrete(eq.left, ctx), _concrete(eq.right, ctx)
    if isinstance(left, sympy.MatrixBase) and not isinstance(right, sympy.MatrixBase):
        if right != 0:
            raise ExpressionError("a matrix can only equal a matrix of the same shape, or 0")
        right = sympy.zeros(*left.shape)
    if isinstance(right, sympy.MatrixBase) and not isinstance(left, sympy.MatrixBase):
        if left != 0:
            raise ExpressionError("a matrix can only equal a matrix of the same shape, or 0")
        left = sympy.zeros(*right.shape)
    if isinstance(left, sympy.MatrixBase) and left.shape != right.shape:
        raise ExpressionError(
            f"the two sides have different shapes: {_shape(left.shape)} and {_shape(right.shape)}"
        )
    return left - right


def _same_equation(first: Equation, second: Equation, ctx: Context, rng: random.Random) -> Verdict:
    import sympy

    d1, d2 = _difference(first, ctx), _difference(second, ctx)
    e1 = list(d1) if isinstance(d1, sympy.MatrixBase) else [d1]
    e2 = list(d2) if isinstance(d2, sympy.MatrixBase) else [d2]
    if len(e1) == len(e2):
        ratio = _proportional(e1, e2)
        if ratio is not None:
            return Verdict(True, "symbolic")
    unknowns = _unknown_symbols(ctx)
    if not unknowns:
        return Verdict(False, "the new equation is not the old one multiplied by a constant")
    s1 = sympy.solve(e1, unknowns, dict=True)
    s2 = sympy.solve(e2, unknowns, dict=True)
    if not s1 or len(s1) != len(s2):
        return Verdict(False, "the two equations do not have the same solutions")
    for x, y in zip(s1, s2, strict=True):
        if set(x) != set(y):
            return Verdict(False, "the two equations do not have the same solutions")
        for key in x:
            verdict = _zero(sympy.sympify(x[key] - y[key]), ctx, rng)
            if not verdict.equal:
                return Verdict(False, f"the solutions differ for {key}: {verdict.how}")
    return Verdict(True, "symbolic")


def _proportional(e1: list[Any], e2: list[Any]) -> Any:
    import sympy

    pairs = [(a, b) for a, b in zip(e1, e2, strict=True) if sympy.cancel(a) != 0]
    if not pairs or any(
        sympy.cancel(a) == 0 and sympy.cancel(b) != 0 for a, b in zip(e1, e2, strict=True)
    ):
        return None
    ratio = sympy.cancel(pairs[0][1] / pairs[0][0])
    if ratio == 0 or not ratio.is_number:
        return None
    for a, b in zip(e1, e2, strict=True):
        if sympy.cancel(b - ratio * a) != 0:
            return None
    return ratio


def _unknown_symbols(ctx: Context) -> list[Any]:
    import sympy

    found: list[Any] = []
    for name in ctx.unknowns:
        if name in ctx.matrices:
            found.extend(_explicit(name, ctx.matrices[name]))
        elif name in ctx.symbols:
            found.append(_symbol(name, ctx.symbols[name]))
        else:
            found.append(sympy.Symbol(name))
    return found
