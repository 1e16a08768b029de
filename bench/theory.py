"""What the learner waits for in Phase 3, against the plain code they would write instead.

1. `invert learn nearest-neighbours --run` (our kNN beside scikit-learn's, on wine) against a plain
   script that fits scikit-learn's kNN on the same split and prints its accuracy.
2. `invert learn pca` (render the card: SymPy pretty-printing, the scratch source) against
   `python -c "import sympy"`, the floor any SymPy rendering pays.
Each command is a fresh process, as the learner runs it. Target: the side-by-side run at most
2x the plain script (it fits two models, not one).
With --all, every card the same way (3 interleaved runs each): rendering it (`invert learn ID`)
and its side-by-side run (`invert learn ID --run`), against importing SymPy alone.
Run: .venv/bin/python bench/theory.py [--all] [--record]
"""

from __future__ import annotations

import statistics
import sys
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


def every_card(runs: int = 3) -> None:
    """One row per card: its rendering and its --run, medians of `runs` interleaved runs."""
    from invert.catalog.loader import load_catalog

    cards = sorted(load_catalog().theory.cards)
    rows = ["| card | invert learn ID (s) | invert learn ID --run (s) |", "|---|---|---|"]
    renders, runs_all = [], []
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        floor = interleaved(runs, {"sympy": lambda: time_command([PYTHON, "-c", "import sympy"])})
        for card in cards:
            times = interleaved(
                runs,
                {
                    "render": lambda c=card: time_command([INVERT, "learn", c], cwd=here),
                    "run": lambda c=card: time_command([INVERT, "learn", c, "--run"], cwd=here),
                },
            )
            render, run = statistics.median(times["render"]), statistics.median(times["run"])
            renders.append(render)
            runs_all.append(run)
            rows.append(f"| {card} | {render:.2f} | {run:.2f} |")
    sympy = statistics.median(floor["sympy"])
    rows += [
        "",
        f"{len(cards)} cards. Rendering: median {statistics.median(renders):.2f} s, slowest "
        f"{max(renders):.2f} s ({max(renders) / sympy:.1f}x importing SymPy alone, "
        f"{sympy:.2f} s). Side-by-side runs: median {statistics.median(runs_all):.2f} s, "
        f"slowest {max(runs_all):.2f} s.",
    ]
    record("theory-all", ".venv/bin/python bench/theory.py --all --record", "\n".join(rows))


if __name__ == "__main__":
    every_card() if "--all" in sys.argv else main()
