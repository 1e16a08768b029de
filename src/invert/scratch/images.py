"""Images as numbers: a grey-level picture as a grid, flattened into one row of features.

scikit-learn's digits are 8 x 8 grids of grey levels from 0 to 16. A model takes one row of
numbers per example, so each grid is read row by row into 64 features: pixel (r, c) becomes
feature 8 r + c. Nothing in the row says which pixels are neighbours; a model that compares rows
feature by feature (a nearest-neighbour vote, a linear model) never uses the grid at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = ["flatten", "scale_grey_levels", "to_grid"]


def to_grid(X: ArrayLike, side: int = 8) -> NDArray[np.float64]:
    """Rows of side*side features back to pictures of shape (n, side, side).

    >>> to_grid([[1, 2, 3, 4]], side=2).tolist()
    [[[1.0, 2.0], [3.0, 4.0]]]
    """
    X = np.asarray(X, dtype=np.float64)
    return X.reshape(len(X), side, side)


def flatten(images: ArrayLike) -> NDArray[np.float64]:
    """Pictures of shape (n, height, width) to rows of height*width features, row by row.

    >>> flatten([[[1, 2], [3, 4]]]).tolist()
    [[1.0, 2.0, 3.0, 4.0]]
    """
    images = np.asarray(images, dtype=np.float64)
    n, height, width = images.shape
    rows = np.empty((n, height * width))
    for r in range(height):
        for c in range(width):
            rows[:, r * width + c] = images[:, r, c]  # pixel (r, c) is feature r * width + c
    return rows


def scale_grey_levels(X: ArrayLike, max_level: float = 16.0) -> NDArray[np.float64]:
    """Grey levels 0..max_level to 0..1, by one division for every pixel alike.

    >>> scale_grey_levels([[0, 8, 16]]).tolist()
    [[0.0, 0.5, 1.0]]
    """
    return np.asarray(X, dtype=np.float64) / max_level
