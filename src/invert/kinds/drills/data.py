"""The rows a drill's script may read, and the rows kept hidden to check it.

For every dataset the split is fixed: 20% of the rows (stratified by the target for a class
target) are held out, always the same ones. The script reads the rest from `drills/data/`; the
checks score the script's model on the hidden rows, which it never saw.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from invert.catalog.dataset import Dataset
from invert.catalog.models import Catalog

if TYPE_CHECKING:
    import pandas as pd

HIDDEN_FRACTION = 0.2
SPLIT_SEED = 20261121


def split_rows(catalog: Catalog, dataset: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(public, hidden): the dataset's rows the script may read, and the rows held out."""
    from invert.datasets import load_frame

    return split_frame(load_frame(catalog, dataset), dataset)


def split_frame(frame: pd.DataFrame, dataset: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(public, hidden) of a dataset's rows already read (see `split_rows`)."""
    from sklearn.model_selection import train_test_split

    target = frame[dataset.target]
    stratify = target if dataset.task != "regression" and target.notna().all() else None
    public, hidden = train_test_split(
        frame, test_size=HIDDEN_FRACTION, stratify=stratify, random_state=SPLIT_SEED
    )
    return public.reset_index(drop=True), hidden.reset_index(drop=True)


def public_file(folder: Path, dataset: Dataset) -> Path:
    return folder / f"{dataset.id}.csv"


def write_public(catalog: Catalog, dataset: Dataset, folder: Path) -> Path:
    """Write the readable rows to `folder/<dataset>.csv` unless they are there already."""
    import os
    import tempfile

    path = public_file(folder, dataset)
    if not path.exists():
        public, _ = split_rows(catalog, dataset)
        folder.mkdir(parents=True, exist_ok=True)
        # A unique partial file, renamed into place: two checks at once both end with the file.
        fd, partial = tempfile.mkstemp(prefix=f".{dataset.id}-", suffix=".partial", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            public.to_csv(out, index=False)
        os.replace(partial, path)
    return path
