"""Step 5: spot-check model families.

Which kind of model suits this data is hard to tell in advance, so try one of each family with
its default settings, all on the same folds, and keep the score of every fold: the mean says
how good a model is, the spread across folds how much that mean can be trusted. Two models are
compared fold by fold (their differences share each fold's luck): the best is clearly ahead of
another only when its mean gain is more than twice that gain's standard error.

Run it:  python step5_spot_check.py   (or: invert project run --step 5)
"""

from __future__ import annotations

import time
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import Lasso, LogisticRegression, Ridge
from sklearn.model_selection import cross_validate
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from step1_define import (
    HERE,
    JOBS,
    METRIC,
    METRIC_LABEL,
    SEED,
    TASK,
    folds,
    load_data,
    load_result,
    paired_gap,
    plot_file,
    save_result,
    search_rows,
    shown,
    split,
)
from step3_prepare import full_pipeline


def make_models() -> dict[str, tuple[str, Any]]:
    """Each model by name, with its family; default settings, seeded where there is chance.

    Two departures from the defaults: the linear models may take more iterations to converge,
    and the neural network stops once its training loss improves by less than 0.001 for ten
    epochs (trained to the end it overfits and takes many times longer).
    """
    if TASK == "classification":
        return {
            "LogisticRegression": ("linear", LogisticRegression(max_iter=2000)),
            "LinearDiscriminantAnalysis": ("discriminant analysis", LinearDiscriminantAnalysis()),
            "GaussianNB": ("naive Bayes", GaussianNB()),
            "KNeighborsClassifier": ("nearest neighbours", KNeighborsClassifier()),
            "DecisionTreeClassifier": ("tree", DecisionTreeClassifier(random_state=SEED)),
            "SVC": ("kernel SVM", SVC(random_state=SEED)),
            "MLPClassifier": (
                "neural network",
                MLPClassifier(hidden_layer_sizes=(50,), tol=1e-3, max_iter=300, random_state=SEED),
            ),
            "RandomForestClassifier": (
                "bagged trees",
                RandomForestClassifier(random_state=SEED),
            ),
            "HistGradientBoostingClassifier": (
                "boosted trees",
                HistGradientBoostingClassifier(random_state=SEED),
            ),
        }
    return {
        "Ridge": ("linear, L2 penalty", Ridge()),
        "Lasso": ("linear, L1 penalty (sparse)", Lasso(alpha=0.01, max_iter=10_000)),
        "KNeighborsRegressor": ("nearest neighbours", KNeighborsRegressor()),
        "DecisionTreeRegressor": ("tree", DecisionTreeRegressor(random_state=SEED)),
        "SVR": ("kernel SVM", SVR()),
        "MLPRegressor": (
            "neural network",
            MLPRegressor(hidden_layer_sizes=(50,), tol=1e-3, max_iter=300, random_state=SEED),
        ),
        "RandomForestRegressor": ("bagged trees", RandomForestRegressor(random_state=SEED)),
        "HistGradientBoostingRegressor": (
            "boosted trees",
            HistGradientBoostingRegressor(random_state=SEED),
        ),
    }


def plot_scores(results: list[dict[str, Any]], baseline: float | None, path: str) -> None:
    """One box per model: the spread of its fold scores, best model on top."""
    ordered = [r for r in reversed(results) if "scores" in r]
    fig, ax = plt.subplots(figsize=(7, 0.8 + 0.45 * len(ordered)))
    ax.boxplot(
        [[shown(s) for s in r["scores"]] for r in ordered],
        orientation="horizontal",
        tick_labels=[r["name"] for r in ordered],
    )
    if baseline is not None:
        ax.axvline(shown(baseline), color="#c44e52", linestyle="--", label="baseline (step 4)")
        ax.legend(loc="best", fontsize=8)
    ax.set_xlabel(f"{METRIC_LABEL}, one point per fold")
    ax.set_title("Spot-check: every model on the same folds")
    fig.tight_layout()
    fig.savefig(HERE / path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    X, y = load_data()
    X_train, _, y_train, _ = split(X, y)
    X_search, y_search = search_rows(X_train, y_train)
    models = make_models()
    cv_folds = folds(X_search, y_search)  # the same folds for every model
    k = len(cv_folds)
    print(f"SPOT-CHECK: {len(models)} models, {k}-fold cross-validation on {len(X_search)} rows")
    results = []
    for i, (name, (family, model)) in enumerate(models.items(), start=1):
        start = time.perf_counter()
        try:
            cv = cross_validate(
                full_pipeline(model, X_search),
                X_search,
                y_search,
                cv=cv_folds,
                scoring=METRIC,
                n_jobs=JOBS,
                error_score="raise",
            )
        except Exception as error:  # one model failing on this data should not stop the rest
            print(f"  [{i}/{len(models)}] {name}: failed ({type(error).__name__}: {error})")
            results.append({"name": name, "family": family, "error": str(error)})
            continue
        scores = cv["test_score"]
        seconds = time.perf_counter() - start
        print(
            f"  [{i}/{len(models)}] {name:<31} {shown(scores.mean()):.4f} ± {scores.std():.4f}"
            f"  (fit {cv['fit_time'].mean():.2f} s per fold)"
        )
        results.append(
            {
                "name": name,
                "family": family,
                "scores": scores.tolist(),
                "mean": float(scores.mean()),
                "std": float(scores.std()),
                "fit_seconds": float(cv["fit_time"].mean()),
                "wall_seconds": seconds,
            }
        )
    results.sort(key=lambda r: r.get("mean", float("-inf")), reverse=True)
    ranked = [r for r in results if "scores" in r]
    if not ranked:
        raise SystemExit("every model failed on this data; see the errors above")
    baseline = load_result(4)["mean"] if (HERE / "results" / "step4.json").is_file() else None
    plot_scores(results, baseline, plot_file("spot_check.png"))
    best = ranked[0]
    print(f"\nbest: {best['name']} at {shown(best['mean']):.4f} ± {best['std']:.4f}")
    close = []
    for other in ranked[1:]:
        gain, error = paired_gap(best["scores"], other["scores"])
        other["behind"] = {"gain": gain, "standard_error": error}
        if gain <= 2 * error:
            close.append(other["name"])
    if close:
        print(
            "  not clearly behind it (fold by fold, the gap is within twice its standard "
            f"error): {', '.join(close)}"
        )
    save_result(
        5,
        {
            "metric": METRIC,
            "folds": k,
            "rows": len(X_search),
            "results": results,
            "plots": {"spot_check": "plots/spot_check.png"},
        },
    )
