"""Drill: finding the high earners in the census from five numbers.

The brief: a model that picks out, among adults in the census, those who earn more than 50K a
year (income '>50K'), from five numbers only: age, years of education, capital gain, capital
loss and hours worked per week. Keep the fitted pipeline in `model` (it takes the raw columns
of the data file) and its balanced accuracy on the test rows (the mean of the recall of each
class) in `score`.

Run it:    python drills/high_earners_missed_numbers_only.py
Check it:  invert check high-earners-missed-numbers-only
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.class_weight import compute_sample_weight

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
adults = pd.read_csv(DATA / "adult.csv")
X = adults.drop(columns=["income"])
y = adults["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
model = make_pipeline(
    make_column_transformer((StandardScaler(), numbers)), LogisticRegression(max_iter=1000)
)
# Each row weighs the inverse of its class's share, so both classes weigh the same in the fit.
weights = compute_sample_weight("balanced", y_train)
model.fit(X_train, y_train, logisticregression__sample_weight=weights)

score = balanced_accuracy_score(y_test, model.predict(X_test))
print(f"trained on {len(X_train)} adults, tested on {len(X_test)}")
print(f"test score: {score:.3f}")
