"""Drill: who survives the Titanic? Boosted trees, stopped at the right number of trees.

The brief: predict, for a passenger as they board, whether they will survive. Choose how many
trees the boosting adds on the training rows alone, then report the accuracy on the test rows
once. Keep the fitted pipeline in `model` (it takes the raw columns of the data file) and the
test accuracy in `test_accuracy`.

Run it:    python drills/test_score_too_rosy_early_stopping.py
Check it:  invert check test-score-too-rosy-early-stopping
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
    X, y, test_size=0.25, stratify=y, random_state=10
)

prepare = make_column_transformer(
    (SimpleImputer(strategy="median"), ["pclass", "age", "sibsp", "parch", "fare"]),
    (OneHotEncoder(handle_unknown="ignore"), ["sex", "embarked"]),
)
boost = GradientBoostingClassifier(n_estimators=300, learning_rate=0.1, random_state=0)
model = make_pipeline(prepare, boost).fit(X_train, y_train)

# Watch the accuracy after each added tree on half of the test rows, and stop where it
# peaks; the other half stays for the report.
X_val, X_test, y_val, y_test = train_test_split(
    X_test, y_test, test_size=0.5, stratify=y_test, random_state=0
)
rows = model[0].transform(X_val)
curve = [np.mean(p == y_val) for p in model[-1].staged_predict(rows)]
trees = int(np.argmax(curve)) + 1
model.set_params(gradientboostingclassifier__n_estimators=trees).fit(X_train, y_train)
test_accuracy = model.score(X_test, y_test)

print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"stopped after {trees} trees, test accuracy: {test_accuracy:.3f}")
