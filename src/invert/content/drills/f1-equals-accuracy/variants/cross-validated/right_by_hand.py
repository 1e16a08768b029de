"""Drill: finding the premium houses in Ames, Iowa, judged by cross-validation.

The brief: a model that picks out, from the facts of a house, the premium ones (sold for
$275,000 or more, about one house in nine), to route them to the premium team. Keep the fitted
pipeline in `model` (it takes the raw columns of the data file and answers 'premium' or
'other') and, in `score`, the F1 score for the premium class, cross-validated on the training
rows with 5 folds (the test rows stay aside for the final check).

Run it:    python drills/f1_equals_accuracy_cross_validated.py
Check it:  invert check f1-equals-accuracy-cross-validated
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
X = houses.drop(columns=["SalePrice"])
y = np.where(houses["SalePrice"] >= 275_000, "premium", "other")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Cars", "Lot Area"]
words = ["Neighborhood", "Kitchen Qual"]
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (OneHotEncoder(handle_unknown="ignore"), words),
)
model = make_pipeline(prepare, LogisticRegression(max_iter=1000))

# Each fold by hand: fit on four fifths, then the premium class's F1 on the fifth left out.
folds = []
for fit_rows, held_rows in StratifiedKFold(n_splits=5).split(X_train, y_train):
    fold_model = clone(model).fit(X_train.iloc[fit_rows], y_train[fit_rows])
    answers = fold_model.predict(X_train.iloc[held_rows])
    folds.append(f1_score(y_train[held_rows] == "premium", answers == "premium"))
score = float(np.mean(folds))
model.fit(X_train, y_train)
print(f"{(y_train == 'premium').sum()} premium houses among {len(y_train)} training houses")
print(f"cross-validated F1 of the premium class: {score:.3f}")
