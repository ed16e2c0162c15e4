#!/usr/bin/env bash
# Ember's JMH benchmarks (bench/src/main/java): float32 matmul with each CPU GEMM, elementwise add/relu/sum.
#   bench/run_engine.sh                       all benchmarks, JSON to target/bench/engine.json
#   bench/run_engine.sh MatmulBench -p n=1024  any JMH arguments (regex, -p, -f, -wi, -i, -rf/-rff ...)
# OPENBLAS_CORETYPE is passed through as set; compare with `env -u OPENBLAS_CORETYPE bench/run_engine.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
  for c in /usr/lib/jvm/*25*; do [[ -x "$c/bin/java" ]] && { export JAVA_HOME="$c"; break; }; done
fi
[[ -x "${JAVA_HOME:-}/bin/java" ]] || { echo "run_engine: no JDK 25 found (set JAVA_HOME)" >&2; exit 2; }

./mvnw -B -q -Pbench -DskipTests process-classes >&2
mkdir -p target/bench
CP="target/bench-classes:target/classes:$(cat target/bench-classpath.txt)"
args=("$@")
(( ${#args[@]} )) || args=(-rf json -rff target/bench/engine.json)
# the forks get exactly the server launcher's JVM flags (this overrides the @Fork annotations, which list the same)
eval "$(grep -m1 '^JVM_FLAGS=' bin/ember)"
exec "$JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" -cp "$CP" org.openjdk.jmh.Main -jvmArgsAppend "${JVM_FLAGS[*]}" "${args[@]}"
