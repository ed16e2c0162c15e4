"""PyTorch figures for the ops bench/src/main/java measures in Ember: float32 matmul n x n (n = 256, 1024, 2048) and
add / relu / sum over 1M and 16M contiguous elements, on N threads. Prints JSON: ms per call (mean over a time
budget after warm-up, like JMH's average time) and matmul GFLOPS = 2 n^3 / time.
Usage: python3 bench/torch_ops.py [--threads 2] [--budget 2.0]
       python3 bench/torch_ops.py --only CASE    one case (matmul256, add1M, relu1M, sum16M, ...): prints its µs per call"""
import argparse
import re
import json
import time

import torch


def timeit(fn, budget, warm=3):
    for _ in range(warm):
        fn()
    t = time.perf_counter()
    k = 0
    while time.perf_counter() - t < budget:
        fn()
        k += 1
    return (time.perf_counter() - t) / k


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--budget", type=float, default=2.0)
    ap.add_argument("--only", help="one case, e.g. matmul256 or relu1M: print its microseconds per call and nothing else")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.only:
        print(f"{timeit(case(a.only), a.budget) * 1e6:.1f}")
        return
    g = torch.Generator().manual_seed(0)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_info(), "matmul": {}, "elementwise": {}}
    for n in (256, 1024, 2048):
        x, y = torch.randn(n, n, generator=g), torch.randn(n, n, generator=g)
        s = timeit(lambda: x @ y, a.budget)
        out["matmul"][str(n)] = {"ms": round(s * 1e3, 4), "gflops": round(2 * n ** 3 / s / 1e9, 1)}
    for n in (1 << 20, 1 << 24):
        x, y = torch.randn(n, generator=g), torch.randn(n, generator=g)
        row = {}
        for name, fn in (("add", lambda: x + y), ("relu", lambda: torch.relu(x)), ("sum", lambda: x.sum())):
            row[name] = {"us": round(timeit(fn, a.budget) * 1e6, 1)}
        out["elementwise"][str(n)] = row
    print(json.dumps(out, indent=1))


def case(name):
    """matmulN (n x n x n) or {add,relu,sum}{K}M (K * 2^20 elements): the same calls as the full run."""
    g = torch.Generator().manual_seed(0)
    if name.startswith("matmul"):
        n = int(name[len("matmul"):])
        x, y = torch.randn(n, n, generator=g), torch.randn(n, n, generator=g)
        return lambda: x @ y
    op, millions = re.fullmatch(r"(add|relu|sum)(\d+)M", name).groups()
    n = int(millions) << 20
    x, y = torch.randn(n, generator=g), torch.randn(n, generator=g)
    return {"add": lambda: x + y, "relu": lambda: torch.relu(x), "sum": lambda: x.sum()}[op]


def blas_info():
    cfg = torch.__config__.show()
    for key in ("BLAS_INFO=", "USE_MKL"):
        i = cfg.find(key)
        if i >= 0:
            return cfg[i:cfg.find(",", i)]
    return "?"


if __name__ == "__main__":
    main()
