"""Predictions: what the learner expects before a run, how it is scored, and predictive power.

Pure Python: scoring a cached run must not import NumPy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from invert.engine.result import SweepResult
from invert.engine.shapes import GAPS, SHAPES, near_miss
from invert.errors import LearnerError
from invert.progress.calibration import MIN_JUDGED, Calibration, calibrate

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
    if prediction.guess is not None:
        verdict += " " + _guess_verdict(prediction.guess, result, guess_error, spread, within)
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


def _guess_verdict(
    guess: Guess,
    result: SweepResult,
    error: float | None,
    spread: float | None,
    within: bool | None,
) -> str:
    """How the number guess fared, in one sentence with the numbers it was judged on."""
    point = result.point(guess.value)
    if point is None or error is None or spread is None:
        return f"Your number at {guess.value} could not be scored: nothing was measured there."
    spreads = error / spread if spread > 0 else math.inf
    return (
        f"Your number at {guess.value} was {guess.number:.4g}; the test mean there was "
        f"{point.test_mean:.4g}, spread {spread:.3g}: off by {error:.3g}, {spreads:.1f} times "
        "the spread, so " + ("within it (right)." if within else "outside it (wrong).")
    )


@dataclass(frozen=True)
class Scored:
    """One scored prediction, reduced to the parts the figures count.

    `hit` is the shape; `gap_hit` the train-test gap and `guess_within` the number guess (each
    None when the learner did not state it); `guess_spreads` the number's error in units of the
    spread it was judged against."""

    experiment: str
    hit: bool
    confidence: float
    gap_hit: bool | None = None
    guess_within: bool | None = None
    guess_spreads: float | None = None
    probe: str | None = None

    @property
    def brier(self) -> float:
        """(confidence - 1)^2 when the shape was right, confidence^2 when wrong."""
        return (self.confidence - (1.0 if self.hit else 0.0)) ** 2

    @property
    def parts(self) -> list[bool]:
        """Each part the learner stated, right or not: the shape, then the gap and the number."""
        stated = [self.hit]
        stated += [part for part in (self.gap_hit, self.guess_within) if part is not None]
        return stated

    @property
    def combined(self) -> float:
        """The share of the parts stated that were right."""
        parts = self.parts
        return sum(parts) / len(parts)


def scored_row(row: PredictionRow) -> Scored:
    """A scored journal row as the parts it stated."""
    spreads = None
    if row.guess_error is not None and row.guess_spread:
        spreads = row.guess_error / row.guess_spread
    return Scored(
        experiment=row.experiment,
        hit=bool(row.hit),
        confidence=float(row.confidence),
        gap_hit=None if row.gap is None or row.gap_hit is None else bool(row.gap_hit),
        guess_within=(
            None if row.guess_number is None or row.guess_within is None else bool(row.guess_within)
        ),
        guess_spreads=spreads if row.guess_number is not None else None,
        probe=row.probe,
    )


@dataclass(frozen=True)
class Power:
    """Predictive power over a set of scored predictions, part by part.

    The shape: `hits` of `predictions` right, and the Brier score of the stated confidence. The
    gap: `gap_hits` of the `gaps` stated. The number: `guesses_within` of the `guesses` within
    the measured spread, and `guess_spreads`, the mean error in units of that spread.
    `combined`: per prediction, the share of the parts it stated that were right, averaged
    over the predictions (each prediction weighs the same)."""

    predictions: int
    hits: int
    hit_rate: float | None
    brier: float | None
    gaps: int = 0
    gap_hits: int = 0
    gap_hit_rate: float | None = None
    guesses: int = 0
    guesses_within: int = 0
    guess_within_rate: float | None = None
    guess_spreads: float | None = None
    combined: float | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def power_of(rows: list[Scored]) -> Power:
    """Every part's figure over `rows`."""
    if not rows:
        return Power(0, 0, None, None)
    n = len(rows)
    hits = sum(1 for row in rows if row.hit)
    gaps = [row.gap_hit for row in rows if row.gap_hit is not None]
    guesses = [row.guess_within for row in rows if row.guess_within is not None]
    spreads = [row.guess_spreads for row in rows if row.guess_spreads is not None]
    return Power(
        predictions=n,
        hits=hits,
        hit_rate=hits / n,
        brier=sum(row.brier for row in rows) / n,
        gaps=len(gaps),
        gap_hits=sum(gaps),
        gap_hit_rate=sum(gaps) / len(gaps) if gaps else None,
        guesses=len(guesses),
        guesses_within=sum(guesses),
        guess_within_rate=sum(guesses) / len(guesses) if guesses else None,
        guess_spreads=sum(spreads) / len(spreads) if spreads else None,
        combined=sum(row.combined for row in rows) / n,
    )


