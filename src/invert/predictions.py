"""Predictions: what the learner expects before a run, how it is scored, and predictive power.

Pure Python: scoring a cached run must not import NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from invert.engine.result import SweepResult
from invert.engine.shapes import GAPS, SHAPES, near_miss
from invert.errors import LearnerError

if TYPE_CHECKING:
    from invert.store.sqlite import PredictionRow

CONFIDENCE_RANGE = (0.5, 1.0)


def parse_shape(text: str, vocabulary: tuple[str, ...] = SHAPES, what: str = "shape") -> str:
    """Accept a shape as typed: any case, hyphens or underscores for spaces, or its number."""
    cleaned = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    if cleaned.isdigit() and 1 <= int(cleaned) <= len(vocabulary):
        return vocabulary[int(cleaned) - 1]
    if cleaned in vocabulary:
        return cleaned
    options = "; ".join(f"{i}. {s}" for i, s in enumerate(vocabulary, 1))
    raise LearnerError(f"unknown {what} {text!r}; choose one of: {options}")


def parse_confidence(value: float | str) -> float:
    """A confidence from 0.5 to 1, or a percentage from 50 to 100."""
    try:
        number = float(str(value).strip().rstrip("%"))
    except ValueError:
        raise LearnerError(
            f"confidence must be a number from 50 to 100 (%); got {value!r}"
        ) from None
    if number > 1:
        number /= 100
    low, high = CONFIDENCE_RANGE
    if not low <= number <= high:
        raise LearnerError("confidence must be from 50% (a coin flip) to 100% (certain)")
    return number


@dataclass(frozen=True)
class Guess:
    """A number predicted for the test metric at one knob value."""

    value: float | int | str
    number: float


@dataclass(frozen=True)
class Prediction:
    experiment: str
    shape: str
    confidence: float
    gap: str | None = None
    guess: Guess | None = None
    uid: str | None = None  # set once recorded

    def to_json(self) -> dict[str, Any]:
        guess = (
            None if self.guess is None else {"value": self.guess.value, "number": self.guess.number}
        )
        return {
            "shape": self.shape,
            "gap": self.gap,
            "confidence": self.confidence,
            "guess": guess,
        }


@dataclass(frozen=True)
class Outcome:
    """How a prediction fared against what was measured."""

    hit: bool
    measured_shape: str
    measured_gap: str
    gap_hit: bool | None
    near_miss: bool
    brier: float
    guess_error: float | None = None
    guess_within_spread: bool | None = None
    guess_spread: float | None = None
    verdict: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "hit": int(self.hit),
            "gap_hit": None if self.gap_hit is None else int(self.gap_hit),
            "near_miss": self.near_miss,
            "brier": round(self.brier, 4),
            "guess_error": self.guess_error,
            "guess_within_spread": self.guess_within_spread,
            "guess_spread": self.guess_spread,
            "verdict": self.verdict,
        }


def parse_guess(text: str, values: Iterable[float | int | str]) -> Guess:
    """`VALUE=NUMBER`, where VALUE is one of the sweep's knob values."""
    value_text, sep, number_text = text.partition("=")
    if not sep:
        raise LearnerError(f"--guess takes VALUE=NUMBER, e.g. 20=0.78; got {text!r}")
    try:
        number = float(number_text)
    except ValueError:
        raise LearnerError(f"--guess: {number_text!r} is not a number") from None
    if not math.isfinite(number):
        raise LearnerError(f"--guess takes a finite number; got {number_text.strip()!r}")
    for value in values:
        if str(value) == value_text.strip() or _same_number(value, value_text):
            return Guess(value=value, number=number)
    listed = ", ".join(str(v) for v in values)
    raise LearnerError(f"--guess: {value_text!r} is not one of the sweep's values ({listed})")


def _same_number(value: float | int | str, text: str) -> bool:
    try:
        return not isinstance(value, str) and float(text) == float(value)
    except ValueError:
        return False


def score_prediction(prediction: Prediction, result: SweepResult) -> Outcome:
    """Score the shape (and the gap and number, when given) against the measured curve."""
    measured, gap = result.test_shape, result.gap
    hit = prediction.shape == measured
    gap_hit = None if prediction.gap is None else prediction.gap == gap
    brier = (prediction.confidence - (1.0 if hit else 0.0)) ** 2
    guess_error = within = spread = None
    if prediction.guess is not None:
        point = result.point(prediction.guess.value)
        if point is not None:
            guess_error = abs(prediction.guess.number - point.test_mean)
            spread = max(point.test_std, 0.005 * max(1.0, abs(point.test_mean)))
            within = guess_error <= spread
    close = near_miss(prediction.shape, measured)
    if hit:
        verdict = f"Right: the test curve {_verb(measured)}."
    elif close:
        verdict = f"Close: the direction was right, but the curve {_verb(measured)}."
    else:
        verdict = f"Not this time: you said it {_verb(prediction.shape)}; it {_verb(measured)}."
    if gap_hit is not None:
        verdict += f" The train-test gap {gap}" + (
            " (as you said)." if gap_hit else f", not {prediction.gap}."
        )
    return Outcome(
        hit=hit,
        measured_shape=measured,
        measured_gap=gap,
        gap_hit=gap_hit,
        near_miss=close,
        brier=brier,
        guess_error=guess_error,
        guess_within_spread=within,
        guess_spread=spread,
        verdict=verdict,
    )


