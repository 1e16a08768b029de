"""Validation design, both sides: grouped and forward splits, seeds, paired folds, searches.

Each ``NAME_ours`` uses `invert.scratch.splits`, `.search` or `.comparison`; each
``NAME_sklearn`` computes the same numbers with scikit-learn's (or SciPy's) own function. Both
take the card's split ``(X_train, X_test, y_train, y_test)`` and work on the training rows, so
the test rows stay untouched, as they should.
"""

from __future__ import annotations

from typing import Any

Array = Any  # a NumPy array; NumPy itself is imported only when a function runs

__all__ = [
    "forward_ours",
    "forward_sklearn",
    "grid_ours",
    "grid_sklearn",
    "group_folds_ours",
    "group_folds_sklearn",
    "nested_ours",
    "nested_sklearn",
    "paired_ours",
    "paired_sklearn",
    "seeds_ours",
    "seeds_sklearn",
]

N_FOLDS = 5
SCANS = 3  # copies of each row in the grouped example, like three scans of one patient
SEEDS = [0, 1, 2, 3, 4, 5]
NEIGHBOURS = [1, 3, 5, 9, 15, 25, 45]  # the grid of the tuning card (k of k-nearest neighbours)
ALPHAS = [0.001, 0.01, 0.1, 1.0, 10.0]  # the grid of the nested card (ridge's penalty)


def _accuracies(name: str, scores: Array) -> dict[str, float]:
    return {f"{name}, fold {i}": float(s) for i, s in enumerate(scores, start=1)}


# --- grouped rows -------------------------------------------------------------------------------


def _scans(X_train: Array) -> tuple[Array, Array]:
    """Each training row three times with a little noise (three scans of one mass), and the
    group (the mass) of each copy. The copies of a mass sit far apart in the file, so plain
    unshuffled k-fold puts a mass's scans on both sides."""
    import numpy as np

    rng = np.random.default_rng(0)
    X = np.asarray(X_train, dtype=float)
    copies = np.concatenate([X + 0.1 * rng.standard_normal(X.shape) for _ in range(SCANS)])
    return copies, np.tile(np.arange(len(X)), SCANS)


def _one_neighbour() -> Any:
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier(n_neighbors=1)


