"""What the learner waits for in Phase 3, against the plain code they would write instead.

1. `invert learn nearest-neighbours --run` (our kNN beside scikit-learn's, on wine) against a plain
   script that fits scikit-learn's kNN on the same split and prints its accuracy.
2. `invert learn pca` (render the card: SymPy pretty-printing, the scratch source) against
   `python -c "import sympy"`, the floor any SymPy rendering pays.
Each command is a fresh process, as the learner runs it. Target: the side-by-side run at most
2x the plain script (it fits two models, not one).
Run: .venv/bin/python bench/theory.py [--record]
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from _common import INVERT, PYTHON, interleaved, record, table, time_command

RUNS = 7
PLAIN_KNN = """
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, random_state=0, stratify=y
)
scaler = StandardScaler().fit(X_train)
model = KNeighborsClassifier(n_neighbors=5).fit(scaler.transform(X_train), y_train)
print(model.score(scaler.transform(X_test), y_test))
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        (here / "plain_knn.py").write_text(PLAIN_KNN)
        times = interleaved(
            RUNS,
            {
                "python plain_knn.py": lambda: time_command([PYTHON, "plain_knn.py"], cwd=here),
                "invert learn nearest-neighbours --run": lambda: time_command(
                    [INVERT, "learn", "nearest-neighbours", "--run"], cwd=here
                ),
                'python -c "import sympy"': lambda: time_command(
                    [PYTHON, "-c", "import sympy"], cwd=here
                ),
                "invert learn pca": lambda: time_command([INVERT, "learn", "pca"], cwd=here),
            },
        )
    run_ratio = statistics.median(
        times["invert learn nearest-neighbours --run"]
    ) / statistics.median(times["python plain_knn.py"])
    card_ratio = statistics.median(times["invert learn pca"]) / statistics.median(
        times['python -c "import sympy"']
    )
    verdict = "meets" if run_ratio <= 2.0 else "MISSES"
    body = table(times, "python plain_knn.py") + (
        f"\n\n`invert learn nearest-neighbours --run` is {run_ratio:.2f}x the plain script that "
        f"fits one model ({verdict} the 2x target); rendering a card is {card_ratio:.2f}x "
        "importing SymPy alone."
    )
    record("theory", ".venv/bin/python bench/theory.py --record", body)


if __name__ == "__main__":
    main()
