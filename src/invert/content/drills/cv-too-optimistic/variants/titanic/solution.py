"""Drill: who survived the Titanic? A first model from the first records transcribed.

The brief: rank passengers by their chance of survival (survived = 1), from the 120 passenger
records transcribed so far, and estimate by 5-fold cross-validation on the training rows how
well it ranks new passengers (ROC AUC). Keep the fitted pipeline in `model` (it takes the raw
columns of the data file), the splitter in `cv` and the cross-validated ROC AUC in `cv_score`.

Run it:    python drills/cv_too_optimistic_titanic.py
Check it:  invert check cv-too-optimistic-titanic
"""

from pathlib import Path

import pandas as pd
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, PolynomialFeatures

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
# The records transcribed so far: 120 passengers drawn from the file.
passengers = pd.read_csv(DATA / "titanic.csv").sample(120, random_state=0)
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# Every value as a category (each age, each fare), and every pair of them: thousands of columns.
pairs = make_pipeline(
    OneHotEncoder(handle_unknown="ignore"),
    PolynomialFeatures(2, interaction_only=True, include_bias=False),
)
features = make_pipeline(pairs, SelectKBest(chi2, k=60))
classifier = LogisticRegression(C=10, max_iter=1000)
model = make_pipeline(features, classifier)

cv = StratifiedKFold(5, shuffle=True, random_state=0)
# Cross-validate the whole pipeline: each fold picks its 60 columns from its own training part.
cv_score = cross_val_score(model, X_train, y_train, cv=cv, scoring="roc_auc").mean()

model.fit(X_train, y_train)
candidates = pairs.transform(X_train).shape[1]
print(f"trained on {len(X_train)} passengers, {candidates} columns to pick from")
print(f"cross-validated ROC AUC: {cv_score:.3f}")
