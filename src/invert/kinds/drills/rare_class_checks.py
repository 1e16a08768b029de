"""A check on one class of the decisions, the rare one that a whole-table score hides.

Listed in checks.py like the others and called the same way, in the check's child
process, on the live objects the learner's script left. The class may be one of the target's
values, or a cut of a numeric target (houses sold for at least $350,000), so that a regression
dataset can hold a rare class too.
"""

from __future__ import annotations

from typing import Any

from invert.kinds.drills.check import METRIC_LABELS, Context, Predictor, metric_value

CLASS_METRICS = ("f1", "recall", "precision")


def check_rare_class(ctx: Context, p: dict[str, Any]) -> tuple[bool, str, dict[str, Any]]:
    """The decisions on new rows reach `at_least` of `metric` for the class `positive`.

    F1 and precision must also beat calling every row `positive`; recall cannot (that scores
    1), so a drill that asks for recall pairs it with another check.
    """
    # Imported here: check.py imports this module to register its checks.
    import numpy as np

    metric, positive = p["metric"], p["positive"]
    if metric not in CLASS_METRICS:
        raise ValueError(f"rare_class measures one of {CLASS_METRICS}, not {metric!r}")
    predictor = Predictor(ctx, p.get("predictor", "model"), p.get("unknown_why", ""), positive)
    rows = ctx.new_rows(p.get("unknown", []))
    decided = predictor.predict(rows) == positive
    truth = np.asarray(ctx.truth)
    actual = truth >= float(p["cut"]) if "cut" in p else truth == positive
    score = metric_value(metric, actual, decided, positive=True)
    everyone = metric_value(metric, actual, np.ones_like(actual), positive=True)
    found, alarms = int((decided & actual).sum()), int((decided & ~actual).sum())
    limit = float(p["at_least"])
    name = f"'{positive}'" if isinstance(positive, str) else str(positive)
    observed = (
        f"{METRIC_LABELS[metric]} for {name} on {len(rows)} rows the script never saw: "
        f"{score:.3f} (needs at least {limit:g}); of the {int(actual.sum())} that are {name} it "
        f"finds {found}, and it calls {alarms} others {name} (calling every row {name} gets "
        f"{everyone:.3f})"
    )
    figures = {"score": score, "found": found, "false_alarms": alarms, "rows": len(rows)}
    # Calling every row positive is the cheap way to a high score; recall cannot tell it apart.
    beats_everyone = metric == "recall" or score > everyone
    return score >= limit and beats_everyone, observed, figures
