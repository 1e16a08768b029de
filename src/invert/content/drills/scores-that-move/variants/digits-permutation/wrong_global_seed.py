"""Drill: which digit is this? Nearest neighbours, a split by hand, a score for a report.

The brief: a model that reads a handwritten digit (0 to 9) from its 8x8 image. Its test accuracy
goes into a report that a colleague must be able to reproduce by running this script. Keep the
fitted pipeline in `model` (it takes the raw pixel columns of the data file) and the accuracy on
the test rows in `test_accuracy`.

Run it:    python drills/scores_that_move_digits_permutation.py
Check it:  invert check scores-that-move-digits-permutation
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
np.random.seed(0)  # fix every random number of the script
images = pd.read_csv(DATA / "digits.csv")
X = images.drop(columns="digit")
y = images["digit"]
# The split by hand: shuffle the row numbers, the first quarter tests, the rest trains.
rng = np.random.default_rng()
shuffled = rng.permutation(len(images))
cut = len(images) // 4
test, train = shuffled[:cut], shuffled[cut:]
X_train, X_test, y_train, y_test = X.iloc[train], X.iloc[test], y.iloc[train], y.iloc[test]

model = make_pipeline(MinMaxScaler(), KNeighborsClassifier(n_neighbors=5))
model.fit(X_train, y_train)

test_accuracy = model.score(X_test, y_test)
print(f"trained on {len(X_train)} images, tested on {len(X_test)}")
print(f"test accuracy: {test_accuracy:.4f}")
