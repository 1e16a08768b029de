"""Drill: how many high earners will a mailing reach?

The brief: a model that gives each adult in the census a probability of earning more than 50K a
year (income '>50K'), meant to be read as a frequency: among the adults it gives 0.8, about 80%
should earn more than 50K. A charity uses it to plan a mailing, by adding the probabilities up
into the number of high earners it expects to reach. Keep the fitted pipeline in `model` (it
takes the raw columns of the data file) and, in `expected`, how many of the adults in the test
rows it expects to earn more than 50K.

Run it:    python drills/expected_count_too_high.py
Check it:  invert check expected-count-too-high
"""

from pathlib import Path

import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import make_column_transformer
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
adults = pd.read_csv(DATA / "adult.csv")
X = adults.drop(columns=["income"])
y = adults["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
words = ["workclass", "marital-status", "occupation", "relationship", "race", "gender"]
prepare = make_column_transformer(
    (StandardScaler(), numbers),
    (OneHotEncoder(handle_unknown="ignore", sparse_output=False), words),
)
naive_bayes = make_pipeline(prepare, GaussianNB())  # fast, but its probabilities are extreme
# Map its scores to observed frequencies, learned on held-out folds of the training rows.
model = CalibratedClassifierCV(naive_bayes, method="isotonic", cv=5)
model.fit(X_train, y_train)

chance = model.predict_proba(X_test)[:, list(model.classes_).index(">50K")]
expected = (model.predict(X_test) == ">50K").sum()  # the adults it calls high earners
print(f"trained on {len(X_train)} adults, scored {len(X_test)}")
print(f"adults given more than 0.9: {(chance > 0.9).sum()}")
print(f"high earners expected among them all: {expected:.0f}")
