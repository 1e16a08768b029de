"""Drill: who earns more than 50K? A linear model on the 1994 US census.

The brief: a model that says, from a person's age, schooling, hours, capital gains, work and
household, whether they earn more than 50K dollars a year, for people it has not met. Keep the
fitted pipeline in `model` (it takes the raw columns of the data file) and its accuracy on the
test rows in `test_accuracy`.

Run it:    python drills/neighbourhood_prices_off_adult.py
Check it:  invert check neighbourhood-prices-off-adult
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import HistGradientBoostingClassifier
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

numbers = ["age", "education-num", "hours-per-week", "capital-gain"]
words = ["workclass", "marital-status", "occupation", "relationship"]
prepare = make_column_transformer(
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), words),
    ("passthrough", numbers),
)
# Trees told that the codes are categories split them into any groups of names, so the
# alphabetical order means nothing to them; an unseen name (-1) counts as missing.
trees = HistGradientBoostingClassifier(categorical_features=[0, 1, 2, 3], random_state=0)
model = make_pipeline(prepare, trees)
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
high = (model.predict(X_test) == ">50K").astype(float)
share = pd.DataFrame({"earn >50K": y_test == ">50K", "predicted >50K": high})
print(f"trained on {len(X_train)} people, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
print("share of test people above 50K, and share predicted so, by relationship:")
print(share.groupby(X_test["relationship"]).mean().round(2).to_string())
