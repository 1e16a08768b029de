"""What a trace shows of a variable: a one-line summary, and what changed since the last step.

NumPy arrays are summarised by shape, dtype, min/max/mean and a small preview, and compared
element by element; DataFrames by shape and columns; lists by length and their last item.
Nothing here imports NumPy, pandas or torch: values are recognised by their type's module, so
a trace of a plain script pays for none of them.
"""

from __future__ import annotations

import math
import types
from dataclasses import dataclass
from typing import Any

PREVIEW_CHARS = 90
COPY_LIMIT = 1_000_000  # arrays up to this many elements are copied to compare element by element
SEQUENCE_ITEMS = 5000  # the last items of a list compared from step to step
MISSING = object()


@dataclass
class Value:
    """One variable as a step shows it."""

    name: str
    type: str
    text: str
    shape: list[int] | None = None
    dtype: str | None = None
    min: float | None = None
    max: float | None = None
    mean: float | None = None
    change: str | None = None  # what changed since the step before; None when nothing did
    changed_elements: int | None = None
    max_abs_change: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Value:
        return cls(**data)


def number(x: float) -> str:
    """A number short enough to read at a glance: 4 significant digits.

    >>> number(0.000123456), number(1234567.0), number(2.0), number(float("nan"))
    ('0.0001235', '1.235e+06', '2', 'nan')
    """
    return f"{x:.4g}"


def is_shown(name: str, value: Any) -> bool:
    """Whether a step lists this variable: not modules, functions, classes or dunder names."""
    if name.startswith("__") or name == "_":
        return False
    return not isinstance(
        value,
        types.ModuleType | types.FunctionType | types.BuiltinFunctionType | type | types.MethodType,
    )


def _kind(value: Any) -> str:
    cls = type(value)
    return f"{cls.__module__.partition('.')[0]}.{cls.__name__}"


def summarise(name: str, value: Any) -> Value:
    """The one-line view of `value` (arrays with shape, dtype, range and a preview).

    >>> import numpy as np
    >>> summarise("w", np.array([0.5, -1.0, 2.0])).text
    'float64 (3,)  min -1  max 2  mean 0.5  [ 0.5, -1. , 2. ]'
    >>> summarise("n", 120).text, summarise("losses", [0.69, 0.61, 0.58]).text
    ('120', 'list of 3 floats, last 0.58 (min 0.58, max 0.69)')
    """
    kind = _kind(value)
    if kind == "numpy.ndarray":
        return _array(name, value)
    if kind.startswith("numpy.") and hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        return _scalar(name, value.item(), type(value).__name__)
    if kind == "torch.Tensor":
        return _array(name, value.detach().cpu().numpy(), "Tensor ")
    if kind in ("pandas.DataFrame", "pandas.Series"):
        return _pandas(name, value)
    if isinstance(value, bool | int | float | complex | str | bytes) or value is None:
        return _scalar(name, value, type(value).__name__)
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):  # not a NamedTuple
        return _sequence(name, value)
    if isinstance(value, dict):
        keys = ", ".join(str(k) for k in list(value)[:8]) + (", …" if len(value) > 8 else "")
        kind_name = type(value).__name__
        text = f"{kind_name} of {len(value)}: {_short(repr(value))}"
        if type(value) is not dict or not all(
            isinstance(v, int | float | str) for v in value.values()
        ):
            text = f"{kind_name} of {len(value)} keys: {_short(keys)}"
        return Value(name, kind_name, text, shape=[len(value)])
    return Value(name, type(value).__name__, _short(repr(value)))


