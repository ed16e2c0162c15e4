#!/usr/bin/env bash
# The seed models (issue #4): Ember's ModelBench beside /work/shared/bench/torch_baseline.py in each PyTorch, all with
# 2 threads, once with OPENBLAS_CORETYPE as the environment sets it and once without it. Ember runs with exactly
# the JVM flags of the server launcher (bin/ember). Every run holds /tmp/ember-bench.lock (the machine is shared)
# and waits for the load to settle first (BENCH_MAX_LOAD, BENCH_WAIT as in run_all.sh).
#   bench/run_models.sh [PYTHON ...]     default: /usr/bin/python3 (torch 1.13) plus $TORCH2_PYTHON if set
# JSON goes to target/bench/models-*.json, the Markdown table to target/bench/models-summary.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p target/bench
pythons=("$@")
(( ${#pythons[@]} )) || { pythons=(/usr/bin/python3); [[ -n "${TORCH2_PYTHON:-}" ]] && pythons+=("$TORCH2_PYTHON"); }
baseline=${TORCH_BASELINE:-/work/shared/bench/torch_baseline.py}
lock=${BENCH_LOCK:-/tmp/ember-bench.lock}

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
  for c in /usr/lib/jvm/*25*; do [[ -x "$c/bin/java" ]] && { export JAVA_HOME="$c"; break; }; done
fi
./mvnw -B -q -Pbench -DskipTests process-classes >&2
CP="target/bench-classes:target/classes:$(cat target/bench-classpath.txt)"
# the server's flags, taken from the launcher so the two cannot drift apart
eval "$(grep -m1 '^JVM_FLAGS=' bin/ember)"

wait_idle() {
  local deadline=$((SECONDS + ${BENCH_WAIT:-900}))
  while awk -v max="${BENCH_MAX_LOAD:-1.0}" '{ exit !($1 >= max) }' /proc/loadavg && (( SECONDS < deadline )); do sleep 10; done
  cut -d' ' -f1 /proc/loadavg
}

files=()
tags=(coretype-unset); [[ -n "${OPENBLAS_CORETYPE:-}" ]] && tags=("coretype-$OPENBLAS_CORETYPE" coretype-unset)
for tag in "${tags[@]}"; do
  envp=(env); [[ $tag == coretype-unset ]] && envp=(env -u OPENBLAS_CORETYPE)
  load=$(wait_idle)
  echo "== $tag ember (load $load)" >&2
  flock "$lock" "${envp[@]}" "$JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" -cp "$CP" dev.ember.bench.ModelBench \
    | sed "1s/^{/{\n \"load\": $load,\n \"coretype\": \"${tag#coretype-}\",/" > "target/bench/models-ember-$tag.json"
  files+=("target/bench/models-ember-$tag.json")
  i=0
  for py in "${pythons[@]}"; do
    load=$(wait_idle)
    echo "== $tag $py (load $load)" >&2
    flock "$lock" "${envp[@]}" "$py" "$baseline" --threads 2 \
      | sed "1s/^{/{\n \"load\": $load,\n \"coretype\": \"${tag#coretype-}\",/" > "target/bench/models-torch$i-$tag.json"
    files+=("target/bench/models-torch$i-$tag.json"); i=$((i + 1))
  done
done
/usr/bin/python3 bench/summarize_models.py "${files[@]}" | tee target/bench/models-summary.md
