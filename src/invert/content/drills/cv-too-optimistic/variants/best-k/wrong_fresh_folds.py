"""Drill: who survived the Titanic? How many columns to keep, chosen by cross-validation.

The brief: rank passengers by their chance of survival (survived = 1), from a sample of 120
passenger records, keeping the k columns most related to survival, with k chosen among 2, 5, 10,
20, 50, 100 and 200 by 5-fold cross-validation on the training rows; and estimate, also by
cross-validation on the training rows, how well the pipeline, choice of k included, ranks new
passengers (ROC AUC). Keep the fitted model in `model` (it takes the raw columns of the data
file), the splitter in `cv` and the cross-validated ROC AUC in `cv_score`.

Run it:    python drills/cv_too_optimistic_best_k.py
Check it:  invert check cv-too-optimistic-best-k
"""

from pathlib import Path

import pandas as pd
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, PolynomialFeatures

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv").sample(120, random_state=1)
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
model = make_pipeline(pairs, SelectKBest(chi2), LogisticRegression(C=10, max_iter=1000))

cv = StratifiedKFold(5, shuffle=True, random_state=0)
scores = {}
for k in [2, 5, 10, 20, 50, 100, 200]:  # each fold picks its own k columns: no leak there
    model.set_params(selectkbest__k=k)
    scores[k] = cross_val_score(model, X_train, y_train, cv=cv, scoring="roc_auc").mean()
best = max(scores, key=scores.get)
# The winner's score was one of those compared: score it again on fresh folds.
cv = StratifiedKFold(5, shuffle=True, random_state=1)
model.set_params(selectkbest__k=best)
cv_score = cross_val_score(model, X_train, y_train, cv=cv, scoring="roc_auc").mean()

model.set_params(selectkbest__k=best).fit(X_train, y_train)
print(f"trained on {len(X_train)} passengers, the {best} best columns kept")
print(f"cross-validated ROC AUC: {cv_score:.3f}")
