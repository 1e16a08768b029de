"""A pipeline from scratch: preparation steps and a model, fitted together on training rows.

``fit`` runs down the steps: each preparation step is fitted on the rows it receives (the
training rows, as transformed by the steps before it) and passes them on transformed; the last
step, the model, is fitted on the result. ``predict`` only *applies* the fitted steps to new rows.
Handing the whole object to cross-validation therefore refits every step inside each fold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["PipelineScratch"]


class PipelineScratch:
    """Chain ``(name, step)`` pairs, as scikit-learn's Pipeline: transformers, then a model.

    It follows the estimator contract (parameters from ``__init__``, ``get_params`` and
    ``set_params``, learned attributes ending in ``_``), so ``clone`` and cross-validation can
    copy it and refit it; it is not a `ScratchEstimator` because its parameter is a list of
    other estimators, which, as for scikit-learn's own Pipeline, two copies never share.

    Parameters
    ----------
    steps : list of (str, estimator)
        Every step but the last needs fit and transform; the last needs fit and predict.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns of the raw rows given to fit.

    Examples
    --------
    >>> from invert.scratch.preprocessing import StandardScalerScratch
    >>> from invert.scratch.knn import KNeighborsClassifierScratch
    >>> X, y = [[0.0, 100.0], [1.0, 300.0], [5.0, 100.0], [6.0, 300.0]], [0, 0, 1, 1]
    >>> steps = [("scale", StandardScalerScratch()), ("knn", KNeighborsClassifierScratch(1))]
    >>> PipelineScratch(steps).fit(X, y).predict([[5.5, 310.0]]).tolist()
    [1]
    """

    n_features_in_: int

    def __init__(self, steps: list[tuple[str, Any]]) -> None:
        self.steps = steps

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"steps": self.steps}

    def set_params(self, **params: Any) -> Self:
        for name, value in params.items():
            if name != "steps":
                raise ValueError(f"PipelineScratch has no parameter {name!r}")
            self.steps = value
        return self

    def __sklearn_tags__(self) -> Any:
        """The pipeline is whatever kind of estimator its last step is."""
        return self.steps[-1][1].__sklearn_tags__()

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_features_in_"):
            raise AttributeError("PipelineScratch is not fitted yet: call fit first")

    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Fit each step in turn on the training rows as the steps before it transformed them."""
        rows: Any = X
        for _, step in self.steps[:-1]:
            rows = step.fit(rows, y).transform(rows)  # learned from these rows, then applied
        self.steps[-1][1].fit(rows, y)
        self.n_features_in_ = int(np.shape(X)[1])
        return self

    def _through(self, X: ArrayLike) -> Any:
        """New rows through the fitted preparation steps: transform only, nothing relearned."""
        self._check_fitted()
        rows: Any = X
        for _, step in self.steps[:-1]:
            rows = step.transform(rows)
        return rows

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        return np.asarray(self.steps[-1][1].predict(self._through(X)))

    def predict_proba(self, X: ArrayLike) -> NDArray[Any]:
        return np.asarray(self.steps[-1][1].predict_proba(self._through(X)))

    def score(self, X: ArrayLike, y: Any) -> float:
        """The last step's own score on the transformed rows (accuracy for a classifier)."""
        return float(self.steps[-1][1].score(self._through(X), y))
