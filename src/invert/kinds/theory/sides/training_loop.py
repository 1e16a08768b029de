"""The scikit-learn side of the training-loop card: `MLPClassifier` with plain mini-batch steps.

Both sides run the same loop (shuffle, mini-batches, forward, loss, backward, step) with the same
settings, and report the mean training loss of chosen epochs and the test accuracy. They draw
different starting weights and batch orders, so the figures agree only up to that luck.

Everything heavy is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["training_loop_ours", "training_loop_sklearn"]

HIDDEN = (32,)
RATE = 0.05
BATCH = 50
EPOCHS = 20
REPORTED = (10, 20)  # the first epochs depend most on the random start: see the card's reason


def _summary(losses: Array, accuracy: float) -> dict[str, float]:
    result = {f"training loss, epoch {e}": float(losses[e - 1]) for e in REPORTED}
    result["test accuracy"] = float(accuracy)
    return result


def training_loop_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The loop of `MLPClassifierScratch.fit`, written out in NumPy."""
    from invert.scratch.mlp import MLPClassifierScratch

    net = MLPClassifierScratch(
        HIDDEN, learning_rate=RATE, n_epochs=EPOCHS, batch_size=BATCH, random_state=0
    ).fit(X_train, y_train)
    return _summary(net.loss_history_, net.score(X_test, y_test))


def training_loop_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """scikit-learn's `MLPClassifier` with the same loop: plain SGD, no momentum, no penalty,
    no early stop, shuffled batches."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    net = MLPClassifier(
        HIDDEN,
        solver="sgd",
        learning_rate_init=RATE,
        momentum=0.0,
        alpha=0.0,
        batch_size=BATCH,
        max_iter=EPOCHS,
        n_iter_no_change=EPOCHS,
        tol=0.0,
        shuffle=True,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 20 epochs is the budget, by design
        net.fit(X_train, y_train)
    return _summary(net.loss_curve_, net.score(X_test, y_test))
