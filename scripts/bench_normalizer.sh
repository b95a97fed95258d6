#!/usr/bin/env bash
# Normalizer benchmark (not a test): hookline-normalizer deduplicating and normalizing a backlog
# of Stripe deliveries on webhooks.raw (with provider retries mixed in) in Kafka transactions,
# next to the broker's own consume+produce rate for the same records (the ceiling), then the
# end-to-end latency at a steady rate (raw record written -> normalized record readable with
# read_committed).
#
#   scripts/bench_normalizer.sh
#
# Environment: BENCH_EVENTS (distinct events, default 40000), BENCH_DUP_PERCENT (repeated
# deliveries, default 25), BENCH_RUNS (default 3, medians), BENCH_BATCH (batch_records,
# default 5000), BENCH_RATE (deliveries/s for the latency run, default 2000), BENCH_TARGETS_ONLY
# (build only what this benchmark runs).
# Output: a Markdown table on stdout, also written to build/bench/normalizer-results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

events=${BENCH_EVENTS:-40000}
dup=${BENCH_DUP_PERCENT:-25}
runs=${BENCH_RUNS:-3}
batch=${BENCH_BATCH:-5000}
rate=${BENCH_RATE:-2000}
records=$((events + events * dup / 100))

scripts/setup.sh
echo "== build (Release, benchmarks on) into build/bench/" >&2
if [[ -n ${BENCH_TARGETS_ONLY:-} ]]; then
  cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DHOOKLINE_BENCH=ON -DHOOKLINE_TESTS=OFF >/dev/null
  cmake --build build/bench -j"$(nproc)" --target hookline-normalizer hookline-devbroker \
    hookline-bench-normalizer >/dev/null || die "build failed"
else
  cmake_build Release build/bench -DHOOKLINE_BENCH=ON -DHOOKLINE_TESTS=OFF >&2
fi
bin=$PWD/build/bench/bin

state=$(mktemp -d /tmp/hookline-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$state"
}
trap cleanup EXIT

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

start_broker() {
  rm -f "$state/bootstrap"
  "$bin/hookline-devbroker" --topology topology/topics.json --bootstrap-file "$state/bootstrap" \
    >"$state/devbroker.log" 2>&1 &
  broker_pid=$!
  pids+=("$broker_pid")
  wait_for_file "$state/bootstrap" 30 "$broker_pid" || die "dev broker did not start"
  bootstrap=$(cat "$state/bootstrap")
}
stop_broker() { kill -TERM "$broker_pid"; wait "$broker_pid" 2>/dev/null || true; }

echo '{"normalizer": {"batch_records": '"$batch"', "batch_interval_ms": 100, "metrics_listen": "127.0.0.1:0"}}' >"$state/hookline.json"
: >"$state/ceiling" ; : >"$state/rate" ; : >"$state/percore" ; : >"$state/startup"
for ((r = 1; r <= runs; r++)); do
  echo "== run $r/$runs: $records raw records ($events events, $dup% repeats)" >&2
  start_broker
  "$bin/hookline-bench-normalizer" produce "$bootstrap" "$events" "$dup" >&2
  # The ceiling: consume every raw record and produce it again, acks=all, no processing.
  "$bin/hookline-bench-normalizer" ceiling "$bootstrap" "$records" | field rate >>"$state/ceiling"
  # The normalizer on the same backlog, timed from its first event readable to its last (its
  # start-up is reported apart).
  HOOKLINE_KAFKA_BOOTSTRAP=$bootstrap HOOKLINE_CONFIG=$state/hookline.json HOOKLINE_LOG_LEVEL=warn \
    HOOKLINE_NORMALIZER_INSTANCE_ID=bench "$bin/hookline-normalizer" >"$state/normalizer.out" 2>"$state/normalizer.err" &
  npid=$!
  pids+=("$npid")
  t0=$(cpu_ticks "$npid")
  out=$("$bin/hookline-bench-normalizer" drain "$bootstrap" events.payments "$events" 300) || { tail -5 "$state/normalizer.err" >&2; die "the normalizer did not write every event"; }
  t1=$(cpu_ticks "$npid")
  secs=$(echo "$out" | field seconds)
  echo "$out" | field startup >>"$state/startup"
  echo "$out" | awk -v e="$events" -v s="$secs" '{ printf "%.0f\n", e / s }' >>"$state/rate"
  awk -v e="$events" -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f\n", e / (t / hz) }' >>"$state/percore"
  kill -TERM "$npid"; wait "$npid" 2>/dev/null || true
  stop_broker
done

echo "== latency: $rate deliveries/s for 10 s" >&2
start_broker
HOOKLINE_KAFKA_BOOTSTRAP=$bootstrap HOOKLINE_CONFIG=$state/hookline.json HOOKLINE_LOG_LEVEL=warn \
  HOOKLINE_NORMALIZER_INSTANCE_ID=bench "$bin/hookline-normalizer" >"$state/normalizer.out" 2>"$state/normalizer.err" &
pids+=($!)
# Start the load only once the normalizer owns its partitions (its group join takes seconds):
# otherwise the first records wait for the join and the figure measures start-up, not latency.
for ((i = 0; i < 300; i++)); do
  port=$(sed -n 's/^metrics on [^:]*:\([0-9]*\).*/\1/p' "$state/normalizer.out" | head -1)
  [[ -n $port ]] && curl -sf "http://127.0.0.1:$port/metrics" | grep -q '^hookline_normalizer_dedup_keys{' && break
  sleep 0.1
done
lat=$("$bin/hookline-bench-normalizer" latency "$bootstrap" "$rate" 10)

c=$(median <"$state/ceiling")
n=$(median <"$state/rate")
pc=$(median <"$state/percore")
su=$(median <"$state/startup")
ratio=$(awk -v a="$n" -v b="$c" 'BEGIN { printf "%.2f", a / b }')
mkdir -p build/bench
{
  echo "| what ($records raw records = $events events + $dup% repeats; batch_records=$batch; medians of $runs) | records or events/s | |"
  echo "|---|---:|---:|"
  echo "| broker alone: consume + produce the same records, acks=all (ceiling) | $c records/s | |"
  echo "| hookline-normalizer: dedup + CloudEvents + changelog + offsets, one transaction per $batch records | $n events/s | $ratio of ceiling |"
  echo "| hookline-normalizer per CPU-second of its own process | $pc events/s/core | |"
  echo "| hookline-normalizer start-up: group join, changelog restore, first transaction | $su s | |"
  echo "| end to end at $rate deliveries/s: raw record written -> normalized record readable (read_committed) | p50 $(echo "$lat" | field p50_ms) ms, p99 $(echo "$lat" | field p99_ms) ms | |"
  echo
  echo "$(nproc) cores shared by the dev broker, the normalizer and the load programs."
} | tee build/bench/normalizer-results.md