# How each figure of `invert score` is computed: printed under the figures and in the JSON.
HOW = {
    "counted": (
        "Only counted predictions make these figures: scored, and made blind (before any "
        "result they overlap was shown). Practice predictions and those of unknown blindness "
        "(made before invert recorded it) are shown apart and not counted."
    ),
    "shape": "Shape: the share of predictions whose curve shape was the measured one.",
    "brier": (
        "Brier: the mean of (confidence - 1)^2 for a right shape and confidence^2 for a wrong "
        "one; 0 is perfect, always saying 50% scores 0.25."
    ),
    "gap": "Gap: among predictions that stated the train-test gap, the share right.",
    "number": (
        "Number: among predictions with a number guess, the share within the measured spread "
        "(the test score's standard deviation over the splits at that knob value, and at least "
        "0.005 or 0.5% of the mean, whichever is larger); 'off by' is the mean error in units "
        "of that spread."
    ),
    "combined": (
        "Combined: for each prediction, the share of the parts it stated (shape, and gap and "
        "number when given) that were right, averaged over the predictions."
    ),
    "calibration": (
        "Calibration: stated confidence in bins [50,60), [60,70), [70,80), [80,90), [90,100] "
        "against the share right in each; Brier = REL - RES + UNC + WBV - WBC (Murphy 1973; "
        "Stephenson, Coelho and Jolliffe 2008). Judged over-, under-confident or honest from "
        f"{MIN_JUDGED} counted predictions: hits more than 2 standard deviations from the "
        "sum of the stated confidences."
    ),
    "trend": (
        "Over time: your last {window} counted predictions against the {window} before them; "
        "the trend compares their shape hit rates (a change of more than 10 points)."
    ),
}


@dataclass(frozen=True)
class PowerReport:
    """Predictive power over the counted predictions, and the rest shown apart."""

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
    window: int = 10
    calibration: Calibration = field(default_factory=lambda: calibrate([]))
    practice: Power = field(default_factory=lambda: power_of([]))  # blind == 0: not counted
    unknown: Power = field(default_factory=lambda: power_of([]))  # blind is None: not counted
    probes: Power = field(default_factory=lambda: power_of([]))  # counted, on a transfer probe

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "per_concept": {k: v.to_json() for k, v in self.per_concept.items()},
            "recent": self.recent.to_json(),
            "earlier": self.earlier.to_json(),
            "trend": self.trend,
            "window": self.window,
            "rolling": self.rolling,
            "running": self.running,
            "times": self.times,
            "calibration": self.calibration.to_json(),
            "not_counted": {"practice": self.practice.to_json(), "unknown": self.unknown.to_json()},
            "probes": self.probes.to_json(),
            "how": {key: text.format(window=self.window) for key, text in HOW.items()},
        }


def predictive_power(
    scored: list[Scored],
    concepts_of: dict[str, tuple[str, ...]],
    window: int = 10,
    times: list[str] | None = None,
) -> PowerReport:
    """Every part's figure overall, per concept and as a trend, and the calibration.

    `scored` is the counted predictions in time order; `times`, if given, when each was scored.

    >>> report = predictive_power(
    ...     [Scored("a", True, 0.8, gap_hit=False), Scored("a", False, 0.7)], {"a": ("bagging",)}
    ... )
    >>> report.overall.hit_rate, report.overall.combined, report.per_concept["bagging"].predictions
    (0.5, 0.25, 2)
    """
    per_concept: dict[str, list[Scored]] = {}
    for row in scored:
        for concept in concepts_of.get(row.experiment, ()):
            per_concept.setdefault(concept, []).append(row)
    recent, earlier = scored[-window:], scored[-2 * window : -window]
    trend = "too few predictions"
    if len(recent) >= 3 and len(earlier) >= 3:
        delta = power_of(recent).hit_rate - power_of(earlier).hit_rate  # type: ignore[operator]
        trend = "improving" if delta > 0.1 else "slipping" if delta < -0.1 else "steady"
    size = min(window, 5)
    hits = [row.hit for row in scored]
    rolling = [sum(hits[max(0, i - size + 1) : i + 1]) / min(size, i + 1) for i in range(len(hits))]
    running = [sum(hits[: i + 1]) / (i + 1) for i in range(len(hits))]
    return PowerReport(
        overall=power_of(scored),
        per_concept={k: power_of(v) for k, v in sorted(per_concept.items())},
        recent=power_of(recent),
        earlier=power_of(earlier),
        trend=trend,
        rolling=[round(r, 3) for r in rolling],
        running=[round(r, 3) for r in running],
        times=list(times or []),
        experiments=[row.experiment for row in scored],
        hits=hits,
        window=window,
        calibration=calibrate([(row.confidence, row.hit) for row in scored]),
        probes=power_of([row for row in scored if row.probe is not None]),
    )


def scored_in_order(rows: Iterable[PredictionRow]) -> list[PredictionRow]:
    """The scored predictions among the journal's rows, in the order they were scored."""
    return sorted((row for row in rows if row.scored), key=lambda row: row.scored_at or row.at)


def power_report(
    rows: Iterable[PredictionRow], concepts_of: dict[str, tuple[str, ...]], window: int = 10
) -> PowerReport:
    """`predictive_power` of the journal's counted prediction rows (scored and made blind).

    Pass every row: the practice ones (blind == 0) and those of unknown blindness (blind is
    None, made before invert recorded it) are summed apart, as not counted; unscored ones are
    left out."""
    scored = scored_in_order(rows)
    counted = [row for row in scored if row.counted]
    report = predictive_power(
        [scored_row(row) for row in counted],
        concepts_of,
        window,
        [row.scored_at or row.at for row in counted],
    )
    return replace(
        report,
        practice=power_of([scored_row(row) for row in scored if row.blind == 0]),
        unknown=power_of([scored_row(row) for row in scored if row.blind is None]),
    )


__all__ = [
    "GAPS",
    "SHAPES",
    "Guess",
    "Outcome",
    "Power",
    "PowerReport",
    "Prediction",
    "Scored",
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
