"""Puts the seed-model runs of bench/run_models.sh side by side: one Markdown table per OPENBLAS_CORETYPE setting,
a row per model and measurement, a column per engine (ms per call, lower is better), and the better PyTorch's
time over Ember's (>= 1 means Ember is at least as fast). The 1-minute load before each run is listed under it.
Usage: python3 bench/summarize_models.py RUN.json [RUN.json ...]   (ModelBench or torch_baseline.py output)"""
import json
import sys

MODELS = ("mlp", "fashion", "lenet", "alexnet")


def main(*paths):
    runs = [json.load(open(p)) for p in paths]
    out = []
    for coretype in dict.fromkeys(r.get("coretype", "?") for r in runs):
        group = [r for r in runs if r.get("coretype", "?") == coretype]
        ember = [r for r in group if r["torch"] == "ember"]
        torches = [r for r in group if r["torch"] != "ember"]
        if not ember:
            continue
        e = ember[0]
        heads = [f"torch {t['torch'].split('+')[0]}" for t in torches]
        out += [f"OPENBLAS_CORETYPE {coretype}", "",
                "| model | measurement | Ember (ms) | " + " | ".join(f"{h} (ms)" for h in heads) + " | best torch / Ember |",
                "|---|---|---|" + "---|" * len(heads) + "---|"]
        for m in MODELS:
            if m not in e:
                continue
            for key in e[m]:
                if not key.endswith("_ms"):
                    continue
                tv = [t.get(m, {}).get(key) for t in torches]
                known = [v for v in tv if v is not None]
                out.append(f"| {m} | {key[:-3].replace('_', ' ')} | {e[m][key]:.3f} | " + " | ".join("–" if v is None else f"{v:.3f}" for v in tv)
                           + f" | {min(known) / e[m][key]:.2f}× |" if known else " | – |")
        if "sgemm1024_gflops" in e:
            tv = [t.get("sgemm1024_gflops") for t in torches]
            out.append(f"| sgemm 1024³ | GFLOPS (higher is better) | {e['sgemm1024_gflops']:.1f} | " + " | ".join(f"{v:.1f}" for v in tv)
                       + f" | {e['sgemm1024_gflops'] / max(tv):.2f}× (Ember / best) |")
        out += ["", "1-minute load before each run: " + ", ".join(f"{r['torch'].split('+')[0]} {r.get('load', '?')}" for r in group), ""]
    print("\n".join(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
