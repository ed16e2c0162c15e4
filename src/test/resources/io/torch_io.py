"""Real-PyTorch side of Ember's .pt interop tests (run by src/test/java/dev/ember/io/TorchInteropTest.java).

  make OUTDIR            write every case as <case>.pt (zip) and <case>_legacy.pt, plus <case>.json (expected values)
  check ORIG NEW [--weights-only]   load both with torch.load and require identical values, dtypes, layouts, sharing
  load_state_dict FILE   torch.load(weights_only=True) + load_state_dict(strict=True) into the 'model' case's module
  hostile OUTDIR         write hostile pickles/files that only PyTorch can make conveniently
  bigendian SRC DST      rewrite a zip .pt as a big-endian file (byteorder 'big', storages byte-swapped)
"""
import collections, io, json, math, os, struct, sys, zipfile
import torch

torch.manual_seed(0)


def model():
    torch.manual_seed(1)
    return torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2))


def cases():
    out = {}
    f = torch.randn(2, 3)
    f[0, 0] = float('nan'); f[0, 1] = float('inf'); f[0, 2] = -0.0
    out['dtypes'] = collections.OrderedDict([
        ('float32', f), ('float64', torch.randn(3, dtype=torch.float64)), ('float16', torch.randn(2, 2).half()),
        ('bfloat16', torch.randn(2, 2).bfloat16()), ('int64', torch.tensor([-(2 ** 62), 0, 2 ** 40])),
        ('int32', torch.tensor([-5, 7], dtype=torch.int32)), ('int16', torch.tensor([-300, 300], dtype=torch.int16)),
        ('int8', torch.tensor([-128, 127], dtype=torch.int8)), ('uint8', torch.tensor([0, 255], dtype=torch.uint8)),
        ('bool', torch.tensor([True, False, True])), ('empty', torch.zeros(0, 3)), ('scalar', torch.tensor(2.5)),
        ('long_scalar', torch.tensor(7)),
    ])
    base = torch.arange(12.)
    out['views'] = collections.OrderedDict([
        ('base', base), ('slice', base[2:5]), ('row', base.view(3, 4)[1]), ('transposed', base.view(3, 4).t()),
        ('expanded', torch.arange(3.).expand(4, 3)), ('strided', base[::3]), ('other', torch.ones(2)),
        ('same_again', base),
    ])
    m = model()
    m[3].running_mean.add_(0.5); m[3].num_batches_tracked.add_(3)
    out['model'] = m.state_dict()
    opt = torch.optim.Adam(m.parameters(), lr=0.01)
    m(torch.randn(1, 4)).sum().backward() if False else None
    loss = m[0](torch.randn(5, 4)).sum() + m[3](m[2](torch.randn(2, 1, 5, 5))).sum()
    loss.backward()
    opt.step()
    out['checkpoint'] = {'epoch': 5, 'model_state_dict': m.state_dict(), 'optimizer_state_dict': opt.state_dict(), 'loss': 0.123,
                         'best': None, 'flags': (True, False), 'big': 2 ** 40, 'huge': 2 ** 70, 'neg': -3, 'mid': 70000,
                         'name': 'run-1', 'ids': [1, 2, 3], 'nested': {'a': [{'b': (1, 2.5)}]}}
    sgd = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    sgd.step()
    out['sgd'] = sgd.state_dict()
    out['keepvars'] = torch.nn.Linear(2, 2).state_dict(keep_vars=True)
    return out


def fhex(x):
    return float(x).hex()


def expect(v, storages):
    if isinstance(v, torch.Tensor):
        key = v.storage().data_ptr()
        sid = storages.setdefault(key, len(storages))
        flat = v.detach().reshape(-1).tolist()
        if v.dtype.is_floating_point:
            flat = [fhex(x) for x in flat]
        return {'__tensor__': {'dtype': str(v.dtype)[6:], 'shape': list(v.shape), 'stride': list(v.stride()), 'offset': v.storage_offset(),
                               'storage': sid, 'storage_size': v.storage().size(), 'requires_grad': v.requires_grad, 'values': flat}}
    if isinstance(v, float):
        return {'__float__': fhex(v)}
    if isinstance(v, tuple):
        return {'__tuple__': [expect(x, storages) for x in v]}
    if isinstance(v, list):
        return [expect(x, storages) for x in v]
    if isinstance(v, dict):
        d = {'__odict__' if isinstance(v, collections.OrderedDict) else '__dict__': [[expect(k, storages), expect(x, storages)] for k, x in v.items()]}
        if getattr(v, '_metadata', None) is not None:
            d['_metadata'] = [[k, dict(x)] for k, x in v._metadata.items()]
        return d
    if v is None or isinstance(v, (bool, int, str)):
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 2 ** 63:
            return {'__bigint__': str(v)}
        return v
    raise TypeError(type(v))


def make(outdir):
    for name, value in cases().items():
        torch.save(value, os.path.join(outdir, name + '.pt'))
        torch.save(value, os.path.join(outdir, name + '_legacy.pt'), _use_new_zipfile_serialization=False)
        with open(os.path.join(outdir, name + '.json'), 'w') as f:
            json.dump(expect(value, {}), f)


