"""Decision trees from scratch: CART classification (Gini, entropy) and regression (squared error).

A tree is a list of yes/no questions "is feature j <= t?". It is grown greedily: at a node, try
every feature and every threshold, keep the question whose two children are purest, and ask
again in each child until a child is pure or a stopping rule (depth, size) says stop. A new row
is predicted by answering the questions from the root down to a leaf.

Functions `gini`, `entropy` and `best_split` are the pieces; the classes only wire them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Self

import numpy as np

from invert.scratch._base import ScratchEstimator

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DecisionTreeClassifierScratch",
    "DecisionTreeRegressorScratch",
    "Node",
    "Split",
    "best_regression_split",
    "best_split",
    "entropy",
    "gini",
]


# --- 1. How impure is a node? ---------------------------------------------------------------


def gini(y: ArrayLike) -> float:
    """Gini impurity of a set of labels, 1 - sum_k p_k**2.

    The chance that two labels drawn at random (with replacement) differ: 0 for a pure node,
    0.5 for a 50/50 mix of two classes.

    >>> gini(["a", "a", "b", "b"])
    0.5
    >>> gini([1, 1, 1])
    0.0
    """
    _, counts = np.unique(np.asarray(y), return_counts=True)
    if counts.sum() == 0:
        return 0.0
    p = counts / counts.sum()  # p_k, the share of class k
    return float(1.0 - np.sum(p**2))


def entropy(y: ArrayLike) -> float:
    """Entropy of a set of labels in bits, -sum_k p_k log2 p_k.

    The average number of yes/no questions needed to guess a label: 0 for a pure node, 1 for
    a 50/50 mix of two classes. Absent classes do not appear in `counts`, so no log(0).

    >>> entropy(["a", "a", "b", "b"])
    1.0
    """
    _, counts = np.unique(np.asarray(y), return_counts=True)
    if counts.sum() == 0:
        return 0.0
    p = counts / counts.sum()
    return float(-np.sum(p * np.log2(p)) + 0.0)  # + 0.0 turns -0.0 into 0.0


def _impurity_of_counts(counts: NDArray[np.float64], criterion: str) -> NDArray[np.float64]:
    """`gini` or `entropy` for many candidate children at once: one row of class counts each.

    The formulas are written in the order scikit-learn evaluates them, so that two splits it
    finds exactly equal are exactly equal here too, and ties break the same way.
    """
    n = counts.sum(axis=1)
    impurity: NDArray[np.float64]
    if criterion == "gini":
        impurity = 1.0 - np.sum(counts * counts, axis=1) / (n * n)  # 1 - sum n_k**2 / n**2
        return impurity
    if criterion == "entropy":
        p = counts / n[:, None]
        log2_p = np.log(np.where(p > 0, p, 1.0)) / np.log(2.0)  # log2, with 0 * log(0) = 0
        impurity = -np.sum(p * log2_p, axis=1)
        return impurity
    raise ValueError(f"criterion must be 'gini' or 'entropy', got {criterion!r}")


# --- 2. The best question at a node ----------------------------------------------------------


class Split(NamedTuple):
    """A question "X[:, feature] <= threshold?" and how much it lowers the impurity."""

    feature: int
    threshold: float
    impurity_decrease: float  # impurity(parent) - weighted mean impurity(children)


def _cut_positions(x_sorted: NDArray[np.float64], min_samples_leaf: int) -> NDArray[np.intp]:
    """Where a sorted column can be cut: between two distinct values, leaving enough rows per side.

    Cut i puts rows 0..i on the left (i + 1 rows) and the rest on the right.
    """
    n = len(x_sorted)
    i = np.arange(n - 1)
    distinct = x_sorted[:-1] < x_sorted[1:]  # equal values must go to the same side
    big_enough = (i + 1 >= min_samples_leaf) & (n - (i + 1) >= min_samples_leaf)
    return i[distinct & big_enough]


def best_split(
    X: ArrayLike,
    y: ArrayLike,
    criterion: str = "gini",
    features: ArrayLike | None = None,
    min_samples_leaf: int = 1,
) -> Split | None:
    """Find the question "X[:, j] <= t" whose two children have the lowest weighted impurity.

    Exhaustive search, as in CART: for each feature, sort the rows by it and try every midpoint
    between two consecutive distinct values. The score of a cut is
    n_left * impurity(left) + n_right * impurity(right); the lowest wins (dividing by n would not
    change the winner). On a tie the first feature and then the lowest threshold win.

    Parameters
    ----------
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,), class labels
    criterion : {"gini", "entropy"}
    features : column indices to search (a random forest passes a random subset); all if None
    min_samples_leaf : each child must keep at least this many rows

    Returns
    -------
    Split or None
        The best question, or None if no column can be cut (all values equal, or too few rows).

    >>> best_split([[1.0], [2.0], [3.0], [4.0]], [0, 0, 1, 1])
    Split(feature=0, threshold=2.5, impurity_decrease=0.5)
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    _, y_index = np.unique(y, return_inverse=True)
    one_hot = np.eye(y_index.max() + 1)[y_index]  # row i has a 1 in the column of its class
    total = one_hot.sum(axis=0)  # class counts of the parent
    parent = _impurity_of_counts(total[None, :], criterion)[0]
    n = len(y)
    columns = range(X.shape[1]) if features is None else np.asarray(features)

    best: Split | None = None
    best_score = np.inf
    for j in columns:  # the loop over features IS the search
        order = np.argsort(X[:, j], kind="stable")
        x = X[order, j]
        cuts = _cut_positions(x, min_samples_leaf)
        if len(cuts) == 0:
            continue
        # Class counts on each side of every cut at once: a running total down the sorted rows.
        left = np.cumsum(one_hot[order], axis=0)[cuts]
        right = total - left
        n_left, n_right = cuts + 1.0, n - (cuts + 1.0)
        score = n_left * _impurity_of_counts(left, criterion) + n_right * _impurity_of_counts(
            right, criterion
        )
        k = int(np.argmin(score))  # first minimum: the lowest threshold among equals
        if score[k] < best_score:  # strictly lower: an earlier feature keeps a tie
            best_score = float(score[k])
            i = cuts[k]
            best = Split(int(j), float((x[i] + x[i + 1]) / 2), float(parent - best_score / n))
    return best


