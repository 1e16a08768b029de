"""Rebuild principal component analysis: the directions in which the data spreads the most.

Fill in the TODOs, then `invert check pca`. Use NumPy only: scikit-learn is refused by the
check. The concept cards: `invert learn pca` and `invert learn eigendecomposition`.
"""

import numpy as np


class PCA:
    """Project rows onto the top eigenvectors of their covariance matrix.

    The idea: centre the data, then find the direction along which it varies most; then the
    most varying direction at right angles to the first; and so on. Keeping the first few
    directions keeps most of the spread with fewer numbers per row.

    The formula: with X_c = X - mean(X), the covariance matrix is S = X_cᵀ X_c / (n - 1).
    S is symmetric, so S = Q Λ Qᵀ with orthonormal eigenvectors (columns of Q) and real
    eigenvalues λ. The components are the eigenvectors of the n_components largest λ (one per
    row of components_), the explained variances are those λ, and their ratios divide by the
    sum of all the eigenvalues. transform(X) = (X - mean_) @ components_ᵀ.

    An eigenvector's sign is arbitrary (v and -v are both eigenvectors), so the check matches
    each of your components' sign to scikit-learn's before comparing.

    Attributes
    ----------
    components_ : ndarray of shape (n_components, n_features)
    explained_variance_, explained_variance_ratio_ : ndarray of shape (n_components,)
    mean_ : ndarray of shape (n_features,)
    """

    def __init__(self, n_components=None):
        self.n_components = n_components

    def fit(self, X, y=None):
        """Find the principal components of X; return self."""
        X = np.asarray(X, dtype=float)
        # TODO: centre X, form the covariance matrix, take its eigendecomposition
        #       (np.linalg.eigh: symmetric input, eigenvalues in ascending order), sort them
        #       largest first and keep n_components of them (all when None).
        raise NotImplementedError("fit")

    def transform(self, X):
        """Coordinates of each row along the components."""
        # TODO: (X - mean_) @ components_.T
        raise NotImplementedError("transform")
