"""Drill: Titanic survival by nearest neighbours, for the app that asks about one passenger.

The brief: the app sends the rows of the passengers being entered to `predict(frame)`, which
takes a DataFrame of raw columns of the data file and returns 0 (dies) or 1 (survives) for each
row: the answer of the passenger's 15 most similar training passengers. Keep that function as
`predict` and the accuracy on the test rows in `test_accuracy`.

Run it:    python drills/one_passenger_at_a_time_neighbours.py
Check it:  invert check one-passenger-at-a-time-neighbours
"""

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import MinMaxScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers.drop(columns=["survived", "boat", "body"])  # both known only after the sinking
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["pclass", "age", "sibsp", "parch", "fare"]
medians = X_train[numbers].median()  # to fill a missing age or fare


scaler = MinMaxScaler()  # one scaler for training and for the app


def prepare(frame):
    """Raw passenger rows -> every column squeezed between 0 and 1, for fair distances."""
    table = frame[numbers].fillna(medians)
    table["male"] = (frame["sex"] == "male").astype(float)
    return scaler.fit_transform(table)


neighbours = KNeighborsClassifier(n_neighbors=15).fit(prepare(X_train), y_train)


def predict(frame):
    """What the app calls: raw rows in, 0 or 1 out."""
    return neighbours.predict(prepare(frame))


test_accuracy = float((predict(X_test) == y_test).mean())
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
