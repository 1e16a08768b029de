"""Drill: spotting the handwritten nines among scanned digits.

The brief: a model that picks out, from the 64 grey levels of an 8x8 scan, the digits that are
a nine (about one digit in ten), to send them to a clerk who checks them by hand. Keep the
fitted pipeline in `model` (it takes the pixel columns of the data file and answers 'nine' or
'other') and, in `score`, the F1 score of its answers on the test rows for the class 'nine'.

Run it:    python drills/f1_equals_accuracy_nines.py
Check it:  invert check f1-equals-accuracy-nines
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
digits = pd.read_csv(DATA / "digits.csv")
X = digits.drop(columns=["digit"])
y = np.where(digits["digit"] == 9, "nine", "other")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
model.fit(X_train, y_train)

predicted = model.predict(X_test)
# The F1 of the class that matters: precision and recall on the nines.
score = f1_score(y_test, predicted, pos_label="nine")
print(f"{(y_test == 'nine').sum()} nines among {len(y_test)} test digits")
print(f"accuracy {accuracy_score(y_test, predicted):.3f}, F1 {score:.3f}")
