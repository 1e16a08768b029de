"""The spot-check as the learner waits: `invert project run --step 5` against the plain script.

On titanic (1047 training rows, 9 model families, 5-fold CV, all cores), three ways side by
side: invert's run (warnings, the step in a child process, recording, the report), the step
script alone (`python step5_spot_check.py`), and the plain scikit-learn loop a learner would
write (the same preparation, models and folds, `cross_val_score` for each).
Target: invert at most 1.3x the plain loop. Run: .venv/bin/python bench/project.py [--record]
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from _common import INVERT, PYTHON, interleaved, record, table, time_command

RUNS = 3
DATA = Path(__file__).resolve().parent.parent / "src" / "invert" / "content" / "data"
PLAIN = """
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

frame = pd.read_csv("DATA", na_values=["?"])
X, y = frame.drop(columns=["survived", "boat", "name"]), frame["survived"]
text = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
numeric = [c for c in X.columns if c not in text]
X[text] = X[text].astype(object)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
prepare = ColumnTransformer([
    ("n", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
    ("t", make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing"),
        OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=20, sparse_output=False),
    ), text),
])
models = [LogisticRegression(max_iter=2000), LinearDiscriminantAnalysis(), GaussianNB(),
    KNeighborsClassifier(), DecisionTreeClassifier(random_state=0), SVC(random_state=0),
    MLPClassifier(hidden_layer_sizes=(50,), tol=1e-3, max_iter=300, random_state=0),
    RandomForestClassifier(random_state=0), HistGradientBoostingClassifier(random_state=0)]
folds = StratifiedKFold(5, shuffle=True, random_state=0)
for model in models:
    scores = cross_val_score(make_pipeline(prepare, model), X_train, y_train, cv=folds, n_jobs=-1)
    print(type(model).__name__, round(scores.mean(), 4), round(scores.std(), 4))
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        lab = base / "lab"
        time_command([INVERT, "start", str(lab)], cwd=base)
        time_command(
            [
                INVERT,
                "project",
                "new",
                str(DATA / "titanic3.csv"),
                "--target",
                "survived",
                "--name",
                "titanic",
            ],
            cwd=lab,
        )
        time_command([INVERT, "project", "run", "titanic", "--step", "4"], cwd=lab)
        plain = base / "plain.py"
        plain.write_text(PLAIN.replace("DATA", str(DATA / "titanic3.csv")))
        folder = lab / "projects" / "titanic"
        times = interleaved(
            RUNS,
            {
                "plain cross_val_score loop": lambda: time_command([PYTHON, str(plain)], cwd=base),
                "python step5_spot_check.py": lambda: time_command(
                    [PYTHON, "step5_spot_check.py"], cwd=folder
                ),
                "invert project run --step 5": lambda: time_command(
                    [INVERT, "project", "run", "titanic", "--step", "5"], cwd=lab
                ),
            },
        )
    baseline = "plain cross_val_score loop"
    ratio = statistics.median(times["invert project run --step 5"]) / statistics.median(
        times[baseline]
    )
    verdict = "meets" if ratio <= 1.3 else "MISSES"
    body = table(times, baseline) + (
        f"\n\n`invert project run --step 5` is {ratio:.2f}x the plain loop: {verdict} the 1.3x "
        "target. The difference is invert's own work: the leakage checks before modelling, the "
        "step's child process, recording the results and writing the report."
    )
    record("project", ".venv/bin/python bench/project.py --record", body)


if __name__ == "__main__":
    main()
