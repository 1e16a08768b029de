"""Drill: ranking Titanic passengers by their chance of survival.

The brief: a model that ranks passengers, as they board, from most to least likely to survive
(survived = 1), to be judged by how well it ranks. Keep the fitted pipeline in `model` (it takes
the raw columns of the data file) and the area under the ROC curve of its ranking of the test
rows in `auc`.

Run it:    python drills/auc_too_low.py
Check it:  invert check auc-too-low
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

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
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (
        make_pipeline(
            SimpleImputer(strategy="most_frequent"),
            OneHotEncoder(handle_unknown="ignore"),
        ),
        words,
    ),
)
model = make_pipeline(prepare, LogisticRegression(max_iter=1000))
model.fit(X_train, y_train)

ranking = model.predict_proba(X_test)[:, 1].round(1)  # chance of survival, to the nearest 10%
false_alarms, found, thresholds = roc_curve(y_test, ranking)
auc = roc_auc_score(y_test, ranking)
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"ROC curve through {len(found)} points, area under it (AUC): {auc:.3f}")