def best_regression_split(
    X: ArrayLike,
    y: ArrayLike,
    features: ArrayLike | None = None,
    min_samples_leaf: int = 1,
) -> Split | None:
    """Find the question "X[:, j] <= t" whose two children have the lowest squared error.

    The squared error of a child is SSE = sum(y**2) - S**2 / n with S = sum(y). Summed over both
    children, the sum(y**2) terms add up to the parent's, the same for every cut, so the best cut
    is the one with the largest S_left**2 / n_left + S_right**2 / n_right (the "proxy" that
    scikit-learn maximises too). `impurity_decrease` is the drop in mean squared error.

    >>> best_regression_split([[1.0], [2.0], [3.0], [4.0]], [1.0, 1.0, 5.0, 5.0])
    Split(feature=0, threshold=2.5, impurity_decrease=4.0)
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n = len(y)
    total = y.sum()
    columns = range(X.shape[1]) if features is None else np.asarray(features)

    best: Split | None = None
    best_proxy = -np.inf
    for j in columns:
        order = np.argsort(X[:, j], kind="stable")
        x = X[order, j]
        cuts = _cut_positions(x, min_samples_leaf)
        if len(cuts) == 0:
            continue
        s_left = np.cumsum(y[order])[cuts]  # S_left for every cut at once
        s_right = total - s_left
        n_left, n_right = cuts + 1.0, n - (cuts + 1.0)
        proxy = s_left * s_left / n_left + s_right * s_right / n_right
        k = int(np.argmax(proxy))
        if proxy[k] > best_proxy:
            best_proxy = float(proxy[k])
            i = cuts[k]
            # parent SSE - children SSE = proxy - S**2 / n; divide by n for a drop in MSE
            best = Split(
                int(j), float((x[i] + x[i + 1]) / 2), float((best_proxy - total**2 / n) / n)
            )
    return best


# --- 3. The tree: nodes, growing, predicting ---------------------------------------------------


@dataclass
class Node:
    """One node of a tree: a question with two children, or a leaf (no children)."""

    value: NDArray[np.float64]  # what a leaf predicts: class shares, or the mean target
    n_samples: int
    feature: int = -1
    threshold: float = np.nan
    left: Node | None = None  # rows with X[:, feature] <= threshold
    right: Node | None = None  # the other rows

    @property
    def is_leaf(self) -> bool:
        """True if the node asks no question."""
        return self.left is None


def _n_features_to_try(max_features: int | float | str | None, n_features: int) -> int:
    """How many features a node searches: all (None), sqrt, log2, a count or a fraction."""
    if max_features is None:
        return n_features
    if max_features == "sqrt":
        return max(1, int(np.sqrt(n_features)))
    if max_features == "log2":
        return max(1, int(np.log2(n_features)))
    if isinstance(max_features, float):
        return max(1, int(max_features * n_features))
    if isinstance(max_features, int):
        return min(max_features, n_features)
    raise ValueError(f"max_features must be None, 'sqrt', 'log2', int or float: {max_features!r}")


def _as_2d(X: ArrayLike) -> NDArray[np.float64]:
    """X as a 2-D float array, each value rounded to 32 bits first.

    scikit-learn's trees store X as float32. Rounding the same way puts our thresholds on the
    same numbers, so a row that lies exactly on a threshold goes the same way in both.
    """
    X = np.asarray(X, dtype=np.float32).astype(np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (rows x features), got shape {X.shape}")
    return X


class _TreeBase(ScratchEstimator):
    """What both trees share: grow recursively, then walk a row down to its leaf."""

    max_depth: int | None
    min_samples_split: int
    min_samples_leaf: int
    n_features_in_: int
    depth_: int
    tree_: Node

    def _leaf_value(self, y: NDArray[Any]) -> NDArray[np.float64]:
        raise NotImplementedError

    def _split(
        self, X: NDArray[np.float64], y: NDArray[Any], depth: int, drawer: _FeatureDrawer | None
    ) -> Split | None:
        raise NotImplementedError

    def _grow(
        self, X: NDArray[np.float64], y: NDArray[Any], depth: int, drawer: _FeatureDrawer | None
    ) -> Node:
        """Make a node for these rows; if no stopping rule applies, split it and recurse."""
        node = Node(value=self._leaf_value(y), n_samples=len(y))
        self.depth_ = max(self.depth_, depth)
        stop = (
            (self.max_depth is not None and depth >= self.max_depth)
            or len(y) < self.min_samples_split
            or len(y) < 2 * self.min_samples_leaf
            or bool(np.all(y == y[0]))  # pure: nothing left to separate
        )
        split = None if stop else self._split(X, y, depth, drawer)
        if split is None:
            return node
        node.feature, node.threshold = split.feature, split.threshold
        goes_left = X[:, split.feature] <= split.threshold
        # Left subtree first, then right (depth first, as scikit-learn grows it).
        node.left = self._grow(X[goes_left], y[goes_left], depth + 1, drawer)
        node.right = self._grow(X[~goes_left], y[~goes_left], depth + 1, drawer)
        return node

    def _fit_tree(
        self, X: NDArray[np.float64], y: NDArray[Any], drawer: _FeatureDrawer | None = None
    ) -> None:
        self.n_features_in_ = X.shape[1]
        self.depth_ = 0
        self.tree_ = self._grow(X, y, depth=0, drawer=drawer)

    def _leaf_values(self, X: ArrayLike) -> NDArray[np.float64]:
        """For each row, follow the questions from the root to a leaf and return its value."""
        self._check_fitted()
        X = _as_2d(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, the tree was fit on {self.n_features_in_}"
            )
        values = []
        for x in X:
            node = self.tree_
            while node.left is not None and node.right is not None:
                node = node.left if x[node.feature] <= node.threshold else node.right
            values.append(node.value)
        return np.array(values)


class DecisionTreeClassifierScratch(_TreeBase):
    """CART classification tree: greedy binary splits chosen by Gini impurity or entropy.

    Parameters
    ----------
    max_depth : int or None
        Stop splitting at this depth (the root is depth 0); None grows until leaves are pure.
    min_samples_split : int
        A node with fewer rows becomes a leaf.
    min_samples_leaf : int
        Each child of a split keeps at least this many rows.
    criterion : {"gini", "entropy"}
        The impurity a split must lower.
    max_features : None, "sqrt", "log2", int or float
        How many features each node searches, drawn at random (a random forest's trick); None
        searches all of them.
    random_state : int or None
        Seed for the order in which a node tries the features (and, with `max_features`, for
        which ones it tries). With all features searched the order only decides ties between
        equally good splits. The order is scikit-learn's, so `random_state=0` grows the same
        tree as ``DecisionTreeClassifier(random_state=0)``.

    Attributes
    ----------
    classes_ : array of the class labels, sorted
    n_features_in_ : number of features seen in fit
    tree_ : the root `Node`
    depth_ : depth of the deepest leaf

    Examples
    --------
    >>> X = [[1.0, 0.0], [2.0, 0.0], [3.0, 1.0], [4.0, 1.0]]
    >>> tree = DecisionTreeClassifierScratch().fit(X, ["no", "no", "yes", "yes"])
    >>> tree.predict([[1.5, 0.0], [3.5, 1.0]]).tolist(), tree.depth_
    (['no', 'yes'], 1)
    """

    _estimator_type = "classifier"  # tells scikit-learn (via the tags) how to treat it

    classes_: NDArray[Any]

    def __init__(
        self,
        max_depth: int | None = None,
        min_samples_split: int = 2,
        min_samples_leaf: int = 1,
        criterion: str = "gini",
        max_features: int | float | str | None = None,
        random_state: int | None = None,
    ) -> None:
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.criterion = criterion
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Grow the tree on rows X with class labels y; return self."""
        X = _as_2d(X)
        # Work with class numbers 0..K-1; classes_ maps them back to the labels.
        self.classes_, y_index = np.unique(np.asarray(y), return_inverse=True)
        n_features = X.shape[1]
        k = _n_features_to_try(self.max_features, n_features)
        self._fit_tree(X, y_index, _FeatureDrawer(n_features, k, self.random_state))
        return self

    def _leaf_value(self, y: NDArray[Any]) -> NDArray[np.float64]:
        # The share of each class among the node's rows: the leaf's predicted probabilities.
        return np.bincount(y, minlength=len(self.classes_)) / len(y)

    def _split(
        self, X: NDArray[np.float64], y: NDArray[Any], depth: int, drawer: _FeatureDrawer | None
    ) -> Split | None:
        features = None if drawer is None else drawer.draw(X, depth)
        return best_split(X, y, self.criterion, features, self.min_samples_leaf)

    def predict_proba(self, X: ArrayLike) -> NDArray[np.float64]:
        """Class probabilities: the class shares of the training rows in each row's leaf."""
        return self._leaf_values(X)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The most frequent class in each row's leaf (the first class on a tie)."""
        scores = self.predict_proba(X)  # first: it checks that the model is fitted
        labels: NDArray[Any] = self.classes_[np.argmax(scores, axis=1)]
        return labels


class DecisionTreeRegressorScratch(_TreeBase):
    """CART regression tree: greedy binary splits that most reduce the squared error.

    A leaf predicts the mean target of its training rows. Features are searched in column
    order, so on a tie the lower column wins.

    Parameters
    ----------
    max_depth : int or None
        Stop splitting at this depth (the root is depth 0); None grows until leaves are pure.
    min_samples_split : int
        A node with fewer rows becomes a leaf.
    min_samples_leaf : int
        Each child of a split keeps at least this many rows.

    Attributes
    ----------
    n_features_in_ : number of features seen in fit
    tree_ : the root `Node`
    depth_ : depth of the deepest leaf

    Examples
    --------
    >>> tree = DecisionTreeRegressorScratch(max_depth=1).fit([[1.0], [2.0], [3.0]], [1.0, 2.0, 6.0])
    >>> tree.predict([[0.0], [5.0]]).tolist()
    [1.5, 6.0]
    """

    _estimator_type = "regressor"  # tells scikit-learn (via the tags) how to treat it

    def __init__(
        self, max_depth: int | None = None, min_samples_split: int = 2, min_samples_leaf: int = 1
    ) -> None:
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf

    def fit(self, X: ArrayLike, y: ArrayLike) -> Self:
        """Grow the tree on rows X with numeric targets y; return self."""
        self._fit_tree(_as_2d(X), np.asarray(y, dtype=float))
        return self

    def _leaf_value(self, y: NDArray[Any]) -> NDArray[np.float64]:
        return np.array(np.mean(y))  # the constant with the lowest squared error

    def _split(
        self, X: NDArray[np.float64], y: NDArray[Any], depth: int, drawer: _FeatureDrawer | None
    ) -> Split | None:
        return best_regression_split(X, y, min_samples_leaf=self.min_samples_leaf)

    def predict(self, X: ArrayLike) -> NDArray[np.float64]:
        """The mean training target of each row's leaf."""
        return self._leaf_values(X)


# --- 4. Which features a node searches, in which order (skip on a first reading) ---------------


class _FeatureDrawer:
    """Draw the features a node searches, in scikit-learn's order, so ties break as there.

    The order does not matter to CART except on a tie, where the first of two equally good
    splits is kept; ties are common (two features that separate the same rows). scikit-learn
    shuffles the features at every node with its own small generator, seeded from
    `random_state`; replaying that shuffle step for step grows the very same tree. A random
    forest uses the same draw to search only `max_features` features per node.
    """

    def __init__(self, n_features: int, max_features: int, random_state: int | None) -> None:
        # scikit-learn seeds its generator with one draw from NumPy's legacy RandomState.
        self.state = int(np.random.RandomState(random_state).randint(0, 2**31 - 1))
        self.max_features = max_features
        self.features = list(range(n_features))  # shuffled in place, node after node
        self.constant = list(range(n_features))  # its prefix: features known to be constant
        self.n_constant_at_depth: dict[int, int] = {}  # for the node last drawn at each depth

    def _rand_int(self, low: int, high: int) -> int:
        """A random integer in [low, high): a 32-bit xorshift, scikit-learn's `rand_int`."""
        s = self.state or 1
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.state = s
        return low + (s % 2**31) % (high - low)

    def draw(self, X: NDArray[np.float64], depth: int) -> list[int]:
        """The features to search at the node with rows X, in the order to search them.

        A partial Fisher-Yates shuffle: draw features without replacement until `max_features`
        of them (constant ones included) are drawn and at least one is not constant. A feature
        constant at an ancestor is constant here too, so it is skipped without a look; one
        found constant here is remembered for the node's descendants.
        """
        f = self.features
        n_known = self.n_constant_at_depth.get(depth - 1, 0)  # the parent's constants
        n_found = n_drawn_known = n_visited = 0
        n_total = n_known
        end = len(f)  # f[end:] holds this node's drawn, non-constant features
        drawn: list[int] = []
        while end > n_total and (
            n_visited < self.max_features or n_visited <= n_found + n_drawn_known
        ):
            n_visited += 1
            j = self._rand_int(n_drawn_known, end - n_found)
            if j < n_known:  # an ancestor's constant feature
                f[n_drawn_known], f[j] = f[j], f[n_drawn_known]
                n_drawn_known += 1
                continue
            j += n_found
            column = X[:, f[j]].astype(np.float32)  # scikit-learn stores X as float32
            if column.max() <= column.min() + np.float32(1e-7):  # constant at this node
                f[j], f[n_total] = f[n_total], f[j]
                n_found += 1
                n_total += 1
                continue
            drawn.append(f[j])
            end -= 1
            f[end], f[j] = f[j], f[end]
        f[:n_known] = self.constant[:n_known]  # the ancestors' constants keep their order
        self.constant[n_known:n_total] = f[n_known:n_total]
        self.n_constant_at_depth[depth] = n_total
        return drawn
