"""Drill: malignant or benign? A diagnosis for the lab that sends one breast mass at a time.

The brief: the lab sends the rows of the masses it has just measured to `predict(frame)`, which
takes a DataFrame of raw columns of the data file (30 measurements of cell nuclei) and returns
the diagnosis ("malignant" or "benign") for each row. Keep that function as `predict` and the
accuracy on the test rows in `test_accuracy`.

Run it:    python drills/one_passenger_at_a_time_breast_cancer.py
Check it:  invert check one-passenger-at-a-time-breast-cancer
"""

from pathlib import Path

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
masses = pd.read_csv(DATA / "breast_cancer.csv")
X = masses.drop(columns=["diagnosis"])
y = masses["diagnosis"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

measurements = list(X.columns)  # radius, texture, area, smoothness... of the cell nuclei


# Learn the means and spreads once, from every mass in the file, and reuse them for every row
# that comes in.
scaler = StandardScaler().fit(X[measurements])


def prepare(frame):
    """Raw rows of measurements -> a standardised numeric table."""
    return scaler.transform(frame[measurements])


classifier = LogisticRegression(max_iter=1000).fit(prepare(X_train), y_train)


def predict(frame):
    """What the lab calls: raw rows in, a diagnosis out for each."""
    return classifier.predict(prepare(frame))


test_accuracy = float((predict(X_test) == y_test).mean())
print(f"trained on {len(X_train)} masses, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
