"""Drill: finding the high earners in the census with a decision tree.

The brief: a model that picks out, among adults in the census, those who earn more than 50K a
year (income '>50K'), so that they can be sent a survey meant for them, with a decision tree
the survey team can read. Keep the fitted pipeline in `model` (it takes the raw columns of the
data file) and its balanced accuracy on the test rows (the mean of the recall of each class) in
`score`.

Run it:    python drills/high_earners_missed_tree.py
Check it:  invert check high-earners-missed-tree
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.metrics import classification_report
from sklearn.model_selection import FixedThresholdClassifier, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder
from sklearn.tree import DecisionTreeClassifier

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
adults = pd.read_csv(DATA / "adult.csv")
X = adults.drop(columns=["income"])
y = adults["income"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
words = ["workclass", "marital-status", "occupation", "relationship", "race", "gender"]
prepare = make_column_transformer(
    ("passthrough", numbers),
    (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1), words),
)
tree = DecisionTreeClassifier(max_depth=6, random_state=0)
# Call someone a high earner once their chance passes the share of high earners, not one half.
share = float((y_train == ">50K").mean())
model = FixedThresholdClassifier(make_pipeline(prepare, tree), threshold=share, pos_label=">50K")
model.fit(X_train, y_train)

report = classification_report(y_test, model.predict(X_test), output_dict=True)
# Balanced accuracy: the recall of each class, each class counting the same.
score = report["macro avg"]["recall"]
print(f"trained on {len(X_train)} adults, tested on {len(X_test)}")
print(f"recall of '>50K': {report['>50K']['recall']:.3f}, averaged recall: {score:.3f}")
