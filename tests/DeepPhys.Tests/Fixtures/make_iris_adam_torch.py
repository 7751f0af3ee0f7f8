#!/usr/bin/env python3
"""Writes iris_adam_torch.json: PyTorch trains the Iris network and records every number DeepPhys must reproduce.

Run by hand, not by CI (Debian: apt-get install python3-torch; use /usr/bin/python3):
    cd tests/DeepPhys.Tests/Fixtures && /usr/bin/python3 make_iris_adam_torch.py

What it does: standardises the 150 Iris rows (population standard deviation), initialises
Linear(4,16)-ReLU-Linear(16,16)-ReLU-Linear(16,16)-ReLU-Linear(16,3) with PyTorch's own
default initialisation, then trains with Adam (lr 1e-2) and cross-entropy on batches of 8 in
file order (no shuffling) for 10 epochs, in float64 (so the comparison is not blurred by
float32 rounding, which Adam's division by sqrt(v) amplifies) on one thread.

Weight layout: DeepPhys keeps each dense layer as weights [inputs, units] row-major followed
by the bias [units] (Keras's kernel layout). torch.nn.Linear.weight is [units, inputs], so the
DeepPhys weights are linear.weight.T flattened.
"""
import csv
import json

import numpy as np
import torch

EPOCHS, BATCH, LEARNING_RATE, SEED = 10, 8, 1e-2, 20261123

torch.manual_seed(SEED)
torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)

with open("../../../samples/Iris/iris.csv", newline="") as f:
    rows = list(csv.reader(f))[1:]
species = sorted({r[4] for r in rows})
features = np.array([[float(v) for v in r[:4]] for r in rows], dtype=np.float64)
features = (features - features.mean(axis=0)) / features.std(axis=0)
labels = np.array([species.index(r[4]) for r in rows])

sizes = [(4, 16), (16, 16), (16, 16), (16, 3)]
linears = [torch.nn.Linear(i, o) for i, o in sizes]
model = torch.nn.Sequential(
    linears[0], torch.nn.ReLU(), linears[1], torch.nn.ReLU(), linears[2], torch.nn.ReLU(), linears[3])


def flat_parameters():
    return [float(v) for l in linears
            for v in np.concatenate([l.weight.detach().numpy().T.ravel(), l.bias.detach().numpy()])]


initial = flat_parameters()
optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
x, y = torch.tensor(features), torch.tensor(labels)
epoch_losses = []
for epoch in range(EPOCHS):
    total = 0.0
    for start in range(0, len(x), BATCH):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x[start:start + BATCH]), y[start:start + BATCH])
        loss.backward()
        optimizer.step()
        total += loss.item() * len(x[start:start + BATCH])
    epoch_losses.append(total / len(x))

with open("iris_adam_torch.json", "w") as f:
    json.dump({
        "source": "make_iris_adam_torch.py, torch " + torch.__version__,
        "epochs": EPOCHS, "batchSize": BATCH, "learningRate": LEARNING_RATE,
        "features": [float(v) for v in features.ravel()],
        "labels": labels.tolist(),
        "initialParameters": initial,
        "epochLosses": epoch_losses,
        "finalParameters": flat_parameters(),
    }, f)
print("wrote iris_adam_torch.json; final mean loss", epoch_losses[-1])
