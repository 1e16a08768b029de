"""Typed models of the catalogue's content. Plain frozen dataclasses: cheap to import."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from invert.errors import LearnerError


@dataclass(frozen=True)
class Dataset:
    """A dataset that ships with invert or scikit-learn."""

    id: str
    title: str
    source: str  # "sklearn" or "file"
    task: str
    target: str
    rows: int
    description: str
    citation: str
    licence: str
    loader: str | None = None  # sklearn.datasets function, for source = "sklearn"
    file: str | None = None  # name under content/data/, for source = "file"
    na_values: tuple[str, ...] = ()
    skip_initial_space: bool = False


@dataclass(frozen=True)
class ScoreSpec:
    """Which module-level variable of a starter holds its score, and the range it must land in."""

    name: str
    variable: str
    expect: tuple[float, float]


@dataclass(frozen=True)
class Starter:
    """A plain Python script that trains a real model on real data, and what it teaches."""

    id: str
    title: str
    order: int
    dataset: str
    task: str
    model: str
    summary: str
    goes_in: str
    comes_out: str
    next_step: str
    score: ScoreSpec
    script: Path
    truth_variable: str
    predicted_variable: str
    concepts: tuple[str, ...] = ()
    experiments: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return self.script.name


@dataclass(frozen=True)
class Catalog:
    """Everything invert can teach, as loaded from one content folder."""

    format_version: int
    root: Path
    datasets: dict[str, Dataset] = field(default_factory=dict)
    starters: dict[str, Starter] = field(default_factory=dict)

    def ordered_starters(self) -> list[Starter]:
        return sorted(self.starters.values(), key=lambda s: (s.order, s.id))

    def first_starter(self) -> Starter:
        return self.ordered_starters()[0]

    def starter(self, starter_id: str) -> Starter:
        """The starter with this id, or a LearnerError that suggests the closest ids."""
        try:
            return self.starters[starter_id]
        except KeyError:
            raise LearnerError(_unknown("starter", starter_id, self.starters)) from None

    def dataset(self, dataset_id: str) -> Dataset:
        try:
            return self.datasets[dataset_id]
        except KeyError:
            raise LearnerError(_unknown("dataset", dataset_id, self.datasets)) from None

    def data_file(self, dataset: Dataset) -> Path | None:
        return self.root / "data" / dataset.file if dataset.file else None


def _unknown(kind: str, given: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(given, list(known), n=3, cutoff=0.5)
    hint = (
        f"; did you mean {' or '.join(close)}?" if close else f"; `invert list` shows the {kind}s"
    )
    return f"unknown {kind} '{given}'{hint}"
