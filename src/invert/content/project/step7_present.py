"""Step 7: present the result.

The model chosen in step 6 is fitted once on all the training rows and scored once on the test
rows held out since step 1. That score is the honest estimate of how it will do on new data:
nothing was chosen by looking at these rows. The baseline is scored on the same rows, for scale.
Permutation importance then asks which columns the model leans on: shuffle one column of the test
rows and see how much the score drops.

Two checks on the estimate. When rows belong together (split by group) or come in time order,
the same model is also cross-validated on a random split of the same rows: if the random split
scores far better, that is what a careless split would have claimed. And a test score far above
cross-validation (more than twice the folds' spread) is a warning too: a leak through the split,
or luck with few test rows.

Run it:  python step7_present.py   (or: invert project run --step 7, which also writes the report)
"""

from __future__ import annotations

from typing import Any

import joblib
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.inspection import permutation_importance
from sklearn.metrics import ConfusionMatrixDisplay, get_scorer
from sklearn.model_selection import cross_validate
from step1_define import (
    GROUP,
    HERE,
    JOBS,
    METRIC,
    METRIC_LABEL,
    SEED,
    SPLIT,
    TASK,
    TIME,
    folds,
    load_data,
    load_result,
    plot_file,
    save_result,
    search_rows,
    shown,
    split,
    split_label,
    split_record,
)
from step3_prepare import full_pipeline
from step5_spot_check import make_models

TOP_COLUMNS = 10
IMPORTANCE_ROWS = 2000  # shuffling columns of more test rows than this changes little, slowly


def cv_scores(model: Any, X: Any, y: Any, kind: str) -> dict[str, Any]:
    """The model's fold scores on rows X under a split of this kind, with their mean and std."""
    scores = cross_validate(
        full_pipeline(model, X), X, y, cv=folds(X, y, kind), scoring=METRIC, n_jobs=JOBS
    )["test_score"]
    return {
        "split": kind,
        "scores": scores.tolist(),
        "mean": float(scores.mean()),
        "std": float(scores.std()),
    }


def naive_against_honest(model: Any, X_search: Any, y_search: Any) -> dict[str, Any] | None:
    """The model under a random split beside the split that keeps groups or time apart.

    Computed when the project splits by group or time, and when the learner set split =
    "random" but left a group or time column in project.toml (the audit's suggestion): then the
    honest split is the one turned off. None when there is nothing to compare.
    """
    if SPLIT != "random":
        honest = SPLIT
    elif GROUP:
        honest = "group"
    elif TIME:
        honest = "time"
    else:
        return None
    naive = cv_scores(model, X_search, y_search, "random")
    kept = cv_scores(model, X_search, y_search, honest)
    gap = naive["mean"] - kept["mean"]  # higher is better: a positive gap flatters the naive
    pick = naive_pick(X_search, y_search)
    return {
        "used": SPLIT,
        "naive": naive,
        "honest": kept,
        "differ": bool(abs(gap) > naive["std"] + kept["std"]),
        "naive_pick": pick,
        "pick_differs": bool(pick["mean"] - kept["mean"] > pick["std"] + kept["std"]),
    }


def naive_pick(X_search: Any, y_search: Any) -> dict[str, Any]:
    """The model a random split would have picked among step 5's families (default settings),
    with its score there: what a workflow blind to the groups or the time would have reported.
    A model that can memorise a group (a forest, nearest neighbours) wins there, and loses on
    groups it has never seen."""
    best: dict[str, Any] = {}
    for name, (_family, model) in make_models().items():
        try:
            row = cv_scores(model, X_search, y_search, "random")
        except Exception:  # a family failing on this data is left out, as in step 5
            continue
        if not best or row["mean"] > best["mean"]:
            best = {"name": name, **row}
    return best


def compare_test_with_cv(
    test_score: float, cv_mean: float, cv_std: float, rows: int
) -> dict[str, Any]:
    """Whether the test score beats cross-validation by more than twice the folds' spread."""
    beats = bool(test_score - cv_mean > 2 * cv_std)
    note = (
        f"the test score beats cross-validation by more than twice the folds' spread: a leak "
        f"through the split (rows that belong together or a later time on both sides), or luck "
        f"with {rows} test rows"
        if beats
        else "the test score is within twice the folds' spread of cross-validation, or below it"
    )
    return {"beats": beats, "note": note}


