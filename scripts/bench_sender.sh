#!/usr/bin/env bash
# Sender benchmark (not a test): hookline-sender against the provider simulator.
#   1. throughput: sends/s through the whole sender (outbound.approved -> lanes -> sent-ledger
#      lookup -> HTTP call -> ledger write -> result record) on a connection without a limit,
#      next to the ceiling measured in the same run: the same HTTP calls made straight to the
#      simulator by as many threads as the sender has workers.
#   2. rate accuracy: a connection limited to each of BENCH_RATES (burst: 50 ms of tokens, at
#      least 1) sends for BENCH_SECONDS; the measured rate after the burst against the
#      configured one.
#
#   scripts/bench_sender.sh
#
# Environment: BENCH_REQUESTS (default 20000), BENCH_WORKERS (default 32), BENCH_RUNS (default
# 3, medians), BENCH_RATES (default "5 20 100 500"), BENCH_SECONDS (default 10),
# BENCH_TARGETS_ONLY (build only what this benchmark runs).
# Needs Postgres: starts a throw-away cluster in .dev/bench-pg (scripts/pg.sh).
# Output: a Markdown table on stdout, also written to build/bench/sender-results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

requests=${BENCH_REQUESTS:-20000}
workers=${BENCH_WORKERS:-32}
runs=${BENCH_RUNS:-3}
rates=${BENCH_RATES:-"5 20 100 500"}
seconds=${BENCH_SECONDS:-10}

scripts/setup.sh
echo "== build (Release, benchmarks on) into build/bench/" >&2
targets=(hookline hookline-sender hookline-provider-sim hookline-devbroker hookline-bench-sender)
if [[ -n ${BENCH_TARGETS_ONLY:-} ]]; then
  cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DHOOKLINE_BENCH=ON -DHOOKLINE_TESTS=OFF >/dev/null
  cmake --build build/bench -j"$(nproc)" --target "${targets[@]}" >/dev/null || die "build failed"
else
  cmake_build Release build/bench -DHOOKLINE_BENCH=ON -DHOOKLINE_TESTS=OFF >&2
fi
bin=$PWD/build/bench/bin

pg_dir=$PWD/.dev/bench-pg
cleanup() { scripts/pg.sh stop "$pg_dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT
scripts/pg.sh start "$pg_dir" >/dev/null
HOOKLINE_TEST_DATABASE_URL=$(cat "$pg_dir/url")
export HOOKLINE_TEST_DATABASE_URL

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
field() { sed -n "s/.*$1=\([-0-9.]*\).*/\1/p"; }

state=$(mktemp -d /tmp/hookline-bench-sender.XXXXXX)
for run in $(seq 1 "$runs"); do
  echo "== throughput run $run/$runs ($requests requests, $workers workers)" >&2
  out=$("$bin/hookline-bench-sender" throughput "$requests" "$workers") || die "throughput run failed"
  echo "$out" >&2
  echo "$out" | field ceiling >>"$state/ceiling"
  echo "$out" | field sender >>"$state/sender"
  echo "$out" | field ratio >>"$state/ratio"
done
ceiling=$(median <"$state/ceiling")
sender=$(median <"$state/sender")
ratio=$(median <"$state/ratio")

accuracy_rows=""
for rate in $rates; do
  : >"$state/measured"
  : >"$state/error"
  for run in $(seq 1 "$runs"); do
    echo "== accuracy $rate/s run $run/$runs ($seconds s)" >&2
    out=$("$bin/hookline-bench-sender" accuracy "$rate" "$seconds") || die "accuracy run failed"
    echo "$out" >&2
    echo "$out" | field measured >>"$state/measured"
    echo "$out" | field error_pct >>"$state/error"
  done
  accuracy_rows+="| $rate/s | $(median <"$state/measured")/s | $(median <"$state/error") % |"$'\n'
done
rm -rf "$state"

mkdir -p build/bench
{
  echo "| what (medians of $runs runs) | figure |"
  echo "|---|---|"
  echo "| ceiling: the same Resend calls straight to the simulator, $workers threads | $ceiling calls/s |"
  echo "| hookline-sender, one connection without a limit, $requests requests | $sender sends/s |"
  echo "| sender / ceiling | $ratio |"
  echo
  echo "| configured rate | measured ($seconds s) | error |"
  echo "|---|---|---|"
  printf '%s' "$accuracy_rows"
} | tee build/bench/sender-results.md
