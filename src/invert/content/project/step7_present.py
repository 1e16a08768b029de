"""Step 7: present the result.

The model chosen in step 6 is fitted once on all the training rows and scored once on the test
rows held out since step 1. That score is the honest estimate of how it will do on new data:
nothing was chosen by looking at these rows. The baseline is scored on the same rows, for scale.
Permutation importance then asks which columns the model leans on: shuffle one column of the test
rows and see how much the score drops.

Run it:  python step7_present.py   (or: invert project run --step 7, which also writes the report)
"""

from __future__ import annotations

import joblib
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.inspection import permutation_importance
from sklearn.metrics import ConfusionMatrixDisplay, get_scorer
from step1_define import (
    HERE,
    JOBS,
    METRIC,
    METRIC_LABEL,
    SEED,
    TASK,
    load_data,
    load_result,
    plot_file,
    save_result,
    shown,
    split,
)
from step3_prepare import full_pipeline
from step5_spot_check import make_models

TOP_COLUMNS = 10
IMPORTANCE_ROWS = 2000  # shuffling columns of more test rows than this changes little, slowly

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
            "train_rows": len(X_train),
            "test_rows": len(X_test),
            "importance": top,
            "importance_rows": rows,
            "plots": plots,
        },
    )
