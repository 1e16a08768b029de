"""Read handwritten digits: each image is 64 numbers, and a support vector machine learns 0-9.

Run it:  python starters/digits_svm.py
Then change one thing (say gamma=0.001 -> 0.1), guess what will happen, and run it again.
"""

import time

import pandas as pd
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

# 1. Load the data: each digit is an 8x8 image of grey levels from 0 (white) to 16 (black),
#    flattened into one row of 64 numbers (pixel_0_0 is the top-left pixel). y is the digit.
digits = load_digits(as_frame=True)
X = digits.data
y = digits.target

print("WHAT GOES IN")
print(f"  {X.shape[0]} images x {X.shape[1]} pixels: {', '.join(X.columns[:3])}, ..., pixel_7_7")
middle = [f"pixel_4_{col}" for col in range(8)]  # 64 columns are too many: show pixel row 4
print(X[middle].astype(int).assign(digit=y).sample(5, random_state=0).to_string())
first = X.sample(5, random_state=0).iloc[0]  # its pixel row 4 is the table's first line
shades = " .:-=+*#%@"  # from grey level 0 (blank) to 16 (darkest)
print(f"  the first of those images (a {y[first.name]}), its 64 numbers drawn as 8 rows of 8:")
for row in first.to_numpy().reshape(8, 8):
    print("    |" + "".join(shades[int(level) * 9 // 16] * 2 for level in row) + "|")
print("  digit counts:", ", ".join(f"{d} {n}" for d, n in sorted(y.value_counts().items())))

# 2. Hold out 20% of the images: the model never sees them while it learns.
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

# 3. Learn: a support vector machine with an RBF kernel. It compares images by how similar their
#    64 pixels are; gamma sets how close two images must be to count as similar. All pixels
#    share the same 0-16 scale already, so no scaling step is needed.
model = SVC(kernel="rbf", gamma=0.001)
start = time.perf_counter()
model.fit(X_train, y_train)
fit_seconds = time.perf_counter() - start

# 4. Predict the held-out images and compare with the truth.
y_pred = model.predict(X_test)
accuracy = accuracy_score(y_test, y_pred)

print("\nWHAT COMES OUT")
print(f"  trained on {len(X_train)} images in {fit_seconds:.2f} s, tested on {len(X_test)}")
print(pd.DataFrame({"truth": y_test, "predicted": y_pred}).head(8).to_string())
print(f"  accuracy: {accuracy:.3f}  (share of test images read as the right digit)")
labels = sorted(y.unique())
matrix = pd.DataFrame(confusion_matrix(y_test, y_pred, labels=labels), index=labels, columns=labels)
print("  confusion matrix (rows: truth, columns: predicted):")
print(matrix.to_string())
