"""Categories as numbers, from scratch: one-hot columns, and target encoding with smoothing.

One-hot encoding gives every category of a column its own 0/1 column, so a model can learn a
separate effect for each category instead of one slope along arbitrary integer codes. Target
encoding replaces each category by a smoothed mean of the target among the training rows that
have it; because that uses the labels, ``fit_transform`` cross-fits (each row's value is learned
from the other folds), and the encoder belongs inside any cross-validation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["OneHotEncoderScratch", "TargetEncoderScratch"]


def _columns(X: ArrayLike) -> NDArray[Any]:
    """X as a 2-D object array: categories may be strings or numbers."""
    X = np.asarray(X, dtype=object)
    return X.reshape(-1, 1) if X.ndim == 1 else X


def _categories(column: NDArray[Any]) -> NDArray[Any]:
    """The distinct values of one column, sorted as scikit-learn sorts them."""
    return np.array(sorted(set(column.tolist())), dtype=object)


class OneHotEncoderScratch(ScratchEstimator):
    """One 0/1 column per category seen in fit, as scikit-learn's OneHotEncoder (dense output).

    Parameters
    ----------
    handle_unknown : {"error", "ignore"}, default="error"
        What transform does with a category fit never saw: raise, or give it all zeros in that
        column's block (the row then gets no category effect at all).

    Attributes
    ----------
    categories_ : list of ndarray
        The sorted categories of each input column, learned from the rows given to fit.
    n_features_in_ : int
        Number of input columns.

    Examples
    --------
    >>> encoder = OneHotEncoderScratch(handle_unknown="ignore").fit([["b"], ["a"], ["b"]])
    >>> encoder.transform([["a"], ["b"], ["z"]]).tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    """

    _estimator_type = "transformer"

    categories_: list[NDArray[Any]]
    n_features_in_: int

    def __init__(self, handle_unknown: str = "error") -> None:
        self.handle_unknown = handle_unknown

    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Learn each column's categories from the rows of ``X`` (the training rows only)."""
        X = _columns(X)
        self.categories_ = [_categories(X[:, j]) for j in range(X.shape[1])]
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """One block of 0/1 columns per input column, one column per category of fit."""
        self._check_fitted()
        X = _columns(X)
        blocks = []
        for j, categories in enumerate(self.categories_):
            # h[i, k] = 1 when row i's value is category k: a comparison, broadcast over k
            block = X[:, j][:, None] == categories[None, :]
            unseen = ~block.any(axis=1)
            if unseen.any() and self.handle_unknown == "error":
                raise ValueError(f"column {j} has categories fit never saw: {set(X[unseen, j])}")
            blocks.append(block.astype(np.float64))
        return np.hstack(blocks)

    def fit_transform(self, X: ArrayLike, y: Any = None) -> NDArray[np.float64]:
        return self.fit(X).transform(X)


class TargetEncoderScratch(ScratchEstimator):
    """Each category becomes a smoothed mean of the target, as scikit-learn's TargetEncoder
    with a numeric ``smooth`` and ``target_type="continuous"`` (a 0/1 target gives shares).

    The encoding of category c is ``(sum of y over its n_c rows + m * overall mean) / (n_c + m)``:
    the category's own mean pulled towards the overall mean, the harder the fewer rows it has.

    Parameters
    ----------
    smooth : float, default=10.0
        m, how many rows' worth of weight the overall mean gets.
    cv : int, default=5
        Number of consecutive folds ``fit_transform`` cross-fits with (no shuffling).

    Attributes
    ----------
    categories_ : list of ndarray
        Sorted categories of each column.
    encodings_ : list of ndarray
        The smoothed mean of each category, learned from all the rows given to fit.
    target_mean_ : float
        The overall mean of the target: the value of a category fit never saw.
    """

    _estimator_type = "transformer"

    categories_: list[NDArray[Any]]
    encodings_: list[NDArray[np.float64]]
    target_mean_: float
    n_features_in_: int

    def __init__(self, smooth: float = 10.0, cv: int = 5) -> None:
        self.smooth = smooth
        self.cv = cv

    def _learn(
        self, X: NDArray[Any], y: NDArray[np.float64]
    ) -> tuple[list[NDArray[Any]], list[NDArray[np.float64]], float]:
        mean = float(np.mean(y))
        categories, encodings = [], []
        for j in range(X.shape[1]):
            values = _categories(X[:, j])
            counts = np.array([np.sum(X[:, j] == c) for c in values], dtype=np.float64)
            sums = np.array([np.sum(y[X[:, j] == c]) for c in values], dtype=np.float64)
            encoded = (sums + self.smooth * mean) / (counts + self.smooth)
            categories.append(values)
            encodings.append(encoded)
        return categories, encodings, mean

    @staticmethod
    def _apply(
        X: NDArray[Any],
        categories: list[NDArray[Any]],
        encodings: list[NDArray[np.float64]],
        mean: float,
    ) -> NDArray[np.float64]:
        out = np.full(X.shape, mean, dtype=np.float64)  # unseen categories get the overall mean
        for j, (values, encoded) in enumerate(zip(categories, encodings, strict=True)):
            for value, code in zip(values, encoded, strict=True):
                out[X[:, j] == value, j] = code
        return out

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Learn each category's smoothed target mean from all the rows of ``X``."""
        X = _columns(X)
        y = np.asarray(y, dtype=np.float64)
        self.categories_, self.encodings_, self.target_mean_ = self._learn(X, y)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Encode new rows (test rows) with the means learned in fit."""
        self._check_fitted()
        return self._apply(_columns(X), self.categories_, self.encodings_, self.target_mean_)

    def fit_transform(self, X: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
        """Fit on all rows, but encode each training row with means learned without its fold.

        A row's own label never enters its own value: for a category with one or two rows,
        the plain fit would hand the model a disguised copy of the answer.
        """
        X = _columns(X)
        y = np.asarray(y, dtype=np.float64)
        self.fit(X, y)
        out = np.empty(X.shape, dtype=np.float64)
        n = len(y)
        sizes = np.full(self.cv, n // self.cv)
        sizes[: n % self.cv] += 1  # the remainder goes to the first folds, as KFold does
        start = 0
        for size in sizes:
            held = np.arange(start, start + size)
            rest = np.setdiff1d(np.arange(n), held)
            learned = self._learn(X[rest], y[rest])  # the other folds' rows and labels only
            out[held] = self._apply(X[held], *learned)
            start += size
        return out
