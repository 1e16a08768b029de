"""Drill: which adults are almost sure to earn more than 50K? A tree's probabilities.

The brief: a model that gives each adult in the census a probability of earning more than 50K a
year (income '>50K'), meant to be read as a frequency: among the adults it gives 0.9, about 90%
should earn more than 50K. A charity mails the adults it is surest of, and adds the
probabilities up into the number of high earners it expects to reach. Keep the fitted pipeline in
`model` (it takes the raw columns of the data file) and, in `expected`, how many of the adults in
the test rows it expects to earn more than 50K.

Run it:    python drills/expected_count_too_high_small_leaves.py
Check it:  invert check expected-count-too-high-small-leaves
"""

from pathlib import Path

import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import make_column_transformer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

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
    (OneHotEncoder(handle_unknown="ignore"), words),
)
tree = make_pipeline(prepare, DecisionTreeClassifier(min_samples_leaf=5, random_state=0))
# A leaf of 5 is a noisy share: learn how often each score comes true on held-out folds.
model = CalibratedClassifierCV(tree, method="isotonic", cv=5)
model.fit(X_train, y_train)

chance = model.predict_proba(X_test)[:, list(model.classes_).index(">50K")]
expected = chance.sum()
print(f"trained on {len(X_train)} adults, scored {len(X_test)}")
print(f"adults given more than 0.9: {(chance > 0.9).sum()}")
print(f"high earners expected among them all: {expected:.0f}")
