"""A multi-layer perceptron from scratch: ReLU hidden layers, a softmax output, gradient descent.

Forward pass, layer by layer: Z = A_prev @ W + b, then A = relu(Z) in a hidden layer and
A = softmax(Z) at the output, which gives one probability per class. The loss is the
cross-entropy, -mean(log P[true class]). The backward pass (backpropagation) applies the chain
rule from the output back to the input, giving the gradient of the loss for every W and b;
gradient descent then moves each of them a small step against its gradient.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

# What `backward` returns: (one gradient per weight matrix, one gradient per bias vector).
Gradients = tuple[list["NDArray[np.float64]"], list["NDArray[np.float64]"]]


def relu(Z: NDArray[np.float64]) -> NDArray[np.float64]:
    """max(0, z), element by element: the hidden layers' non-linearity."""
    return np.maximum(Z, 0.0)


def softmax(Z: NDArray[np.float64]) -> NDArray[np.float64]:
    """exp(z_k) / sum_j exp(z_j) for each row: scores turned into probabilities that sum to 1.

    Subtracting the row maximum first changes nothing mathematically and avoids overflow.

    >>> softmax(np.array([[0.0, 0.0], [0.0, np.log(3.0)]])).round(2).tolist()
    [[0.5, 0.5], [0.25, 0.75]]
    """
    exp: NDArray[np.float64] = np.exp(Z - Z.max(axis=1, keepdims=True))
    probabilities: NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
    return probabilities


