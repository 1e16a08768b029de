"""One fit: the rows a split gives the model, their preparation, the estimator, its scores.

What the sweep engine (invert/engine/sweep.py) and its lanes (invert/engine/lanes.py) do for each
knob value on each split, and `build_model`: the same fit as one scikit-learn Pipeline, the plain
form the engine's shared preparation must agree with (tests/test_lanes.py proves it).
"""

from __future__ import annotations

import importlib
import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from invert.engine.metrics import metric_function, needs_proba
from invert.errors import LearnerError

if TYPE_CHECKING:
    import pandas as pd


class SweepDiverged(LearnerError):
    """A fit or a score produced non-finite numbers: the settings made the model diverge."""


@dataclass(frozen=True)
class FitConfig:
    """Everything that decides one fit, after the knob value and the settings are applied."""

    estimator: str
    params: dict[str, Any]
    preprocess: str
    scale: bool
    columns: tuple[str, ...] | None = None
    train_fraction: float = 1.0
    n_features: int | None = None
    label_noise: float = 0.0
    seed: int = 0
    seed_is_knob: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


def make_estimator(config: FitConfig) -> Any:
    """A fresh estimator with the config's parameters; the seed goes to its random_state."""
    module, _, name = config.estimator.rpartition(".")
    estimator = getattr(importlib.import_module(module), name)()
    params = dict(config.params)
    if "random_state" in estimator.get_params() and (
        "random_state" not in params or config.seed_is_knob
    ):
        params["random_state"] = config.seed
    estimator.set_params(**params)
    return estimator


def make_preparation(config: FitConfig, X: pd.DataFrame) -> Any | None:
    """The data preparation the config asks for, unfitted (None: the model takes X as it is).

    For "tabular": median-imputed numbers (standardised if `scale`) and one-hot encoded words.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    if config.preprocess == "tabular":
        numeric = list(X.select_dtypes("number").columns)
        categorical = [c for c in X.columns if c not in numeric]
        numbers: Any = SimpleImputer(strategy="median")
        if config.scale:
            numbers = make_pipeline(numbers, StandardScaler())
        words = make_pipeline(
            SimpleImputer(strategy="constant", fill_value="missing"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        )
        return ColumnTransformer([("numbers", numbers, numeric), ("words", words, categorical)])
    return StandardScaler() if config.scale else None


def build_model(config: FitConfig, X: pd.DataFrame) -> Any:
    """The fit as one scikit-learn Pipeline (the preparation, then the estimator): what a learner
    would write, and what the engine's shared preparation must agree with (tests prove it)."""
    from sklearn.pipeline import Pipeline

    steps: list[tuple[str, Any]] = []
    prepare = make_preparation(config, X)
    if prepare is not None:
        steps.append(("prep", prepare))
    steps.append(("model", make_estimator(config)))
    return Pipeline(steps)


def prep_key(config: FitConfig) -> tuple[Any, ...]:
    """What decides a split's prepared features: two configs with one key share them."""
    return (
        config.preprocess,
        config.scale,
        config.columns,
        config.n_features,
        config.train_fraction,
    )


@dataclass
class SplitData:
    """One split's rows, after the config's column choice, subset and label noise."""

    X_train: Any
    y_train: Any
    X_test: Any
    y_test: Any


def split_rows(
    config: FitConfig, X: pd.DataFrame, y: pd.Series, train: Any, test: Any, split_seed: int,
    task: str,
) -> SplitData:  # fmt: skip
    """The training and test rows of one split as the config shapes them."""
    import numpy as np
    from sklearn.model_selection import train_test_split

    columns = list(config.columns or X.columns)
    if config.n_features is not None:
        order = np.random.default_rng(0).permutation(len(columns))
        columns = [columns[i] for i in sorted(order[: config.n_features])]
    X_train, y_train = X.iloc[train][columns], y.iloc[train]
    n_keep = int(config.train_fraction * len(y_train))  # as train_test_split rounds it
    if 0 < n_keep < len(y_train):
        # Stratified while both parts can hold every class; a fraction near 1 leaves too few
        # rows aside for that, and then a plain random subset is kept.
        classes = y_train.nunique() if task == "classification" else 0
        stratify = classes and min(n_keep, len(y_train) - n_keep) >= classes
        keep, _ = train_test_split(
            np.arange(len(y_train)),
            train_size=n_keep,
            random_state=split_seed,
            stratify=y_train if stratify else None,
        )
        X_train, y_train = X_train.iloc[keep], y_train.iloc[keep]
    if config.label_noise > 0 and task == "classification":
        rng = np.random.default_rng(split_seed)
        labels = np.asarray(y_train).copy()
        label_set = np.unique(labels)
        flip = rng.random(len(labels)) < config.label_noise
        for i in np.flatnonzero(flip):
            others = label_set[label_set != labels[i]]
            labels[i] = rng.choice(others)
        y_train = y_train.copy()
        y_train[:] = labels
    return SplitData(X_train, y_train, X.iloc[test][columns], y.iloc[test])


