"""The scikit-learn side of the images-as-numbers card: the digits as scikit-learn stores them.

scikit-learn keeps each 8 × 8 digit both as a picture (`images`) and as a row of 64 numbers
(`data`, the picture read row by row), so pixel (r, c) is column 8 r + c of the row. The scratch
side turns the rows back into pictures and flattens them again with `invert.scratch.images`;
this side reads the same pixels by that column arithmetic and classifies with scikit-learn's
own nearest-neighbour vote. Both also shuffle the 64 columns into one fixed random order, the
same for every image, to show that the vote never used the grid.

Everything heavy is imported inside the functions.
"""

from __future__ import annotations

from typing import Any

Array = Any

__all__ = ["images_ours", "images_sklearn"]

SIDE = 8  # the digits are 8 × 8 pictures
PIXEL = (1, 3)  # a pixel of the first training image (a 7) that the pen crossed: (row, column)
NEIGHBOURS = 3


def _shuffled_order() -> Array:
    import numpy as np

    return np.random.default_rng(0).permutation(SIDE * SIDE)


def images_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Pictures from rows, rows from pictures, a 3-neighbour vote with `invert.scratch.knn`."""
    import numpy as np

    from invert.scratch.images import flatten, scale_grey_levels, to_grid
    from invert.scratch.knn import KNeighborsClassifierScratch

    train_pictures, test_pictures = to_grid(X_train, SIDE), to_grid(X_test, SIDE)
    centre = train_pictures[:, 2:6, 2:6]  # the middle 4 × 4 of every picture
    train = scale_grey_levels(flatten(train_pictures))
    test = scale_grey_levels(flatten(test_pictures))
    vote = KNeighborsClassifierScratch(NEIGHBOURS).fit(train, y_train)
    order = _shuffled_order()
    shuffled = KNeighborsClassifierScratch(NEIGHBOURS).fit(train[:, order], y_train)
    row, column = PIXEL
    return {
        "features per image": float(train.shape[1]),
        "grey level at (1, 3) of the first training image": float(train_pictures[0, row, column]),
        "mean grey level, middle 4 x 4": float(np.mean(centre)),
        "3-neighbour test accuracy": float(vote.score(test, y_test)),
        "3-neighbour test accuracy, pixels shuffled": float(shuffled.score(test[:, order], y_test)),
    }


def images_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same from the rows as they are, with `KNeighborsClassifier`."""
    import numpy as np
    from sklearn.neighbors import KNeighborsClassifier

    X_train, X_test = np.asarray(X_train), np.asarray(X_test)
    rows, columns = np.divmod(np.arange(SIDE * SIDE), SIDE)  # column k is pixel (k // 8, k % 8)
    middle = (rows >= 2) & (rows < 6) & (columns >= 2) & (columns < 6)
    train, test = X_train / 16.0, X_test / 16.0
    vote = KNeighborsClassifier(NEIGHBOURS).fit(train, y_train)
    order = _shuffled_order()
    shuffled = KNeighborsClassifier(NEIGHBOURS).fit(train[:, order], y_train)
    row, column = PIXEL
    return {
        "features per image": float(X_train.shape[1]),
        "grey level at (1, 3) of the first training image": float(X_train[0, SIDE * row + column]),
        "mean grey level, middle 4 x 4": float(np.mean(X_train[:, middle])),
        "3-neighbour test accuracy": float(vote.score(test, y_test)),
        "3-neighbour test accuracy, pixels shuffled": float(shuffled.score(test[:, order], y_test)),
    }
