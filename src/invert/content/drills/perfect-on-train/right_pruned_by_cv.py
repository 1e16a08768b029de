"""Drill: who earns more than $50K? A decision tree on census answers.

The brief: predict, from a person's census answers, whether they earn more than $50K a year,
as accurately as possible for people who are not in the file. Keep the fitted pipeline in
`model` (it takes the raw columns of the data file), the accuracy on the test rows in
`test_accuracy` and the accuracy on the training rows in `train_accuracy`.

Run it:    python drills/perfect_on_train.py
Check it:  invert check perfect-on-train
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder
from sklearn.tree import DecisionTreeClassifier

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
people = pd.read_csv(DATA / "adult.csv")
X = people.drop(columns=["income"])
y = people["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

words = [
    "workclass",
    "education",
    "marital-status",
    "occupation",
    "relationship",
    "race",
    "gender",
    "native-country",
]
# Categories become integer codes (a tree only compares them); numbers pass through.
prepare = make_column_transformer(
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), words),
    remainder="passthrough",
)
# Grow the full tree, then prune back the branches that buy too little: the strength of
# the cost-complexity pruning is chosen by 5-fold cross-validation on the training rows.
tree = make_pipeline(prepare, DecisionTreeClassifier(random_state=0))
alphas = {"decisiontreeclassifier__ccp_alpha": [0.0001, 0.0002, 0.0005, 0.001, 0.002]}
search = GridSearchCV(tree, alphas, cv=5).fit(X_train, y_train)
model = search.best_estimator_

train_accuracy = model.score(X_train, y_train)
test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} people, tested on {len(X_test)}")
print(f"tree: depth {model[-1].get_depth()}, {model[-1].get_n_leaves()} leaves")
print(f"training accuracy: {train_accuracy:.3f}, test accuracy: {test_accuracy:.3f}")
