"""Drill: house prices in Ames, fitted by gradient descent in PyTorch on a summed loss.

The brief: a price in dollars for each house sold in Ames, Iowa, from a dozen numeric facts
about it, fitted with mini-batch stochastic gradient descent. Record the mean training loss
of every epoch in `losses` and keep `predict(frame)`, which takes raw rows of the data file
and returns prices in dollars.

Run it:    python drills/loss_goes_nan_summed_loss.py
Check it:  invert check loss-goes-nan-summed-loss
"""

from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.model_selection import train_test_split

torch.manual_seed(0)
torch.set_num_threads(1)  # a network this small runs fastest on one thread
DATA = Path(__file__).resolve().parent / "data"  # drills/data: the rows you are given
houses = pd.read_csv(DATA / "ames.csv")
features = ["Overall Qual", "Gr Liv Area", "Total Bsmt SF", "1st Flr SF", "Garage Cars",
            "Garage Area", "Year Built", "Year Remod/Add", "Full Bath", "TotRms AbvGrd",
            "Fireplaces", "Lot Area"]  # fmt: skip
X_train, X_test, y_train, y_test = train_test_split(
    houses[features], houses["SalePrice"], test_size=0.25, random_state=0
)
fill = X_train.median()
mean, scale = X_train.fillna(fill).mean(), X_train.fillna(fill).std()
price_mean, price_scale = y_train.mean(), y_train.std()


def prepare(frame):
    """Raw rows -> standardised features, using the training rows' statistics."""
    values = (frame[features].fillna(fill) - mean) / scale
    return torch.tensor(values.to_numpy(), dtype=torch.float32)


inputs = prepare(X_train)
targets = torch.tensor(((y_train - price_mean) / price_scale).to_numpy(), dtype=torch.float32)
net = torch.nn.Linear(len(features), 1)
# The summed loss of 256 houses curves 256 times as sharply as their mean, so the stable
# limit 2 / curvature is about 0.18 / 256 = 0.0007 here: stay well under it.
optimiser = torch.optim.SGD(net.parameters(), lr=0.0002)
losses = []
for epoch in range(30):
    total = 0.0
    for batch in torch.randperm(len(inputs)).split(256):
        optimiser.zero_grad()
        # Summed, not averaged: every house in the batch pulls with its full weight.
        guesses = net(inputs[batch]).squeeze(1)
        loss = torch.nn.functional.mse_loss(guesses, targets[batch], reduction="sum")
        loss.backward()
        optimiser.step()
        total += loss.item()
    losses.append(total / len(inputs))
    print(f"epoch {epoch + 1}: training loss {losses[-1]:.4g}")
finite_epochs = int(np.isfinite(losses).sum())


def predict(frame):
    """Prices in dollars for raw rows of the data file."""
    with torch.no_grad():
        return net(prepare(frame)).squeeze(1).numpy() * price_scale + price_mean


test_rmse = float(np.sqrt(np.mean((predict(X_test) - y_test.to_numpy()) ** 2)))
print(f"{finite_epochs} of {len(losses)} epochs had a finite training loss")
print(f"test RMSE: ${test_rmse:,.0f}")
