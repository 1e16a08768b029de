"""Drill: who survives the Titanic? A random forest, for passengers as they board.

The brief: a model that says, for a passenger walking up the gangway, whether they will survive.
Keep the fitted pipeline in `model` (it takes the raw columns of the data file) and the
accuracy on the test rows in `test_accuracy`.

Run it:    python drills/titanic_too_good_forest_boat.py
Check it:  invert check titanic-too-good-forest-boat
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
# The columns that describe a passenger: class, sex, age, family, fare, port, boat.
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked", "boat"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=1
)

numbers = ["pclass", "age", "sibsp", "parch", "fare"]
words = ["sex", "embarked", "boat"]
prepare = make_column_transformer(
    (SimpleImputer(strategy="median"), numbers),
    (
        make_pipeline(
            SimpleImputer(strategy="constant", fill_value="none"),
            OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
        ),
        words,
    ),
)
forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=2, random_state=0)
model = make_pipeline(prepare, forest)
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.3f}")
