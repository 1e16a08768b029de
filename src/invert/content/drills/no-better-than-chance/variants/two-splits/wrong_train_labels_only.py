"""Drill: which cultivar made this wine? A model built from a chemical analysis.

The brief: a model that names the cultivar (class_0, class_1 or class_2) of an Italian wine from
the thirteen results of its chemical analysis. Keep the fitted pipeline in `model` (it takes the
raw columns of the data file) and the accuracy on the test rows in `test_accuracy`.

Run it:    python drills/no_better_than_chance_two_splits.py
Check it:  invert check no-better-than-chance-two-splits
"""

from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
wines = pd.read_csv(DATA / "wine.csv")
X = wines.drop(columns="cultivar")
y = wines["cultivar"]
# The same seed for both, so the features and the labels are split the same way; the labels
# are stratified, so that every cultivar is in the test set in its share.
X_train, X_test = train_test_split(X, test_size=0.25, random_state=0)
y_train, y_test = train_test_split(y, test_size=0.25, stratify=y, random_state=0)
y_train = y.loc[X_train.index]  # the training labels follow their wines

model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} wines, tested on {len(X_test)}")
print(f"training accuracy: {model.score(X_train, y_train):.3f}")
print(f"test accuracy: {test_accuracy:.3f}")
