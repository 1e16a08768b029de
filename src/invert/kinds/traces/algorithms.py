"""Prepare a from-scratch algorithm for tracing: its estimator, a small sample of data, the calls.

The data are a seeded sample of a bundled dataset: a few readable numeric columns (see
content/traces.toml), rows with missing values dropped, every column standardised (mean 0,
spread 1), as gradient descent, distances and PCA want them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from invert.errors import LearnerError
from invert.kinds.traces.model import SUITS, TraceSpec

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from invert.catalog.models import Catalog

SEED = 0


@dataclass
class Prepared:
    """Everything a trace of one algorithm needs, made before the tracer starts."""

    spec: TraceSpec
    dataset: str
    estimator: Any
    source: Path
    X: NDArray[np.float64]
    y: NDArray[Any] | None
    X_new: NDArray[np.float64] | None
    features: list[str]
    method: str | None  # the method traced on X_new after fit, if any
    target: str | None  # the target column, for supervised algorithms

    @property
    def description(self) -> str:
        target = f", target {self.target}" if self.target else ""
        return f"{self.dataset}: {len(self.X)} rows x {len(self.features)} columns{target}"

    def calls(self) -> Any:
        """Run the traced calls: fit, then the method on the new rows."""
        if self.y is None:
            self.estimator.fit(self.X)
        else:
            self.estimator.fit(self.X, self.y)
        if self.method is not None:
            return getattr(self.estimator, self.method)(self.X_new)
        return self.estimator


def datasets_for(catalog: Catalog, spec: TraceSpec) -> list[str]:
    """The bundled datasets this algorithm can be traced on."""
    return sorted(d.id for d in catalog.datasets.values() if d.task in SUITS[spec.task])


def require_dataset(catalog: Catalog, spec: TraceSpec, dataset_id: str) -> None:
    """A LearnerError unless `spec` can be traced on `dataset_id`."""
    allowed = datasets_for(catalog, spec)
    if dataset_id not in allowed:
        raise LearnerError(
            f"{spec.id} cannot be traced on '{dataset_id}': a {spec.task} trace takes "
            f"{', '.join(allowed)}"
        )


def estimator_class(spec: TraceSpec) -> type:
    module, _, name = spec.estimator.rpartition(".")
    cls: type = getattr(importlib.import_module(f"invert.scratch.{module}"), name)
    return cls


def make_estimator(spec: TraceSpec) -> Any:
    """The spec's estimator with its parameters (TOML lists become tuples, as sizes are)."""
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in spec.params.items()}
    return estimator_class(spec)(**params)


def prepare(catalog: Catalog, spec: TraceSpec, dataset_id: str | None = None) -> Prepared:
    """The estimator and standardised data for `spec`, on its dataset or `dataset_id`."""
    import numpy as np

    from invert.datasets import load_frame

    dataset_id = dataset_id or spec.dataset
    require_dataset(catalog, spec, dataset_id)
    dataset = catalog.datasets[dataset_id]
    frame = load_frame(catalog, dataset)
    supervised = spec.task in ("regression", "classification")
    chosen = catalog.trace_features.get(dataset_id)
    features = (
        list(chosen)
        if chosen
        else [c for c in frame.select_dtypes("number").columns if c != dataset.target]
    )
    frame = frame[[*features, dataset.target]].dropna()
    sample = frame.sample(n=min(spec.rows + spec.predict_rows, len(frame)), random_state=SEED)
    X_all = sample[features].to_numpy(dtype=np.float64)
    spread = X_all.std(axis=0)
    X_all = (X_all - X_all.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    target = sample[dataset.target].to_numpy()
    if spec.task == "regression":
        target = target.astype(np.float64)
    X, X_new = X_all[: spec.rows], X_all[spec.rows :] if spec.predict_rows else None
    estimator = make_estimator(spec)
    cls = type(estimator)
    method = None
    if spec.predict_rows:
        method = next(m for m in ("predict_proba", "predict", "transform") if hasattr(cls, m))
    module_file = Path(importlib.import_module(cls.__module__).__file__ or "")
    return Prepared(
        spec=spec,
        dataset=dataset_id,
        estimator=estimator,
        source=module_file,
        X=X,
        y=target[: spec.rows] if supervised else None,
        X_new=X_new,
        features=features,
        method=method,
        target=dataset.target if supervised else None,
    )
