#!/usr/bin/env bash
# Ingest benchmark (not a test): hookline-ingest verifying Stripe-signed deliveries and
# answering after Kafka's acks=all acknowledgement (dev broker), next to a do-nothing
# cpp-httplib server with the same settings (the ceiling), both loaded by wrk on loopback.
#
#   scripts/bench_ingest.sh
#
# Environment: BENCH_DURATION (s per run, default 10), BENCH_RUNS (default 3, medians are
# reported), BENCH_CONNECTIONS (default 16), BENCH_WRK_THREADS (default 2), BENCH_BUILD_DIR
# (default build/bench; the Release build it runs).
# Output: a Markdown table on stdout, also written to <build dir>/ingest-results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

duration=${BENCH_DURATION:-10}
runs=${BENCH_RUNS:-3}
conns=${BENCH_CONNECTIONS:-16}
wrk_threads=${BENCH_WRK_THREADS:-2}
secret=bench-secret
build_dir=${BENCH_BUILD_DIR:-build/bench}

scripts/setup.sh
echo "== build (Release, benchmarks on) into $build_dir/" >&2
if [[ -n ${BENCH_TARGETS_ONLY:-} ]]; then
  # Only what this benchmark runs (e.g. while another component does not build yet).
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DHOOKLINE_BENCH=ON -DHOOKLINE_TESTS=OFF >/dev/null
  cmake --build "$build_dir" -j"$(nproc)" --target hookline hookline-ingest hookline-devbroker \
    hookline-bench-noop hookline-bench-requests hookline-bench-produce >/dev/null || die "build failed"
else
  cmake_build Release "$build_dir" -DHOOKLINE_BENCH=ON -DHOOKLINE_TESTS=OFF >&2
fi
bin=$PWD/$build_dir/bin

state=$(mktemp -d /tmp/hookline-bench.XXXXXX)
chmod 755 "$state"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  scripts/pg.sh stop "$state/pg" >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT

