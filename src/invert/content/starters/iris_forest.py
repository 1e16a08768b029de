"""Your first model: tell three species of iris apart from four measurements.

Run it:  python starters/iris_forest.py
Then change one thing (say, keep only the sepal width), guess what will happen, and run it again.
"""

import time

import pandas as pd
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split

# 1. Load the data: X holds the measurements (one row per flower), y the species to predict.
iris = load_iris(as_frame=True)
X = iris.data
y = iris.target.map(dict(enumerate(iris.target_names.tolist())))  # 0, 1, 2 -> species names

print("WHAT GOES IN")
print(f"  {X.shape[0]} flowers x {X.shape[1]} measurements (cm): {', '.join(X.columns)}")
print(X.assign(species=y).sample(5, random_state=0).to_string())
print("  species counts:", ", ".join(f"{name} {count}" for name, count in y.value_counts().items()))

# 2. Hold out 20% of the flowers: the model never sees them while it learns.
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

# 3. Learn: a forest of 100 decision trees, each trained on a random resample of the rows.
model = RandomForestClassifier(n_estimators=100, random_state=42)
start = time.perf_counter()
model.fit(X_train, y_train)
fit_seconds = time.perf_counter() - start

# 4. Predict the held-out flowers and compare with the truth.
y_pred = model.predict(X_test)
accuracy = accuracy_score(y_test, y_pred)

print("\nWHAT COMES OUT")
print(f"  trained on {len(X_train)} flowers in {fit_seconds:.2f} s, tested on {len(X_test)}")
print(pd.DataFrame({"truth": y_test, "predicted": y_pred}).head(8).to_string())
print(f"  accuracy: {accuracy:.3f}  (share of test flowers whose species was right)")
labels = sorted(y.unique())
matrix = pd.DataFrame(confusion_matrix(y_test, y_pred, labels=labels), index=labels, columns=labels)
print("  confusion matrix (rows: truth, columns: predicted):")
print(matrix.to_string())
