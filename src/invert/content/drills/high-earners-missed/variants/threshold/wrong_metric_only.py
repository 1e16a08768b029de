"""Drill: finding the high earners in the census, decided by a cut-off.

The brief: a model that picks out, among adults in the census, those who earn more than 50K a
year (income '>50K'), so that they can be sent a survey meant for them. The survey team decides
outside the model: an adult whose probability of '>50K' reaches the number `threshold` is sent
the survey. Keep the fitted pipeline in `model` (it takes the raw columns of the data file) and
the balanced accuracy of those decisions on the test rows (the mean of the recall of each class)
in `score`.

Run it:    python drills/high_earners_missed_threshold.py
Check it:  invert check high-earners-missed-threshold
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
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

numbers = ["age", "education-num", "capital-gain", "hours-per-week"]
words = ["marital-status", "occupation", "gender"]
prepare = make_column_transformer(
    (StandardScaler(), numbers),
    (OneHotEncoder(handle_unknown="ignore"), words),
)
model = make_pipeline(prepare, LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)

# Send the survey to whoever is more likely than not a high earner.
threshold = 0.5
chance = model.predict_proba(X_test)[:, list(model.classes_).index(">50K")]
sent = np.where(chance >= threshold, ">50K", "<=50K")
score = balanced_accuracy_score(y_test, sent)
print(f"{(sent == '>50K').sum()} of {len(X_test)} test adults sent the survey")
print(f"test score: {score:.3f}")
