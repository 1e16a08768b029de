"""An expression as written, with notation undone and nothing computed: what a step changed.

SymPy evaluates as it builds (``2*tp*tp`` becomes ``2*tp**2``, a matrix transpose is pushed
through a sum), so it cannot say what a learner wrote. `form` reads the text with Python's own
parser instead and keeps every operation, undoing only notation:

* ``a - b`` is ``a + (-1)*b``, ``-x`` is ``(-1)*x``, ``x/y`` is ``x*y**-1``, ``1*x`` is ``x``;
* nested sums and products are flattened, and the terms of a sum and the scalar factors of a
  product are sorted (a product's matrix factors keep their order: matrices do not commute);
* a minus sign meets a number in the same product (``-(2*x)`` is ``-2*x``); no other number is
  folded (``2*x/2`` stays as written: folding it is a rule's work).

A form is a nested tuple: ``("num", "2")``, ``("sym", "x")``, ``("+", terms...)``,
``("*", factors...)``, ``("^", base, exponent)``, ``("call", name, args...)``, ``("T", x)``,
``("[]", base, index...)``, ``("tuple", items...)``, ``("==", left, right)``. `text` writes a form
back as SymPy syntax, and `differences` finds the smallest parts where two forms differ.
"""

from __future__ import annotations

import ast
from fractions import Fraction
from typing import Any

Form = tuple[Any, ...]

ONE: Form = ("num", "1")
ZERO: Form = ("num", "0")
_ALIASES = {"diff": "Derivative"}


class FormError(ValueError):
    """Text the form reader cannot take apart (the SymPy parser has its own messages)."""


def form(text: str, matrices: frozenset[str] = frozenset(), written: bool = False) -> Form:
    """The form of `text`; `matrices` names the matrix symbols (their products keep order).

    `written` keeps the order of terms and factors and every minus sign as typed (for display).
    """
    try:
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        raise FormError(str(exc)) from None
    return _read(tree.body, matrices, written)


def _num(value: Fraction) -> Form:
    return ("num", str(value))


def _read(node: ast.AST, mats: frozenset[str], written: bool = False) -> Form:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, float):
            return ("num", repr(node.value))
        return _num(Fraction(node.value))
    if isinstance(node, ast.Name):
        return ("sym", node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _read(node.operand, mats, written)
        if inner[0] == "num" and "." not in inner[1]:
            return _num(-Fraction(inner[1]))
        return product([_num(Fraction(-1)), inner], mats, written)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd):
        return _read(node.operand, mats, written)
    if isinstance(node, ast.BinOp):
        left, right = _read(node.left, mats, written), _read(node.right, mats, written)
        if isinstance(node.op, ast.Add):
            return total([left, right], written)
        if isinstance(node.op, ast.Sub):
            return total([left, product([_num(Fraction(-1)), right], mats, written)], written)
        if isinstance(node.op, ast.Mult | ast.MatMult):
            return product([left, right], mats, written)
        if isinstance(node.op, ast.Div):
            return product([left, ("^", right, _num(Fraction(-1)))], mats, written)
        if isinstance(node.op, ast.Pow | ast.BitXor):
            return ("^", left, right)
    if isinstance(node, ast.Attribute) and node.attr == "T":
        return ("T", _read(node.value, mats, written))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        name = _ALIASES.get(node.func.id, node.func.id)
        return ("call", name, *(_read(arg, mats, written) for arg in node.args))
    if isinstance(node, ast.Subscript):
        index = node.slice
        items = index.elts if isinstance(index, ast.Tuple) else [index]
        return (
            "[]",
            _read(node.value, mats, written),
            *(_read(item, mats, written) for item in items),
        )
    if isinstance(node, ast.List):
        return ("list", *(_read(item, mats, written) for item in node.elts))
    if isinstance(node, ast.Tuple):
        return ("tuple", *(_read(item, mats, written) for item in node.elts))
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq):
        return ("==", _read(node.left, mats, written), _read(node.comparators[0], mats, written))
    raise FormError(f"cannot read {ast.dump(node)[:60]}")


def total(terms: list[Form], written: bool = False) -> Form:
    """The flattened, sorted sum of `terms` (in their order when `written`)."""
    flat: list[Form] = []
    for term in terms:
        flat.extend(term[1:] if term[0] == "+" else [term])
    if not flat:
        return ZERO
    if len(flat) == 1:
        return flat[0]
    return ("+", *(flat if written else sorted(flat, key=repr)))


