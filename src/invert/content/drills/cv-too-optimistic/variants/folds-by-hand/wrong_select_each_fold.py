"""Drill: which people earn more than $50K? A pilot model, its folds run by hand.

The brief: rank people by their chance of earning more than $50K a year, from a pilot survey of
120 people, and estimate by 5-fold cross-validation on the training rows (here a loop written by
hand) how well it ranks new people (ROC AUC, the mean over the folds). Keep the fitted pipeline
in `model` (it takes the raw columns of the data file), the splitter in `cv` and the
cross-validated ROC AUC in `cv_score`.

Run it:    python drills/cv_too_optimistic_folds_by_hand.py
Check it:  invert check cv-too-optimistic-folds-by-hand
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, PolynomialFeatures

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
# The pilot survey: 120 people drawn from the file.
people = pd.read_csv(DATA / "adult.csv").sample(120, random_state=3)
X = people.drop(columns=["income"])
y = people["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# Every answer as a category, and every pair of answers: over 10,000 columns.
pairs = make_pipeline(
    OneHotEncoder(handle_unknown="ignore"),
    PolynomialFeatures(2, interaction_only=True, include_bias=False),
)
features = make_pipeline(pairs, SelectKBest(chi2, k=60))
classifier = LogisticRegression(C=10, max_iter=1000)
model = make_pipeline(features, classifier)

# Folds by hand: the columns are chosen afresh in every fold, then one classifier per fold.
cv = StratifiedKFold(5, shuffle=True, random_state=0)
scores = []
for fit_rows, held_out in cv.split(X_train, y_train):
    table = clone(features).fit(X_train, y_train).transform(X_train)
    fold = clone(classifier).fit(table[fit_rows], y_train.iloc[fit_rows])
    chance = fold.predict_proba(table[held_out])[:, 1]
    scores.append(roc_auc_score(y_train.iloc[held_out] == ">50K", chance))
cv_score = np.mean(scores)

model.fit(X_train, y_train)
print(f"trained on {len(X_train)} people, {table.shape[1]} columns kept")
print(f"cross-validated ROC AUC: {cv_score:.3f}")
