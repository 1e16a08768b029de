"""Drill: which cultivar made this wine? Nearest neighbours on a chemical analysis.

The brief: a model that names the cultivar (0, 1 or 2) of an Italian wine from the thirteen
results of its chemical analysis. Keep the fitted pipeline in `model` (it takes the raw columns
of the data file) and the accuracy on the test rows in `test_accuracy`.

Run it:    python drills/penguins_mixed_up_wine.py
Check it:  invert check penguins-mixed-up-wine
"""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
wines = pd.read_csv(DATA / "wine.csv")
X = wines.drop(columns="cultivar")
y = wines["cultivar"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

model = make_pipeline(KNeighborsClassifier(n_neighbors=5))
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} wines, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
