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

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from seed_models import Net  # noqa: E402  the tutorial's class as users write it, num_flat_features and all


def model():
    torch.manual_seed(0)
    return Net().eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(HERE.parent / "examples" / "models"))
    a = ap.parse_args()
    from export_model import export
    torch.set_num_threads(1)
    config = {"max_batch_size": 64, "dynamic_batching": {"max_queue_delay_microseconds": 1000}}
    export(model(), (torch.zeros(1, 1, 32, 32),), a.out, "lenet", version=1, weights_format="pt", config=config)


if __name__ == "__main__":
    main()
