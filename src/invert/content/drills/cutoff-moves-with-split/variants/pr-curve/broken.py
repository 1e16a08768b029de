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

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_curve
from sklearn.model_selection import train_test_split
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
model.fit(X_train, y_train)

# Every distinct probability is a possible threshold: take the one where F1 is highest.
proba = model.predict_proba(X_test)[:, list(model.classes_).index("malignant")]
precision, recall, cuts = precision_recall_curve(y_test, proba, pos_label="malignant")
f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
threshold = float(cuts[int(np.argmax(f1[:-1]))])  # the last point has no threshold
test_f1 = f1_score(y_test == "malignant", proba >= threshold)

print(f"trained on {len(X_train)} masses, tested on {len(X_test)}")
print(f"threshold = {threshold:.3f}, test F1: {test_f1:.3f}")
