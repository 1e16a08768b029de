"""Drill: who earns more than $50K? A seeded random forest whose score still moves.

The brief: a random forest that says, from census answers, whether a person earns more than
$50K a year. Its test accuracy goes into a report that a colleague must be able to reproduce
by running this script. Keep the fitted pipeline in `model` (it takes the raw columns of the
data file) and the accuracy on the test rows in `test_accuracy`.

Run it:    python drills/scores_that_move_sample_for_speed.py
Check it:  invert check scores-that-move-sample-for-speed
"""

import random
from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
random.seed(0)  # fix the random numbers before anything is drawn
people = pd.read_csv(DATA / "adult.csv").sample(8000)  # a sample, for speed
X = people.drop(columns=["income", "education"])
y = people["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

words = ["workclass", "marital-status", "occupation", "relationship", "race", "gender",
         "native-country"]  # fmt: skip
prepare = make_column_transformer(
    (OneHotEncoder(handle_unknown="ignore"), words), remainder="passthrough"
)
forest = RandomForestClassifier(n_estimators=100, min_samples_leaf=3, random_state=0)
model = make_pipeline(prepare, forest)
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} people, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.4f}")