def is_matrix(f: Form, mats: frozenset[str]) -> bool:
    """Whether `f` mentions a matrix symbol outside a function call (a gradient is a matrix)."""
    if f[0] == "sym":
        return bool(f[1] in mats)
    if f[0] == "call":
        return bool(f[1] in ("grad", "Matrix", "Identity"))
    if f[0] == "num":
        return False
    return any(is_matrix(part, mats) for part in f[1:] if isinstance(part, tuple))


def product(factors: list[Form], mats: frozenset[str] = frozenset(), written: bool = False) -> Form:
    """The flattened product of `factors`: scalars sorted first, matrices in order after (all
    in their order, every sign kept, when `written`)."""
    flat: list[Form] = []
    for factor in factors:
        flat.extend(factor[1:] if factor[0] == "*" else [factor])
    if written:
        return flat[0] if len(flat) == 1 else ("*", *flat)
    numbers = [f for f in flat if f[0] == "num"]
    rest = [f for f in flat if f[0] != "num"]
    if any(Fraction(f[1]) == -1 for f in numbers if "." not in f[1]) and len(numbers) > 1:
        numbers = list(numbers)
        minus = next(i for i, f in enumerate(numbers) if f == ("num", "-1"))
        del numbers[minus]
        first = numbers[0]
        if "." not in first[1]:
            numbers[0] = _num(-Fraction(first[1]))
        else:
            numbers.insert(0, ("num", "-1"))
    numbers = [f for f in numbers if f != ONE]
    scalars = [*numbers, *sorted((f for f in rest if not is_matrix(f, mats)), key=repr)]
    matrix = [f for f in rest if is_matrix(f, mats)]
    flat = [*scalars, *matrix]
    if not flat:
        return ONE
    if len(flat) == 1:
        return flat[0]
    return ("*", *flat)


# --- back to text -------------------------------------------------------------------------------


def text(f: Form) -> str:
    """`f` written as SymPy syntax (brackets around every compound part)."""
    head = f[0]
    if head in ("num", "sym"):
        value = str(f[1])
        if head == "num" and ("/" in value or value.startswith("-")):
            return f"({value})" if "/" not in value else f"Rational({value.replace('/', ', ')})"
        return value
    if head == "+":
        return " + ".join(_wrap(part, "+") for part in f[1:])
    if head == "*":
        return "*".join(_wrap(part, "*") for part in f[1:])
    if head == "^":
        return f"{_wrap(f[1], '^')}**{_wrap(f[2], '^')}"
    if head == "T":
        return f"{_wrap(f[1], '^')}.T"
    if head == "call":
        return f"{f[1]}({', '.join(text(part) for part in f[2:])})"
    if head == "[]":
        return f"{_wrap(f[1], '^')}[{', '.join(text(part) for part in f[2:])}]"
    if head == "tuple":
        return f"({', '.join(text(part) for part in f[1:])})"
    if head == "list":
        return f"[{', '.join(text(part) for part in f[1:])}]"
    if head == "==":
        return f"{text(f[1])} == {text(f[2])}"
    raise FormError(f"unknown form {head!r}")


def _wrap(f: Form, around: str) -> str:
    inner = text(f)
    loose = {"+": ("==",), "*": ("+", "=="), "^": ("+", "*", "==", "^")}[around]
    if f[0] in loose or (f[0] == "num" and inner.startswith("(")):
        return f"({inner})"
    if f[0] == "num" and around == "^" and inner.startswith("Rational"):
        return inner
    return inner


# --- where two forms differ ---------------------------------------------------------------------


def differences(
    before: Form, after: Form, mats: frozenset[str] = frozenset()
) -> list[tuple[Form, Form]]:
    """The smallest pairs of parts (before, after) outside which the two forms are the same.

    Equal terms of a sum (factors of a product) are matched and set aside; what is left on each
    side is one pair, or, when one term is left on each side, the differences inside it.
    """
    if before == after:
        return []
    head = before[0]
    if head == after[0] and head in ("+", "*"):
        left, right = list(before[1:]), list(after[1:])
        for part in list(left):
            if part in right:
                left.remove(part)
                right.remove(part)
        if len(left) == 1 and len(right) == 1:
            return differences(left[0], right[0], mats)
        join = total if head == "+" else (lambda fs: product(fs, mats))
        return [(join(left), join(right))]
    same_head = head == after[0] and len(before) == len(after)
    if (same_head and head in ("^", "T", "[]", "tuple", "list", "==")) or (
        same_head and head == "call" and before[1] == after[1]
    ):
        pairs: list[tuple[Form, Form]] = []
        for a, b in zip(before[1:], after[1:], strict=True):
            if isinstance(a, tuple):
                pairs.extend(differences(a, b, mats))
        return pairs
    return [(before, after)]


