"""Every kind of check a drill may declare, by name, and how a drill's declared checks run.

The kinds live in check.py (what most drills need) and in modules of their own for one family
each: split_checks.py (how the rows were split), probability_checks.py (probabilities read as
frequencies), rare_class_checks.py (one class of the decisions). Imported only in the check's
child process.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from invert.kinds.drills import check, probability_checks, rare_class_checks, split_checks

CHECKS: dict[
    str, Callable[[check.Context, dict[str, Any]], tuple[bool | None, str, dict[str, Any]]]
] = {
    "holdout": check.check_holdout,
    "refit": check.check_refit,
    "reported": check.check_reported,
    "finite": check.check_finite,
    "reproducible": check.check_reproducible,
    "batch_invariant": check.check_batch_invariant,
    "repeatable": check.check_repeatable,
    "untouched": check.check_untouched,
    "ignores": check.check_ignores,
    "apart": check.check_apart,
    "names": check.check_names,
    "chosen_inside": check.check_chosen_inside,
    "groups_apart": split_checks.check_groups_apart,
    "time_ordered": split_checks.check_time_ordered,
    "calibrated": probability_checks.check_calibrated,
    "expected_count": probability_checks.check_expected_count,
    "rare_class": rare_class_checks.check_rare_class,
}


def run_checks(ctx: check.Context, specs: list[dict[str, Any]]) -> list[check.CheckResult]:
    """Run every declared check; one that raises fails with what it observed, never crashes."""
    results = []
    for spec in specs:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                passed, observed, figures = CHECKS[spec["kind"]](ctx, spec["params"])
        except check.CheckFailed as exc:
            passed, observed, figures = False, str(exc), {}
        except Exception as exc:  # the learner's objects can fail in any way
            passed, observed, figures = False, check.first_line(exc), {}
        results.append(check.CheckResult(spec["id"], spec["title"], passed, observed, figures))
    return results