def group_folds_ours(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """Group folds and plain folds of a 1-neighbour classifier on the scans, by hand."""
    import numpy as np

    from invert.scratch.splits import group_kfold_indices, scores_on_splits
    from invert.scratch.validation import kfold_indices

    X, groups = _scans(X_train)
    y = np.tile(np.asarray(y_train), SCANS)
    grouped = scores_on_splits(_one_neighbour(), X, y, group_kfold_indices(groups, N_FOLDS))
    plain = scores_on_splits(_one_neighbour(), X, y, kfold_indices(len(y), N_FOLDS))
    return {
        **_accuracies("accuracy, grouped", grouped),
        "mean accuracy, grouped folds": float(np.mean(grouped)),
        "mean accuracy, plain folds (scans split up)": float(np.mean(plain)),
    }


def group_folds_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with `GroupKFold` and `KFold` in `cross_val_score`."""
    import numpy as np
    from sklearn.model_selection import GroupKFold, KFold, cross_val_score

    X, groups = _scans(X_train)
    y = np.tile(np.asarray(y_train), SCANS)
    grouped = cross_val_score(_one_neighbour(), X, y, groups=groups, cv=GroupKFold(N_FOLDS))
    plain = cross_val_score(_one_neighbour(), X, y, cv=KFold(N_FOLDS))
    return {
        **_accuracies("accuracy, grouped", grouped),
        "mean accuracy, grouped folds": float(np.mean(grouped)),
        "mean accuracy, plain folds (scans split up)": float(np.mean(plain)),
    }


# --- time order ---------------------------------------------------------------------------------


def _forward_summary(splits: list[tuple[Array, Array]], scores: Array) -> dict[str, float]:
    result: dict[str, float] = {}
    for i, ((train, test), score) in enumerate(zip(splits, scores, strict=True), start=1):
        result[f"split {i}: last training row"] = float(train[-1])
        result[f"split {i}: first test row"] = float(test[0])
        result[f"split {i}: R²"] = float(score)
    return result


def _ridge(alpha: float = 1.0) -> Any:
    from sklearn.linear_model import Ridge

    return Ridge(alpha=alpha)


def forward_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Forward-in-time splits of the training rows taken in file order, by hand."""
    from invert.scratch.splits import forward_indices, scores_on_splits

    splits = list(forward_indices(len(y_train), N_FOLDS))
    return _forward_summary(splits, scores_on_splits(_ridge(), X_train, y_train, splits))


def forward_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with `TimeSeriesSplit`."""
    from sklearn.model_selection import TimeSeriesSplit, cross_val_score

    splits = list(TimeSeriesSplit(N_FOLDS).split(X_train))
    return _forward_summary(splits, cross_val_score(_ridge(), X_train, y_train, cv=splits))


# --- seeds --------------------------------------------------------------------------------------


def _random_tree(seed: int) -> Any:
    """A tree that may split on only a random 5 of the 30 measurements at each node (the way a
    forest's trees choose), so the seed moves the model as well as the folds; cheap to fit."""
    from sklearn.tree import DecisionTreeClassifier

    return DecisionTreeClassifier(max_features=5, random_state=seed)


def _seed_summary(means: Array) -> dict[str, float]:
    import numpy as np

    result = {f"mean accuracy, seed {s}": float(m) for s, m in zip(SEEDS, means, strict=True)}
    result["largest minus smallest mean"] = float(np.max(means) - np.min(means))
    result["standard deviation over seeds"] = float(np.std(means, ddof=1))
    return result


def seeds_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """5-fold means of a randomised tree for six seeds (folds and tree), by hand."""
    from invert.scratch.comparison import seed_spread

    return _seed_summary(seed_spread(_random_tree, X_train, y_train, SEEDS, N_FOLDS))


def seeds_sklearn(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """The same with `KFold(shuffle=True, random_state=seed)` in `cross_val_score`."""
    import numpy as np
    from sklearn.model_selection import KFold, cross_val_score

    means = [
        np.mean(
            cross_val_score(
                _random_tree(s), X_train, y_train, cv=KFold(N_FOLDS, shuffle=True, random_state=s)
            )
        )
        for s in SEEDS
    ]
    return _seed_summary(np.array(means))


# --- two models on the same folds ---------------------------------------------------------------


def _pair() -> tuple[Any, Any]:
    """A logistic regression (A) and a linear support vector machine (B): close rivals."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    return LogisticRegression(max_iter=1000), LinearSVC(random_state=0)


def _pair_summary(
    a: Array, b: Array, mean: float, paired: float, corrected: float
) -> dict[str, float]:
    import numpy as np

    k = len(a)
    return {
        "mean accuracy A (logistic)": float(np.mean(a)),
        "mean accuracy B (linear SVM)": float(np.mean(b)),
        "standard error of A alone": float(np.std(a, ddof=1) / np.sqrt(k)),
        "standard error of B alone": float(np.std(b, ddof=1) / np.sqrt(k)),
        "mean difference A - B": mean,
        "standard error of the paired differences": paired,
        "corrected standard error (Nadeau-Bengio)": corrected,
    }


def _sizes(n: int) -> tuple[int, int]:
    """Training and test rows of one fold (the first, largest, when k does not divide n)."""
    test = -(-n // N_FOLDS)
    return n - test, test


def paired_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Both models on the same five folds; their differences fold by fold, by hand."""
    from invert.scratch.comparison import paired_difference
    from invert.scratch.validation import cross_val_scores

    model_a, model_b = _pair()
    a = cross_val_scores(model_a, X_train, y_train, N_FOLDS)
    b = cross_val_scores(model_b, X_train, y_train, N_FOLDS)
    return _pair_summary(a, b, *paired_difference(a, b, *_sizes(len(y_train))))


def paired_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same folds with `cross_val_score`; the paired standard error from SciPy's `ttest_rel`."""
    import numpy as np
    from scipy.stats import ttest_rel  # type: ignore[import-untyped]
    from sklearn.model_selection import KFold, cross_val_score

    model_a, model_b = _pair()
    a = cross_val_score(model_a, X_train, y_train, cv=KFold(N_FOLDS))
    b = cross_val_score(model_b, X_train, y_train, cv=KFold(N_FOLDS))
    mean = float(np.mean(a) - np.mean(b))
    paired = mean / float(ttest_rel(a, b).statistic)  # t = mean difference / its standard error
    n_train, n_test = _sizes(len(y_train))
    corrected = paired * float(np.sqrt((1 / N_FOLDS + n_test / n_train) * N_FOLDS))
    return _pair_summary(a, b, mean, paired, corrected)


# --- searching a grid, and judging the search ---------------------------------------------------


def _neighbours() -> Any:
    from sklearn.neighbors import KNeighborsClassifier

    return KNeighborsClassifier()


def _grid_summary(best: int, means: Array, test: float) -> dict[str, float]:
    result = {
        f"mean fold accuracy, k = {k}": float(m) for k, m in zip(NEIGHBOURS, means, strict=True)
    }
    result["chosen k"] = float(best)
    result["best mean fold accuracy"] = float(max(means))
    result["test accuracy of the refitted winner"] = test
    return result


def grid_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """Every k scored by 5-fold CV on the training rows, the winner refitted, by hand."""
    from invert.scratch.search import grid_search

    grid = {"n_neighbors": NEIGHBOURS}
    best, means, model = grid_search(_neighbours(), grid, X_train, y_train, N_FOLDS)
    return _grid_summary(best["n_neighbors"], means, float(model.score(X_test, y_test)))


def grid_sklearn(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """The same with `GridSearchCV`: `best_params_`, `cv_results_`, and the refitted model."""
    from sklearn.model_selection import GridSearchCV, KFold

    search = GridSearchCV(_neighbours(), {"n_neighbors": NEIGHBOURS}, cv=KFold(N_FOLDS))
    search.fit(X_train, y_train)
    means = search.cv_results_["mean_test_score"]
    return _grid_summary(
        search.best_params_["n_neighbors"], means, float(search.score(X_test, y_test))
    )


def _nested_summary(outer: Array, flattered: float) -> dict[str, float]:
    import numpy as np

    result = {f"outer fold {i}: R² of the chosen model": float(s) for i, s in enumerate(outer, 1)}
    result["nested estimate (mean of the outer folds)"] = float(np.mean(outer))
    result["best mean of one search on all training rows"] = flattered
    return result


def nested_ours(X_train: Array, X_test: Array, y_train: Array, y_test: Array) -> dict[str, float]:
    """A ridge penalty chosen by 3-fold CV inside each of 5 outer folds, by hand."""
    from invert.scratch.search import grid_search, nested_cv_scores

    grid = {"alpha": ALPHAS}
    outer = nested_cv_scores(_ridge(), grid, X_train, y_train, N_FOLDS, 3)
    _, means, _ = grid_search(_ridge(), grid, X_train, y_train, N_FOLDS)
    return _nested_summary(outer, float(max(means)))


def nested_sklearn(
    X_train: Array, X_test: Array, y_train: Array, y_test: Array
) -> dict[str, float]:
    """The same with `cross_val_score(GridSearchCV(...))`, and one search's `best_score_`."""
    from sklearn.model_selection import GridSearchCV, KFold, cross_val_score

    grid = {"alpha": ALPHAS}
    inner = GridSearchCV(_ridge(), grid, cv=KFold(3))
    outer = cross_val_score(inner, X_train, y_train, cv=KFold(N_FOLDS))
    search = GridSearchCV(_ridge(), grid, cv=KFold(N_FOLDS)).fit(X_train, y_train)
    return _nested_summary(outer, float(search.best_score_))
