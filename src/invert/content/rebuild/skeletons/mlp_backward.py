"""Rebuild an MLP's backward pass: the gradient of the loss for every weight, by the chain rule.

The forward pass, the loss and the training loop are given; write `backward`, then
`invert check mlp-backward`. Two stages: your gradients against finite differences of the loss,
then one step of gradient descent against scikit-learn's MLPClassifier from the same weights.
Use NumPy only: scikit-learn is refused by the check. The concept cards:
`invert learn backpropagation` and `invert learn derivatives`.
"""

from itertools import pairwise

import numpy as np


def relu(Z):
    return np.maximum(Z, 0.0)


def softmax(Z):
    exp = np.exp(Z - Z.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


class MLPClassifier:
    """A multi-layer perceptron: ReLU hidden layers, a softmax output, cross-entropy loss.

    Forward, layer l: Z_l = A_{l-1} @ W_l + b_l, then A_l = relu(Z_l), or softmax at the last
    layer. A_0 is the input X. The loss is L = -(1/n) sum_i sum_k Y_ik log A_L[i, k] for
    one-hot targets Y.

    Backward (what you write): start from dL/dZ_L = (A_L - Y) / n (softmax and cross-entropy
    together differentiate to this). Then for each layer from the last to the first:
        dL/dW_l = A_{l-1}ᵀ @ dL/dZ_l         dL/db_l = sum over rows of dL/dZ_l
        dL/dZ_{l-1} = (dL/dZ_l @ W_lᵀ) * (A_{l-1} > 0)     (the ReLU's slope: 1 or 0)
    (Rumelhart, Hinton and Williams, "Learning representations by back-propagating errors",
    1986.)
    """

    def __init__(
        self, hidden_layer_sizes=(16,), learning_rate=0.1, n_epochs=200, random_state=None
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.learning_rate = learning_rate
        self.n_epochs = n_epochs
        self.random_state = random_state

    def fit(self, X, y):
        """Glorot-uniform weights, then full-batch gradient descent; return self."""
        X = np.asarray(X, dtype=float)
        self.classes_, y_index = np.unique(np.asarray(y), return_inverse=True)
        Y = np.eye(len(self.classes_))[y_index]
        rng = np.random.default_rng(self.random_state)
        sizes = [X.shape[1], *self.hidden_layer_sizes, len(self.classes_)]
        self.coefs_, self.intercepts_ = [], []
        for fan_in, fan_out in pairwise(sizes):
            bound = np.sqrt(6.0 / (fan_in + fan_out))
            self.coefs_.append(rng.uniform(-bound, bound, size=(fan_in, fan_out)))
            self.intercepts_.append(rng.uniform(-bound, bound, size=fan_out))
        for _ in range(self.n_epochs):
            coef_grads, intercept_grads = self.backward(self.forward(X), Y)
            for layer in range(len(self.coefs_)):
                self.coefs_[layer] -= self.learning_rate * coef_grads[layer]
                self.intercepts_[layer] -= self.learning_rate * intercept_grads[layer]
        return self

    def forward(self, X):
        """Every layer's output, the input first and the class probabilities last."""
        activations = [np.asarray(X, dtype=float)]
        for layer, (W, b) in enumerate(zip(self.coefs_, self.intercepts_, strict=True)):
            Z = activations[-1] @ W + b
            activations.append(softmax(Z) if layer == len(self.coefs_) - 1 else relu(Z))
        return activations

    def loss(self, probabilities, Y):
        return float(-np.sum(Y * np.log(probabilities)) / len(Y))

    def backward(self, activations, Y):
        """The gradient of the loss for every weight matrix and bias vector.

        Returns (coef_grads, intercept_grads): two lists shaped like coefs_ and intercepts_.
        """
        # TODO: delta = (activations[-1] - Y) / n, then walk the layers backwards with the
        #       three formulas in the class docstring.
        raise NotImplementedError("backward")

    def predict_proba(self, X):
        return self.forward(X)[-1]

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
