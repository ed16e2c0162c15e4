#!/usr/bin/env python3
"""Exports the tutorials' LeNet (the 60-minute blitz's `Net`, 1x32x32 inputs) into examples/models/lenet, with
PyTorch's default initialisation under a fixed seed: an untrained model, there to serve and to load-test
(the issue measures dynamic batching on LeNet).

    /usr/bin/python3 tools/lenet_example.py [--out examples/models]

Deterministic: rerunning writes the same bytes.
"""
import argparse
import pathlib
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = pathlib.Path(__file__).resolve().parent


class Net(nn.Module):
    """The tutorial's class as users write it, num_flat_features and all (fx cannot trace it; make_fx can)."""

    def __init__(self):
        super(Net, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, self.num_flat_features(x))
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

    def num_flat_features(self, x):
        size = x.size()[1:]  # all dimensions except the batch dimension
        num_features = 1
        for s in size:
            num_features *= s
        return num_features


def model():
    torch.manual_seed(0)
    return Net().eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(HERE.parent / "examples" / "models"))
    a = ap.parse_args()
    sys.path.insert(0, str(HERE))
    from export_model import export
    torch.set_num_threads(1)
    config = {"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 1000}}
    export(model(), (torch.zeros(1, 1, 32, 32),), a.out, "lenet", version=1, weights_format="pt", config=config)


if __name__ == "__main__":
    main()
