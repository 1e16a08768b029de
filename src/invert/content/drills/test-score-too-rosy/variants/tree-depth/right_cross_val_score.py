"""Drill: who survives the Titanic? A decision tree with its depth tuned.

The brief: predict, for a passenger as they board, whether they will survive. Choose the depth
of the tree by 5-fold cross-validation on the training rows, then report the accuracy on the
test rows once. Keep the fitted pipeline in `model` (it takes the raw columns of the data file)
and the test accuracy in `test_accuracy`.

Run it:    python drills/test_score_too_rosy_tree_depth.py
Check it:  invert check test-score-too-rosy-tree-depth
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder
from sklearn.tree import DecisionTreeClassifier

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=8
)

prepare = make_column_transformer(
    (SimpleImputer(strategy="median"), ["pclass", "age", "sibsp", "parch", "fare"]),
    (
        make_pipeline(
            SimpleImputer(strategy="most_frequent"),
            OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1),
        ),
        ["sex", "embarked"],
    ),
)
model = make_pipeline(prepare, DecisionTreeClassifier(random_state=0))
depths = list(range(1, 16))  # from a single question to fifteen questions deep

# Each depth scored by 5-fold cross-validation of the training rows (the simplest tree wins a
# tie); the test rows are scored once, by the tree refitted on every training row.
cv_means = [
    cross_val_score(
        model.set_params(decisiontreeclassifier__max_depth=depth), X_train, y_train, cv=5
    ).mean()
    for depth in depths
]
best_depth = depths[cv_means.index(max(cv_means))]
model.set_params(decisiontreeclassifier__max_depth=best_depth).fit(X_train, y_train)
test_accuracy = model.score(X_test, y_test)

print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"chosen depth = {best_depth}, test accuracy: {test_accuracy:.3f}")
