"""The two sides of the kernels card: kernel matrices and kernel ridge regression.

Ours are `invert.scratch.kernels`; scikit-learn's are `sklearn.metrics.pairwise.rbf_kernel`,
`polynomial_kernel` and `sklearn.kernel_ridge.KernelRidge`, with the same settings.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["kernels_ours", "kernels_sklearn"]

GAMMA = 0.01  # RBF: similarity exp(-0.01 d²) is about 0.82 at the typical squared distance, 20
ALPHA = 1.0  # kernel ridge penalty
DEGREE = 2  # polynomial kernel (a·b / p + 1)², gamma = 1 / p


def _summary(rbf: Array, poly: Array, prediction: Array, y_test: Array) -> dict[str, float]:
    import numpy as np

    residual = float(np.sum((y_test - prediction) ** 2))
    total = float(np.sum((y_test - np.mean(y_test)) ** 2))
    return {
        "RBF kernel, first test row with first training row": float(rbf[0, 0]),
        "RBF kernel, mean over test and training rows": float(np.mean(rbf)),
        "RBF kernel, largest (the most alike pair)": float(np.max(rbf)),
        "polynomial kernel, first test row with first training row": float(poly[0, 0]),
        "polynomial kernel, mean over test and training rows": float(np.mean(poly)),
        "kernel ridge, prediction for the first test patient": float(prediction[0]),
        "kernel ridge, test R²": 1.0 - residual / total,
    }


def kernels_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Kernel values between test and training rows, and kernel ridge, from scratch."""
    from invert.scratch.kernels import KernelRidgeScratch, polynomial_kernel, rbf_kernel

    gamma_poly = 1.0 / X_train.shape[1]
    rbf = rbf_kernel(X_test, X_train, GAMMA)
    poly = polynomial_kernel(X_test, X_train, degree=DEGREE, gamma=gamma_poly, coef0=1.0)
    model = KernelRidgeScratch(alpha=ALPHA, gamma=GAMMA).fit(X_train, y_train)
    return _summary(rbf, poly, model.predict(X_test), y_test)


def kernels_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with scikit-learn's pairwise kernels and `KernelRidge`."""
    from sklearn.kernel_ridge import KernelRidge
    from sklearn.metrics.pairwise import polynomial_kernel, rbf_kernel

    gamma_poly = 1.0 / X_train.shape[1]
    rbf = rbf_kernel(X_test, X_train, gamma=GAMMA)
    poly = polynomial_kernel(X_test, X_train, degree=DEGREE, gamma=gamma_poly, coef0=1.0)
    model = KernelRidge(alpha=ALPHA, kernel="rbf", gamma=GAMMA).fit(X_train, y_train)
    return _summary(rbf, poly, model.predict(X_test), y_test)