# --- the algebra rules, done on forms (numbers folded, nothing else) ---------------------------


def _fraction(f: Form) -> Fraction | None:
    if f[0] == "num" and "." not in f[1]:
        return Fraction(f[1])
    return None


def tidy(f: Form, mats: frozenset[str] = frozenset(), numbers: bool = True) -> Form:
    """`f` with its numbers folded: 1 + 1 is 2, 2*x/2 is x, x**1 is x, (x**2)**-1 is x**-2,
    x*x is x**2; the terms of a sum are not merged (that is collecting like terms).

    With `numbers` False only signs are folded (-1 times -1), and zeros and ones dropped
    (x + 0, 1*x, 0*x): what any rule may tidy on the way; exponents are always folded.
    """
    head = f[0]
    if head in ("num", "sym"):
        return f
    parts: tuple[Any, ...]
    if head == "^":
        parts = (tidy(f[1], mats, numbers), tidy(f[2], mats, True))
    else:
        parts = tuple(tidy(p, mats, numbers) if isinstance(p, tuple) else p for p in f[1:])
    if head == "+":
        parts = tuple(q for p in parts for q in (p[1:] if p[0] == "+" else [p]))
        if not numbers:
            return total([p for p in parts if p != ZERO])
        numbers_ = [_fraction(p) for p in parts]
        total_number = sum((n for n in numbers_ if n is not None), Fraction(0))
        rest = [p for p, n in zip(parts, numbers_, strict=True) if n is None]
        if total_number != 0 or not rest:
            rest.append(_num(total_number))
        return total(rest)
    if head == "*":
        return _tidy_product(list(parts), mats, numbers)
    if head == "^":
        base: Form = parts[0]
        exp: Form = parts[1]
        b, e = _fraction(base), _fraction(exp)
        if e == 1:
            return base
        if e == 0:
            return ONE
        if b is not None and e is not None and e.denominator == 1 and (b != 0 or e > 0):
            if numbers or b == 1 or (b == -1 and e > 0):
                return _num(b ** int(e))
        if numbers and base[0] == "*" and e is not None and e.denominator == 1:
            return _tidy_product([tidy(("^", p, exp), mats) for p in base[1:]], mats)
        if base[0] == "call" and base[1] == "sqrt" and e is not None and e % 2 == 0:
            return tidy(("^", base[2], _num(e / 2)), mats, numbers)
        if base[0] == "^" and e is not None and e.denominator == 1:
            inner = _fraction(base[2])
            if inner is not None and inner.denominator == 1:
                return tidy(("^", base[1], _num(inner * e)), mats, numbers)
        return ("^", base, exp)
    return (head, *parts)


def _tidy_product(parts: list[Form], mats: frozenset[str], numbers: bool = True) -> Form:
    flat: list[Form] = []
    for p in parts:
        flat.extend(p[1:] if p[0] == "*" else [p])
    coefficient = Fraction(1)
    rest: list[Form] = []
    for p in flat:
        n = _fraction(p)
        if n is not None and not numbers and n not in (0, 1, -1):
            sign = -1 if n < 0 else 1
            coefficient *= sign
            rest.append(_num(abs(n)))
        elif n is not None:
            coefficient *= n
        else:
            rest.append(p)
    if coefficient == 0:
        return ZERO
    # Equal factors with positive whole exponents join into one power: x*x is x**2.
    merged: list[Form] = []
    counts: dict[Form, int] = {}
    for p in rest:
        base, exp = (p[1], _fraction(p[2])) if p[0] == "^" else (p, Fraction(1))
        if exp is not None and exp > 0 and exp.denominator == 1 and not is_matrix(base, mats):
            counts[base] = counts.get(base, 0) + int(exp)
        else:
            merged.append(p)
    for base, k in counts.items():
        merged.append(base if k == 1 else ("^", base, _num(Fraction(k))))
    factors = ([] if coefficient == 1 else [_num(coefficient)]) + merged
    return product(factors, mats)


