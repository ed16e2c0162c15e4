#!/usr/bin/env bash
# Load benchmark of the server (BENCHMARKS.md, "Serving"): Ember on the bundled example models, with and without
# dynamic batching, over REST (JSON) and gRPC (raw contents), against the FastAPI + PyTorch peer
# (bench/fastapi_peer.py) on the same REST JSON requests. Closed loop: each of N clients sends a one-row request as
# soon as its previous answer is in (bench/src/main/java/dev/ember/bench/LoadClient.java), all on 127.0.0.1.
#   bench/serving_load.sh                 lenet, 1/8/64 clients, 15 s each after a 3 s warm-up
#   BENCH_MODELS="lenet digits" BENCH_CONCURRENCY="1 8 64" BENCH_SECONDS=15 BENCH_WARMUP=3 bench/serving_load.sh
#   BENCH_TARGETS="ember-grpc ember-grpc-single" ...   a subset of: ember-rest ember-rest-single ember-rest-binary
#                                                      ember-grpc ember-grpc-single peer-rest
# Results: target/bench/serving-<time>.jsonl (one JSON line per run) and serving-<time>.md (the tables, also printed).
# The machine is shared and the clients run on it too: like run_all.sh, this waits (up to BENCH_WAIT s, default 900)
# for the 1-minute load to fall below BENCH_MAX_LOAD (default 1.0) before starting, and every row records the load.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MODELS=${BENCH_MODELS:-lenet}
CONCURRENCY=${BENCH_CONCURRENCY:-"1 8 64"}
MEASURE=${BENCH_SECONDS:-15}
WARMUP=${BENCH_WARMUP:-3}
JIT_WARMUP=${BENCH_JIT_WARMUP:-10}
TARGETS=${BENCH_TARGETS:-"ember-rest ember-rest-single ember-grpc ember-grpc-single peer-rest"}
PEER_WORKERS=${PEER_WORKERS:-2} PEER_THREADS=${PEER_THREADS:-1}
HTTP_PORT=18080 GRPC_PORT=19000 PEER_PORT=18090

