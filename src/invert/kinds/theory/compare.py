"""Fit a from-scratch implementation beside scikit-learn's and measure how far apart they land.

This is what `invert learn CARD --run` prints and what `invert dev check` holds to each card's
stated tolerance. The split is the one every card states: 75/25, stratified for classifiers,
``random_state=0``, standardised with the training rows' statistics when the card asks.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass, field
from typing import Any

from invert.engine.threads import threads_per_process
from invert.kinds.theory.model import RunSpec

Array = Any


@dataclass(frozen=True)
class Row:
    """One quantity measured on both sides."""

    name: str
    ours: float
    theirs: float


@dataclass(frozen=True)
class SideBySide:
    dataset: str
    shape: tuple[int, int]
    rows: tuple[Row, ...]
    difference: float  # what the card's tolerance bounds (see `compare`)
    difference_label: str
    tolerance: float
    reason: str
    seconds: tuple[float, float]  # fit + predict: ours, scikit-learn's
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def within(self) -> bool:
        return self.difference <= self.tolerance + 1e-12


def resolve(reference: str) -> Any:
    """``package.module:Name`` to the object it names."""
    module_name, _, attribute = reference.partition(":")
    target: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target


def load_arrays(name: str) -> tuple[Array, Array]:
    """X and y of a data set a card can run on: scikit-learn's bundled ones, or the penguins."""
    import numpy as np

    if name == "penguins":
        import pandas as pd

        from invert.catalog.loader import CONTENT_DIR

        frame = pd.read_csv(CONTENT_DIR / "data" / "penguins.csv")
        columns = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
        frame = frame.dropna(subset=columns)
        X = frame[columns].to_numpy(dtype=float)
        y = np.unique(frame["species"].to_numpy(), return_inverse=True)[1]
        return X, y
    from sklearn import datasets

    loader = getattr(datasets, f"load_{name}")
    X, y = loader(return_X_y=True)
    return np.asarray(X, dtype=float), np.asarray(y)


def split(spec: RunSpec) -> tuple[Array, Array, Array, Array, bool]:
    """The card's train/test split, scaled if asked; and whether the task is classification."""
    import numpy as np
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    X, y = load_arrays(spec.dataset)
    classification = spec.dataset != "diabetes"
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0, stratify=y if classification else None
    )
    if spec.scale:
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    return np.asarray(X_train), np.asarray(X_test), y_train, y_test, classification


def run_side_by_side(spec: RunSpec) -> SideBySide:
    """Fit both sides on the card's data and measure what the card's `compare` names."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    # Cards cap iterations to stay quick; both sides stop at the same budget, by design.
    with threadpool_limits(limits=threads_per_process(1)), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _run(spec)


def _run(spec: RunSpec) -> SideBySide:
    import numpy as np

    X_train, X_test, y_train, y_test, classification = split(spec)
    shape = (len(X_train) + len(X_test), X_train.shape[1])
    if spec.compare == "function":
        started = time.perf_counter()
        ours = resolve(spec.scratch)(X_train, X_test, y_train, y_test)
        middle = time.perf_counter()
        theirs = resolve(spec.sklearn)(X_train, X_test, y_train, y_test)
        ended = time.perf_counter()
        rows = tuple(Row(k, float(ours[k]), float(theirs[k])) for k in ours)
        difference = max(abs(r.ours - r.theirs) for r in rows)
        return SideBySide(
            spec.dataset,
            shape,
            rows,
            difference,
            "largest difference",
            spec.tolerance,
            spec.reason,
            (middle - started, ended - middle),
        )
    ours_model = resolve(spec.scratch)(**spec.params, **spec.scratch_params)
    theirs_model = resolve(spec.sklearn)(**spec.params, **spec.sklearn_params)
    if spec.compare == "clusters":
        X_all = np.vstack([X_train, X_test])
        ours_labels, t_ours = _timed_labels(ours_model, X_all)
        theirs_labels, t_theirs = _timed_labels(theirs_model, X_all)
        from sklearn.metrics import adjusted_rand_score

        y_all = np.concatenate([y_train, y_test])
        agreement = float(adjusted_rand_score(ours_labels, theirs_labels))
        rows = (
            Row(
                "adjusted Rand index with the true species",
                adjusted_rand_score(y_all, ours_labels),
                adjusted_rand_score(y_all, theirs_labels),
            ),
            Row(
                "inertia (within-cluster squared distance)",
                float(ours_model.inertia_),
                float(theirs_model.inertia_),
            ),
        )
        return SideBySide(
            spec.dataset,
            shape,
            rows,
            1.0 - agreement,
            "1 - ARI between the two clusterings",
            spec.tolerance,
            spec.reason,
            (t_ours, t_theirs),
        )
    outputs = []
    for model in (ours_model, theirs_model):
        started = time.perf_counter()
        if spec.compare == "transform":
            model.fit(X_train)
            out = model.transform(X_test)
        else:
            model.fit(X_train, y_train)
            out = model.predict_proba(X_test) if spec.compare == "proba" else model.predict(X_test)
        outputs.append((out, time.perf_counter() - started))
    (ours_out, t_ours), (theirs_out, t_theirs) = outputs
    rows_list: list[Row] = []
    if spec.compare == "transform":
        rows_list.append(
            Row(
                "variance explained (first component)",
                float(ours_model.explained_variance_ratio_[0]),
                float(theirs_model.explained_variance_ratio_[0]),
            )
        )
        difference, label = (
            float(np.max(np.abs(ours_out - theirs_out))),
            "largest difference in the transformed test rows",
        )
    else:
        score_name = "test accuracy" if classification else "test R²"
        rows_list.append(
            Row(
                score_name,
                float(ours_model.score(X_test, y_test)),
                float(theirs_model.score(X_test, y_test)),
            )
        )
        if spec.compare == "predictions":
            if classification:
                disagree = float(np.mean(ours_out != theirs_out))
                difference, label = disagree, "share of test predictions that differ"
            else:
                difference = float(np.max(np.abs(ours_out - theirs_out)))
                label = "largest difference between test predictions"
        elif spec.compare == "proba":
            difference = float(np.max(np.abs(ours_out - theirs_out)))
            label = "largest difference between predicted probabilities"
        elif spec.compare == "coef":
            difference = float(
                np.max(np.abs(np.asarray(ours_model.coef_) - np.asarray(theirs_model.coef_)))
            )
            label = "largest difference between coefficients"
        else:  # score
            difference, label = (
                abs(rows_list[0].ours - rows_list[0].theirs),
                f"difference in {score_name}",
            )
    return SideBySide(
        spec.dataset,
        shape,
        tuple(rows_list),
        difference,
        label,
        spec.tolerance,
        spec.reason,
        (t_ours, t_theirs),
    )


def _timed_labels(model: Any, X: Array) -> tuple[Array, float]:
    started = time.perf_counter()
    labels = model.fit_predict(X) if hasattr(model, "fit_predict") else model.fit(X).predict(X)
    return labels, time.perf_counter() - started
