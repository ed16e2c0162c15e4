"""Fixtures written by torch 2.x and the reference safetensors package, committed under
src/test/resources/io/torch2/ so the test suite checks Ember against them without a torch 2.x install
(.ci has only Debian's torch 1.13).

Run with a Python that has torch>=2.1, safetensors and numpy:
    python3 -m venv /tmp/t2 && /tmp/t2/bin/pip install torch safetensors numpy
    /tmp/t2/bin/python tools/io/make_torch2_fixtures.py
"""
import collections, json, os, sys
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'src', 'test', 'resources', 'io', 'torch2')
sys.path.insert(0, os.path.join(HERE, '..', '..', 'src', 'test', 'resources', 'io'))
import torch_io  # noqa: E402

assert torch.__version__ >= '2.1', 'needs torch 2.x, got ' + torch.__version__
os.makedirs(OUT, exist_ok=True)
for name in os.listdir(OUT):
    os.remove(os.path.join(OUT, name))
with open(os.path.join(OUT, 'VERSION'), 'w') as f:
    f.write(f'torch {torch.__version__}\n')
for name, value in torch_io.cases().items():
    torch.save(value, os.path.join(OUT, name + '.pt'))
    with open(os.path.join(OUT, name + '.json'), 'w') as f:
        json.dump(torch_io.expect(value, {}), f)
# values only torch 2.x's weights-only allow-list has
torch.save({'cpu': torch.device('cpu'), 'cuda1': torch.device('cuda', 1), 'set': {3, 1, 2}, 'bytes': b'x\x00\xff',
            'size': torch.Size([2, 3]), 'dtype': torch.float16}, os.path.join(OUT, 'extras.pt'))
torch.save({'w': torch.tensor([1, 2, 3], dtype=torch.int32).to(torch.uint16)}, os.path.join(OUT, 'uint16.pt'))
torch.save({'w': torch._neg_view(torch.ones(2))}, os.path.join(OUT, 'negbit.pt'))
p = torch.nn.Parameter(torch.ones(2))
p.note = 'extra state'
torch.save({'p': p}, os.path.join(OUT, 'param_state.pt'))
# safetensors written by the reference implementation
st = collections.OrderedDict([('b', torch.arange(5)), ('e', torch.tensor(2.5)), ('f', torch.zeros(0, 4)),
                              ('c', torch.tensor([[1.5, -2.0], [0.25, 3.0]]).bfloat16()), ('a', torch.tensor([1.0, 2.0, -0.5]).half()),
                              ('d', torch.tensor([True, False])), ('g', torch.randn(3, 2, dtype=torch.float64))])
save_file(st, os.path.join(OUT, 'reference.safetensors'), metadata={'format': 'pt'})
with open(os.path.join(OUT, 'reference.json'), 'w') as f:
    json.dump(torch_io.expect(st, {}), f)
print('wrote', sorted(os.listdir(OUT)))
