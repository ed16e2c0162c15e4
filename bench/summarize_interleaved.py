"""Markdown tables for one bench/interleaved.sh run: per case, µs per call for every round and implementation,
the median of each column, and the better PyTorch's median over each Ember median (>= 1 means Ember is at least
as fast). Matmul cases add GFLOPS (2 n^3 / time) under the medians.
Usage: python3 bench/summarize_interleaved.py RUN.tsv"""
import csv
import statistics
import sys


def main(path):
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    for case in dict.fromkeys(r["case"] for r in rows):
        mine = [r for r in rows if r["case"] == case]
        impls = list(dict.fromkeys(r["impl"] for r in mine))
        rounds = list(dict.fromkeys(r["round"] for r in mine))
        cell = {(r["round"], r["impl"]): float(r["us"]) for r in mine}
        load = {r["round"]: r["load"] for r in mine}
        print(f"\n{case}, µs per call\n")
        print("| round | " + " | ".join(impls) + " | load |")
        print("|---|" + "---|" * len(impls) + "---|")
        for rd in rounds:
            print(f"| {rd} | " + " | ".join(fmt(cell.get((rd, i))) for i in impls) + f" | {load[rd]} |")
        med = {i: statistics.median(cell[(rd, i)] for rd in rounds if (rd, i) in cell) for i in impls}
        print("| **median** | " + " | ".join(f"**{fmt(med[i])}**" for i in impls) + " | |")
        if case.startswith("matmul"):
            n = int(case[len("matmul"):])
            print("| GFLOPS | " + " | ".join(f"{2 * n ** 3 / (med[i] * 1e-6) / 1e9:.1f}" for i in impls) + " | |")
        torch = [med[i] for i in impls if i.startswith("torch")]
        if torch:
            best = min(torch)
            ratios = ", ".join(f"{i}: {best / med[i]:.2f}×" for i in impls if i.startswith("ember"))
            print(f"\nbest PyTorch median / Ember median: {ratios}")


def fmt(v):
    return "–" if v is None else f"{v:.1f}"


if __name__ == "__main__":
    main(*sys.argv[1:])
