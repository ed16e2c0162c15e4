#!/usr/bin/env bash
# One comparable benchmark session: Ember (JMH) and PyTorch (torch_ops.py, 2 threads) back to back, once with
# OPENBLAS_CORETYPE as the environment sets it and once without it. Tables go to target/bench/summary-*.md.
#   bench/run_all.sh [PYTHON ...]     default: /usr/bin/python3 (Debian torch 1.13) plus $TORCH2_PYTHON if set
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p target/bench
pythons=("$@")
(( ${#pythons[@]} )) || { pythons=(/usr/bin/python3); [[ -n "${TORCH2_PYTHON:-}" ]] && pythons+=("$TORCH2_PYTHON"); }
# every run holds this lock, so that benchmarks of parallel sessions on the machine never overlap
lock=${BENCH_LOCK:-/tmp/ember-bench.lock}

# The machine is shared: wait (up to BENCH_WAIT seconds, default 900) for the 1-minute load to fall below
# BENCH_MAX_LOAD (default 1.0), and print the load with every phase so that a noisy figure can be recognised.
wait_idle() {
  local deadline=$((SECONDS + ${BENCH_WAIT:-900}))
  while awk -v max="${BENCH_MAX_LOAD:-1.0}" '{ exit !($1 >= max) }' /proc/loadavg && (( SECONDS < deadline )); do sleep 10; done
  echo "   load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

run() { # tag, then env prefix
  local tag=$1; shift
  echo "== $tag" >&2
  wait_idle
  flock "$lock" "$@" bench/run_engine.sh "dev.ember.bench." -rf json -rff "target/bench/engine-$tag.json" >&2
  local files=() i=0
  for py in "${pythons[@]}"; do
    wait_idle
    flock "$lock" "$@" "$py" bench/torch_ops.py --threads 2 > "target/bench/torch$i-$tag.json"
    files+=("target/bench/torch$i-$tag.json"); i=$((i + 1))
  done
  /usr/bin/python3 bench/summarize.py "target/bench/engine-$tag.json" "${files[@]}" > "target/bench/summary-$tag.md"
  cat "target/bench/summary-$tag.md"
}

run "coretype-${OPENBLAS_CORETYPE:-unset}" env
run "coretype-unset" env -u OPENBLAS_CORETYPE
