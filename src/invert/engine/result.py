"""What a sweep measured: one Point per knob value. Pure Python, so cached results load fast."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from invert.engine.shapes import classify_curve_shape, classify_gap


@dataclass(frozen=True)
class Point:
    """Everything measured at one knob value, over all splits (folds x repeats)."""

    value: float | int | str
    train_mean: float
    train_std: float
    test_mean: float
    test_std: float
    fit_seconds: float
    predict_seconds: float
    seeds: list[int]
    splits: int
    also: dict[str, float] = field(default_factory=dict)  # the secondary metrics' test means


@dataclass(frozen=True)
class SweepResult:
    """The outcome of one experiment run: the same type whatever the experiment."""

    experiment: str
    knob: str
    metric: str
    greater_is_better: bool
    points: list[Point]
    settings: dict[str, Any]
    cache_key: str
    versions: dict[str, str]
    wall_seconds: float
    jobs: int
    backend: str
    cached: bool = False

    @property
    def test_shape(self) -> str:
        return classify_curve_shape(
            [p.test_mean for p in self.points], [p.test_std for p in self.points]
        )

    @property
    def train_shape(self) -> str:
        return classify_curve_shape(
            [p.train_mean for p in self.points], [p.train_std for p in self.points]
        )

    @property
    def gap(self) -> str:
        return classify_gap(
            [p.train_mean for p in self.points],
            [p.test_mean for p in self.points],
            [p.train_std for p in self.points],
            [p.test_std for p in self.points],
            self.greater_is_better,
        )

    def point(self, value: float | int | str) -> Point | None:
        return next((p for p in self.points if p.value == value), None)

    def to_json(self) -> dict[str, Any]:
        document = asdict(self)
        document["shape"] = {"test": self.test_shape, "train": self.train_shape, "gap": self.gap}
        return document

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> SweepResult:
        fields = {k: v for k, v in document.items() if k != "shape"}
        fields["points"] = [Point(**p) for p in document["points"]]
        return cls(**fields)
