"""A sweep as it runs, in the terminal: the table and the chart filled in fit by fit.

Shown only after the prediction is recorded (`invert try` asks for it first); each knob value's
row gives the mean of the splits measured so far and how many of them there are, and the chart
draws every value with at least one split.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

    from invert.engine.plan import SweepPlan
    from invert.engine.result import Point


class SweepView:
    """A Rich renderable over the outcomes heard so far (`add` is the sweep's on_outcome)."""

    def __init__(self, plan: SweepPlan) -> None:
        self.plan = plan
        self.outcomes: dict[int, list[dict[str, Any]]] = {}
        self.known: dict[int, Point] = {}  # measured by earlier sweeps: shown at once
        self.started = time.perf_counter()
        self.splits = plan.experiment.evaluation.splits

    def add(self, index: int, outcome: dict[str, Any]) -> None:
        self.outcomes.setdefault(index, []).append(outcome)

    def add_point(self, index: int, point: Point) -> None:
        self.known[index] = point

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.table import Table

        from invert.engine.sweep import partial_result
        from invert.plots import terminal_chart

        plan = self.plan
        metric = plan.experiment.evaluation.metric
        done = sum(len(v) for v in self.outcomes.values())
        done += sum(p.splits for p in self.known.values())
        total = self.splits * len(plan.values)
        elapsed = time.perf_counter() - self.started
        table = Table(
            title=f"measuring: {done} of {total} fits, {elapsed:.1f} s",
            title_justify="left",
            show_edge=False,
        )
        for column in (plan.experiment.knob.label, "splits", f"train {metric}", f"test {metric}"):
            table.add_column(column, justify="right")
        partial = partial_result(plan, self.outcomes, self.known, elapsed)
        for value in plan.values:
            point = partial.point(value)
            if point is None:
                table.add_row(str(value), f"0/{self.splits}", "", "")
                continue
            table.add_row(
                str(value),
                f"{point.splits}/{self.splits}",
                f"{point.train_mean:.3f}",
                f"{point.test_mean:.3f}",
            )
        yield table
        if len(partial.points) >= 2:
            yield terminal_chart(partial)
