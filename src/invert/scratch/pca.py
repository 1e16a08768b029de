"""Principal component analysis from scratch: the eigenvectors of the covariance matrix.

The directions along which the data vary most are the eigenvectors of its covariance matrix, and
the variance along each one is its eigenvalue. PCA keeps the top few and describes every row by
its coordinates along them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


class PCAScratch(ScratchEstimator):
    """Project data onto its directions of largest variance, found by eigendecomposition.

    Parameters
    ----------
    n_components : int or None, default=None
        How many components to keep; None keeps ``min(n_samples, n_features)``.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
        The principal directions (unit vectors), largest variance first.
    explained_variance_ : ndarray of shape (n_components,)
        Variance of the data along each component (its eigenvalue).
    explained_variance_ratio_ : ndarray of shape (n_components,)
        Share of the total variance along each component.
    mean_ : ndarray of shape (n_features,)
        Per-feature mean, subtracted before projecting.

    Notes
    -----
    An eigenvector is only defined up to sign (if v is one, so is -v), so every implementation
    must pick a sign. Here each component is flipped so that its entry of largest absolute value
    is positive. scikit-learn (1.5 and later) makes the same choice: its PCA calls
    ``svd_flip(U, Vt, u_based_decision=False)``, which flips each row of Vt (each component) so
    that its largest-absolute entry is positive. So the components agree with scikit-learn's
    including their signs, unless two entries of a component tie in absolute value (versions
    before 1.5 decided by U instead, so compare up to sign if in doubt).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    >>> pca = PCAScratch(n_components=1).fit(X)
    >>> pca.components_.round(4).tolist()
    [[0.7071, 0.7071]]
    >>> pca.explained_variance_ratio_.round(4).tolist()
    [1.0]
    >>> pca.inverse_transform(pca.transform(X)).round(4).tolist()
    [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]
    """

    _estimator_type = "transformer"  # tells scikit-learn (via the tags) how to treat it

    components_: NDArray[np.float64]
    explained_variance_: NDArray[np.float64]
    explained_variance_ratio_: NDArray[np.float64]
    mean_: NDArray[np.float64]

    def __init__(self, n_components: int | None = None) -> None:
        self.n_components = n_components

    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Find the principal components of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : ignored
            Accepted so that the model fits in a Pipeline like any estimator.

        Returns
        -------
        self : PCAScratch
            The fitted model.
        """
        X = np.asarray(X, dtype=np.float64)
        n_samples, n_features = X.shape
        n_components = self.n_components
        if n_components is None:
            n_components = min(n_samples, n_features)

        # Covariance matrix Σ = X_cᵀ X_c / (n - 1) of the centred data X_c = X - mean.
        self.mean_ = X.mean(axis=0)
        X_centred = X - self.mean_
        covariance = X_centred.T @ X_centred / (n_samples - 1)

        # Σ is symmetric, so eigh applies: real eigenvalues, orthonormal eigenvectors (columns).
        # It returns them in ascending order; PCA wants the largest variance first.
        eigenvalues, eigenvectors = np.linalg.eigh(covariance)
        order = np.argsort(eigenvalues)[::-1]
        eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]

        # Sign convention: flip each eigenvector so its largest-absolute entry is positive.
        components = eigenvectors.T  # one component per row
        largest = np.argmax(np.abs(components), axis=1)
        signs = np.sign(components[np.arange(n_features), largest])
        components = components * signs[:, np.newaxis]

        self.components_ = components[:n_components]
        self.explained_variance_ = eigenvalues[:n_components]
        # Total variance = sum of all eigenvalues (= trace of Σ), kept components or not.
        self.explained_variance_ratio_ = self.explained_variance_ / eigenvalues.sum()
        return self

    def transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Coordinates of each row along the components: ``(X - mean_) @ components_ᵀ``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Rows to project.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components)
            The projected rows.
        """
        self._check_fitted()
        centred = np.asarray(X, dtype=np.float64) - self.mean_
        result: NDArray[np.float64] = centred @ self.components_.T
        return result

    def fit_transform(self, X: ArrayLike, y: Any = None) -> NDArray[np.float64]:
        """Fit to ``X``, then project it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows.
        y : ignored
            Accepted for Pipeline compatibility.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_components)
            The projected rows.
        """
        return self.fit(X).transform(X)

    def inverse_transform(self, X: ArrayLike) -> NDArray[np.float64]:
        """Map coordinates back to feature space: ``X @ components_ + mean_``.

        With fewer components than features this is the best reconstruction (in squared error)
        that the kept components allow, not the original rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_components)
            Coordinates along the components.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Reconstructed rows.
        """
        self._check_fitted()
        result: NDArray[np.float64] = np.asarray(X, dtype=np.float64) @ self.components_
        return result + self.mean_


class PCAPowerIteration(PCAScratch):
    """PCA found one component at a time by power iteration, as PCA was computed by hand.

    Multiplying any vector by the covariance matrix Σ stretches it most along Σ's top
    eigenvector; repeating ``v ← Σv / ||Σv||`` therefore turns almost any starting vector towards
    that eigenvector, faster the more its eigenvalue stands out from the next (the error shrinks
    by λ₂/λ₁ each step). Once found, the component is removed from Σ (deflation,
    ``Σ ← Σ - λ v vᵀ``) and the search repeats for the next one.

    Parameters
    ----------
    n_components : int or None, default=None
        How many components to find; None finds ``min(n_samples, n_features)``.
    max_iter : int, default=1000
        Most multiplications per component.
    tol : float, default=1e-12
        Stop when the vector moves less than this in a step.
    random_state : int or None, default=0
        Seed for the random starting vectors.

    Attributes
    ----------
    components_, explained_variance_, explained_variance_ratio_, mean_ : as in `PCAScratch`
    n_iter_ : list of int
        Multiplications each component took: many when its eigenvalue is close to the next one.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3)) * [3.0, 1.0, 0.2]
    >>> power, exact = PCAPowerIteration(n_components=2).fit(X), PCAScratch(n_components=2).fit(X)
    >>> bool(np.allclose(power.components_, exact.components_, atol=1e-6))
    True
    """

    n_iter_: list[int]

    def __init__(
        self,
        n_components: int | None = None,
        max_iter: int = 1000,
        tol: float = 1e-12,
        random_state: int | None = 0,
    ) -> None:
        self.n_components = n_components
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: Any = None) -> Self:
        """Find the principal components of ``X`` one after another; return self."""
        X = np.asarray(X, dtype=np.float64)
        n_samples, n_features = X.shape
        n_components = self.n_components or min(n_samples, n_features)

        self.mean_ = X.mean(axis=0)
        X_centred = X - self.mean_
        covariance = X_centred.T @ X_centred / (n_samples - 1)
        total_variance = np.trace(covariance)  # the sum of all eigenvalues

        rng = np.random.default_rng(self.random_state)
        remaining = covariance.copy()
        components, variances, self.n_iter_ = [], [], []
        for _ in range(n_components):
            vector: NDArray[np.float64] = rng.standard_normal((n_features,))
            vector /= np.linalg.norm(vector)
            steps = 0
            while steps < self.max_iter:
                steps += 1
                stretched = remaining @ vector  # Σv: longest along the top eigenvector
                length = np.linalg.norm(stretched)
                if length == 0.0:  # nothing left to explain: the data are flat here
                    break
                new_vector = stretched / length
                moved = np.linalg.norm(new_vector - vector)
                vector = new_vector
                if moved < self.tol:
                    break
            variance = float(vector @ remaining @ vector)  # the eigenvalue λ = vᵀΣv
            remaining -= variance * np.outer(vector, vector)  # deflate: remove what v explains
            components.append(vector * np.sign(vector[np.argmax(np.abs(vector))]))
            variances.append(variance)
            self.n_iter_.append(steps)

        self.components_ = np.array(components)
        self.explained_variance_ = np.array(variances)
        self.explained_variance_ratio_ = self.explained_variance_ / total_variance
        return self
