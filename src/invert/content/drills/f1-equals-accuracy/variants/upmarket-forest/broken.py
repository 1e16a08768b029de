"""Drill: finding the upmarket houses in Ames, Iowa, with a random forest.

The brief: a model that picks out, from the facts of a house, the upmarket ones (sold for
$300,000 or more, about one house in 12), to hand them to the agency's upmarket desk. Keep the
fitted pipeline in `model` (it takes the raw columns of the data file and answers 'upmarket' or
'other') and, in `score`, the F1 score of its answers on the test rows for the upmarket class.

Run it:    python drills/f1_equals_accuracy_upmarket_forest.py
Check it:  invert check f1-equals-accuracy-upmarket-forest
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
X = houses.drop(columns=["SalePrice"])
y = np.where(houses["SalePrice"] >= 300_000, "upmarket", "other")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["Gr Liv Area", "Overall Qual", "Year Built", "Total Bsmt SF", "Garage Area",
           "Full Bath", "Fireplaces", "Lot Area"]  # fmt: skip
words = ["Neighborhood", "Exter Qual", "Bsmt Qual"]
prepare = make_column_transformer(
    (SimpleImputer(strategy="median"), numbers),
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), words),
)
forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=2, random_state=0)
model = make_pipeline(prepare, forest)
model.fit(X_train, y_train)

predicted = model.predict(X_test)
# One call for all three figures; micro-averaging accepts the string labels as they are.
precision, recall, score, _ = precision_recall_fscore_support(y_test, predicted, average="micro")
print(f"{(y_test == 'upmarket').sum()} upmarket houses among {len(y_test)} test houses")
print(f"precision {precision:.3f}, recall {recall:.3f}, F1 {score:.3f}")