def same(a, b, path, sa, sb):
    if isinstance(a, torch.Tensor):
        assert isinstance(b, torch.Tensor), path
        assert a.dtype == b.dtype and a.shape == b.shape and a.stride() == b.stride() and a.storage_offset() == b.storage_offset(), \
            f'{path}: {a.dtype}{tuple(a.shape)}{a.stride()}+{a.storage_offset()} vs {b.dtype}{tuple(b.shape)}{b.stride()}+{b.storage_offset()}'
        assert a.requires_grad == b.requires_grad, path
        assert a.storage().size() == b.storage().size(), path
        ab = a.detach().reshape(-1).contiguous().view(torch.uint8) if a.numel() and a.dtype != torch.bool else a.detach().reshape(-1)
        bb = b.detach().reshape(-1).contiguous().view(torch.uint8) if b.numel() and b.dtype != torch.bool else b.detach().reshape(-1)
        assert torch.equal(ab, bb), f'{path}: values differ'
        # sharing: the n-th distinct storage of one side is the n-th of the other
        ia = sa.setdefault(a.storage().data_ptr(), len(sa))
        ib = sb.setdefault(b.storage().data_ptr(), len(sb))
        assert ia == ib, f'{path}: storage sharing differs'
        return
    assert type(a) == type(b), f'{path}: {type(a)} vs {type(b)}'
    if isinstance(a, dict):
        assert list(a.keys()) == list(b.keys()), f'{path}: keys {list(a.keys())} vs {list(b.keys())}'
        for k in a:
            same(a[k], b[k], f'{path}[{k!r}]', sa, sb)
        assert getattr(a, '_metadata', None) == getattr(b, '_metadata', None), f'{path}: _metadata differs'
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f'{path}[{i}]', sa, sb)
    elif isinstance(a, float):
        assert struct.pack('<d', a) == struct.pack('<d', b), f'{path}: {a} vs {b}'
    else:
        assert a == b, f'{path}: {a!r} vs {b!r}'


def check(orig, new, weights_only):
    a = torch.load(orig, weights_only=False)
    b = torch.load(new, weights_only=weights_only)
    same(a, b, 'root', {}, {})
    with zipfile.ZipFile(new) as z:
        assert z.testzip() is None, 'bad CRC'
        for info in z.infolist():
            assert info.compress_type == zipfile.ZIP_STORED, info.filename
            assert info.header_offset + 30 + len(info.filename) + len(info.extra) >= 0
            with open(new, 'rb') as f:
                f.seek(info.header_offset + 26)
                n, e = struct.unpack('<HH', f.read(4))
                assert (info.header_offset + 30 + n + e) % 64 == 0, f'{info.filename} not 64-byte aligned'
    print('OK')


def load_state_dict(path):
    sd = torch.load(path, weights_only=True)
    m = model()
    print(m.load_state_dict(sd, strict=True))


class Evil:
    def __init__(self, fn, arg):
        self.fn, self.arg = fn, arg

    def __reduce__(self):
        return (self.fn, (self.arg,))


def hostile(outdir):
    import builtins
    marker = os.path.join(outdir, 'PWNED')
    torch.save({'w': torch.ones(2), 'x': Evil(os.system, 'touch ' + marker)}, os.path.join(outdir, 'os_system.pt'))
    torch.save({'x': Evil(builtins.eval, '__import__("os").system("touch ' + marker + '")')}, os.path.join(outdir, 'eval.pt'))
    torch.save({'w': torch.ones(2), 'x': Evil(os.system, 'touch ' + marker)}, os.path.join(outdir, 'os_system_legacy.pt'),
               _use_new_zipfile_serialization=False)
    torch.save(collections.OrderedDict(w=torch.ones(3)), os.path.join(outdir, 'protocol4.pt'), pickle_protocol=4)
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), os.path.join(outdir, 'torchscript.pt'))
    torch.save(torch.zeros(3, dtype=torch.complex64), os.path.join(outdir, 'complex.pt'))


def bigendian(src, dst):
    sizes = {'FloatStorage': 4, 'DoubleStorage': 8, 'HalfStorage': 2, 'BFloat16Storage': 2, 'LongStorage': 8, 'IntStorage': 4,
             'ShortStorage': 2, 'CharStorage': 1, 'ByteStorage': 1, 'BoolStorage': 1}
    import pickle

    class Scan(pickle.Unpickler):
        found = {}

        def find_class(self, mod, name):
            if mod == 'collections':
                return collections.OrderedDict
            return name if mod == 'torch' else (lambda *a, **k: None)

        def persistent_load(self, pid):
            self.found[pid[2]] = sizes[pid[1]]
            return None

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_STORED) as zout:
        prefix = zin.namelist()[0].split('/')[0]
        Scan(io.BytesIO(zin.read(prefix + '/data.pkl'))).load()
        for name in zin.namelist():
            data = zin.read(name)
            rel = name[len(prefix) + 1:]
            if rel.startswith('data/'):
                w = Scan.found[rel[5:]]
                data = b''.join(data[i:i + w][::-1] for i in range(0, len(data), w))
            if rel == 'byteorder':
                continue
            zout.writestr(name, data)
        zout.writestr(prefix + '/byteorder', b'big')


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'make':
        make(sys.argv[2])
    elif cmd == 'check':
        check(sys.argv[2], sys.argv[3], '--weights-only' in sys.argv)
    elif cmd == 'load_state_dict':
        load_state_dict(sys.argv[2])
    elif cmd == 'hostile':
        hostile(sys.argv[2])
    elif cmd == 'bigendian':
        bigendian(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit('unknown command ' + cmd)