def distribute(f: Form, mats: frozenset[str] = frozenset()) -> Form:
    """`f` with every product of sums multiplied out (the distributive law), numbers folded."""
    head = f[0]
    if head in ("num", "sym"):
        return f
    parts = [distribute(p, mats) if isinstance(p, tuple) else p for p in f[1:]]
    if head == "*":
        terms: list[list[Form]] = [[]]
        for p in parts:
            options = list(p[1:]) if p[0] == "+" else [p]
            terms = [[*t, o] for t in terms for o in options]
        return tidy(total([product(t, mats) for t in terms]), mats)
    return tidy((head, *parts), mats)


def collect(f: Form, mats: frozenset[str] = frozenset()) -> Form:
    """`f` with like terms of each sum joined (2*x + 3*x is 5*x; x - x is gone), numbers folded."""
    head = f[0]
    if head in ("num", "sym"):
        return f
    f = tidy((head, *(collect(p, mats) if isinstance(p, tuple) else p for p in f[1:])), mats)
    if f[0] != "+":
        return f
    weights: dict[Form, Fraction] = {}
    for term in f[1:]:
        coefficient, body = _split_coefficient(term, mats)
        weights[body] = weights.get(body, Fraction(0)) + coefficient
    terms = [tidy(product([_num(w), body], mats), mats) for body, w in weights.items() if w != 0]
    return tidy(total(terms), mats) if terms else ZERO


def _split_coefficient(term: Form, mats: frozenset[str]) -> tuple[Fraction, Form]:
    if term[0] == "*":
        n = _fraction(term[1])
        if n is not None:
            return n, product(list(term[2:]), mats)
    n = _fraction(term)
    if n is not None:
        return n, ONE
    return Fraction(1), term


def cancel(f: Form, mats: frozenset[str] = frozenset()) -> Form:
    """`f` with each product's equal bases joined (x*x**-1 is 1), powers of products split,
    numbers folded: cancelling a common factor, and nothing more."""
    head = f[0]
    if head in ("num", "sym"):
        return f
    f = tidy((head, *(cancel(p, mats) if isinstance(p, tuple) else p for p in f[1:])), mats)
    if f[0] == "^" and f[1][0] == "*" and _fraction(f[2]) is not None:
        f = tidy(product([("^", p, f[2]) for p in f[1][1:]], mats), mats)
        return cancel(f, mats)
    if f[0] != "*":
        return f
    exponents: dict[Form, Fraction] = {}
    others: list[Form] = []
    for p in f[1:]:
        base, exp = (p[1], _fraction(p[2])) if p[0] == "^" else (p, Fraction(1))
        if exp is None or is_matrix(base, mats) or base[0] == "num":
            others.append(p)
        else:
            exponents[base] = exponents.get(base, Fraction(0)) + exp
    kept = [b if e == 1 else ("^", b, _num(e)) for b, e in exponents.items() if e != 0]
    return tidy(product([*others, *kept], mats), mats)


def expand_squares(f: Form, mats: frozenset[str] = frozenset()) -> Form:
    """`f` with each whole power (2 to 4) of a sum written out as its terms, like terms of that
    expansion joined (2*a*b), numbers folded; nothing else is multiplied out."""
    head = f[0]
    if head in ("num", "sym"):
        return f
    parts = [expand_squares(p, mats) if isinstance(p, tuple) else p for p in f[1:]]
    if head == "^" and parts[0][0] == "+":
        k = _fraction(parts[1])
        if k is not None and k.denominator == 1 and 2 <= k <= 4:
            return collect(distribute(product([parts[0]] * int(k), mats), mats), mats)
    return tidy((head, *parts), mats)


def denominators(f: Form) -> set[Form]:
    """The sums `f` divides by, wherever they stand (inside the base of a negative power)."""
    found: set[Form] = set()
    if f[0] == "^" and (_fraction(f[2]) or 0) < 0:
        base = f[1]
        factors = base[1:] if base[0] == "*" else (base,)
        found.update(p for p in factors if isinstance(p, tuple) and p[0] == "+")
    for part in f[1:]:
        if isinstance(part, tuple):
            found |= denominators(part)
    return found


def spread_numbers(f: Form, mats: frozenset[str] = frozenset()) -> Form:
    """`f` with each number times a sum spread over the sum's terms (-(a - b) is -a + b):
    the sign arithmetic that comes with pulling a derivative or an expectation through a sum."""
    head = f[0]
    if head in ("num", "sym"):
        return f
    f = tidy((head, *(spread_numbers(p, mats) if isinstance(p, tuple) else p for p in f[1:])), mats)
    if f[0] == "*" and len(f) == 3 and f[1][0] == "num" and f[2][0] == "+":
        return tidy(total([product([f[1], term], mats) for term in f[2][1:]]), mats)
    return f
