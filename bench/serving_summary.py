#!/usr/bin/env python3
"""Markdown tables from bench/serving_load.sh's JSON lines: one row per run, then the issue's two ratios at the
highest concurrency (batching vs none; Ember vs the FastAPI + PyTorch peer).

    /usr/bin/python3 bench/serving_summary.py target/bench/serving-<time>.jsonl
"""
import json
import sys

NAMES = {
    "ember-rest": ("Ember", "REST JSON", "dynamic"),
    "ember-rest-single": ("Ember", "REST JSON", "none"),
    "ember-rest-binary": ("Ember", "REST binary", "dynamic"),
    "ember-grpc": ("Ember", "gRPC raw", "dynamic"),
    "ember-grpc-single": ("Ember", "gRPC raw", "none"),
    "peer-rest": ("FastAPI + PyTorch", "REST JSON", "none"),
}


def main(path):
    runs = [json.loads(line) for line in open(path) if line.strip()]
    models = list(dict.fromkeys(r["model"].removesuffix("_single") for r in runs))
    for m in models:
        rows = [r for r in runs if r["model"].removesuffix("_single") == m]
        print(f"\n**{m}** ({rows[0]['seconds']:.0f} s per run; load average before each run in the last column)\n")
        print("| server | protocol | batching | clients | req/s | p50 ms | p90 ms | p99 ms | errors | load |")
        print("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
        for r in sorted(rows, key=lambda r: (r["concurrency"], list(NAMES).index(r["label"]))):
            server, proto, batching = NAMES[r["label"]]
            print(f"| {server} | {proto} | {batching} | {r['concurrency']} | {r['throughput']:.0f} | {r['p50_ms']:.2f} | {r['p90_ms']:.2f} "
                  f"| {r['p99_ms']:.2f} | {r['errors']} | {r['load_before'].split()[0]} |")
        top = max(r["concurrency"] for r in rows)
        at = {r["label"]: r for r in rows if r["concurrency"] == top}
        ratios = []
        for a, b, what in (("ember-grpc", "ember-grpc-single", "gRPC, dynamic batching / none"),
                           ("ember-rest", "ember-rest-single", "REST, dynamic batching / none"),
                           ("ember-rest", "peer-rest", "Ember REST / FastAPI peer"),
                           ("ember-grpc", "peer-rest", "Ember gRPC / FastAPI peer")):
            if a in at and b in at and at[b]["throughput"] > 0:
                ratios.append(f"{what}: {at[a]['throughput'] / at[b]['throughput']:.2f}x throughput, p99 {at[a]['p99_ms']:.2f} vs {at[b]['p99_ms']:.2f} ms")
        if ratios:
            print(f"\nAt {top} clients: " + "; ".join(ratios) + ".")


if __name__ == "__main__":
    main(sys.argv[1])
