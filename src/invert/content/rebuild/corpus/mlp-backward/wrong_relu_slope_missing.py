"""Backpropagation through the hidden layers without the ReLU's slope."""

from itertools import pairwise

import numpy as np


def relu(Z):
    return np.maximum(Z, 0.0)


def softmax(Z):
    exp = np.exp(Z - Z.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


class MLPClassifier:
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
        delta = (activations[-1] - Y) / len(Y)
        coef_grads, intercept_grads = [], []
        for layer in range(len(self.coefs_) - 1, -1, -1):
            coef_grads.insert(0, activations[layer].T @ delta)
            intercept_grads.insert(0, delta.sum(axis=0))
            if layer > 0:
                delta = delta @ self.coefs_[layer].T
        return coef_grads, intercept_grads

    def predict_proba(self, X):
        return self.forward(X)[-1]

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
