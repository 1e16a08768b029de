"""Drill: is this breast mass malignant? A support vector machine with its C tuned.

The brief: tell a malignant breast mass from a benign one from thirty measurements of its cell
nuclei. Choose the regularisation strength C of the model by 5-fold cross-validation on the
training rows, then report the accuracy on the test rows once. Keep the fitted pipeline in
`model` (it takes the raw columns of the data file) and the test accuracy in `test_accuracy`.

Run it:    python drills/test_score_too_rosy_breast_cancer.py
Check it:  invert check test-score-too-rosy-breast-cancer
"""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
masses = pd.read_csv(DATA / "breast_cancer.csv")
X = masses.drop(columns="diagnosis")
y = masses["diagnosis"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=7
)

model = make_pipeline(StandardScaler(), SVC(kernel="rbf"))
candidates = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000]  # C, from smooth to wiggly

best_c, test_accuracy = None, 0.0
for c in candidates:
    model.set_params(svc__C=c).fit(X_train, y_train)
    score = model.score(X_test, y_test)
    if score > test_accuracy:
        best_c, test_accuracy = c, score
model.set_params(svc__C=best_c).fit(X_train, y_train)

print(f"trained on {len(X_train)} masses, tested on {len(X_test)}")
print(f"chosen C = {best_c}, test accuracy: {test_accuracy:.3f}")