# listening_port FILE PID: the port a program printed as "listening on HOST:PORT".
listening_port() {
  local file=$1 pid=$2 i
  for ((i = 0; i < 300; i++)); do
    if grep -q 'listening on' "$file" 2>/dev/null; then
      sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$file" | head -1
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

echo "== dev broker, Postgres, ingest, ceiling server" >&2
"$bin/hookline-devbroker" --topology topology/topics.json --bootstrap-file "$state/bootstrap" \
  >"$state/devbroker.log" 2>&1 &
pids+=($!)
wait_for_file "$state/bootstrap" 30 "${pids[-1]}" || die "dev broker did not start"
scripts/pg.sh start "$state/pg" >/dev/null
export HOOKLINE_KAFKA_BOOTSTRAP=$(cat "$state/bootstrap")
export HOOKLINE_DATABASE_URL=$(cat "$state/pg/url")
export HOOKLINE_SECRET_KEY=$(head -c 32 /dev/urandom | base64)
export HOOKLINE_LOG_LEVEL=warn
"$bin/hookline" db migrate >/dev/null
"$bin/hookline" connections add --provider stripe --id main --secret "$secret" >/dev/null

"$bin/hookline-ingest" --listen 127.0.0.1:0 >"$state/ingest.out" 2>"$state/ingest.err" &
pids+=($!)
ingest_port=$(listening_port "$state/ingest.out" "${pids[-1]}") || { cat "$state/ingest.err" >&2; die "ingest did not start"; }
"$bin/hookline-bench-noop" 64 >"$state/noop.out" 2>&1 &
pids+=($!)
noop_port=$(listening_port "$state/noop.out" "${pids[-1]}") || die "noop server did not start"
for ((i = 0; i < 100; i++)); do
  curl -sf "http://127.0.0.1:$ingest_port/readyz" >/dev/null && break
  sleep 0.1
done

# run_wrk URL SCRIPT: prints "rps p50_ms p99_ms non2xx errors".
run_wrk() {
  local out
  out=$(wrk -t"$wrk_threads" -c"$conns" -d"${duration}s" -s "$2" "$1" 2>&1) || { echo "$out" >&2; die "wrk failed"; }
  echo "$out" | awk '/^RESULT/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%.0f %.2f %.2f %d %d\n", v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000, v["errors_status"], v["errors_other"] }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { cut -d' ' -f"$1" "$2" | median; }

# bench_size BYTES LABEL: ceiling, ingest at full load, ingest at half its peak; table rows.
bench_size() {
  local bytes=$1 label=$2 r
  "$bin/hookline-bench-requests" stripe "$secret" "http://127.0.0.1:$ingest_port" 1000 0 "$bytes" >"$state/req.lua"
  echo "== $label: warm-up" >&2
  duration=3 run_wrk "http://127.0.0.1:$noop_port" "$state/req.lua" >/dev/null
  duration=3 run_wrk "http://127.0.0.1:$ingest_port" "$state/req.lua" >/dev/null
  : >"$state/ceiling"
  : >"$state/ingest"
  for ((r = 1; r <= runs; r++)); do
    echo "== $label: run $r/$runs: ceiling, then ingest (${duration}s each, $conns connections)" >&2
    run_wrk "http://127.0.0.1:$noop_port" "$state/req.lua" >>"$state/ceiling"
    run_wrk "http://127.0.0.1:$ingest_port" "$state/req.lua" >>"$state/ingest"
  done
  local errors
  errors=$(awk '{ s += $4 + $5 } END { print s + 0 }' "$state/ingest")
  [[ $errors -eq 0 ]] || { tail -5 "$state/ingest.err" >&2; die "the ingest answered $errors requests with errors"; }
  local c_rps i_rps i_p50 half
  c_rps=$(col 1 "$state/ceiling")
  i_rps=$(col 1 "$state/ingest")
  i_p50=$(col 2 "$state/ingest")
  # Half the peak, paced: wrk's delay() takes whole milliseconds, so each connection waits
  # 2 ms after every answer, and the number of connections is chosen so that together they
  # offer about i_rps / 2 (each connection sends one request per 2 ms + its latency).
  half=$(awk -v r="$i_rps" 'BEGIN { printf "%.0f", r / 2 }')
  local half_conns
  half_conns=$(awk -v h="$half" -v l="$i_p50" -v t="$wrk_threads" 'BEGIN { c = int(h * (2 + l) / 1000 + 0.5); printf "%d", c < t ? t : c }')
  "$bin/hookline-bench-requests" stripe "$secret" "http://127.0.0.1:$ingest_port" 1000 2 "$bytes" >"$state/half.lua"
  # wrk's timer adds its own slack to each wait: calibrate with a short run, then scale.
  local got
  got=$(conns=$half_conns duration=3 run_wrk "http://127.0.0.1:$ingest_port" "$state/half.lua" | cut -d' ' -f1)
  half_conns=$(awk -v c="$half_conns" -v h="$half" -v g="$got" -v t="$wrk_threads" 'BEGIN { n = int(c * h / (g > 0 ? g : h) + 0.5); printf "%d", n < t ? t : n }')
  : >"$state/half"
  for ((r = 1; r <= runs; r++)); do
    echo "== $label: run $r/$runs: ingest at half its peak (~$half req/s offered by $half_conns connections)" >&2
    conns=$half_conns run_wrk "http://127.0.0.1:$ingest_port" "$state/half.lua" >>"$state/half"
  done
  # The Kafka side alone: the same producer settings, $conns records awaiting ack at a time.
  : >"$state/kafka"
  for ((r = 1; r <= runs; r++)); do
    echo "== $label: run $r/$runs: Kafka alone, $conns records awaiting ack" >&2
    "$bin/hookline-bench-produce" "$HOOKLINE_KAFKA_BOOTSTRAP" webhooks.raw "$conns" "$duration" "$bytes" |
      sed -n 's/^RESULT rate=\([0-9]*\).*/\1/p' >>"$state/kafka"
  done
  local k_rps ratio bound
  k_rps=$(median <"$state/kafka")
  ratio=$(awk -v a="$i_rps" -v b="$c_rps" 'BEGIN { printf "%.2f", a / b }')
  # Closed-loop bound: each request costs the ceiling's HTTP work plus the Kafka side's work on
  # the same 2 cores, so even an ingest doing nothing else reaches at most 1/(1/c + 1/k).
  bound=$(awk -v c="$c_rps" -v k="$k_rps" 'BEGIN { printf "%.2f", (c * k / (c + k)) / c }')
  echo "| $label | do-nothing cpp-httplib handler (ceiling) | $c_rps | $(col 2 "$state/ceiling") | $(col 3 "$state/ceiling") | |"
  echo "| $label | acks=all producer alone, $conns records awaiting ack (Kafka-side cap) | $k_rps | | | |"
  echo "| $label | hookline-ingest: verify Stripe signature, acks=all to the dev broker | $i_rps | $i_p50 | $(col 3 "$state/ingest") | $ratio (bound: $bound) |"
  echo "| $label | hookline-ingest at half its peak (~$half req/s offered, $half_conns connections, paced) | $(col 1 "$state/half") | $(col 2 "$state/half") | $(col 3 "$state/half") | |"
}

mkdir -p "$build_dir"
{
  echo "| body | load ($conns connections, wrk -t$wrk_threads, ${duration}s x $runs, medians) | req/s | p50 ms | p99 ms | ingest / ceiling |"
  echo "|---|---|---:|---:|---:|---:|"
  bench_size 1536 "1.5 KB"
  bench_size 0 "0.3 KB"
  echo
  echo "No non-2xx answers. $(nproc) cores shared by wrk, the servers and the dev broker; every 2xx was acknowledged by Kafka (acks=all) first."
} | tee "$build_dir/ingest-results.md"
