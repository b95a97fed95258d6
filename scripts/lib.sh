# Shared shell helpers for hookline's scripts (sourced, not run).

# die MESSAGE: one line on stderr, exit 1.
die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# wait_for_file PATH SECONDS [PID]: waits until PATH exists and is not empty; fails early if
# PID (the process that should write it) died.
wait_for_file() {
  local path=$1 secs=$2 pid=${3:-} i
  for ((i = 0; i < secs * 10; i++)); do
    [[ -s "$path" ]] && return 0
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# stop_pidfile FILE [SECONDS]: SIGTERM the process in FILE, SIGKILL after SECONDS (default 10),
# remove FILE. Quiet when nothing runs.
stop_pidfile() {
  local file=$1 secs=${2:-10} pid i
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < secs * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$(basename "$0"): pid $pid did not stop in ${secs}s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

# build_dir TYPE DIR [extra cmake args]: configure (once) and build.
cmake_build() {
  local type=$1 dir=$2
  shift 2
  local log status
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null || die "cmake configure failed ($dir)"
  log=$(mktemp)
  status=0
  cmake --build "$dir" -j"$(nproc)" >"$log" 2>&1 || status=$?
  grep -v -E '^\[ *[0-9]+%\]|^Consolidate|^-- |^gmake' "$log" || true
  rm -f "$log"
  [[ $status -eq 0 ]] || die "build failed ($dir)"
}

# start_test_postgres NAME: starts the throw-away Postgres in .dev/NAME (absolute paths, so
# scripts may cd afterwards), stops it when the script exits, and exports
# HOOKLINE_TEST_DATABASE_URL for the tests' databases.
start_test_postgres() {
  TEST_PG_DIR=$PWD/.dev/$1
  TEST_PG_SCRIPT=$PWD/scripts/pg.sh
  mkdir -p .dev
  trap '"$TEST_PG_SCRIPT" stop "$TEST_PG_DIR" >/dev/null 2>&1 || true' EXIT
  trap 'exit 130' INT TERM
  echo "== start Postgres (.dev/$1)"
  scripts/pg.sh start "$TEST_PG_DIR" >/dev/null
  HOOKLINE_TEST_DATABASE_URL=$(cat "$TEST_PG_DIR/url")
  export HOOKLINE_TEST_DATABASE_URL
}
