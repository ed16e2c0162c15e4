"""Models exported by tools/export_model.py for Ember's model tests, with PyTorch's outputs to compare against.

    python3 models.py make DIR [CASE...]     exports each case to DIR/<case>/ (config.json, model.json, 1/model.*) and writes
                                             DIR/<case>/io_b<N>.safetensors per batch size N: input.<name>, output.<name>, and
                                             grad.<param> of sum(outputs) in eval mode.

Runs with torch 1.13 (Debian's python3-torch: fx, or make_fx where fx fails) and 2.x (torch.export).
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "tools"))
from export_model import export, write_safetensors  # noqa: E402
from seed_models import MLP, AlexNet, Net, NeuralNetwork  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coverage_models  # noqa: E402


# The tutorials' LeNet (seeds 000 and 003), num_flat_features and all: fx cannot trace it (it iterates x.size()).
TutorialNet = Net


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.down = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.down is not None:
            identity = self.down(x)
        out += identity
        return self.relu(out)


class ResCNN(nn.Module):
    """Residual blocks with BatchNorm (eval mode, trained-looking running statistics), adaptive pooling, flatten."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(inplace=True))
        self.layer1 = BasicBlock(8, 8)
        self.layer2 = BasicBlock(8, 16, 2)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(16, 5)
        with torch.no_grad():
            for m in self.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.5, 0.5)
                    m.running_var.uniform_(0.5, 2.0)
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.2, 0.2)
                    m.num_batches_tracked.fill_(100)

    def forward(self, x):
        x = self.layer2(self.layer1(self.stem(x)))
        x = torch.flatten(self.pool(x), 1)
        return self.fc(x)


class NormMLP(nn.Module):
    """LayerNorm, GELU, Dropout, arithmetic with a scalar, a keepdim mean and log_softmax."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 32)
        self.ln = nn.LayerNorm(32)
        self.act = nn.GELU()
        self.drop = nn.Dropout(0.1)
        self.fc2 = nn.Linear(32, 4)

    def forward(self, x):
        h = self.drop(self.act(self.ln(self.fc1(x))))
        return F.log_softmax(self.fc2(h) * 0.5 + h.mean(-1, keepdim=True), dim=-1)


class EmbedClassifier(nn.Module):
    """Token ids -> embedding -> mean over the sequence -> linear."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(50, 16, padding_idx=0)
        self.fc = nn.Linear(16, 3)

    def forward(self, ids):
        return self.fc(self.emb(ids).mean(dim=1))


class FlatCNN(nn.Module):
    """view(x.size(0), -1) and avg pooling; exported with make_fx, whose baked batch size must become symbolic."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3)
        self.fc = nn.Linear(4 * 3 * 3, 6)

    def forward(self, x):
        x = F.avg_pool2d(torch.tanh(self.conv(x)), 2)
        return torch.sigmoid(self.fc(x.view(x.size(0), -1)))


class MyListDense(nn.Module):
    """Seed 003's ParameterList layer: torch.mm with parameters, no submodules."""

    def __init__(self):
        super(MyListDense, self).__init__()
        self.params = nn.ParameterList([nn.Parameter(torch.randn(4, 4)) for i in range(3)])
        self.params.append(nn.Parameter(torch.randn(4, 1)))

    def forward(self, x):
        for i in range(len(self.params)):
            x = torch.mm(x, self.params[i])
        return x


class TwoHeads(nn.Module):
    """A tuple result: logits and probabilities, two outputs."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 8), nn.Tanh())
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        logits = self.head(self.body(x))
        return logits, F.softmax(logits, dim=1)


class BatchOne(nn.Module):
    """Hard-wires batch 1 (view(1, -1)): it cannot serve other batch sizes, which the exporter must say."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(x.view(1, -1))


# The four seed models of shared/bench/torch_baseline.py: the tutorials' MLP, FashionMNIST network and AlexNet,
# and the baseline's own LeNet, whose forward flattens with x.flatten(1).
FashionNet = NeuralNetwork


class LeNet(nn.Module):
    def __init__(s):
        super().__init__(); s.conv1 = nn.Conv2d(1, 6, 5); s.conv2 = nn.Conv2d(6, 16, 5)
        s.fc1 = nn.Linear(400, 120); s.fc2 = nn.Linear(120, 84); s.fc3 = nn.Linear(84, 10)
    def forward(s, x):
        x = F.max_pool2d(F.relu(s.conv1(x)), 2); x = F.max_pool2d(F.relu(s.conv2(x)), 2)
        x = x.flatten(1); x = F.relu(s.fc1(x)); x = F.relu(s.fc2(x)); return s.fc3(x)


def _image(*shape):
    return lambda b: torch.randn(b, *shape)


# case -> (model factory, example input maker(batch), batch sizes to check, export options)
CASES = {
    "lenet_tutorial": (TutorialNet, _image(1, 32, 32), (1, 3, 8), {}),
    "lenet_tutorial_safetensors": (TutorialNet, _image(1, 32, 32), (2,), {"weights_format": "safetensors"}),
    "rescnn": (ResCNN, _image(3, 8, 8), (1, 3, 8), {}),
    "norm_mlp": (NormMLP, _image(20), (1, 3, 8), {}),
    "embed": (EmbedClassifier, lambda b: torch.randint(0, 50, (b, 7)), (1, 3, 8), {}),
    "flat_cnn_make_fx": (FlatCNN, _image(2, 8, 8), (1, 3, 8), {"tracer": "make_fx"}),
    "param_list": (MyListDense, _image(4), (1, 3), {}),
    "two_heads": (TwoHeads, _image(6), (1, 3), {}),
    "sequential": (lambda: nn.Sequential(nn.Flatten(), nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 3), nn.LogSoftmax(dim=1)), _image(3, 4), (1, 3, 8), {}),
    "seed_mlp": (MLP, _image(784), (1, 4), {}),
    "seed_fashion": (FashionNet, _image(28, 28), (1, 4), {}),
    "seed_lenet": (LeNet, _image(1, 32, 32), (1, 4), {}),
    "seed_alexnet": (AlexNet, _image(1, 224, 224), (1, 2), {}),
}
CASES.update(coverage_models.CASES)


def make(out, cases):
    for case in cases:
        factory, inputs, batches, opts = CASES[case]
        torch.manual_seed(sum(map(ord, case)))
        model = factory().eval()
        export(model, (inputs(1),), out, case, **opts)
        names = [n for n in __import__("inspect").signature(model.forward).parameters][:1]
        for b in batches:
            x = inputs(b)
            model.zero_grad()
            y = model(x)
            ys = y if isinstance(y, tuple) else (y,)
            sum(t.sum() for t in ys).backward()
            tensors = {f"input.{names[0]}": x}
            out_names = ["output"] if len(ys) == 1 else [f"output_{i}" for i in range(len(ys))]
            for n, t in zip(out_names, ys):
                tensors[f"output.{n}"] = t.detach()
            for n, p in model.named_parameters():
                if p.grad is not None:
                    tensors[f"grad.{n}"] = p.grad
            with open(os.path.join(out, case, f"io_b{b}.safetensors"), "wb") as f:
                write_safetensors(f, tensors)


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "make":
        sys.exit(__doc__)
    make(sys.argv[2], sys.argv[3:] or list(CASES))
