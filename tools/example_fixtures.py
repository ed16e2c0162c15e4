#!/usr/bin/env python3
"""What the serving tests and the README compare Ember against: PyTorch's outputs of the bundled example models
(examples/models, made by train_digits.py and lenet_example.py) for fixed inputs, run in the models' own Python
classes on their committed weights.

    /usr/bin/python3 tools/example_fixtures.py

writes
  src/test/resources/serving/examples.safetensors   digits.input [16,1,8,8] (held-out digits), digits.label,
                                                     digits.output, digits_v2.output, lenet.input [16,1,32,32]
                                                     (seeded randn), lenet.output
  src/test/resources/serving/digits-v2.safetensors  a second version of digits (5 epochs instead of 30), for the
                                                     version load/unload tests
  examples/requests/digits.json                      a KServe v2 JSON request with one held-out digit (its label is
                                                     in the "id"), for the README's curl walk-through
  examples/requests/digits-binary.json, digits.f32   the same for Triton's binary extension: JSON header, raw floats
Deterministic: rerunning writes the same bytes.
"""
import json
import pathlib
import struct
import sys

import torch

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from export_model import write_safetensors  # noqa: E402
from seed_models import Net  # noqa: E402
from train_digits import DigitsNet, data, train  # noqa: E402


def loaded(cls, name):
    net = cls()
    net.load_state_dict(torch.load(ROOT / "examples" / "models" / name / "1" / "model.pt", weights_only=True))
    return net.eval()


def main():
    torch.set_num_threads(1)
    _, _, xte, yte = data()
    digits_in, digits_label = xte[:16].contiguous(), yte[:16].contiguous()
    v2, _, _, _ = train(5)
    gen = torch.Generator().manual_seed(1)
    lenet_in = torch.randn(16, 1, 32, 32, generator=gen)
    with torch.no_grad():
        tensors = {
            "digits.input": digits_in,
            "digits.label": digits_label,
            "digits.output": loaded(DigitsNet, "digits")(digits_in),
            "digits_v2.output": v2.eval()(digits_in),
            "lenet.input": lenet_in,
            "lenet.output": loaded(Net, "lenet")(lenet_in),
        }
    out = ROOT / "src" / "test" / "resources" / "serving"
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "examples.safetensors", "wb") as f:
        write_safetensors(f, tensors)
    with open(out / "digits-v2.safetensors", "wb") as f:
        write_safetensors(f, v2.state_dict())

    req = ROOT / "examples" / "requests"
    req.mkdir(parents=True, exist_ok=True)
    image = digits_in[0]
    ident = f"digit-{int(digits_label[0])}"
    nested = [[[round(float(v), 4) for v in row] for row in image[0]]]  # k/16 values: exact in 4 decimals
    with open(req / "digits.json", "w") as f:
        json.dump({"id": ident, "inputs": [{"name": "input__0", "shape": [1, 1, 8, 8], "datatype": "FP32", "data": nested}]}, f)
        f.write("\n")
    with open(req / "digits-binary.json", "w") as f:
        json.dump({"id": ident, "inputs": [{"name": "input__0", "shape": [1, 1, 8, 8], "datatype": "FP32",
                                            "parameters": {"binary_data_size": 256}}]}, f, separators=(",", ":"))
    with open(req / "digits.f32", "wb") as f:
        f.write(struct.pack("<64f", *image.flatten().tolist()))
    print(f"digits: labels {digits_label.tolist()}, predicted {tensors['digits.output'].argmax(1).tolist()}")


if __name__ == "__main__":
    main()
