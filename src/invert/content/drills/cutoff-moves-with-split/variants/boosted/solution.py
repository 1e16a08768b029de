"""Drill: census incomes, the people who earn more than 50K, found with boosted trees.

The brief: flag the adults who earn more than 50K (income '>50K'). The model gives each adult a
probability; choose the decision threshold from the candidates by F1 without looking at the test
rows, then report the F1 on the test rows once. Keep the fitted pipeline in `model`, the
threshold in `threshold` and the test F1 in `test_f1`.

Run it:    python drills/cutoff_moves_with_split_boosted.py
Check it:  invert check cutoff-moves-with-split-boosted
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
adults = pd.read_csv(DATA / "adult.csv")
X = adults.drop(columns=["income"])
y = adults["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=2
)

numbers = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
words = ["workclass", "marital-status", "occupation", "relationship", "race", "gender"]
prepare = make_column_transformer(
    ("passthrough", numbers),
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), words),
)
trees = HistGradientBoostingClassifier(
    categorical_features=[False] * len(numbers) + [True] * len(words),
    early_stopping=False,
    random_state=0,
)
model = make_pipeline(prepare, trees)
candidates = np.round(np.arange(0.05, 0.96, 0.05), 2)  # thresholds 0.05, 0.10, ..., 0.95

# Carve a validation quarter out of the training rows to choose the threshold on.
X_fit, X_val, y_fit, y_val = train_test_split(
    X_train, y_train, test_size=0.25, stratify=y_train, random_state=0
)
model.fit(X_fit, y_fit)
positive = list(model.classes_).index(">50K")
proba_val = model.predict_proba(X_val)[:, positive]
scores = [f1_score(y_val == ">50K", proba_val >= t) for t in candidates]
threshold = float(candidates[int(np.argmax(scores))])
model.fit(X_train, y_train)  # the threshold is chosen; now learn from every training row
test_f1 = f1_score(y_test == ">50K", model.predict_proba(X_test)[:, positive] >= threshold)

print(f"trained on {len(X_train)} adults, tested on {len(X_test)}")
print(f"threshold = {threshold:.2f}, test F1: {test_f1:.3f}")
