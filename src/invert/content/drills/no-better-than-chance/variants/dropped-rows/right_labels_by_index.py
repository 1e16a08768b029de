"""Drill: who survives the Titanic? A model built from the passenger list.

The brief: a model that says, from what is known when a passenger boards (class, sex, age,
family aboard, fare, port), whether they will survive. Keep the fitted pipeline in `model`
(it takes the raw columns of the data file) and the accuracy on the test rows in
`test_accuracy`.

Run it:    python drills/no_better_than_chance_dropped_rows.py
Check it:  invert check no-better-than-chance-dropped-rows
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
numbers = ["pclass", "age", "sibsp", "parch", "fare"]
words = ["sex", "embarked"]
X = passengers[numbers + words]
y = passengers["survived"]
# An imputed age is a guess: learn only from passengers whose age is on the list, and keep
# the labels of the same passengers, chosen by the index before it is renumbered.
X = X.dropna(subset=["age"])
y = y.loc[X.index]
X, y = X.reset_index(drop=True), y.reset_index(drop=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (
        make_pipeline(
            SimpleImputer(strategy="constant", fill_value="missing"),
            OneHotEncoder(handle_unknown="ignore"),
        ),
        words,
    ),
)
model = make_pipeline(prepare, LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"training accuracy: {model.score(X_train, y_train):.3f}")
print(f"test accuracy: {test_accuracy:.3f}")
