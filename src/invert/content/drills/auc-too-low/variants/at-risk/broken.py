"""Drill: ranking Titanic passengers by their risk of dying, with a forest.

The brief: a model that ranks passengers, as they board, from most to least at risk of dying
(survived = 0), so that a crew can look after the most exposed first; it is judged by how well
it ranks. Keep the fitted pipeline in `model` (it takes the raw columns of the data file) and the
area under the ROC curve of its ranking of the test rows in `auc`.

Run it:    python drills/auc_too_low_at_risk.py
Check it:  invert check auc-too-low-at-risk
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "sibsp", "parch", "fare", "embarked"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

numbers = ["pclass", "age", "sibsp", "parch", "fare"]
words = ["sex", "embarked"]
prepare = make_column_transformer(
    (SimpleImputer(strategy="median"), numbers),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OrdinalEncoder()), words),
)
forest = RandomForestClassifier(n_estimators=300, min_samples_leaf=3, random_state=0)
model = make_pipeline(prepare, forest)
model.fit(X_train, y_train)

died = y_test == 0  # the passengers the ranking should put first
ranking = model.predict(X_test) == 0
false_alarms, found, thresholds = roc_curve(died, ranking)
auc = roc_auc_score(died, ranking)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"ROC curve through {len(found)} points, area under it (AUC): {auc:.3f}")
