"""The engine against the loop a learner would write, and how long each experiment takes.

(a) invert's engine (run_sweep, --jobs 1, no cache) and (b) the plain scikit-learn loop, with the
same splits and one BLAS thread each, interleaved, medians of 5 rounds. Then the wall time of a
cached `invert try --json`, and of every declared experiment at its defaults (fresh lab, default
--jobs, plots included): the learner's wait.
Targets: (a)/(b) at most 1.05; cached try at most 0.3 s; every experiment within 10 s.
Run: .venv/bin/python bench/experiments.py [--record]
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import INVERT, interleaved, record, table


def engine_sweep(experiment_id: str, **changes: object) -> float:
    from invert.catalog.loader import load_catalog
    from invert.engine.plan import plan_sweep
    from invert.engine.sweep import run_sweep

    catalog = load_catalog()
    experiment = dataclasses.replace(catalog.experiments[experiment_id], **changes)  # type: ignore[arg-type]
    start = time.perf_counter()
    run_sweep(catalog, plan_sweep(experiment), "bench", jobs=1)
    return time.perf_counter() - start


def plain_forest() -> float:
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate

    from invert.catalog.loader import load_catalog

    experiment = load_catalog().experiments["forest-n-estimators"]
    ev = experiment.evaluation
    start = time.perf_counter()
    X, y = load_breast_cancer(return_X_y=True)
    cv = RepeatedStratifiedKFold(n_splits=ev.folds, n_repeats=ev.repeats, random_state=ev.seed)
    for n in experiment.knob.values:
        model = RandomForestClassifier(n_estimators=int(n), random_state=ev.seed)
        cross_validate(model, X, y, cv=cv, return_train_score=True)
    return time.perf_counter() - start


def plain_tree() -> float:
    import pandas as pd
    from sklearn.compose import make_column_selector, make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder
    from sklearn.tree import DecisionTreeClassifier

    from invert.catalog.loader import CONTENT_DIR, load_catalog

    experiment = load_catalog().experiments["tree-max-depth"]
    ev = experiment.evaluation
    start = time.perf_counter()
    frame = pd.read_csv(CONTENT_DIR / "data" / "titanic3.csv", na_values="?")
    X, y = frame[list(experiment.columns)], frame["survived"]
    prepare = make_column_transformer(
        (SimpleImputer(strategy="median"), make_column_selector(dtype_include="number")),
        (
            make_pipeline(
                SimpleImputer(strategy="constant", fill_value="missing"),
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
            ),
            make_column_selector(dtype_exclude="number"),
        ),
    )
    cv = RepeatedStratifiedKFold(n_splits=ev.folds, n_repeats=ev.repeats, random_state=ev.seed)
    for depth in experiment.knob.values:
        model = make_pipeline(
            prepare, DecisionTreeClassifier(max_depth=depth, random_state=ev.seed)
        )
        cross_validate(model, X, y, cv=cv, return_train_score=True)
    return time.perf_counter() - start


C_VALUES = [1e-3, 1e-2, 0.1, 1, 10]


def plain_logreg_digits() -> float:
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import RepeatedStratifiedKFold, cross_validate
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    start = time.perf_counter()
    X, y = load_digits(return_X_y=True)
    cv = RepeatedStratifiedKFold(n_splits=5, n_repeats=1, random_state=0)
    for c in C_VALUES:
        model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000))
        cross_validate(model, X, y, cv=cv, return_train_score=True)
    return time.perf_counter() - start


def engine_logreg_digits() -> float:
    from invert.catalog.loader import load_catalog

    base = load_catalog().experiments["regularisation-strength"]
    knob = dataclasses.replace(base.knob, values=tuple(C_VALUES))
    evaluation = dataclasses.replace(
        base.evaluation, folds=5, repeats=1, seed=0, metric="accuracy", also=()
    )
    return engine_sweep(
        "regularisation-strength",
        dataset="digits",
        estimator="sklearn.linear_model.LogisticRegression",
        params={"max_iter": 2000},
        preprocess="none",
        scale=True,
        knob=knob,
        evaluation=evaluation,
        sample=None,
        columns=(),
        settings={},
    )


def invert_try(lab: Path, experiment: str, expect: str) -> tuple[float, dict]:  # type: ignore[type-arg]
    start = time.perf_counter()
    done = subprocess.run(
        [INVERT, "try", experiment, "--predict", expect, "--confidence", "0.7", "--json"],
        cwd=lab,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, json.loads(done.stdout)


def one_thread(function: Callable[[], float]) -> Callable[[], float]:
    """Run with one BLAS thread. threadpoolctl reaches only loaded libraries: warm up first."""

    def limited() -> float:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return function()

    return limited


def main() -> None:
    from invert.catalog.loader import load_catalog

    rounds = 5
    sections = []
    sweeps: list[tuple[str, Callable[[], float], Callable[[], float]]] = [
        (
            "n_estimators, breast cancer, 5-fold CV",
            lambda: engine_sweep("forest-n-estimators"),
            plain_forest,
        ),
        ("max_depth, Titanic", lambda: engine_sweep("tree-max-depth"), plain_tree),
        ("C of logistic regression, digits", engine_logreg_digits, plain_logreg_digits),
    ]
    for name, engine, plain in sweeps:
        engine(), plain()  # warm-up: load every library before limiting its threads
        times = interleaved(
            rounds,
            {
                "plain loop, 1 BLAS thread": one_thread(plain),
                "invert engine, --jobs 1": engine,
                "plain loop, default BLAS threads": plain,
            },
        )
        ratio = statistics.median(times["invert engine, --jobs 1"]) / statistics.median(
            times["plain loop, 1 BLAS thread"]
        )
        sections.append(
            f"**{name}**: engine / plain loop (both one BLAS thread) = {ratio:.3f}\n\n"
            + table(times, "plain loop, 1 BLAS thread")
        )
    catalog = load_catalog()
    rows = [
        "| experiment | default sweep, fresh lab (s) | cached re-run (s) | measured shape |",
        "|---|---|---|---|",
    ]
    cached_times = []
    with tempfile.TemporaryDirectory() as tmp:
        for experiment in catalog.ordered_experiments():
            lab = Path(tmp) / experiment.id
            subprocess.run([INVERT, "start", str(lab)], capture_output=True, check=True)
            fresh, document = invert_try(lab, experiment.id, experiment.expect_shape)
            again = [invert_try(lab, experiment.id, experiment.expect_shape)[0] for _ in range(3)]
            cached_times += again
            rows.append(
                f"| {experiment.id} | {fresh:.2f} | {statistics.median(again):.3f} | "
                f"{document['result']['shape']['test']} |"
            )
            shutil.rmtree(lab)
    slowest = max(float(r.split("|")[2]) for r in rows[2:])
    body = (
        "\n\n".join(sections)
        + "\n\n"
        + "\n".join(rows)
        + (
            f"\n\nSlowest default sweep {slowest:.2f} s (target 10 s); cached `invert try --json` "
            f"median {statistics.median(cached_times):.3f} s (target 0.3 s)."
        )
    )
    record("experiments", ".venv/bin/python bench/experiments.py --record", body)


if __name__ == "__main__":
    main()
