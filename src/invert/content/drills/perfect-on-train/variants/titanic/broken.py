"""Drill: who survived the Titanic? A decision tree on what the booking records say.

The brief: predict, from a passenger's class, sex, age, relatives aboard, fare and port of
embarkation, whether they survived, as accurately as possible for passengers who are not in the
file. Keep the fitted pipeline in `model` (it takes the raw columns of the data file), the
accuracy on the test rows in `test_accuracy` and the accuracy on the training rows in
`train_accuracy`.

Run it:    python drills/perfect_on_train_titanic.py
Check it:  invert check perfect-on-train-titanic
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder
from sklearn.tree import DecisionTreeClassifier

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# Sex and port become integer codes (a tree only compares them); numbers pass through, a
# missing age or fare included: the tree sends it down the branch that suits it best.
prepare = make_column_transformer(
    (
        OrdinalEncoder(
            handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1
        ),
        ["sex", "embarked"],
    ),
    remainder="passthrough",
)
model = make_pipeline(prepare, DecisionTreeClassifier(random_state=0))
model.fit(X_train, y_train)

train_accuracy = model.score(X_train, y_train)
test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"tree: depth {model[-1].get_depth()}, {model[-1].get_n_leaves()} leaves")
print(f"training accuracy: {train_accuracy:.3f}, test accuracy: {test_accuracy:.3f}")
