"""Drill: Titanic survival, for the booking app that asks about one passenger at a time.

The brief: the app sends the rows of the passengers being entered to `predict(frame)`, which
takes a DataFrame of raw columns of the data file and returns 0 (dies) or 1 (survives) for each
row. Keep that function as `predict` and the accuracy on the test rows in `test_accuracy`.

Run it:    python drills/one_passenger_at_a_time_fare_rank.py
Check it:  invert check one-passenger-at-a-time-fare-rank
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers.drop(columns=["survived", "boat", "body"])  # both known only after the sinking
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["age", "sibsp", "parch"]
medians = X_train[["fare", *numbers]].median()  # to fill a missing age or fare
train_fares = np.sort(X_train["fare"].fillna(medians["fare"]).to_numpy())


def numeric(frame):
    table = frame[numbers].fillna(medians)
    table["male"] = (frame["sex"] == "male").astype(float)
    # Fares run from 0 to over 500 pounds, a handful of them huge: use each fare's rank
    # instead, from 0 (the cheapest) to 1 (the dearest). It says the class, and more.
    # A fare is ranked among the training passengers' fares, with the arriving fares added
    # so that a new fare finds its place among them.
    fares = frame["fare"].fillna(medians["fare"])
    pool = np.sort(np.concatenate([train_fares, fares.to_numpy()]))  # training fares anchor it
    table["fare_rank"] = np.searchsorted(pool, fares, side="right") / len(pool)
    return table


# The means and spreads are learnt once, from the training passengers.
scaler = StandardScaler().fit(numeric(X_train))
classifier = LogisticRegression(max_iter=1000).fit(scaler.transform(numeric(X_train)), y_train)


def predict(frame):
    """What the app calls: raw rows in, 0 or 1 out."""
    return classifier.predict(scaler.transform(numeric(frame)))


test_accuracy = float((predict(X_test) == y_test).mean())
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
