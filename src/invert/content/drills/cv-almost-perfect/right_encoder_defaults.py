"""Drill: Titanic survival, helped by who travelled on the same ticket.

The brief: rank passengers by their chance of survival (survived = 1), using, besides the usual
columns, their ticket number (people on one ticket travelled together and often shared a fate),
and estimate by 5-fold cross-validation on the training rows how well the pipeline ranks new
passengers (ROC AUC, the mean over the folds). Keep the fitted pipeline in `model` (it takes the
raw columns of the data file), the splitter in `cv` and the cross-validated ROC AUC in `cv_score`.

Run it:    python drills/cv_almost_perfect.py
Check it:  invert check cv-almost-perfect
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler, TargetEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked", "ticket"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

cv = StratifiedKFold(5, shuffle=True, random_state=0)
numbers = ["pclass", "age", "sibsp", "parch", "fare"]
words = ["sex", "embarked"]
prepare = make_column_transformer(
    (TargetEncoder(), ["ticket"]),  # each ticket becomes its passengers' survival rate
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()), words),
)
classifier = LogisticRegression(max_iter=1000)
model = make_pipeline(prepare, classifier)

# Cross-validate the whole pipeline: each fold learns the ticket rates from its own part.
cv_score = cross_val_score(model, X_train, y_train, cv=cv, scoring="roc_auc").mean()

model.fit(X_train, y_train)
print(f"trained on {len(X_train)} passengers, {X_train['ticket'].nunique()} distinct tickets")
print(f"cross-validated ROC AUC: {cv_score:.3f}")
