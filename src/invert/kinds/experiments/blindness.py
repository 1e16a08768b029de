"""Whether a prediction is made blind: what counts as a result the learner has already seen.

Predictive power asks "can you say what will happen before you run it?". A prediction about a
result the learner has already been shown answers from memory, not understanding, so it is
journalled as *practice* and does not count. The rule, in full (docs/architecture.md, "What
counts as seen"):

- Every result invert shows is an ``experiment_run`` event in the journal (the CLI, the web app
  and runs in an imported journal all write one; a run that failed writes none, and nothing was
  shown). A run counts as seen whether or not it carried a prediction, and whether or not it was
  a transfer probe's run.
- A run's configuration is the experiment, the dataset and model (the payload's ``dataset`` and
  ``model``; a run from before they were recorded means the experiment's own), the held-fixed
  settings compared with every default filled in (``--set x=default`` is the same as not
  setting it) and the knob's values.
- A new prediction is practice when a seen run has the same experiment, dataset, model and
  settings and its values overlap the new sweep's with positive length: numeric knobs as
  ``[min, max]`` intervals sharing more than one point, choice knobs sharing two or more values.
  A single shared endpoint or value shows no part of the curve's shape, so it stays blind.

Pure Python: nothing here imports the engine, the store or a heavy library.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from invert.kinds.experiments.model import Experiment
    from invert.store.events import Event

Value = float | int | str


@dataclass(frozen=True)
class Configuration:
    """What a sweep was run under: everything that decides which result it shows."""

    experiment: str
    dataset: str
    model: str
    settings: tuple[tuple[str, Any], ...]  # sorted (target, value) pairs, defaults filled in
    values: tuple[Value, ...]

    def same_setup(self, other: Configuration) -> bool:
        """Same experiment, dataset, model and held-fixed settings (the values aside)."""
        return (self.experiment, self.dataset, self.model) == (
            other.experiment,
            other.dataset,
            other.model,
        ) and _same_settings(self.settings, other.settings)

    def span(self) -> str:
        """The values in a few words: "1-200" for numbers, "a, b, c" for choices."""
        numbers = [v for v in self.values if isinstance(v, int | float) and not isinstance(v, bool)]
        if numbers and len(numbers) == len(self.values):
            return f"{_show(min(numbers))}-{_show(max(numbers))}"
        return ", ".join(str(v) for v in self.values)


@dataclass(frozen=True)
class SeenRun:
    """A result already shown to the learner: an `experiment_run` event and its configuration."""

    uid: str
    at: str
    configuration: Configuration


@dataclass(frozen=True)
class Blindness:
    """The verdict on one prediction, taken before its run: blind, or practice because of `seen`."""

    blind: bool
    seen: SeenRun | None = None  # the earliest seen run that overlaps, when practice

    def seen_phrase(self, knob_label: str) -> str:
        """What was seen, in words: "you saw this experiment's result over ... on <date>"."""
        if self.seen is None:
            return ""
        c = self.seen.configuration
        settings = ", ".join(f"{k}={v}" for k, v in c.settings)
        held = f" with these settings ({settings})" if settings else " with these settings"
        return (
            f"you saw this experiment's result over {knob_label} {c.span()}{held} on "
            f"{self.seen.at[:10]}"
        )

    def reason(self, knob_label: str) -> str:
        """Why a practice prediction does not count, in one sentence (empty when blind)."""
        if self.seen is None:
            return ""
        return f"practice: {self.seen_phrase(knob_label)}; it is journalled but does not count"

    def to_json(self) -> dict[str, Any]:
        seen = None
        if self.seen is not None:
            seen = {
                "run": self.seen.uid,
                "at": self.seen.at,
                "values": list(self.seen.configuration.values),
            }
        return {"blind": self.blind, "seen": seen}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _show(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _same_settings(a: tuple[tuple[str, Any], ...], b: tuple[tuple[str, Any], ...]) -> bool:
    """Equal settings, a number equal to the same number however it was written (5 == 5.0)."""
    if [k for k, _ in a] != [k for k, _ in b]:
        return False
    for (_, x), (_, y) in zip(a, b, strict=True):
        if _is_number(x) and _is_number(y):
            if float(x) != float(y):
                return False
        elif x != y:
            return False
    return True


def filled_settings(experiment: Experiment, given: Mapping[str, Any] | None) -> tuple[Any, ...]:
    """`given` over the experiment's defaults, sorted: what the sweep actually held fixed."""
    settings: dict[str, Any] = {t: s.default for t, s in experiment.settings.items()}
    settings.update(given or {})
    return tuple(sorted(settings.items()))


def configuration(
    experiment: Experiment,
    values: Sequence[Value],
    settings: Mapping[str, Any] | None,
    dataset: str | None = None,
    model: str | None = None,
) -> Configuration:
    """The configuration of a sweep of `experiment` (the catalogue's dataset and model unless
    others are named, as a transfer probe does)."""
    return Configuration(
        experiment=experiment.id,
        dataset=dataset or experiment.dataset,
        model=model or experiment.estimator,
        settings=filled_settings(experiment, settings),
        values=tuple(values),
    )


def run_configuration(experiment: Experiment, payload: Mapping[str, Any]) -> Configuration:
    """The configuration an `experiment_run` payload was run under.

    Runs from before a field was recorded mean the experiment's own: its dataset and model, its
    default settings and, without `values` (or `points` to read them from), its default sweep.
    """
    values: Sequence[Value] | None = payload.get("values")
    if not values and payload.get("points"):
        values = [point[0] for point in payload["points"] if point]
    return configuration(
        experiment,
        values or experiment.knob.values,
        payload.get("settings"),
        payload.get("dataset"),
        payload.get("model"),
    )


def values_overlap(kind: str, new: Sequence[Value], seen: Sequence[Value]) -> bool:
    """Whether two sweeps of one knob share a stretch of the curve (more than a single point).

    >>> values_overlap("int", [1, 10, 50], [40, 200])
    True
    >>> values_overlap("int", [1, 10], [10, 100])
    False
    >>> values_overlap("choice", ["a", "b", "c"], ["b", "c"])
    True
    >>> values_overlap("choice", ["a", "b"], ["b", "d"])
    False
    """
    if kind != "choice" and all(_is_number(v) for v in [*new, *seen]) and new and seen:
        low = max(min(float(v) for v in new), min(float(v) for v in seen))
        high = min(max(float(v) for v in new), max(float(v) for v in seen))
        return high > low
    return len({str(v) for v in new} & {str(v) for v in seen}) >= 2


def seen_runs(experiment: Experiment, runs: Iterable[Event]) -> list[SeenRun]:
    """The results of `experiment` shown so far, oldest first, from its `experiment_run` events."""
    shown = [
        SeenRun(run.uid, run.at, run_configuration(experiment, run.payload))
        for run in runs
        if run.kind == "experiment_run" and run.subject == experiment.id
    ]
    return sorted(shown, key=lambda run: run.at)


def judge_blindness(new: Configuration, kind: str, seen: Iterable[SeenRun]) -> Blindness:
    """Blind unless a seen run has the same setup and values that overlap `new`'s."""
    for run in seen:
        c = run.configuration
        if c.same_setup(new) and values_overlap(kind, new.values, c.values):
            return Blindness(blind=False, seen=run)
    return Blindness(blind=True)


__all__ = [
    "Blindness",
    "Configuration",
    "SeenRun",
    "configuration",
    "judge_blindness",
    "run_configuration",
    "seen_runs",
    "values_overlap",
]
