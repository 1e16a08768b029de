"""Drill: who survived the Titanic? Nearest neighbours on six facts about each passenger.

The brief: a model that says whether a passenger survived (1) or died (0) from their class,
age, siblings or spouse aboard, parents or children aboard, fare and sex. Keep the fitted
pipeline in `model` (it takes the raw columns of the data file) and the accuracy on the test
rows in `test_accuracy`.

Run it:    python drills/penguins_mixed_up_titanic.py
Check it:  invert check penguins-mixed-up-titanic
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
numbers = ["pclass", "age", "sibsp", "parch", "fare"]
X = passengers[[*numbers, "sex"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

prepare = make_column_transformer(
    (SimpleImputer(strategy="median"), numbers[:-1]),  # some ages are missing
    # fares run into the hundreds of pounds: take their logarithm to tame them
    (make_pipeline(SimpleImputer(strategy="median"), FunctionTransformer(np.log1p)), ["fare"]),
    (OneHotEncoder(drop="if_binary"), ["sex"]),  # 1 for male, 0 for female
)
model = make_pipeline(prepare, KNeighborsClassifier(n_neighbors=5))
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
