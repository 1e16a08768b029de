"""Load the bundled datasets as DataFrames and summarise them (what goes in)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from invert.catalog.dataset import Dataset
from invert.catalog.models import Catalog

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd


@dataclass(frozen=True)
class DatasetSummary:
    """The what-goes-in view of a dataset: shape, columns, a few rows, the target."""

    dataset: str
    title: str
    rows: int
    columns: int
    features: list[str]
    target: str
    sample: list[dict[str, str | None]]  # None: a missing value
    target_counts: dict[str, int] | None  # classification and clustering
    target_range: dict[str, float] | None  # regression: min, median, max
    citation: str

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def load_frame(catalog: Catalog, dataset: Dataset) -> pd.DataFrame:
    """The whole dataset as one DataFrame, the target as its column named `dataset.target`."""
    return read_dataset(dataset, catalog.data_file(dataset))


def read_dataset(dataset: Dataset, path: Path | None) -> pd.DataFrame:
    """`load_frame` given the dataset's file (None for one of scikit-learn's own), without the
    catalogue: a file is read as its entry says (what counts as missing)."""
    import pandas as pd

    if dataset.source == "sklearn":
        import sklearn.datasets

        bunch = getattr(sklearn.datasets, str(dataset.loader))(as_frame=True)
        frame = bunch.frame.rename(columns={"target": dataset.target})
        names = getattr(bunch, "target_names", None)
        # Name the classes when they have names (iris species); digits are their own names.
        if dataset.task == "classification" and names is not None:
            labels = dict(enumerate(str(n) for n in names))
            if any(label != str(code) for code, label in labels.items()):
                frame[dataset.target] = frame[dataset.target].map(labels)
        return cast("pd.DataFrame", frame)
    assert path is not None, f"dataset {dataset.id} has no file"
    return pd.read_csv(
        path,
        na_values=list(dataset.na_values) or None,
        skipinitialspace=dataset.skip_initial_space,
    )


def summarize(catalog: Catalog, dataset: Dataset, sample_rows: int = 5) -> DatasetSummary:
    import pandas as pd

    frame = load_frame(catalog, dataset)
    target = frame[dataset.target]
    features = [c for c in frame.columns if c != dataset.target]
    shown = [*features[:6], dataset.target]
    rows = frame[shown].sample(sample_rows, random_state=0)
    # Not astype(str): under pandas 3 it keeps a missing value as the float NaN.
    sample = [
        {str(k): None if pd.isna(v) else str(v) for k, v in row.items()}
        for row in rows.to_dict("records")
    ]
    counts = ranges = None
    if dataset.task == "regression":
        ranges = {
            "min": float(target.min()),
            "median": float(target.median()),
            "max": float(target.max()),
        }
    else:
        counts = {str(k): int(v) for k, v in target.value_counts().items()}
    return DatasetSummary(
        dataset=dataset.id,
        title=dataset.title,
        rows=int(frame.shape[0]),
        columns=len(features),
        features=[str(c) for c in features],
        target=dataset.target,
        sample=sample,
        target_counts=counts,
        target_range=ranges,
        citation=dataset.citation,
    )
