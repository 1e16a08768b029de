"""Drill: census incomes, the people who earn more than 50K, found with a tuned threshold.

The brief: flag the adults who earn more than 50K (income '>50K'). The model gives each adult a
probability; choose the decision threshold from the candidates by F1 without looking at the test
rows, then report the F1 on the test rows once. Keep the fitted pipeline in `model`, the
threshold in `threshold` and the test F1 in `test_f1`.

Run it:    python drills/cutoff_moves_with_split.py
Check it:  invert check cutoff-moves-with-split
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import (
    FixedThresholdClassifier,
    KFold,
    cross_val_predict,
    train_test_split,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
adults = pd.read_csv(DATA / "adult.csv")
X = adults.drop(columns=["income"])
y = adults["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=1
)

numbers = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
words = ["workclass", "marital-status", "occupation", "relationship", "race", "gender"]
prepare = make_column_transformer(
    (StandardScaler(), numbers),
    (OneHotEncoder(handle_unknown="ignore"), words),
)
model = make_pipeline(prepare, LogisticRegression(max_iter=1000))
candidates = np.round(np.arange(0.05, 0.96, 0.05), 2)  # thresholds 0.05, 0.10, ..., 0.95

# Choose the cut-off on out-of-fold probabilities of the training rows, then keep it inside
# the model, so that model.predict already applies it.
proba = cross_val_predict(
    model, X_train, y_train, cv=KFold(4, shuffle=True, random_state=3), method="predict_proba"
)
f1s = [
    f1_score(y_train, np.where(proba[:, 1] >= t, ">50K", "<=50K"), pos_label=">50K")
    for t in candidates
]
cutoff = float(candidates[int(np.argmax(f1s))])
model = FixedThresholdClassifier(model, threshold=cutoff, pos_label=">50K")
model.fit(X_train, y_train)
test_f1 = f1_score(y_test, model.predict(X_test), pos_label=">50K")

print(f"trained on {len(X_train)} adults, tested on {len(X_test)}")
print(f"cut-off = {cutoff:.2f}, test F1: {test_f1:.3f}")
