"""Drill: finding the luxury houses in Ames, Iowa.

The brief: a model that picks out, from the facts of a house, the luxury ones (sold for $350,000
or more, about one house in 25), to route them to the agency's luxury team. Keep the fitted
pipeline in `model` (it takes the raw columns of the data file and answers 'luxury' or
'other') and, in `score`, the F1 score of its answers on the test rows for the luxury class.

Run it:    python drills/f1_equals_accuracy.py
Check it:  invert check f1-equals-accuracy
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
X = houses.drop(columns=["SalePrice"])
y = np.where(houses["SalePrice"] >= 350_000, "luxury", "other")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Cars", "Lot Area"]
words = ["Neighborhood", "Kitchen Qual"]
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (OneHotEncoder(handle_unknown="ignore"), words),
)
# Only one house in 25 is a luxury one: weight the classes so that they count the same.
model = make_pipeline(prepare, LogisticRegression(max_iter=1000, class_weight="balanced"))
model.fit(X_train, y_train)

predicted = model.predict(X_test)
# The F1 of the class that matters: precision and recall on the luxury houses.
score = f1_score(y_test, predicted, pos_label="luxury")
print(f"{(y_test == 'luxury').sum()} luxury houses among {len(y_test)} test houses")
print(f"accuracy {accuracy_score(y_test, predicted):.3f}, F1 {score:.3f}")