class MLPClassifierScratch(ScratchEstimator):
    """Multi-layer perceptron classifier trained by (mini-batch) gradient descent on cross-entropy.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int
        Number of units in each hidden layer, e.g. (32,) or (64, 32).
    learning_rate : float
        Step size of gradient descent.
    n_epochs : int
        Passes over the training set.
    batch_size : int or None
        Rows per gradient step; None uses all rows (full-batch gradient descent).
    alpha : float
        L2 penalty on the weights, 0.5 * alpha * sum(W**2) / n_rows as in scikit-learn.
    random_state : int or None
        Seed for the initial weights and the order of the mini-batches.

    Attributes
    ----------
    classes_ : array of the class labels, sorted
    coefs_ : list of weight matrices W, one per layer, shape (units in, units out)
    intercepts_ : list of bias vectors b, one per layer
    loss_history_ : list of float
        The training loss of each epoch: the mean over its batches, each taken before its step.
    n_features_in_ : number of features seen in fit

    Examples
    --------
    >>> X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    >>> net = MLPClassifierScratch((8,), learning_rate=0.5, n_epochs=500, random_state=0)
    >>> net.fit(X, [0, 1, 1, 0]).predict(X).tolist()  # XOR: no straight line separates it
    [0, 1, 1, 0]
    """

    _estimator_type = "classifier"  # tells scikit-learn (via the tags) how to treat it

    classes_: NDArray[Any]
    coefs_: list[NDArray[np.float64]]
    intercepts_: list[NDArray[np.float64]]
    loss_history_: list[float]
    n_features_in_: int

    def __init__(
        self,
        hidden_layer_sizes: tuple[int, ...] = (32,),
        learning_rate: float = 0.1,
        n_epochs: int = 200,
        batch_size: int | None = None,
        alpha: float = 0.0,
        random_state: int | None = None,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs
        self.batch_size = batch_size
        self.alpha = alpha
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Initialise the weights, then run `n_epochs` epochs of gradient descent; return self."""
        X = np.asarray(X, dtype=float)
        self.classes_, y_index = np.unique(np.asarray(y), return_inverse=True)
        self.n_features_in_ = X.shape[1]
        Y = np.eye(len(self.classes_))[y_index]  # one-hot: row i has a 1 in its class's column
        rng = np.random.default_rng(self.random_state)

        # Glorot (Xavier) uniform initialisation, as scikit-learn: small random weights, scaled
        # so the signal neither explodes nor dies out from layer to layer. Random, not zero, so
        # that the units of a layer start different and learn different things.
        sizes = [X.shape[1], *self.hidden_layer_sizes, len(self.classes_)]
        self.coefs_, self.intercepts_ = [], []
        for fan_in, fan_out in pairwise(sizes):  # (inputs, outputs) of each layer
            bound = np.sqrt(6.0 / (fan_in + fan_out))
            self.coefs_.append(rng.uniform(-bound, bound, size=(fan_in, fan_out)))
            self.intercepts_.append(rng.uniform(-bound, bound, size=fan_out))

        n = len(X)
        batch = n if self.batch_size is None else min(self.batch_size, n)
        self.loss_history_ = []
        for _ in range(self.n_epochs):
            order = rng.permutation(n)  # a new order each epoch, so the mini-batches differ
            epoch_loss = 0.0
            for start in range(0, n, batch):
                rows = order[start : start + batch]
                activations = self.forward(X[rows])
                epoch_loss += self.loss(activations[-1], Y[rows]) * len(rows)
                coef_grads, intercept_grads = self.backward(activations, Y[rows])
                for layer in range(len(self.coefs_)):  # the gradient descent step
                    self.coefs_[layer] -= self.learning_rate * coef_grads[layer]
                    self.intercepts_[layer] -= self.learning_rate * intercept_grads[layer]
            self.loss_history_.append(epoch_loss / n)
        return self

    def forward(self, X: ArrayLike) -> list[NDArray[np.float64]]:
        """Run rows X through the network; return every layer's output, input first.

        The last element holds the class probabilities. `backward` needs all of them.
        """
        activations = [np.asarray(X, dtype=float)]
        last = len(self.coefs_) - 1
        for layer, (W, b) in enumerate(zip(self.coefs_, self.intercepts_, strict=True)):
            Z = activations[-1] @ W + b  # each unit: a weighted sum of the previous layer
            activations.append(softmax(Z) if layer == last else relu(Z))
        return activations

    def loss(self, probabilities: NDArray[np.float64], Y: NDArray[np.float64]) -> float:
        """Cross-entropy -mean(sum_k Y_k log P_k) plus the L2 penalty, for one-hot targets Y."""
        # Clip so that a probability rounded to 0 gives a large, finite loss instead of inf.
        log_p = np.log(np.clip(probabilities, np.finfo(float).eps, 1.0))
        cross_entropy = -np.sum(Y * log_p) / len(Y)
        penalty = 0.5 * self.alpha * sum(np.sum(W**2) for W in self.coefs_) / len(Y)
        return float(cross_entropy + penalty)

    def backward(self, activations: list[NDArray[np.float64]], Y: NDArray[np.float64]) -> Gradients:
        """Backpropagation: the gradient of `loss` with respect to every weight and bias.

        Parameters
        ----------
        activations : the list returned by `forward` for a batch of rows
        Y : array of shape (n_rows, n_classes), the one-hot targets of those rows

        Returns
        -------
        coef_grads, intercept_grads : lists of arrays shaped like `coefs_` and `intercepts_`
        """
        n = len(Y)
        coef_grads: list[NDArray[np.float64]] = [np.empty(0)] * len(self.coefs_)
        intercept_grads: list[NDArray[np.float64]] = [np.empty(0)] * len(self.coefs_)
        # dLoss/dZ at the output: softmax and cross-entropy together differentiate to P - Y.
        delta = (activations[-1] - Y) / n
        for layer in reversed(range(len(self.coefs_))):
            A_prev = activations[layer]  # this layer's input
            # Z = A_prev @ W + b, so dLoss/dW = A_prev.T @ delta (plus the penalty's alpha W / n)
            coef_grads[layer] = A_prev.T @ delta + self.alpha * self.coefs_[layer] / n
            intercept_grads[layer] = delta.sum(axis=0)
            if layer > 0:
                # Chain rule back through W, then through relu: its slope is 1 where the unit
                # was active (output > 0) and 0 where it was not.
                delta = (delta @ self.coefs_[layer].T) * (A_prev > 0)
        return coef_grads, intercept_grads

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """The output layer's softmax: one probability per class and row."""
        self._check_fitted()
        return self.forward(X)[-1]

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The class with the highest probability."""
        scores = self.predict_proba(X)  # first: it checks that the model is fitted
        labels: NDArray[Any] = self.classes_[np.argmax(scores, axis=1)]
        return labels
