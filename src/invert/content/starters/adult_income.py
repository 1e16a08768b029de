"""Who earns more than 50K a year? When one answer is rare, accuracy alone can fool you.

Run it:  python starters/adult_income.py
Then change one thing (class_weight=None -> "balanced"), guess what will happen, and run it again.
"""

import time
from pathlib import Path

import pandas as pd
from sklearn import metrics
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# 1. Load the data: one adult per row (1994 US census). "?" marks unknown, kept as a category.
DATA = Path(__file__).resolve().parent.parent / "data"  # the data folder next to starters/
people = pd.read_csv(DATA / "adult.csv.gz", skipinitialspace=True)
X, y = people.drop(columns=["income"]), people["income"]

print("WHAT GOES IN")
print(f"  {X.shape[0]} adults x {X.shape[1]} columns: {', '.join(X.columns[:6])}, ...")
print(people[["age", "education", "occupation", "income"]].sample(5, random_state=0).to_string())
print("  income counts:", ", ".join(f"{name} {count}" for name, count in y.value_counts().items()))

# 2. Hold out 20%; stratify keeps the same share of high earners in both parts.
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, stratify=y, random_state=42
)

# 3. Learn: scale the numbers, one-hot encode the text columns, then fit a logistic regression.
prepare = make_column_transformer(
    (StandardScaler(), make_column_selector(dtype_include="number")),
    (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
)
model = make_pipeline(prepare, LogisticRegression(max_iter=1000, class_weight=None))
start = time.perf_counter()
model.fit(X_train, y_train)
fit_seconds = time.perf_counter() - start

# 4. Grade the model and a baseline that always says "<=50K": right for the 76% who earn that, so
#    76% accuracy, yet recall 0 (it finds no high earner). Recall: share of real high earners found;
#    precision: share of predicted high earners who are; balanced accuracy: mean recall per class.
y_pred = model.predict(X_test)
always = DummyClassifier(strategy="most_frequent").fit(X_train, y_train).predict(X_test)
table = {}
for name, guess in [("always <=50K", always), ("model", y_pred)]:
    table[name] = {
        "accuracy": metrics.accuracy_score(y_test, guess),
        "recall >50K": metrics.recall_score(y_test, guess, pos_label=">50K"),
        "precision >50K": metrics.precision_score(y_test, guess, pos_label=">50K", zero_division=0),
        "balanced accuracy": metrics.balanced_accuracy_score(y_test, guess),
    }
balanced_accuracy = table["model"]["balanced accuracy"]

print("\nWHAT COMES OUT")
print(f"  trained on {len(X_train)} adults in {fit_seconds:.2f} s, tested on {len(X_test)}")
print(pd.DataFrame({"truth": y_test, "predicted": y_pred}).head(8).to_string())
print(pd.DataFrame(table).to_string(float_format="{:.3f}".format))
print("  the model's confusion matrix (rows: truth, columns: predicted):")
print(pd.crosstab(y_test, y_pred, rownames=["truth"], colnames=["predicted"]).to_string())
