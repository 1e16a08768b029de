"""Drill: diabetes progression, fitted by gradient descent in PyTorch.

The brief: how far a patient's diabetes progresses in a year, from ten measurements taken at
the start, fitted by a linear model with mini-batch stochastic gradient descent. Record the
mean training loss of every epoch in `losses` and keep `predict(frame)`, which takes raw rows
of the data file and returns the progression score.

Run it:    python drills/loss_goes_nan_diabetes.py
Check it:  invert check loss-goes-nan-diabetes
"""

from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import train_test_split

torch.manual_seed(0)
torch.set_num_threads(1)  # a network this small runs fastest on one thread
DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
patients = pd.read_csv(DATA / "diabetes.csv")
features = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
X_train, X_test, y_train, y_test = train_test_split(
    patients[features], patients["progression"], test_size=0.25, random_state=0
)
mean, scale = X_train.mean(), X_train.std()
target_mean, target_scale = y_train.mean(), y_train.std()


def prepare(frame):
    """Raw rows -> standardised features, using the training rows' statistics."""
    return torch.tensor(((frame[features] - mean) / scale).to_numpy(), dtype=torch.float32)


inputs = prepare(X_train)
targets = torch.tensor(((y_train - target_mean) / target_scale).to_numpy(), dtype=torch.float32)
net = torch.nn.Linear(len(features), 1)
optimiser = torch.optim.SGD(net.parameters(), lr=0.3)  # half the step
losses = []
for epoch in range(40):
    total = 0.0
    for batch in torch.randperm(len(inputs)).split(32):
        optimiser.zero_grad()
        loss = torch.nn.functional.mse_loss(net(inputs[batch]).squeeze(1), targets[batch])
        loss.backward()
        optimiser.step()
        total += loss.item() * len(batch)
    losses.append(total / len(inputs))
    print(f"epoch {epoch + 1}: training loss {losses[-1]:.4g}")
finite_epochs = int(np.isfinite(losses).sum())


def predict(frame):
    """Progression scores for raw rows of the data file."""
    with torch.no_grad():
        return net(prepare(frame)).squeeze(1).numpy() * target_scale + target_mean


test_r2 = 1 - np.mean((predict(X_test) - y_test.to_numpy()) ** 2) / np.var(y_test.to_numpy())
print(f"{finite_epochs} of {len(losses)} epochs had a finite training loss")
print(f"test R²: {test_r2:.3f}")
