#!/usr/bin/env bash
# sum over 16M float32 elements, Ember and PyTorch alternating round by round (BENCHMARKS.md, "sum 16M"): the
# figure is bound by memory bandwidth, which moves between minutes on the shared VM more than between the two
# implementations, so runs taken minutes apart (run_all.sh) cannot separate them; alternating rounds can.
#   bench/interleaved_sum.sh            4 rounds; BENCH_ROUNDS=N for more, TORCH2_PYTHON=... adds PyTorch 2.x
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
  for c in /usr/lib/jvm/*25*; do [[ -x "$c/bin/java" ]] && { export JAVA_HOME="$c"; break; }; done
fi
./mvnw -B -q -Pbench -DskipTests process-classes >&2
CP="target/bench-classes:target/classes:$(cat target/bench-classpath.txt)"
eval "$(grep -m1 '^JVM_FLAGS=' bin/ember)"
pythons=(/usr/bin/python3 ${TORCH2_PYTHON:-})
torch_sum() {
  "$1" - <<'PY'
import time, torch
torch.set_num_threads(2)
a = torch.randn(1 << 24)
for _ in range(3): a.sum()
t = time.perf_counter(); k = 0
while time.perf_counter() - t < 3: a.sum(); k += 1
print("%s %.3f" % (torch.__version__, (time.perf_counter() - t) / k * 1e3))
PY
}
for r in $(seq "${BENCH_ROUNDS:-4}"); do
  ember=$("$JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" -cp "$CP" org.openjdk.jmh.Main 'ElementwiseBench.sum$' -p n=16777216 -f 1 -wi 3 -i 5 \
    -tu ms -jvmArgsAppend "${JVM_FLAGS[*]}" 2>/dev/null | awk '/^ElementwiseBench.sum /{print $(NF-3)}')
  line="round $r: ember $ember ms"
  for p in "${pythons[@]}"; do line+=", torch $(torch_sum "$p") ms"; done
  echo "$line (load $(cut -d' ' -f1 /proc/loadavg))"
done
