"""Step 6: improve the best two.

Step 5 tried each family with its default settings. Here the two best get a small grid search:
every combination of a few values of the settings that matter most for that kind of model,
scored with the same folds. The winner is the combination with the best mean; compared with the
defaults fold by fold, if its mean gain is within twice that gain's standard error, the defaults
were about as good.

Run it:  python step6_improve.py   (or: invert project run --step 6)
"""

from __future__ import annotations

import time
from typing import Any

from sklearn.model_selection import GridSearchCV, ParameterGrid
from step1_define import (
    JOBS,
    METRIC,
    METRIC_LABEL,
    folds,
    load_data,
    load_result,
    paired_gap,
    save_result,
    search_rows,
    shown,
    split,
)
from step3_prepare import PARAM_PREFIX, full_pipeline
from step5_spot_check import make_models

# The settings that matter most for each model, and a few values of each to try.
GRIDS: dict[str, dict[str, list[Any]] | list[dict[str, list[Any]]]] = {
    "LogisticRegression": {"C": [0.01, 0.1, 1.0, 10.0, 100.0]},
    "LinearDiscriminantAnalysis": [
        {"solver": ["svd"]},
        {"solver": ["lsqr"], "shrinkage": ["auto", 0.1, 0.5]},
    ],
    "GaussianNB": {"var_smoothing": [1e-9, 1e-6, 1e-3, 1e-1]},
    "KNeighborsClassifier": {"n_neighbors": [5, 15, 45], "weights": ["uniform", "distance"]},
    "KNeighborsRegressor": {"n_neighbors": [5, 15, 45], "weights": ["uniform", "distance"]},
    "DecisionTreeClassifier": {"max_depth": [3, 6, None], "min_samples_leaf": [1, 10]},
    "DecisionTreeRegressor": {"max_depth": [3, 6, None], "min_samples_leaf": [1, 10]},
    "SVC": {"C": [0.3, 1.0, 3.0, 10.0], "gamma": ["scale", 0.01]},
    "SVR": {"C": [0.3, 1.0, 3.0, 10.0], "epsilon": [0.05, 0.2]},
    "MLPClassifier": {"hidden_layer_sizes": [(50,), (100,)], "alpha": [1e-4, 1e-2, 1.0]},
    "MLPRegressor": {"hidden_layer_sizes": [(50,), (100,)], "alpha": [1e-4, 1e-2, 1.0]},
    "RandomForestClassifier": {"max_features": ["sqrt", 0.5], "min_samples_leaf": [1, 5]},
    "RandomForestRegressor": {"max_features": ["sqrt", 0.33], "min_samples_leaf": [1, 5]},
    "HistGradientBoostingClassifier": {
        "learning_rate": [0.03, 0.1, 0.3],
        "max_leaf_nodes": [15, 31],
    },
    "HistGradientBoostingRegressor": {
        "learning_rate": [0.03, 0.1, 0.3],
        "max_leaf_nodes": [15, 31],
    },
    "Ridge": {"alpha": [0.01, 0.1, 1.0, 10.0, 100.0]},
    "Lasso": {"alpha": [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]},
}


def prefixed(grid: dict[str, list[Any]] | list[dict[str, list[Any]]]) -> list[dict[str, list[Any]]]:
    """The grid with each setting's full name inside the pipeline (model__C, ...)."""
    grids = grid if isinstance(grid, list) else [grid]
    return [{PARAM_PREFIX + key: values for key, values in g.items()} for g in grids]


if __name__ == "__main__":
    X, y = load_data()
    X_train, _, y_train, _ = split(X, y)
    X_search, y_search = search_rows(X_train, y_train)
    spot = [r for r in load_result(5)["results"] if "scores" in r]
    models = make_models()
    improved = []
    best_two = spot[:2]
    cv_folds = folds(X_search, y_search)  # the folds of step 5: the same rows in each
    for rank, default in enumerate(best_two, start=1):
        name = default["name"]
        grid = prefixed(GRIDS.get(name, {}))
        search = GridSearchCV(
            full_pipeline(models[name][1], X_search),
            grid,
            cv=cv_folds,
            scoring=METRIC,
            n_jobs=JOBS,
        )
        n = len(ParameterGrid(grid))
        start = time.perf_counter()
        print(f"[{rank}/{len(best_two)}] {name}: {n} combinations x {len(cv_folds)} folds")
        search.fit(X_search, y_search)
        i = search.best_index_
        mean, std = (
            search.cv_results_["mean_test_score"][i],
            search.cv_results_["std_test_score"][i],
        )
        params = {
            key.removeprefix(PARAM_PREFIX): value for key, value in search.best_params_.items()
        }
        folds_best = [search.cv_results_[f"split{j}_test_score"][i] for j in range(len(cv_folds))]
        gain, error = paired_gap(folds_best, default["scores"])
        print(f"  defaults: {shown(default['mean']):.4f} ± {default['std']:.4f}")
        print(f"  best:     {shown(mean):.4f} ± {std:.4f} with {params}")
        if gain <= 2 * error:
            print(
                "  fold by fold, the gain is within twice its standard error: the defaults "
                "were about as good"
            )
        improved.append(
            {
                "name": name,
                "params": params,
                "mean": float(mean),
                "std": float(std),
                "default_mean": default["mean"],
                "default_std": default["std"],
                "gain": gain,
                "gain_standard_error": error,
                "combinations": n,
                "wall_seconds": time.perf_counter() - start,
                "grid": [
                    {
                        key.removeprefix(PARAM_PREFIX): [str(v) for v in values]
                        for key, values in g.items()
                    }
                    for g in grid
                ],
            }
        )
    best = max(improved, key=lambda r: r["mean"])
    print(
        f"\nchosen for step 7: {best['name']} {best['params']} "
        f"({METRIC_LABEL} {shown(best['mean']):.4f})"
    )
    save_result(6, {"metric": METRIC, "results": improved, "chosen": best["name"]})
