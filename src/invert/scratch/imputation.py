"""Filling gaps from scratch: a column's median or mean, learned on the training rows.

The fill values are *learned*, like a scaler's mean: ``fit`` measures them on the rows it is
given (ignoring the gaps), ``transform`` writes them into any rows later. With ``add_indicator``
a 0/1 column per feature that had gaps in fit records where a value was missing, because the fact
that a value is missing can itself say something about the row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["SimpleImputerScratch"]


class SimpleImputerScratch(ScratchEstimator):
    """Replace NaN by each column's median or mean, as scikit-learn's SimpleImputer.

    Parameters
    ----------
    strategy : {"median", "mean"}, default="median"
        The statistic of the observed training values that fills a gap.
    add_indicator : bool, default=False
        Append one 0/1 column per feature that had a gap in fit: 1 where the value was missing.

    Attributes
    ----------
    statistics_ : ndarray of shape (n_features,)
        The fill value of each column, computed on the rows given to fit, gaps left out.
    indicator_features_ : ndarray of int
        The columns that had at least one gap in fit (they get an indicator column).

    Examples
    --------
    >>> X = np.array([[1.0, np.nan], [3.0, 4.0], [np.nan, 8.0]])
    >>> imputer = SimpleImputerScratch(add_indicator=True).fit(X)
    >>> imputer.statistics_.tolist()
    [2.0, 6.0]
    >>> imputer.transform([[np.nan, 5.0]]).tolist()
    [[2.0, 5.0, 1.0, 0.0]]
    """

    _estimator_type = "transformer"

    statistics_: NDArray[np.float64]
    indicator_features_: NDArray[np.intp]
    n_features_in_: int

    def __init__(self, strategy: str = "median", add_indicator: bool = False) -> None:
        self.strategy = strategy
        self.add_indicator = add_indicator

    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Learn each column's fill value from the observed values in ``X`` (training rows)."""
        X = np.asarray(X, dtype=np.float64)
        missing = np.isnan(X)
        if self.strategy == "median":
            statistics = np.nanmedian(X, axis=0)  # the middle of the values that are there
        elif self.strategy == "mean":
            statistics = np.nanmean(X, axis=0)
        else:
            raise ValueError(f"strategy must be 'median' or 'mean', got {self.strategy!r}")
        self.statistics_ = statistics
        self.indicator_features_ = np.flatnonzero(missing.any(axis=0))
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Fill the gaps of ``X`` with the fill values of fit, then append the indicators."""
        self._check_fitted()
        X = np.array(X, dtype=np.float64)  # a copy: the caller's array keeps its gaps
        missing = np.isnan(X)
        filled = np.where(missing, self.statistics_, X)  # x̃ = m·fill + (1 − m)·x, column by column
        if not self.add_indicator:
            return filled
        indicators = missing[:, self.indicator_features_].astype(np.float64)
        return np.hstack([filled, indicators])

    def fit_transform(self, X: ArrayLike, y: Any = None) -> NDArray[np.float64]:
        return self.fit(X).transform(X)