@dataclass
class Prepared:
    """A split's features as the model sees them: fitted on, predicted on (train), tested on."""

    fit: Any
    train: Any
    test: Any


def prepare(config: FitConfig, rows: SplitData) -> Prepared:
    """Fit the preparation on the training rows and apply it, as a Pipeline's fit and predict
    would: `fit` is its fit_transform of the training rows, `train` and `test` its transform."""
    if config.preprocess == "none":
        # Without a ColumnTransformer nothing needs column names; plain arrays skip pandas
        # validation on every fit and predict (measured: most of the engine's overhead).
        X_train, X_test = rows.X_train.to_numpy(), rows.X_test.to_numpy()
    else:
        X_train, X_test = rows.X_train, rows.X_test
    preparation = make_preparation(config, rows.X_train)
    if preparation is None:
        return Prepared(X_train, X_train, X_test)
    fitted = preparation.fit_transform(X_train)
    return Prepared(fitted, preparation.transform(X_train), preparation.transform(X_test))


def fit_and_score(
    config: FitConfig,
    estimator: Any,
    data: Prepared,
    y_train: Any,
    y_test: Any,
    split_seed: int,
    scoring: Scoring,
) -> dict[str, Any]:
    """Fit `estimator` on one split's prepared training rows and score it on both parts."""
    if config.preprocess == "none":
        y_train, y_test = y_train.to_numpy(), y_test.to_numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            start = time.perf_counter()
            estimator.fit(data.fit, y_train)
            fit_seconds = time.perf_counter() - start
            start = time.perf_counter()
            test_pred = estimator.predict(data.test)
            predict_seconds = time.perf_counter() - start
            metric = scoring.metric
            names = (metric, *scoring.also)
            proba = any(needs_proba(n) for n in names)
            outputs: dict[str, tuple[Any, Any, Any]] = {
                "test": (y_test, test_pred, estimator.predict_proba(data.test) if proba else None),
                "train": (
                    y_train,
                    estimator.predict(data.train),
                    estimator.predict_proba(data.train) if needs_proba(metric) else None,
                ),
            }
        except (ValueError, FloatingPointError, OverflowError) as exc:
            name = config.estimator.rsplit(".", 1)[-1]
            if any(word in str(exc).lower() for word in ("finite", "nan", "inf", "overflow")):
                raise SweepDiverged(f"{name} diverged: {exc}") from None
            # The model refuses the data these settings leave it (more neighbours than training
            # rows, one class left): the learner's settings, said in one line.
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise LearnerError(
                f"{name} cannot be fitted with these settings ({first}); change the value or "
                "the setting that leaves it too little data"
            ) from None
    classes = getattr(estimator, "classes_", None)
    scores: dict[str, dict[str, float]] = {"train": {}, "test": {}}
    for part, (truth, pred, prob) in outputs.items():
        for name in names if part == "test" else (metric,):
            function = metric_function(name, scoring.positive)
            try:
                scores[part][name] = function(truth, prob if needs_proba(name) else pred, classes)
            except ValueError as exc:
                raise RuntimeError(
                    f"{config.estimator} could not be scored ({exc}); it diverged"
                ) from exc
    return {
        "train": scores["train"][metric],
        "test": scores["test"][metric],
        "also": {n: scores["test"][n] for n in scoring.also},
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "seed": split_seed,
        "warnings": sorted(
            {f"{w.category.__name__}: {str(w.message).splitlines()[0][:120]}" for w in caught}
        ),
    }


@dataclass(frozen=True)
class Scoring:
    metric: str
    also: tuple[str, ...]
    positive: Any
    task: str


def evaluate_split(
    config: FitConfig, X: pd.DataFrame, y: pd.Series, train: Any, test: Any, split_seed: int,
    scoring: Scoring,
) -> dict[str, Any]:  # fmt: skip
    """One fit on one split, prepared on its own: what a Dask worker runs for each task."""
    rows = split_rows(config, X, y, train, test, split_seed, scoring.task)
    return fit_and_score(
        config, make_estimator(config), prepare(config, rows), rows.y_train, rows.y_test,
        split_seed, scoring,
    )  # fmt: skip
