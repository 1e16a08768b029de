"""Drill: how many of a ship's passengers would survive? Chances that promise too much.

The brief: a model that gives each Titanic passenger a probability of surviving (survived = 1),
meant to be read as a frequency: among the passengers it gives 0.8, about 80% should survive.
A historian adds the probabilities up into the number of survivors expected in a group. Keep the
fitted pipeline in `model` (it takes the raw columns of the data file) and, in `expected`, how
many of the passengers in the test rows it expects to survive.

Run it:    python drills/expected_count_too_high_titanic.py
Check it:  invert check expected-count-too-high-titanic
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "embarked"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["pclass", "age", "sibsp"]  # fare and parch repeat class and family
words = ["sex", "embarked"]
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()), words),
    sparse_threshold=0,
)
model = make_pipeline(prepare, GaussianNB())  # fast, and it gives probabilities
model.fit(X_train, y_train)

chance = model.predict_proba(X_test)[:, list(model.classes_).index(1)]
expected = chance.sum()
print(f"trained on {len(X_train)} passengers, scored {len(X_test)}")
print(f"passengers given more than 0.9: {(chance > 0.9).sum()}")
print(f"survivors expected among them all: {expected:.0f}")
