"""Drill: who earns more than $50K? A decision tree on census answers.

The brief: predict, from a person's census answers, whether they earn more than $50K a year,
as accurately as possible for people who are not in the file. Keep the fitted pipeline in
`model` (it takes the raw columns of the data file), the accuracy on the test rows in
`test_accuracy` and the accuracy on the training rows in `train_accuracy`.

Run it:    python drills/perfect_on_train.py
Check it:  invert check perfect-on-train
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
people = pd.read_csv(DATA / "adult.csv")
X = people.drop(columns=["income"])
y = people["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

words = [
    "workclass",
    "education",
    "marital-status",
    "occupation",
    "relationship",
    "race",
    "gender",
    "native-country",
]
# Categories become integer codes (a tree only compares them); numbers pass through.
prepare = make_column_transformer(
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), words),
    remainder="passthrough",
)
# Many deep trees, each grown on a bootstrap sample and other columns at each split: each one
# memorises, and their vote averages the memorised noise away.
forest = RandomForestClassifier(n_estimators=60, min_samples_leaf=2, random_state=0)
model = make_pipeline(prepare, forest)
model.fit(X_train, y_train)

train_accuracy = model.score(X_train, y_train)
test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} people, tested on {len(X_test)}")
print(f"training accuracy: {train_accuracy:.3f}, test accuracy: {test_accuracy:.3f}")
