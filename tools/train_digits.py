#!/usr/bin/env python3
"""Trains the bundled example model: a small CNN on scikit-learn's digits (8x8 grey images of 0-9), with
real PyTorch, and exports it into examples/models/digits with tools/export_model.py.

    /usr/bin/python3 tools/train_digits.py [--out examples/models] [--epochs 30]

Deterministic: one thread, fixed seeds, fixed split; rerunning gives the same weights.
"""
import argparse
import pathlib
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

HERE = pathlib.Path(__file__).resolve().parent


class DigitsNet(nn.Module):
    """LeNet's shape scaled to 8x8 inputs: two conv/relu/pool stages, then two linear layers."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


def data():
    d = load_digits()
    x = torch.tensor(d.images, dtype=torch.float32).unsqueeze(1) / 16.0  # pixel values 0..16 -> 0..1
    y = torch.tensor(d.target, dtype=torch.int64)
    g = torch.Generator().manual_seed(0)
    perm = torch.randperm(len(y), generator=g)
    test, train = perm[:360], perm[360:]
    return x[train], y[train], x[test], y[test]


def train(epochs):
    torch.manual_seed(0)
    torch.set_num_threads(1)
    xtr, ytr, xte, yte = data()
    model = DigitsNet()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    g = torch.Generator().manual_seed(1)
    for _ in range(epochs):
        model.train()
        for idx in torch.randperm(len(ytr), generator=g).split(32):
            opt.zero_grad()
            F.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    return model, acc, xte, yte


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(HERE.parent / "examples" / "models"))
    ap.add_argument("--epochs", type=int, default=30)
    a = ap.parse_args()
    model, acc, xte, _ = train(a.epochs)
    print(f"test accuracy {acc:.4f} on 360 held-out digits")
    sys.path.insert(0, str(HERE))
    from export_model import export
    config = {"max_batch_size": 64, "dynamic_batching": {"preferred_batch_size": [16, 32, 64], "max_queue_delay_microseconds": 2000}}
    export(model, (xte[:1],), a.out, "digits", version=1, weights_format="pt", config=config,
           input_names=["input__0"], output_names=["output__0"])


if __name__ == "__main__":
    main()
