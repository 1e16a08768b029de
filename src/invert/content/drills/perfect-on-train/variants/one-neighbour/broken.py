"""Drill: who survived the Titanic? The answer of the most similar passenger on record.

The brief: predict, from a passenger's class, sex, age, relatives aboard and fare, whether they
survived, as accurately as possible for passengers who are not in the file. Keep the fitted
pipeline in `model` (it takes the raw columns of the data file), the accuracy on the test rows
in `test_accuracy` and the accuracy on the training rows in `train_accuracy`.

Run it:    python drills/perfect_on_train_one_neighbour.py
Check it:  invert check perfect-on-train-one-neighbour
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# Sex becomes 0 or 1; numbers get a median for what is missing and a comparable scale.
prepare = make_column_transformer(
    (OneHotEncoder(drop="if_binary"), ["sex"]),
    remainder=make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
)
# The passenger on record most like the new one knows best what happened to such a passenger.
model = make_pipeline(prepare, KNeighborsClassifier(n_neighbors=1))
model.fit(X_train, y_train)

train_accuracy = model.score(X_train, y_train)
test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"training accuracy: {train_accuracy:.3f}, test accuracy: {test_accuracy:.3f}")
