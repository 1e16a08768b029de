"""Drill: ranking Titanic passengers by their chance of survival, curve drawn by scikit-learn.

The brief: a model that ranks passengers, as they board, from most to least likely to survive
(survived = 1), to be judged by how well it ranks. Keep the fitted pipeline in `model` (it takes
the raw columns of the data file) and the area under the ROC curve of its ranking of the test
rows in `auc`; the curve is drawn to roc.png.

Run it:    python drills/auc_too_low_display.py
Check it:  invert check auc-too-low-display
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.metrics import RocCurveDisplay
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers[["pclass", "sex", "age", "fare"]]
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ["pclass", "age", "fare"]),
    (OneHotEncoder(), ["sex"]),
)
model = make_pipeline(prepare, KNeighborsClassifier(n_neighbors=25))
model.fit(X_train, y_train)

# predict gives hard 0/1 labels; the curve needs a score per passenger: P(survived = 1).
survives = list(model.classes_).index(1)
curve = RocCurveDisplay.from_predictions(y_test, model.predict_proba(X_test)[:, survives])
curve.figure_.savefig(Path(__file__).resolve().parent / "roc.png")
auc = curve.roc_auc
print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"ROC curve through {len(curve.tpr)} points, area under it (AUC): {auc:.3f}")
