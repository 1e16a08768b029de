"""Checks on a model's probabilities read as frequencies: do they match what happens?

Listed in checks.py like the others and called the same way, in the check's child
process, on the live objects the learner's script left. `calibrated` scores the probabilities
on the hidden rows; `expected_count` recomputes a count the script reports from them.
"""

from __future__ import annotations

import math
from typing import Any

from invert.kinds.drills.check import DEFAULT_TEST, CheckFailed, Context, Predictor

DEFAULT_BINS = 10


def reliability(probabilities: Any, happened: Any, bins: int = DEFAULT_BINS) -> dict[str, Any]:
    """Expected calibration error over equal-width bins, and the bin furthest from its promise.

    >>> r = reliability([0.9, 0.9, 0.1, 0.1], [1, 0, 0, 0], bins=10)
    >>> round(r["ece"], 3), r["worst"]["rows"], round(r["worst"]["share"], 2)
    (0.25, 2, 0.5)
    """
    import numpy as np

    p = np.asarray(probabilities, dtype=float)
    y = np.asarray(happened, dtype=float)
    which = np.clip(np.digitize(p, np.linspace(0.0, 1.0, bins + 1)[1:-1]), 0, bins - 1)
    ece, worst, worst_gap = 0.0, {}, -1.0
    for b in range(bins):
        rows = which == b
        if not rows.any():
            continue
        said, share = float(p[rows].mean()), float(y[rows].mean())
        gap = abs(said - share)
        ece += rows.mean() * gap
        # The bin that breaks its promise for the most rows: gap weighted by its size.
        if gap * rows.sum() > worst_gap:
            worst_gap = gap * rows.sum()
            worst = {"rows": int(rows.sum()), "said": said, "share": share}
    return {"ece": float(ece), "worst": worst, "said": float(p.sum()), "happened": float(y.sum())}


def _positive_name(positive: Any) -> str:
    return f"'{positive}'" if isinstance(positive, str) else str(positive)


def check_calibrated(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """Among new rows given probability about q of `positive`, about q of them are positive."""
    # Imported here: check.py imports this module to register its checks.
    import numpy as np

    positive = p["positive"]
    predictor = Predictor(ctx, p.get("predictor", "model"), p.get("unknown_why", ""), positive)
    rows = ctx.new_rows(p.get("unknown", []))
    probabilities = predictor.scores(rows, positive)
    if probabilities.min() < -1e-9 or probabilities.max() > 1 + 1e-9:
        raise CheckFailed(
            f"`{predictor.name}.predict_proba` gives values outside 0 to 1 on new rows: "
            "they are not probabilities"
        )
    happened = np.asarray(ctx.truth) == positive
    r = reliability(probabilities, happened, int(p.get("bins", DEFAULT_BINS)))
    limit = float(p["at_most"])
    worst = r["worst"]
    name = _positive_name(positive)
    observed = (
        f"on {len(rows)} rows the script never saw, the probabilities of {name} add up to "
        f"{r['said']:.0f} where {r['happened']:.0f} are {name}; the {worst['rows']} rows given "
        f"about {worst['said']:.2f} are {name} {worst['share']:.0%} of the time (calibration "
        f"error {r['ece']:.3f}, needs at most {limit:g})"
    )
    figures = {"ece": r["ece"], "said": r["said"], "happened": r["happened"], "rows": len(rows)}
    return r["ece"] <= limit, observed, figures


def check_expected_count(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """A reported count is the sum of the model's probabilities of `positive` over the test rows."""
    import numpy as np

    name, positive = p["variable"], p["positive"]
    value = ctx.need(name)
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise CheckFailed(f"`{name}` should be a number; it is a {type(value).__name__}")
    predictor = Predictor(ctx, p.get("predictor", "model"), positive=positive)
    x_name, y_name = p.get("test", DEFAULT_TEST)
    rows = ctx.need(x_name)
    expected = float(predictor.scores(rows, positive).sum())
    happened = int((np.asarray(ctx.need(y_name)) == positive).sum())
    ok = math.isfinite(float(value)) and abs(float(value) - expected) <= 1e-6 * max(1.0, expected)
    observed = (
        f"`{name}` = {float(value):.1f}; the probabilities of {_positive_name(positive)} that "
        f"`{predictor.name}` gives the {len(rows)} rows of `{x_name}` add up to {expected:.1f} "
        f"({happened} of them are {_positive_name(positive)})"
    )
    return ok, observed, {"reported": float(value), "expected": expected, "happened": happened}
