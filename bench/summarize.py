"""Turns one benchmark run into a Markdown table: Ember's JMH JSON plus the torch_ops.py JSON of each PyTorch.
Usage: python3 bench/summarize.py ENGINE.json TORCH.json [TORCH.json ...]
Matmul rows give GFLOPS (higher is better) and the ratio of Ember's OpenBLAS path to the better PyTorch, with the
output released by a MemoryScope and left to the garbage collector;
elementwise rows give microseconds per call (lower is better) and PyTorch's time over Ember's (>= 1 means
Ember is at least as fast), for Ember's two ways of dropping each result: released by a MemoryScope (as PyTorch
frees a tensor whose last reference goes) and left to the garbage collector. sum's result is one element, so it
has only the one figure."""
import json
import sys


def main(engine_path, *torch_paths):
    engine = json.load(open(engine_path))
    torches = [json.load(open(p)) for p in torch_paths]
    mm, ew = {}, {}
    for r in engine:
        name = r["benchmark"].rsplit(".", 2)
        p = r["params"]
        score = r["primaryMetric"]["score"]
        if name[-2] == "MatmulBench":
            n = int(p["n"])
            mm[(n, p["gemm"], name[-1])] = 2 * n ** 3 / (score * 1e-3) / 1e9
        else:
            ew[(int(p["n"]), name[-1])] = score
    heads = [f"torch {t['torch'].split('+')[0]}" for t in torches]
    out = ["| float32 matmul n×n×n (GFLOPS) | Ember OpenBLAS, scope | Ember OpenBLAS, GC | Ember Java, GC | "
           + " | ".join(heads) + " | Ember, scope / best torch | Ember, GC / best torch |",
           "|---|---|---|---|" + "---|" * len(heads) + "---|---|"]
    for n in (256, 1024, 2048):
        tv = [t["matmul"][str(n)]["gflops"] for t in torches]
        es, e = mm.get((n, "openblas", "matmulScoped")), mm.get((n, "openblas", "matmul"))
        out.append(f"| {n} | {fmt(es)} | {fmt(e)} | {fmt(mm.get((n, 'java', 'matmul')))} | " + " | ".join(fmt(v) for v in tv)
                   + f" | {ratio(es, max(tv))} | {ratio(e, max(tv))} |")
    out += ["", "| elementwise float32 (µs per call) | Ember, scope | Ember, GC | " + " | ".join(heads)
            + " | best torch / Ember, scope | best torch / Ember, GC |",
            "|---|---|---|" + "---|" * len(heads) + "---|---|"]
    for n in (1 << 20, 1 << 24):
        for op in ("add", "relu", "sum"):
            tv = [t["elementwise"][str(n)][op]["us"] for t in torches]
            e, es = ew.get((n, op)), ew.get((n, op + "Scoped"))
            out.append(f"| {op} {n // (1 << 20)}M | {fmt(es)} | {fmt(e)} | " + " | ".join(fmt(v) for v in tv)
                       + f" | {ratio(min(tv), es)} | {ratio(min(tv), e)} |")
    print("\n".join(out))


def fmt(v):
    return "–" if v is None else (f"{v:.1f}" if v >= 10 else f"{v:.2f}")


def ratio(a, b):
    return "–" if a is None or b is None else f"{a / b:.2f}×"


if __name__ == "__main__":
    main(*sys.argv[1:])
