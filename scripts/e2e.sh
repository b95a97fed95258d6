#!/usr/bin/env bash
# The end-to-end proof: the whole pipeline under load and faults, with nothing lost or doubled.
#
#   scripts/e2e.sh [--duration S] [--webhook-rate N] [--request-rate N] [--kill-every S]
#                  [--campaign N] [--seed N] [--out FILE]
#
# Builds (Release, build/e2e/; or uses HOOKLINE_E2E_BUILD_DIR's binaries as they are, which
# scripts/test.sh does with its sanitizer build), starts a throw-away Postgres (.dev/e2e-pg),
# then hookline-e2e (tests/e2e/) starts the dev broker with 3 brokers, ingest x2,
# normalizer x2, gatekeeper, sender x2 and the provider simulator, and for --duration seconds
# (default 120):
#   - sends signed webhooks of every shipped provider to both ingests (--webhook-rate per
#     second, default 60; 10 % sent two or three times, overlapping batches, 3 % forged);
#   - publishes send requests (--request-rate per second, default 15): transactional email,
#     marketing to contacts without consent, a connection whose provider fails with 5xx for a
#     while, and a 1,500-recipient campaign (--campaign messages) approved half-way through a
#     signed Slack click;
#   - SIGKILLs and restarts a random component every --kill-every seconds (default 5), takes a
#     Kafka broker down and up, and restarts Postgres once.
# Then it waits for the pipeline to drain, compares ids in and out, scans every component's
# output and metrics for the planted addresses and phone numbers, prints the table of counts
# and load figures, and writes them as JSON (--out, default .dev/e2e/figures.json).
# Exit 0 when every check holds, 1 when one fails, 2 on bad usage.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

out=.dev/e2e/figures.json
args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --out) [[ $# -ge 2 ]] || { echo "e2e.sh: --out needs a value" >&2; exit 2; }; out=$2; shift 2 ;;
    --duration|--webhook-rate|--request-rate|--kill-every|--campaign|--seed)
      [[ $# -ge 2 ]] || { echo "e2e.sh: $1 needs a value" >&2; exit 2; }
      args+=("$1" "$2"); shift 2 ;;
    *) echo "e2e.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ -n "${HOOKLINE_E2E_BUILD_DIR:-}" ]]; then
  build=$HOOKLINE_E2E_BUILD_DIR
else
  scripts/setup.sh
  build=build/e2e
  echo "== build (Release) into $build/"
  cmake_build Release "$build" -DHOOKLINE_TESTS=ON
fi
[[ -x "$build/bin/hookline-e2e" ]] || die "no $build/bin/hookline-e2e (build with -DHOOKLINE_TESTS=ON)"

mkdir -p "$(dirname "$out")"
start_test_postgres e2e-pg

echo "== run"
"$build/bin/hookline-e2e" --pg-dir "$TEST_PG_DIR" --out "$out" "${args[@]}"