if __name__ == "__main__":
    X, y = load_data()
    X_train, X_test, y_train, y_test = split(X, y)
    improved = load_result(6)
    chosen = next(r for r in improved["results"] if r["name"] == improved["chosen"])
    model = make_models()[chosen["name"]][1].set_params(**chosen["params"])
    print(f"fitting {chosen['name']} on all {len(X_train)} training rows", flush=True)
    final = full_pipeline(model, X_train).fit(X_train, y_train)
    scorer = get_scorer(METRIC)
    test_score = scorer(final, X_test, y_test)
    dummy = DummyClassifier() if TASK == "classification" else DummyRegressor()
    baseline = scorer(full_pipeline(dummy, X_train).fit(X_train, y_train), X_test, y_test)
    print(f"THE MODEL: {chosen['name']} {chosen['params']}")
    print(f"  fitted on {len(X_train)} training rows; scored once on {len(X_test)} held-out rows")
    print(f"  {METRIC_LABEL} on the test rows: {shown(test_score):.4f}")
    print(
        f"  cross-validation estimate (step 6): {shown(chosen['mean']):.4f} ± {chosen['std']:.4f}"
    )
    print(f"  baseline on the same rows: {shown(baseline):.4f}")
    print(f"  split: {split_label()}")
    versus = compare_test_with_cv(test_score, chosen["mean"], chosen["std"], len(X_test))
    if versus["beats"]:
        print(f"  warning: {versus['note']}")

    X_search, y_search = search_rows(X_train, y_train)
    compared = naive_against_honest(model, X_search, y_search)
    if compared is not None:
        naive, honest = compared["naive"], compared["honest"]
        print(f"\nTHE SAME MODEL, CROSS-VALIDATED TWO WAYS ON {len(X_search)} TRAINING ROWS")
        for row in (naive, honest):
            label = f"{row['split']} split:"
            print(f"  {label:<15} {shown(row['mean']):.4f} ± {row['std']:.4f}")
        pick = compared["naive_pick"]
        print(
            f"  a random split would have picked {pick['name']}: "
            f"{shown(pick['mean']):.4f} ± {pick['std']:.4f}"
        )
        if compared["differ"] and SPLIT == "random":
            print(
                f"  you chose a random split: the {honest['split']} split in project.toml "
                "(group or time) would score it differently; see split_reason"
            )
        elif compared["differ"] or compared["pick_differs"]:
            print("  a random split would have misjudged the result by more than the folds' spread")

    plots = {}
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    if TASK == "classification":
        ConfusionMatrixDisplay.from_estimator(final, X_test, y_test, ax=ax, colorbar=False)
        ax.set_title("Test rows: true class against predicted")
        plots["confusion"] = plot_file("confusion.png")
    else:
        predicted = final.predict(X_test)
        ax.scatter(y_test, predicted, s=8, alpha=0.5)
        low, high = min(y_test.min(), predicted.min()), max(y_test.max(), predicted.max())
        ax.plot([low, high], [low, high], color="#c44e52", linewidth=1, label="perfect")
        ax.set_xlabel("true")
        ax.set_ylabel("predicted")
        ax.legend(loc="best")
        ax.set_title("Test rows: predicted against true")
        plots["predicted"] = plot_file("predicted.png")
    fig.tight_layout()
    fig.savefig(HERE / next(iter(plots.values())), dpi=100)
    plt.close(fig)

    rows = min(len(X_test), IMPORTANCE_ROWS)
    print(f"\nshuffling each of {X_test.shape[1]} columns 5 times on {rows} test rows", flush=True)
    importance = permutation_importance(
        final,
        X_test,
        y_test,
        scoring=METRIC,
        n_repeats=5,
        random_state=SEED,
        n_jobs=JOBS,
        max_samples=rows,
    )
    order = importance.importances_mean.argsort()[::-1][:TOP_COLUMNS]
    top = [
        {
            "column": str(X_test.columns[i]),
            "mean": float(importance.importances_mean[i]),
            "std": float(importance.importances_std[i]),
        }
        for i in order
    ]
    print(f"\nCOLUMNS THE MODEL LEANS ON (drop in {METRIC_LABEL} when shuffled)")
    for row in top:
        print(f"  {row['column']:<30} {row['mean']:.4f} ± {row['std']:.4f}")
    fig, ax = plt.subplots(figsize=(6, 0.8 + 0.35 * len(top)))
    ax.barh(
        [r["column"] for r in reversed(top)],
        [r["mean"] for r in reversed(top)],
        xerr=[r["std"] for r in reversed(top)],
        color="#8172b3",
    )
    ax.set_xlabel(f"drop in {METRIC_LABEL} when the column is shuffled")
    ax.set_title("Permutation importance on the test rows")
    fig.tight_layout()
    plots["importance"] = plot_file("importance.png")
    fig.savefig(HERE / plots["importance"], dpi=100)
    plt.close(fig)

    joblib.dump(final, HERE / "model.joblib")
    print("\nsaved the fitted model to model.joblib (joblib.load it to predict new rows)")
    save_result(
        7,
        {
            "model": chosen["name"],
            "params": chosen["params"],
            "metric": METRIC,
            "test_score": float(test_score),
            "baseline_test_score": float(baseline),
            "cv_mean": chosen["mean"],
            "cv_std": chosen["std"],
            "split": split_record(),
            "naive_vs_honest": compared,
            "test_vs_cv": versus,
            "train_rows": len(X_train),
            "test_rows": len(X_test),
            "importance": top,
            "importance_rows": rows,
            "plots": plots,
        },
    )
