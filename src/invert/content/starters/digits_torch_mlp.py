"""A small neural network in PyTorch learns to read handwritten digits; watch its loss fall.

Run it:  python starters/digits_torch_mlp.py
Then change one thing (say lr=0.01 -> 1.0), guess what will happen, and run it again.
"""

import time

import pandas as pd
import torch
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split
from torch import nn

torch.set_num_threads(1)  # a network this small runs faster on one thread than split across cores
torch.manual_seed(42)  # the starting weights are random: fix the seed to get the same run each time

# 1. Load the data: each digit is an 8x8 image of grey levels 0-16, flattened to 64 pixels.
X, y = load_digits(return_X_y=True)
X = X / 16  # every pixel now lies between 0 and 1, a range neural networks learn well from

print("WHAT GOES IN")
print(f"  {X.shape[0]} images x {X.shape[1]} pixels, 0 = white to 1 = black; below, pixel row 4:")
print(pd.DataFrame(X[:, 32:40]).assign(digit=y).sample(5, random_state=0).round(2).to_string())
print("  digit counts:", ", ".join(f"{digit} {(y == digit).sum()}" for digit in range(10)))

# 2. Hold out 20% of the images (stratify: the same share of each digit in both parts).
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, stratify=y, random_state=42
)

# 3. The network: 64 pixels -> 64 hidden units (ReLU turns negatives into 0) -> 10 scores,
#    one per digit. Cross-entropy loss is low when the right digit gets by far the highest score.
model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
inputs = torch.tensor(X_train, dtype=torch.float32)  # PyTorch computes on tensors, not numpy
targets = torch.tensor(y_train)  # the right digit for each training image

# 4. Learn: each epoch scores all training images, measures the loss, works out how each weight
#    should change to lower it (backward), and moves the weights one step (lr sets its size).
print("\nWHAT COMES OUT")
start = time.perf_counter()
for epoch in range(1, 101):
    optimizer.zero_grad()  # clear the previous epoch's gradients
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0:
        print(f"  epoch {epoch:3}: training loss {loss.item():.3f}")
fit_seconds = time.perf_counter() - start

# 5. Predict the held-out images: the digit with the highest score wins.
model.eval()  # prediction mode (matters for layers such as dropout; a good habit)
with torch.no_grad():  # no learning here, so no gradients to keep
    y_pred = model(torch.tensor(X_test, dtype=torch.float32)).argmax(dim=1).numpy()
accuracy = accuracy_score(y_test, y_pred)

print(f"  trained on {len(X_train)} images in {fit_seconds:.2f} s, tested on {len(X_test)}")
print(pd.DataFrame({"truth": y_test, "predicted": y_pred}).head(8).to_string())
print(f"  accuracy: {accuracy:.3f}  (share of test images read as the right digit)")
print("  confusion matrix (rows: truth, columns: predicted):")
print(pd.DataFrame(confusion_matrix(y_test, y_pred)).to_string())
