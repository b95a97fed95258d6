#!/usr/bin/env bash
# The tests, as CI runs them: setup, build with AddressSanitizer + UndefinedBehaviorSanitizer,
# start a throw-away Postgres for the integration tests (each test starts its own dev broker),
# run every CTest test, stop what was started. Exits non-zero on any failure.
#
#   scripts/test.sh                 everything
#   scripts/test.sh -L unit         only unit tests (any ctest arguments are passed on)
#   scripts/test.sh -R kafka        tests whose name matches
#
# After the tests, the end-to-end suite runs in a shortened form on the sanitizer build
# (scripts/e2e.sh --duration HOOKLINE_E2E_SECONDS, default 30, at a third of its default load;
# 0 skips), then every libFuzzer target runs for HOOKLINE_FUZZ_SECONDS (default 60; 0 skips).
# Both are skipped when ctest arguments select a subset.
#
# Environment: HOOKLINE_TEST_BUILD_DIR (default build/asan), CTEST_PARALLEL_LEVEL (default 2),
# HOOKLINE_E2E_SECONDS, HOOKLINE_FUZZ_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/setup.sh

build_dir=${HOOKLINE_TEST_BUILD_DIR:-build/asan}
echo "== build ($build_dir, Debug, ASAN+UBSAN)"
cmake_build Debug "$build_dir" -DHOOKLINE_SANITIZE=ON -DHOOKLINE_TESTS=ON

root=$PWD
start_test_postgres test-pg

# Sanitizers: stop at the first UB report; leak checking on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}

echo "== ctest"
ctest_log=$root/.dev/ctest.log
status=0
(cd "$build_dir" && ctest --output-on-failure --timeout 900 -j"${CTEST_PARALLEL_LEVEL:-2}" "$@") 2>&1 |
  tee "$ctest_log" || status=$?
[[ $status -eq 0 ]] || exit "$status"
tests_run=$(sed -n 's/.*tests passed, 0 tests failed out of \([0-9]*\).*/\1/p' "$ctest_log" | tail -1)

e2e_run=0
e2e_seconds=${HOOKLINE_E2E_SECONDS:-30}
if [[ $# -eq 0 && $e2e_seconds != 0 ]]; then
  echo "== end to end, shortened (scripts/e2e.sh --duration $e2e_seconds, sanitizer build)"
  HOOKLINE_E2E_BUILD_DIR=$build_dir scripts/e2e.sh --duration "$e2e_seconds" --webhook-rate 20 \
    --request-rate 5 --campaign 40 --out "$root/.dev/e2e-short/figures.json"
  e2e_run=1
fi

fuzz_run=0
fuzz_seconds=${HOOKLINE_FUZZ_SECONDS:-60}
if [[ $# -eq 0 && $fuzz_seconds != 0 ]]; then
  echo "== fuzz (${fuzz_seconds}s per target)"
  scripts/fuzz.sh "$fuzz_seconds" 2>&1 | tee "$root/.dev/fuzz.log"
  fuzz_run=$(sed -n 's/^fuzz: \([0-9]*\) target(s) ran clean.*/\1/p' "$root/.dev/fuzz.log")
fi
echo "== done: ${tests_run:-0} ctest tests, $e2e_run end-to-end run and ${fuzz_run:-0} fuzz targets"
echo "summary: $((${tests_run:-0} + e2e_run + ${fuzz_run:-0})) passed, 0 failed"