if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
  for c in /usr/lib/jvm/*25*; do [[ -x "$c/bin/java" ]] && { export JAVA_HOME="$c"; break; }; done
fi
[[ -x "${JAVA_HOME:-}/bin/java" ]] || { echo "serving_load: no JDK 25 found (set JAVA_HOME)" >&2; exit 2; }
JAVA="$JAVA_HOME/bin/java"
# the server's flags, taken from the launcher so the two cannot drift apart
eval "$(grep -m1 '^JVM_FLAGS=' bin/ember)"
FLAGS=("${JVM_FLAGS[@]}")

if [[ "${BENCH_BUILD:-1}" != 0 ]]; then # BENCH_BUILD=0 reuses the last build
  echo "serving_load: building the app and the load client" >&2
  ./mvnw -B -q -Pbench -DskipTests package >&2
fi
CP="target/bench-classes:target/classes:$(cat target/bench-classpath.txt)"

# The repository under test: each model as committed (dynamic batching) and as <model>_single, the same files with
# dynamic_batching removed from config.json (every request its own forward pass).
REPO=target/bench/repo
rm -rf "$REPO" && mkdir -p "$REPO"
for m in $MODELS; do
  cp -r "examples/models/$m" "$REPO/$m"
  cp -r "examples/models/$m" "$REPO/${m}_single"
  /usr/bin/python3 - "$REPO/${m}_single/config.json" "${m}_single" <<'EOF'
import json, sys
path, name = sys.argv[1], sys.argv[2]
c = json.load(open(path))
c["name"] = name
c.pop("dynamic_batching", None)
json.dump(c, open(path, "w"), indent=1)
EOF
done

deadline=$((SECONDS + ${BENCH_WAIT:-900}))
while awk -v max="${BENCH_MAX_LOAD:-1.0}" '{ exit !($1 >= max) }' /proc/loadavg && (( SECONDS < deadline )); do sleep 10; done
echo "serving_load: load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

pids=()
cleanup() { for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_http() { # url, what
  for _ in $(seq 600); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "serving_load: $2 did not come up ($1)" >&2; exit 1
}

"$JAVA" "${FLAGS[@]}" ${EMBER_JAVA_OPTS:-} -Dember.model-repository="$REPO" -Dquarkus.http.port=$HTTP_PORT -Dquarkus.grpc.server.port=$GRPC_PORT \
  -Dquarkus.log.level=WARN -jar target/quarkus-app/quarkus-run.jar > target/bench/ember-server.log 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$HTTP_PORT/v2/health/ready" "Ember"

OUT="target/bench/serving-$(date +%Y%m%d-%H%M%S).jsonl"
client() { "$JAVA" -cp "$CP" dev.ember.bench.LoadClient --seconds "$MEASURE" --warmup "$WARMUP" "$@" | tee -a "$OUT"; }

for m in $MODELS; do
  input=$(/usr/bin/python3 -c "import json; print(json.load(open('$REPO/$m/config.json'))['input'][0]['name'])")
  shape=$(/usr/bin/python3 -c "import json; print(','.join(map(str, [1] + json.load(open('$REPO/$m/config.json'))['input'][0]['dims'])))")
  peer_pid=
  if [[ " $TARGETS " == *" peer-rest "* ]]; then
    # its own session, so that stopping it reaches uvicorn's worker processes too
    setsid /usr/bin/python3 bench/fastapi_peer.py --repo "$REPO" --model "$m" --port $PEER_PORT --workers "$PEER_WORKERS" --threads "$PEER_THREADS" \
      > "target/bench/peer-$m.log" 2>&1 &
    peer_pid=$!; pids+=($peer_pid)
    wait_http "http://127.0.0.1:$PEER_PORT/v2/health/ready" "the FastAPI peer"
  fi
  # A fresh JVM compiles as it goes: give each Ember target one unrecorded run first (the peer needs none).
  for t in $TARGETS; do
    [[ $t == peer-rest ]] && continue
    model=$m; [[ $t == *-single ]] && model=${m}_single
    case $t in
      ember-rest*) args=(--protocol rest --encoding "$([[ $t == ember-rest-binary ]] && echo binary || echo json)" --port $HTTP_PORT) ;;
      ember-grpc*) args=(--protocol grpc --encoding raw --port $GRPC_PORT) ;;
    esac
    "$JAVA" -cp "$CP" dev.ember.bench.LoadClient --seconds "$JIT_WARMUP" --warmup 0 --model "$model" --input "$input" --shape "$shape" \
      --concurrency 16 "${args[@]}" > /dev/null
  done
  for c in $CONCURRENCY; do
    for t in $TARGETS; do
      model=$m; [[ $t == *-single ]] && model=${m}_single
      common=(--model "$model" --input "$input" --shape "$shape" --concurrency "$c" --label "$t")
      case $t in
        ember-rest|ember-rest-single) client "${common[@]}" --protocol rest --encoding json --port $HTTP_PORT ;;
        ember-rest-binary)            client "${common[@]}" --protocol rest --encoding binary --port $HTTP_PORT ;;
        ember-grpc|ember-grpc-single) client "${common[@]}" --protocol grpc --encoding raw --port $GRPC_PORT ;;
        peer-rest)                    client "${common[@]}" --protocol rest --encoding json --port $PEER_PORT ;;
        *) echo "serving_load: unknown target $t" >&2; exit 2 ;;
      esac
    done
  done
  if [[ -n "$peer_pid" ]]; then kill -- "-$peer_pid"; wait "$peer_pid" 2>/dev/null || true; fi
done

/usr/bin/python3 bench/serving_summary.py "$OUT" | tee "${OUT%.jsonl}.md"
