"""Drill: is this breast mass malignant? A model built from measurements of cell nuclei.

The brief: a model that says, from the thirty measurements of the cell nuclei in a digitised
image of a breast mass, whether the mass is malignant or benign. Keep the fitted pipeline in
`model` (it takes the raw columns of the data file) and the accuracy on the test rows in
`test_accuracy`.

Run it:    python drills/no_better_than_chance_sorted_masses.py
Check it:  invert check no-better-than-chance-sorted-masses
"""

from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
masses = pd.read_csv(DATA / "breast_cancer.csv")
X = masses.drop(columns="diagnosis")
y = masses["diagnosis"]
# Look at the largest masses without reordering X: a sorted copy is only printed, so each
# mass keeps its label in the same row.
largest = X.sort_values("mean area", ascending=False)
print(largest[["mean radius", "mean area", "worst area"]].head(3).to_string())
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} masses, tested on {len(X_test)}")
print(f"training accuracy: {model.score(X_train, y_train):.3f}")
print(f"test accuracy: {test_accuracy:.3f}")
