"""Drill: who survives the Titanic? Predicted for passengers as they board, gaps included.

The brief: a model that says, for a passenger walking up the gangway, whether they will survive.
Keep the fitted pipeline in `model` (it takes the raw columns of the data file) and the
accuracy on the test rows in `test_accuracy`.

Run it:    python drills/titanic_too_good_missing_flags.py
Check it:  invert check titanic-too-good-missing-flags
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import MissingIndicator, SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers.drop(columns=["survived", "name", "ticket"])
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["pclass", "age", "sibsp", "parch", "fare"]
words = ["sex", "embarked"]
# gaps that exist when a passenger boards: no age or no cabin on record
gappy = ["age", "cabin"]
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (
        make_pipeline(
            SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
        ),
        words,
    ),
    # a gap can say something too (no cabin recorded: a cheaper ticket?): one 0/1 flag per
    # column, saying whether its value is missing
    (MissingIndicator(features="all"), gappy),
)
model = make_pipeline(prepare, LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"flags for the gaps in: {', '.join(gappy)}")
print(f"test accuracy: {test_accuracy:.3f}")
