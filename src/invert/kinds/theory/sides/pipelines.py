"""Pipelines, both sides: a scaler and nearest neighbours chained, on the wine data.

Each side fits its pipeline on the training rows and predicts the test rows, then
cross-validates the whole pipeline over five unshuffled folds of the training rows, so that the
scaler is refitted inside every fold. Everything heavy is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["pipeline_ours", "pipeline_sklearn"]

N_NEIGHBORS = 5
FOLDS = 5


def _summary(model: Any, scores: Array, X_test: Array, y_test: Array) -> dict[str, float]:
    import numpy as np

    predicted = np.asarray(model.predict(X_test))
    result = {
        "test accuracy": float(np.mean(predicted == np.asarray(y_test))),
        "position-weighted sum of the test predictions": float(
            np.sum(predicted * np.arange(len(predicted)))
        ),
        "mean learned by the scaler, feature 13 (proline)": float(model.steps[0][1].mean_[12]),
    }
    for i, score in enumerate(scores, start=1):
        result[f"fold {i} accuracy, scaler refitted in the fold"] = float(score)
    return result


def pipeline_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """`PipelineScratch` of `StandardScalerScratch` and `KNeighborsClassifierScratch`, and its
    5-fold scores with `invert.scratch.validation`."""
    from invert.scratch.knn import KNeighborsClassifierScratch
    from invert.scratch.pipeline import PipelineScratch
    from invert.scratch.preprocessing import StandardScalerScratch
    from invert.scratch.validation import cross_val_scores

    def make() -> PipelineScratch:
        return PipelineScratch(
            [
                ("scale", StandardScalerScratch()),
                ("knn", KNeighborsClassifierScratch(n_neighbors=N_NEIGHBORS)),
            ]
        )

    scores = cross_val_scores(make(), X_train, y_train, n_splits=FOLDS)
    return _summary(make().fit(X_train, y_train), scores, X_test, y_test)


def pipeline_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's `Pipeline`, `StandardScaler`, `KNeighborsClassifier` and
    `cross_val_score` with `KFold(5)`."""
    from sklearn.model_selection import KFold, cross_val_score
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    model = Pipeline(
        [("scale", StandardScaler()), ("knn", KNeighborsClassifier(n_neighbors=N_NEIGHBORS))]
    )
    scores = cross_val_score(model, X_train, y_train, cv=KFold(FOLDS))
    return _summary(model.fit(X_train, y_train), scores, X_test, y_test)
