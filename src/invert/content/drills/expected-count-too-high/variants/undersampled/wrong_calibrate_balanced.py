"""Drill: how many high earners will a mailing reach? A model trained on balanced rows.

The brief: a model that gives each adult in the census a probability of earning more than 50K a
year (income '>50K'), meant to be read as a frequency: among the adults it gives 0.8, about 80%
should earn more than 50K. A charity adds the probabilities up into the number of high earners
it expects to reach. Keep the fitted pipeline in `model` (it takes the raw columns of the data
file) and, in `expected`, how many of the adults in the test rows it expects to earn more than
50K.

Run it:    python drills/expected_count_too_high_undersampled.py
Check it:  invert check expected-count-too-high-undersampled
"""

from pathlib import Path

import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
adults = pd.read_csv(DATA / "adult.csv")
X = adults.drop(columns=["income"])
y = adults["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# High earners are rare: keep them all, and as many other adults drawn at random, 50/50.
high = y_train[y_train == ">50K"].index
others = y_train[y_train != ">50K"].sample(len(high), random_state=0).index
balanced = high.union(others)

numbers = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
words = ["workclass", "marital-status", "occupation", "relationship", "race", "gender"]
prepare = make_column_transformer(
    (StandardScaler(), numbers),
    (OneHotEncoder(handle_unknown="ignore"), words),
)
logistic = make_pipeline(prepare, LogisticRegression(max_iter=1000))
# Map its scores to observed frequencies, learned on held-out folds of the balanced rows.
model = CalibratedClassifierCV(logistic, method="isotonic", cv=5)
model.fit(X_train.loc[balanced], y_train.loc[balanced])

chance = model.predict_proba(X_test)[:, list(model.classes_).index(">50K")]
expected = chance.sum()
print(f"trained on {len(balanced)} adults (half of them high earners), scored {len(X_test)}")
print(f"adults given more than 0.9: {(chance > 0.9).sum()}")
print(f"high earners expected among them all: {expected:.0f}")
