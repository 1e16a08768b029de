"""Drill: Titanic survivors found with a tuned threshold.

The brief: flag the passengers who survived (survived = 1) from what was known at boarding. The
model gives each passenger a probability; choose the decision threshold from the candidates by
F1 without looking at the test rows, then report the F1 on the test rows once. Keep the fitted
pipeline in `model`, the threshold in `threshold` and the test F1 in `test_f1`.

Run it:    python drills/cutoff_moves_with_split_titanic.py
Check it:  invert check cutoff-moves-with-split-titanic
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import cross_val_predict, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ["age", "fare"]),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()), ["sex", "embarked"]),
    ("passthrough", ["pclass", "sibsp", "parch"]),
)
model = make_pipeline(prepare, LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)
candidates = np.round(np.arange(0.05, 0.96, 0.05), 2)  # thresholds 0.05, 0.10, ..., 0.95

# Out-of-fold probabilities for every passenger: no row is scored by a model that saw it.
oof = cross_val_predict(model, X, y, cv=5, method="predict_proba")[:, 1]
scores = [f1_score(y == 1, oof >= t) for t in candidates]
threshold = float(candidates[int(np.argmax(scores))])
proba = model.predict_proba(X_test)[:, list(model.classes_).index(1)]
test_f1 = f1_score(y_test == 1, proba >= threshold)

print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"threshold = {threshold:.2f}, test F1: {test_f1:.3f}")
