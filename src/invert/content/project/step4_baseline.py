"""Step 4: a baseline that learns nothing.

Always predicting the most frequent class (or the mean of the target) scores something. Every
model in step 5 must beat this, on the same folds and by more than luck, before it is worth
anything.

Run it:  python step4_baseline.py   (or: invert project run --step 4)
"""

from __future__ import annotations

from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.model_selection import cross_validate
from step1_define import (
    JOBS,
    METRIC,
    METRIC_LABEL,
    TASK,
    folds,
    load_data,
    save_result,
    search_rows,
    shown,
    split,
)
from step3_prepare import full_pipeline

if __name__ == "__main__":
    X, y = load_data()
    X_train, _, y_train, _ = split(X, y)
    X_search, y_search = search_rows(X_train, y_train)
    if TASK == "classification":
        dummy, what = DummyClassifier(strategy="most_frequent"), "always the most frequent class"
    else:
        dummy, what = DummyRegressor(strategy="mean"), "always the mean of the target"
    scores = cross_validate(
        full_pipeline(dummy, X_search),
        X_search,
        y_search,
        cv=folds(X_search, y_search),
        scoring=METRIC,
        n_jobs=JOBS,
    )["test_score"]
    print(f"BASELINE ({what})")
    print(f"  {METRIC_LABEL}: {shown(scores.mean()):.4f} ± {scores.std():.4f} across folds")
    print("  a model that does not beat this has learned nothing useful")
    save_result(
        4,
        {
            "model": type(dummy).__name__,
            "what": what,
            "scores": scores.tolist(),
            "mean": float(scores.mean()),
            "std": float(scores.std()),
        },
    )
