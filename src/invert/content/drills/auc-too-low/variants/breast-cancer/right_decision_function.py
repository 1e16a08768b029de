"""Drill: ranking breast masses by their chance of being malignant.

The brief: a model that ranks breast masses, from the 30 measurements of their cell nuclei, from
most to least likely to be malignant, so that the most suspicious are looked at first; it is
judged by how well it ranks. Keep the fitted pipeline in `model` (it takes the raw columns of the
data file) and the area under the ROC curve of its ranking of the test rows in `auc`.

Run it:    python drills/auc_too_low_breast_cancer.py
Check it:  invert check auc-too-low-breast-cancer
"""

from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import auc as area_under
from sklearn.metrics import roc_curve
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
masses = pd.read_csv(DATA / "breast_cancer.csv")
X = masses.drop(columns="diagnosis")
y = masses["diagnosis"]  # "malignant" or "benign"
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

model = make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=1000))
model.fit(X_train, y_train)

malignant = y_test == "malignant"
ranking = model.decision_function(X_test)  # log-odds of classes_[1], malignant: higher = worse
false_alarms, found, thresholds = roc_curve(malignant, ranking)
auc = area_under(false_alarms, found)  # the trapezoids under the curve's points
print(f"trained on {len(X_train)} masses, tested on {len(X_test)}")
print(f"ROC curve through {len(found)} points, area under it (AUC): {auc:.3f}")
