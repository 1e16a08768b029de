"""PCA, four ways: from scikit-learn down to power iteration by hand.

Every rung receives the standardised iris features X (150 rows, 4 columns; y is ignored) and
returns the variances along the first two principal components and the two components
themselves. A component's sign is arbitrary (v and -v span the same line), so each rung flips
its components until the entry of largest size is positive; then the rungs can be compared.
"""

import numpy as np
import scipy.linalg
from sklearn.decomposition import PCA


def _sign_normalise(v):
    """Flip v if needed so that its entry of largest absolute value is positive."""
    return v if v[np.argmax(np.abs(v))] > 0 else -v


def sklearn_pca(X, y):
    """scikit-learn: fit PCA with two components and read off its attributes."""
    pca = PCA(n_components=2, svd_solver="full").fit(X)
    return {
        "explained_variance": pca.explained_variance_,
        "component_1": _sign_normalise(pca.components_[0]),
        "component_2": _sign_normalise(pca.components_[1]),
    }


def scipy_svd(X, y):
    """SciPy: the singular value decomposition of the centred data X_c = U S Vt.

    The rows of Vt are the principal directions, and the variance along direction j is
    S[j]² / (n - 1).
    """
    Xc = X - X.mean(axis=0)
    _U, S, Vt = scipy.linalg.svd(Xc, full_matrices=False)  # U (row coordinates) is unused
    return {
        "explained_variance": S[:2] ** 2 / (len(X) - 1),
        "component_1": _sign_normalise(Vt[0]),
        "component_2": _sign_normalise(Vt[1]),
    }


def covariance_eigh(X, y):
    """Matrix operations: the eigenvectors of the covariance matrix X_c.T @ X_c / (n - 1).

    The eigenvalues are the variances along the eigenvectors; eigh sorts them from smallest
    to largest, so the principal components are the last columns.
    """
    Xc = X - X.mean(axis=0)
    C = Xc.T @ Xc / (len(X) - 1)
    eigenvalues, eigenvectors = np.linalg.eigh(C)
    order = np.argsort(eigenvalues)[::-1]  # largest variance first
    return {
        "explained_variance": eigenvalues[order[:2]],
        "component_1": _sign_normalise(eigenvectors[:, order[0]]),
        "component_2": _sign_normalise(eigenvectors[:, order[1]]),
    }


def power_iteration(X, y, max_iter=1000, tol=1e-14):
    """By hand: power iteration on the covariance matrix, with deflation.

    Multiplying any vector by C again and again stretches it most along the top eigenvector,
    so after normalising it points there. Subtracting that direction's share from C
    (deflation) leaves a matrix whose top eigenvector is the second component.
    """
    Xc = X - X.mean(axis=0)
    C = Xc.T @ Xc / (len(X) - 1)
    variances, components = [], []
    for _ in range(2):
        v = np.ones(C.shape[0]) / np.sqrt(C.shape[0])  # any start not orthogonal to the answer
        for _ in range(max_iter):
            w = C @ v
            w = w / np.linalg.norm(w)
            converged = np.max(np.abs(w - v)) < tol
            v = w
            if converged:
                break
        variance = v @ C @ v  # the Rayleigh quotient: the eigenvalue for unit v
        variances.append(variance)
        components.append(_sign_normalise(v))
        C = C - variance * np.outer(v, v)  # deflation: remove the component just found
    return {
        "explained_variance": np.array(variances),
        "component_1": components[0],
        "component_2": components[1],
    }
