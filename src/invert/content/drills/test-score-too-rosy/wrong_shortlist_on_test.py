"""Drill: who survives the Titanic? A nearest-neighbours model with its k tuned.

The brief: predict, for a passenger as they board, whether they will survive. Choose the number
of neighbours k by 5-fold cross-validation on the training rows, then report the accuracy on
the test rows once. Keep the fitted pipeline in `model` (it takes the raw columns of the data
file) and the test accuracy in `test_accuracy`.

Run it:    python drills/test_score_too_rosy.py
Check it:  invert check test-score-too-rosy
"""

from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
passengers = pd.read_csv(DATA / "titanic.csv")
X = passengers.drop(columns=["survived", "boat", "body", "name", "ticket", "cabin", "home.dest"])
y = passengers["survived"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=8
)

numbers = ["pclass", "age", "sibsp", "parch", "fare"]
words = ["sex", "embarked"]
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numbers),
    (
        make_pipeline(
            SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
        ),
        words,
    ),
)
model = make_pipeline(prepare, KNeighborsClassifier())
candidates = list(range(1, 41, 2))  # k = 1, 3, ..., 39

search = GridSearchCV(model, {"kneighborsclassifier__n_neighbors": candidates}, cv=5)
search.fit(X_train, y_train)
ranks = search.cv_results_["rank_test_score"]
# the three best by CV
shortlist = [k for k, rank in zip(candidates, ranks, strict=True) if rank <= 3]
best_k, test_accuracy = None, 0.0
for k in shortlist:  # settle between the close ones on the test rows
    model.set_params(kneighborsclassifier__n_neighbors=k).fit(X_train, y_train)
    score = model.score(X_test, y_test)
    if score > test_accuracy:
        best_k, test_accuracy = k, score
model.set_params(kneighborsclassifier__n_neighbors=best_k).fit(X_train, y_train)

print(f"trained on {len(X_train)} passengers, tested on {len(X_test)}")
print(f"chosen k = {best_k}, test accuracy: {test_accuracy:.3f}")
