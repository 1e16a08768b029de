"""Logistic regression, four ways: from scikit-learn down to gradient descent by hand.

Every rung receives the standardised breast-cancer features X (569 rows, 30 columns) and the
labels y (0 or 1), and minimises the same penalised loss, the one scikit-learn's
LogisticRegression(C=1.0) minimises:

    sum over rows of log(1 + exp(z)) - y * z   +   ||w||² / (2C),    z = intercept + X @ w

The intercept is not penalised. Each rung returns the coefficients, the intercept and the
training log loss (the mean of the first term, without the penalty).
"""

import numpy as np
import scipy.optimize
from sklearn.linear_model import LogisticRegression

C = 1.0


def _log_loss(X, y, intercept, coef):
    """Mean log loss on the training rows; logaddexp(0, z) is log(1 + exp(z)) without overflow."""
    z = intercept + X @ coef
    return np.mean(np.logaddexp(0, z) - y * z)


def _loss_and_gradient(w, A, y):
    """The penalised loss at w = (intercept, coef...) and its gradient; A has a ones column."""
    z = A @ w
    p = 1 / (1 + np.exp(-z))  # predicted probability of class 1
    penalty = np.r_[0.0, w[1:]] / C  # gradient of ||coef||² / (2C); the intercept is free
    loss = np.sum(np.logaddexp(0, z) - y * z) + w[1:] @ w[1:] / (2 * C)
    return loss, A.T @ (p - y) + penalty


def sklearn_logistic_regression(X, y):
    """scikit-learn: fit LogisticRegression (lbfgs, tight tolerance) and read off coef_.

    Even with a tiny tol, lbfgs also stops once the loss falls by less than 64 machine epsilons
    (relative) per step, which here leaves the coefficients about 1e-6 from the exact minimum.
    """
    model = LogisticRegression(C=C, tol=1e-10, max_iter=10_000).fit(X, y)
    coef, intercept = model.coef_[0], model.intercept_[0]
    return {"coef": coef, "intercept": intercept, "log_loss": _log_loss(X, y, intercept, coef)}


def scipy_minimize(X, y):
    """SciPy: hand the penalised loss and its gradient to a general-purpose minimiser."""
    A = np.column_stack([np.ones(len(X)), X])
    result = scipy.optimize.minimize(
        _loss_and_gradient,
        np.zeros(A.shape[1]),
        args=(A, y),
        jac=True,  # the function returns (loss, gradient)
        method="L-BFGS-B",
        options={"gtol": 1e-10, "ftol": 0.0, "maxiter": 10_000},  # stop only when stuck
    )
    w = result.x
    return {"coef": w[1:], "intercept": w[0], "log_loss": _log_loss(X, y, w[0], w[1:])}


def newton_irls(X, y, n_iter=30):
    """Matrix operations: Newton's method, also called iteratively reweighted least squares.

    Each step solves H @ step = gradient, where the Hessian H = A.T @ diag(p(1 - p)) @ A plus
    the penalty's curvature 1/C on every coefficient (not the intercept). Near the minimum
    every step roughly doubles the number of correct digits.
    """
    A = np.column_stack([np.ones(len(X)), X])
    penalty_curvature = np.diag(np.r_[0.0, np.ones(X.shape[1])]) / C
    w = np.zeros(A.shape[1])
    for _ in range(n_iter):
        _, gradient = _loss_and_gradient(w, A, y)
        p = 1 / (1 + np.exp(-(A @ w)))
        H = A.T @ (A * (p * (1 - p))[:, None]) + penalty_curvature
        step = np.linalg.solve(H, gradient)
        w = w - step
        if np.max(np.abs(step)) < 1e-13:
            break
    return {"coef": w[1:], "intercept": w[0], "log_loss": _log_loss(X, y, w[0], w[1:])}


def gradient_descent(X, y, n_iter=12_000):
    """By hand: plain gradient descent with a fixed step.

    The loss curves no more sharply than L = (largest eigenvalue of A.T @ A) / 4 + 1/C, since
    p(1 - p) is at most 1/4, so a step of 1/L never overshoots. It still needs thousands of
    steps, because some directions are far flatter than the steepest one: after 12,000 steps
    the coefficients are within about 2e-4 of the minimum (after 2,000, only within 0.1).
    """
    A = np.column_stack([np.ones(len(X)), X])
    step = 1 / (np.linalg.eigvalsh(A.T @ A).max() / 4 + 1 / C)
    w = np.zeros(A.shape[1])
    for _ in range(n_iter):
        z = A @ w
        p = 1 / (1 + np.exp(-z))
        gradient = A.T @ (p - y) + np.r_[0.0, w[1:]] / C
        w = w - step * gradient
    return {"coef": w[1:], "intercept": w[0], "log_loss": _log_loss(X, y, w[0], w[1:])}