@dataclass(frozen=True)
class Power:
    """Predictive power over a set of scored predictions."""

    predictions: int
    hits: int
    hit_rate: float | None
    brier: float | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def power_of(rows: list[tuple[bool, float]]) -> Power:
    """`rows` are (hit, brier) pairs."""
    if not rows:
        return Power(0, 0, None, None)
    hits = sum(1 for hit, _ in rows if hit)
    return Power(len(rows), hits, hits / len(rows), sum(b for _, b in rows) / len(rows))


@dataclass(frozen=True)
class PowerReport:
    overall: Power
    per_concept: dict[str, Power]
    recent: Power  # the last `window` predictions
    earlier: Power  # the `window` before those
    trend: str  # "improving", "steady", "slipping" or "too few predictions"
    rolling: list[float] = field(default_factory=list)  # hit rate over a moving window
    running: list[float] = field(default_factory=list)  # hit rate of all scored so far
    times: list[str] = field(default_factory=list)  # when each was scored, if known
    experiments: list[str] = field(default_factory=list)  # what each prediction was about
    hits: list[bool] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "per_concept": {k: v.to_json() for k, v in self.per_concept.items()},
            "recent": self.recent.to_json(),
            "earlier": self.earlier.to_json(),
            "trend": self.trend,
            "rolling": self.rolling,
            "running": self.running,
            "times": self.times,
        }


def predictive_power(
    scored: list[tuple[str, bool, float]],
    concepts_of: dict[str, tuple[str, ...]],
    window: int = 10,
    times: list[str] | None = None,
) -> PowerReport:
    """Hit rate and Brier score overall, per concept and as a trend.

    `scored` is (experiment, hit, brier) in time order; `times`, if given, when each was scored.

    >>> report = predictive_power([("a", True, 0.04), ("a", False, 0.49)], {"a": ("bagging",)})
    >>> report.overall.hit_rate, report.per_concept["bagging"].predictions
    (0.5, 2)
    """
    pairs = [(hit, brier) for _, hit, brier in scored]
    per_concept: dict[str, list[tuple[bool, float]]] = {}
    for experiment, hit, brier in scored:
        for concept in concepts_of.get(experiment, ()):
            per_concept.setdefault(concept, []).append((hit, brier))
    recent, earlier = pairs[-window:], pairs[-2 * window : -window]
    trend = "too few predictions"
    if len(recent) >= 3 and len(earlier) >= 3:
        delta = power_of(recent).hit_rate - power_of(earlier).hit_rate  # type: ignore[operator]
        trend = "improving" if delta > 0.1 else "slipping" if delta < -0.1 else "steady"
    size = min(window, 5)
    rolling = [
        sum(1 for hit, _ in pairs[max(0, i - size + 1) : i + 1] if hit) / min(size, i + 1)
        for i in range(len(pairs))
    ]
    hits = [hit for hit, _ in pairs]
    running = [sum(hits[: i + 1]) / (i + 1) for i in range(len(hits))]
    return PowerReport(
        overall=power_of(pairs),
        per_concept={k: power_of(v) for k, v in sorted(per_concept.items())},
        recent=power_of(recent),
        earlier=power_of(earlier),
        trend=trend,
        rolling=[round(r, 3) for r in rolling],
        running=[round(r, 3) for r in running],
        times=list(times or []),
        experiments=[experiment for experiment, _, _ in scored],
        hits=hits,
    )


def scored_in_order(rows: Iterable[PredictionRow]) -> list[PredictionRow]:
    """The scored predictions among the journal's rows, in the order they were scored."""
    return sorted((row for row in rows if row.scored), key=lambda row: row.scored_at or row.at)


def power_report(
    rows: Iterable[PredictionRow], concepts_of: dict[str, tuple[str, ...]], window: int = 10
) -> PowerReport:
    """`predictive_power` of the journal's prediction rows (the unscored ones are left out)."""
    scored = scored_in_order(rows)
    return predictive_power(
        [(row.experiment, bool(row.hit), float(row.brier or 0.0)) for row in scored],
        concepts_of,
        window,
        [row.scored_at or row.at for row in scored],
    )


__all__ = [
    "GAPS",
    "SHAPES",
    "Guess",
    "Outcome",
    "PowerReport",
    "Prediction",
    "parse_confidence",
    "parse_guess",
    "parse_shape",
    "power_report",
    "predictive_power",
    "score_prediction",
]


def _verb(shape: str) -> str:
    """A shape as the verb of a sentence.

    >>> _verb("flat"), _verb("rises then falls")
    ('stays flat', 'rises then falls')
    """
    return "stays flat" if shape == "flat" else shape
