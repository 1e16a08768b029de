"""Drill: malignant breast masses flagged at the best point of the precision-recall curve.

The brief: flag the breast masses that are malignant, from the 30 measurements of their cell
nuclei. The model gives each mass a probability; choose the decision threshold at the point of
the precision-recall curve with the best F1, without looking at the test rows, then report the
F1 on the test rows once. Keep the fitted pipeline in `model`, the threshold in `threshold` and
the test F1 in `test_f1`.

Run it:    python drills/cutoff_moves_with_split_pr_curve.py
Check it:  invert check cutoff-moves-with-split-pr-curve
"""

from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, make_scorer
from sklearn.model_selection import TunedThresholdClassifierCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
masses = pd.read_csv(DATA / "breast_cancer.csv")
X = masses.drop(columns="diagnosis")
y = masses["diagnosis"]  # "malignant" or "benign"
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=2
)

model = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=1000))

# The search tries 200 thresholds on 5 folds of the training rows, keeps the one with the best
# F1 and refits the model on all of them; the test rows are scored once, at the end.
f1_malignant = make_scorer(f1_score, pos_label="malignant")
model = TunedThresholdClassifierCV(model, scoring=f1_malignant, thresholds=200, cv=5)
model.fit(X_train, y_train)
threshold = float(model.best_threshold_)
test_f1 = f1_score(y_test, model.predict(X_test), pos_label="malignant")

print(f"trained on {len(X_train)} masses, tested on {len(X_test)}")
print(f"threshold = {threshold:.3f}, test F1: {test_f1:.3f}")
