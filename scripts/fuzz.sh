#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASAN+UBSAN) and runs each for a while.
#
#   scripts/fuzz.sh              every target, 60 s each
#   scripts/fuzz.sh 10           every target, 10 s each
#   scripts/fuzz.sh 60 stripe    targets whose name contains "stripe"
#
# Seeds: tests/fuzz/corpus/<target>/ (read only; new inputs go to build/fuzz-corpus/<target>/).
# A crash leaves its input in build/fuzz-artifacts/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
seconds=${1:-60}
filter=${2:-}
[[ $seconds =~ ^[0-9]+$ ]] || die "seconds must be a whole number, not '$seconds'"

scripts/setup.sh
echo "== build fuzz targets (clang, ASAN+UBSAN) into build/fuzz-clang/"
CXX=clang++ cmake_build Debug build/fuzz-clang -DCMAKE_CXX_COMPILER=clang++ -DHOOKLINE_FUZZ=ON \
  -DHOOKLINE_SANITIZE=ON -DHOOKLINE_TESTS=OFF

mkdir -p build/fuzz-artifacts
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
ran=0
for target in build/fuzz-clang/fuzz/*; do
  [[ -x $target ]] || continue
  name=$(basename "$target")
  [[ -z $filter || $name == *"$filter"* ]] || continue
  corpus=build/fuzz-corpus/$name
  mkdir -p "$corpus"
  seeds=tests/fuzz/corpus/$name
  [[ -d $seeds ]] || seeds=""
  printf '== %-40s %ss ... ' "$name" "$seconds"
  if "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix=build/fuzz-artifacts/"$name"- "$corpus" $seeds >"build/fuzz-artifacts/$name.log" 2>&1; then
    echo "clean ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "build/fuzz-artifacts/$name.log" | grep -o '[0-9]*$') runs)"
  else
    echo "FAILED (see build/fuzz-artifacts/$name.log)"
    tail -30 "build/fuzz-artifacts/$name.log" >&2
    failed+=("$name")
  fi
  ran=$((ran + 1))
done
[[ $ran -gt 0 ]] || die "no fuzz target matched"
[[ ${#failed[@]} -eq 0 ]] || die "fuzz targets failed: ${failed[*]}"
echo "fuzz: $ran target(s) ran clean for ${seconds}s each"
