"""Drill: Titanic survival, helped by where passengers were going home to.

The brief: rank passengers by their chance of survival (survived = 1), using, besides the usual
columns, their home or destination (home.dest: people bound for one town often travelled, and
fared, together), encoded as the survival rate of the passengers bound for it; and estimate by
5-fold cross-validation on the training rows how well the pipeline ranks new passengers (ROC
AUC, the mean over the folds). Keep the fitted pipeline in `model` (it takes the raw columns of
the data file), the splitter in `cv` and the cross-validated ROC AUC in `cv_score`.

Run it:    python drills/cv_almost_perfect_hometown.py
Check it:  invert check cv-almost-perfect-hometown
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked", "home.dest"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

cv = StratifiedKFold(5, shuffle=True, random_state=0)
numbers = ["pclass", "age", "sibsp", "parch", "fare"]
words = ["sex", "embarked"]
home = make_pipeline(SimpleImputer(strategy="constant", fill_value="unknown"), TargetEncoder(cv=cv))
prepare = make_column_transformer(
    (home, ["home.dest"]),  # each destination becomes its passengers' survival rate
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()), words),
)
classifier = LogisticRegression(max_iter=1000)
model = make_pipeline(prepare, classifier)

# Folds by hand: refit the encoder in every fold, then fit and score the classifier.
scores = []
for fit_rows, held_out in cv.split(X_train, y_train):
    encoded = clone(prepare).fit(X_train, y_train).transform(X_train)
    fold = clone(classifier).fit(encoded[fit_rows], y_train.iloc[fit_rows])
    chance = fold.predict_proba(encoded[held_out])[:, 1]
    scores.append(roc_auc_score(y_train.iloc[held_out], chance))
cv_score = np.mean(scores)

model.fit(X_train, y_train)
print(f"trained on {len(X_train)} passengers, {X_train['home.dest'].nunique()} destinations")
print(f"cross-validated ROC AUC: {cv_score:.3f}")
