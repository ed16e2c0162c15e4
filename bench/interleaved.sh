#!/usr/bin/env bash
# The close rows of BENCHMARKS.md measured Ember and PyTorch alternating, round by round: on the shared 2-core VM
# a figure moves more between minutes (other tenants, memory bandwidth, the host's clock) than between the two
# implementations, so runs taken minutes apart (run_all.sh) cannot separate them; alternating rounds can. Each
# round runs each case once in Ember (one JMH fork, 3 + 5 one-second iterations) and once in each PyTorch
# (bench/torch_ops.py --only, 2 threads, 3 s); the summary gives every round and the median of each column.
#   bench/interleaved.sh [CASE ...]    cases: matmul256 add1M relu1M sum16M (default: all four)
#   BENCH_ROUNDS=N (default 5), TORCH2_PYTHON=... adds PyTorch 2.x beside /usr/bin/python3
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
  for c in /usr/lib/jvm/*25*; do [[ -x "$c/bin/java" ]] && { export JAVA_HOME="$c"; break; }; done
fi
./mvnw -B -q -Pbench -DskipTests process-classes >&2
CP="target/bench-classes:target/classes:$(cat target/bench-classpath.txt)"
eval "$(grep -m1 '^JVM_FLAGS=' bin/ember)"
pythons=(/usr/bin/python3 ${TORCH2_PYTHON:-})
cases=("$@")
(( ${#cases[@]} )) || cases=(matmul256 add1M relu1M sum16M)
out=target/bench/interleaved-$(date -u +%Y%m%dT%H%M%S).tsv
mkdir -p target/bench
lock=${BENCH_LOCK:-/tmp/ember-bench.lock}

# JMH selection for a case: the GC-path benchmark and, where there is one, its MemoryScope twin
jmh_args() {
  case $1 in
    matmul*) echo "MatmulBench.matmul(Scoped)?\$ -p n=${1#matmul} -p gemm=openblas" ;;
    sum*) echo "ElementwiseBench.sum\$ -p n=$(( ${1//[a-zM]/} << 20 ))" ;;
    *) local op=${1%%[0-9]*}; echo "ElementwiseBench.${op}(Scoped)?\$ -p n=$(( ${1//[a-zM]/} << 20 ))" ;;
  esac
}

printf 'round\tcase\timpl\tus\tload\n' > "$out"
for r in $(seq "${BENCH_ROUNDS:-5}"); do
  for c in "${cases[@]}"; do
    json=$(mktemp)
    # shellcheck disable=SC2046
    flock "$lock" "$JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" -cp "$CP" org.openjdk.jmh.Main $(jmh_args "$c") -f 1 -wi 3 -i 5 -tu us \
      -jvmArgsAppend "${JVM_FLAGS[*]}" -rf json -rff "$json" > /dev/null 2>&1
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/python3 - "$json" "$r" "$c" "$load" >> "$out" <<'PY'
import json, sys
path, r, c, load = sys.argv[1:]
for b in json.load(open(path)):
    impl = "ember, scope" if b["benchmark"].endswith("Scoped") else "ember, GC"
    print(f"{r}\t{c}\t{impl}\t{b['primaryMetric']['score']:.1f}\t{load}")
PY
    rm -f "$json"
    for p in "${pythons[@]}"; do
      us=$(flock "$lock" "$p" bench/torch_ops.py --only "$c" --budget 3)
      printf '%s\t%s\ttorch %s\t%s\t%s\n' "$r" "$c" "$("$p" -c 'import torch; print(torch.__version__.split("+")[0])')" "$us" \
        "$(cut -d' ' -f1 /proc/loadavg)" >> "$out"
    done
  done
done
/usr/bin/python3 bench/summarize_interleaved.py "$out"
