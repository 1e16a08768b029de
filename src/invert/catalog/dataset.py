"""A dataset of the catalogue, and the tasks invert teaches: what every kind's content names.

Apart from the `Catalog` (catalog/models.py), so that a kind's model can name a dataset without
importing the catalogue that holds the kinds' models.
"""

from __future__ import annotations

from dataclasses import dataclass

TASKS = ("classification", "regression", "clustering")


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
