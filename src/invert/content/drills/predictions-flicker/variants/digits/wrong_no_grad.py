"""Drill: which digit is this? A PyTorch network that reads one image at a time.

The brief: a small neural network that reads a handwritten digit (0 to 9) from its 8x8 image. It
will run behind a scanner that sends one image at a time. Keep `predict(frame)`, which takes raw
rows of the data file (64 pixel columns, grey levels 0 to 16) and returns the digits, and the
accuracy on the test rows in `test_accuracy`.

Run it:    python drills/predictions_flicker_digits.py
Check it:  invert check predictions-flicker-digits
"""

from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import train_test_split

torch.manual_seed(0)
torch.set_num_threads(1)  # a network this small runs fastest on one thread
DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
images = pd.read_csv(DATA / "digits.csv")
X = images.drop(columns="digit")
y = images["digit"]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)


def features(frame):
    return torch.tensor(frame.to_numpy() / 16.0, dtype=torch.float32)  # grey levels to 0..1


inputs = features(X_train)
labels = torch.tensor(y_train.to_numpy(), dtype=torch.long)
net = torch.nn.Sequential(
    torch.nn.Linear(64, 32),
    torch.nn.ReLU(),
    torch.nn.Dropout(0.5),
    torch.nn.Linear(32, 10),
)
optimiser = torch.optim.Adam(net.parameters(), lr=0.003)
for _ in range(30):  # epochs
    for batch in torch.randperm(len(inputs)).split(64):
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(inputs[batch]), labels[batch])
        loss.backward()
        optimiser.step()


def predict(frame):
    """The digit, 0 to 9, for each raw row of the data file."""
    with torch.no_grad():  # inference only
        logits = net(features(frame)).numpy()
    return logits.argmax(axis=1)


test_accuracy = float(np.mean(predict(X_test) == y_test.to_numpy()))
repeat_agreement = float(np.mean(predict(X_test) == predict(X_test)))
print(f"test accuracy: {test_accuracy:.3f}")
print(f"the same test images read twice agree on {repeat_agreement:.1%} of them")
