"""Drill: Titanic survival, for the booking app that asks about one passenger at a time.

The brief: the app sends the rows of the passengers being entered to `predict(frame)`, which
takes a DataFrame of raw columns of the data file and returns 0 (dies) or 1 (survives) for each
row. Keep that function as `predict` and the accuracy on the test rows in `test_accuracy`.

Run it:    python drills/one_passenger_at_a_time.py
Check it:  invert check one-passenger-at-a-time
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers.drop(columns=["survived", "boat", "body"])  # both known only after the sinking
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["pclass", "age", "sibsp", "parch", "fare"]
# Filling, scaling and classifying in one pipeline, fitted once on the training passengers:
# afterwards every frame the app sends is only transformed with what they taught it.
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (OneHotEncoder(drop="if_binary"), ["sex"]),
)
model = make_pipeline(prepare, LogisticRegression(max_iter=1000)).fit(X_train, y_train)


def predict(frame):
    """What the app calls: raw rows in, 0 or 1 out."""
    return model.predict(frame)


test_accuracy = float((predict(X_test) == y_test).mean())
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
