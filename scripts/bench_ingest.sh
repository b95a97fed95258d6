#!/usr/bin/env bash
# Ingest benchmark (not a test): hookline-ingest verifying Stripe-signed deliveries and
# answering after Kafka's acks=all acknowledgement (dev broker), next to a do-nothing
# cpp-httplib server with the same settings (the ceiling), both loaded by wrk on loopback.
#
#   scripts/bench_ingest.sh
#
# Environment: BENCH_DURATION (s per run, default 10), BENCH_RUNS (default 3, medians are
# reported), BENCH_CONNECTIONS (default 16), BENCH_WRK_THREADS (default 2).
# Output: a Markdown table on stdout, also written to build/bench/ingest-results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

duration=${BENCH_DURATION:-10}
runs=${BENCH_RUNS:-3}
conns=${BENCH_CONNECTIONS:-16}
wrk_threads=${BENCH_WRK_THREADS:-2}
secret=bench-secret

scripts/setup.sh
echo "== build (Release, benchmarks on) into build/bench/" >&2
cmake_build Release build/bench -DHOOKLINE_BENCH=ON -DHOOKLINE_TESTS=OFF >&2
bin=$PWD/build/bench/bin

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

"$bin/hookline-bench-requests" stripe "$secret" "http://127.0.0.1:$ingest_port" 1000 >"$state/req.lua"

# run_wrk URL SCRIPT: prints "rps p50_ms p99_ms non2xx errors".
run_wrk() {
  local out
  out=$(wrk -t"$wrk_threads" -c"$conns" -d"${duration}s" -s "$2" "$1" 2>&1) || { echo "$out" >&2; die "wrk failed"; }
  echo "$out" | awk '/^RESULT/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%.0f %.2f %.2f %d %d\n", v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000, v["errors_status"], v["errors_other"] }'
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "== warm-up" >&2
BENCH_WARM=$(duration=3 run_wrk "http://127.0.0.1:$noop_port" "$state/req.lua")
BENCH_WARM=$(duration=3 run_wrk "http://127.0.0.1:$ingest_port" "$state/req.lua")

: >"$state/ceiling" >"$state/ingest"
for ((r = 1; r <= runs; r++)); do
  echo "== run $r/$runs: ceiling, then ingest (${duration}s each, $conns connections)" >&2
  run_wrk "http://127.0.0.1:$noop_port" "$state/req.lua" >>"$state/ceiling"
  run_wrk "http://127.0.0.1:$ingest_port" "$state/req.lua" >>"$state/ingest"
done
errors=$(awk '{ s += $4 + $5 } END { print s + 0 }' "$state/ingest")
[[ $errors -eq 0 ]] || { cat "$state/ingest.err" >&2; die "the ingest answered $errors requests with errors"; }

c_rps=$(cut -d' ' -f1 "$state/ceiling" | median)
c_p50=$(cut -d' ' -f2 "$state/ceiling" | median)
c_p99=$(cut -d' ' -f3 "$state/ceiling" | median)
i_rps=$(cut -d' ' -f1 "$state/ingest" | median)
i_p50=$(cut -d' ' -f2 "$state/ingest" | median)
i_p99=$(cut -d' ' -f3 "$state/ingest" | median)

# Half of the peak: each connection waits so that all of them together offer i_rps / 2.
half=$(awk -v r="$i_rps" 'BEGIN { printf "%.0f", r / 2 }')
delay_ms=$(awk -v c="$conns" -v h="$half" 'BEGIN { printf "%.3f", c * 1000 / h }')
"$bin/hookline-bench-requests" stripe "$secret" "http://127.0.0.1:$ingest_port" 1000 "$delay_ms" >"$state/half.lua"
: >"$state/half"
for ((r = 1; r <= runs; r++)); do
  echo "== run $r/$runs: ingest at half the peak (~$half req/s)" >&2
  run_wrk "http://127.0.0.1:$ingest_port" "$state/half.lua" >>"$state/half"
done
h_rps=$(cut -d' ' -f1 "$state/half" | median)
h_p50=$(cut -d' ' -f2 "$state/half" | median)
h_p99=$(cut -d' ' -f3 "$state/half" | median)
ratio=$(awk -v a="$i_rps" -v b="$c_rps" 'BEGIN { printf "%.2f", a / b }')

mkdir -p build/bench
{
  echo "| load ($conns connections, wrk -t$wrk_threads, ${duration}s x $runs, medians) | req/s | p50 ms | p99 ms |"
  echo "|---|---:|---:|---:|"
  echo "| do-nothing cpp-httplib POST handler (ceiling) | $c_rps | $c_p50 | $c_p99 |"
  echo "| hookline-ingest, Stripe signature + acks=all to the dev broker | $i_rps | $i_p50 | $i_p99 |"
  echo "| hookline-ingest at half its peak (offered ~$half req/s) | $h_rps | $h_p50 | $h_p99 |"
  echo
  echo "ingest / ceiling = $ratio; no non-2xx answers; $(nproc) cores shared by wrk, the server and the dev broker."
} | tee build/bench/ingest-results.md