def _short(text: str, limit: int = PREVIEW_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scalar(name: str, value: Any, type_name: str) -> Value:
    if isinstance(value, float):
        text = number(value)
        return Value(name, type_name, text, min=value, max=value, mean=value)
    if isinstance(value, bool):
        return Value(name, type_name, repr(value))
    if isinstance(value, int):
        return Value(name, type_name, repr(value), min=value, max=value, mean=value)
    return Value(name, type_name, _short(repr(value)))


def _finite(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _array(name: str, array: Any, prefix: str = "") -> Value:
    import numpy as np

    shape = list(array.shape)
    dtype = str(array.dtype)
    head = f"{prefix}{dtype} {tuple(shape)}"
    preview = np.array2string(
        array, precision=3, threshold=6, edgeitems=2, separator=", ", max_line_width=10_000
    )
    preview = _short(preview, 60)
    value = Value(name, f"{prefix.strip() or 'ndarray'}", head, shape=shape, dtype=dtype)
    if array.size == 0:
        value.text = f"{head}  empty"
        return value
    if array.dtype.kind == "b":
        value.text = f"{head}  {int(array.sum())} true of {array.size}  {preview}"
        return value
    if array.dtype.kind not in "iuf":
        distinct = np.unique(array.ravel()[:100_000])
        value.text = f"{head}  {len(distinct)} distinct  {preview}"
        return value
    data = array.astype(np.float64, copy=False)
    missing = int(np.isnan(data).sum()) if array.dtype.kind == "f" else 0
    if missing == array.size:
        value.text = f"{head}  all nan"
        return value
    low, high, mean = np.nanmin(data), np.nanmax(data), np.nanmean(data)
    value.min, value.max, value.mean = _finite(low), _finite(high), _finite(mean)
    nan = f"  nan {missing}" if missing else ""
    stats = f"min {number(low)}  max {number(high)}  mean {number(mean)}"
    value.text = f"{head}  {stats}{nan}  {preview}"
    return value


def _pandas(name: str, frame: Any) -> Value:
    shape = list(frame.shape)
    if frame.ndim == 2:
        columns = ", ".join(str(c) for c in frame.columns[:6])
        more = ", …" if frame.shape[1] > 6 else ""
        text = f"DataFrame {tuple(shape)}  columns {columns}{more}"
        return Value(name, "DataFrame", text, shape=shape)
    dtype = str(frame.dtype)
    value = Value(name, "Series", f"Series {dtype} {tuple(shape)} {frame.name!r}", shape=shape)
    value.dtype = dtype
    if frame.dtype.kind in "iuf" and len(frame):
        low, high, mean = frame.min(), frame.max(), frame.mean()
        value.min, value.max, value.mean = _finite(low), _finite(high), _finite(mean)
        value.text += f"  min {number(low)}  max {number(high)}  mean {number(mean)}"
    else:
        value.text += f"  {frame.nunique()} distinct"
    return value


def _sequence(name: str, items: list[Any] | tuple[Any, ...]) -> Value:
    kind = type(items).__name__
    value = Value(name, kind, f"{kind} of {len(items)}", shape=[len(items)])
    if not items:
        value.text = f"empty {kind}"
        return value
    if all(isinstance(x, int | float) and not isinstance(x, bool) for x in items[:1000]):
        floats = [float(x) for x in items]
        label = "floats" if any(isinstance(x, float) for x in items) else "ints"
        low, high = min(floats), max(floats)
        value.min, value.max = _finite(low), _finite(high)
        value.text = (
            f"{kind} of {len(items)} {label}, last {number(floats[-1])} "
            f"(min {number(low)}, max {number(high)})"
        )
        return value
    if all(_kind(x) == "numpy.ndarray" for x in items[:50]):
        shapes = ", ".join(str(tuple(x.shape)) for x in items[:4])
        more = ", …" if len(items) > 4 else ""
        value.text = f"{kind} of {len(items)} arrays: {shapes}{more}"
        return value
    value.text = f"{kind} of {len(items)}: {_short(repr(items[:5]), 70)}"
    return value


def fingerprint(value: Any) -> Any:
    """What to keep of a value to tell, at the next step, whether and how it changed."""
    kind = _kind(value)
    if kind == "numpy.ndarray":
        if value.size <= COPY_LIMIT:
            return ("array", value.copy())
        return ("big", id(value), value.shape, str(value.dtype))
    if kind == "torch.Tensor":
        return ("array", value.detach().cpu().numpy().copy())
    if kind in ("pandas.DataFrame", "pandas.Series"):
        columns = tuple(str(c) for c in getattr(value, "columns", ())[:8])
        return ("frame", id(value), value.shape, columns, str(getattr(value, "dtype", "")))
    if isinstance(value, bool | int | float | complex | str | bytes) or value is None:
        return ("scalar", value)
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        # Each item by value if it is a plain number or string, else by identity and shape:
        # enough to tell when the one-line summary (lengths, numbers, shapes) would change.
        items = tuple(
            x if isinstance(x, int | float | str) or x is None else (id(x), getattr(x, "shape", 0))
            for x in value[-SEQUENCE_ITEMS:]
        )
        return ("sequence", id(value), len(value), items)
    return ("other", id(value), _short(repr(value), 200))


def describe_change(old: Any, new: Any, value: Value) -> bool:
    """Fill `value.change` (and the element counts for arrays); False when nothing changed.

    >>> import numpy as np
    >>> before, after = np.array([1.0, 2.5, 3.0]), np.array([1.0, 2.0, 3.0])
    >>> v = summarise("w", after)
    >>> describe_change(fingerprint(before), fingerprint(after), v)
    True
    >>> v.change
    'changed 1 of 3 elements, max |Δ| 0.5'
    """
    if old is MISSING:
        value.change = "new"
        return True
    if old[0] != new[0]:
        value.change = "now " + value.type
        return True
    if old[0] == "array":
        return _array_change(old[1], new[1], value)
    if old[0] == "scalar":
        if type(old[1]) is type(new[1]) and (old[1] == new[1] or _both_nan(old[1], new[1])):
            return False
        before = number(old[1]) if isinstance(old[1], float) else _short(repr(old[1]), 30)
        value.change = f"was {before}"
        return True
    if old[0] == "sequence":
        if old == new:
            return False
        if old[1] == new[1] and new[2] > old[2]:
            value.change = f"grew {old[2]} → {new[2]}"
        else:
            value.change = f"length {old[2]} → {new[2]}" if old[2] != new[2] else "changed"
        return True
    if old == new:
        return False
    value.change = "changed"
    return True


def _both_nan(a: Any, b: Any) -> bool:
    return isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)


def _array_change(old: Any, new: Any, value: Value) -> bool:
    import numpy as np

    if old.shape != new.shape or old.dtype != new.dtype:
        if old.shape != new.shape:
            value.change = f"shape {tuple(old.shape)} → {tuple(new.shape)}"
        else:
            value.change = f"dtype {old.dtype} → {new.dtype}"
        return True
    if old.dtype.kind in "iufb":
        differs = old != new
        if old.dtype.kind == "f":
            differs &= ~(np.isnan(old) & np.isnan(new))
        count = int(differs.sum())
        if count == 0:
            return False
        value.changed_elements = count
        delta = np.abs(new[differs].astype(np.float64) - old[differs].astype(np.float64))
        largest = float(np.nanmax(delta)) if np.isfinite(delta).any() else math.inf
        value.max_abs_change = largest if math.isfinite(largest) else None
        value.change = f"changed {count} of {new.size} elements, max |Δ| {number(largest)}"
        return True
    if np.array_equal(old, new):
        return False
    count = int((old != new).sum())
    value.changed_elements = count
    value.change = f"changed {count} of {new.size} elements"
    return True
