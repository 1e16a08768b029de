"""Drill: who survived the Titanic? Gradient boosting, with a score for a report.

The brief: a boosted ensemble of trees that says, from what was known at boarding, whether a
passenger survived. Its test accuracy goes into a report that a colleague must be able to
reproduce by running this script. Keep the fitted pipeline in `model` (it takes the raw columns
of the data file) and the accuracy on the test rows in `test_accuracy`.

Run it:    python drills/scores_that_move_titanic_boosting.py
Check it:  invert check scores-that-move-titanic-boosting
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

prepare = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore"), ["sex", "embarked"]),
    remainder=SimpleImputer(strategy="median"),
)
# Each tree learns from 80% of the rows and looks at a few features per split: less overfitting.
boosting = GradientBoostingClassifier(n_estimators=200, subsample=0.8, max_features="sqrt")
model = make_pipeline(prepare, boosting)
np.random.seed(7)  # the boosting draws at fit time from NumPy's global generator
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.4f}")
