#!/usr/bin/env bash
# The whole hookline stack on embedded defaults, on one machine:
#
#   scripts/dev.sh            start everything, run in the foreground, stop it all on Ctrl-C
#   scripts/dev.sh --detach   start everything and return once it is ready
#   scripts/dev.sh stop       stop what a detached run started
#   scripts/dev.sh status     show what runs
#
# It runs setup.sh, builds (Release, build/bin/), starts the dev broker (librdkafka's mock
# cluster with the declared topics) and a throw-away Postgres (.dev/pg), migrates, applies the
# topology, starts every component built so far, and writes .dev/stack.env:
#   KAFKA_BOOTSTRAP=...  DATABASE_URL=...  INGEST_URL=...  KAFKA_CONTROL_URL=...
# Logs go to .dev/logs/<name>.log. Everything lives in memory or under .dev/: nothing is kept
# for production use.
#
# Environment: HOOKLINE_DEV_DIR (state folder, default .dev), HOOKLINE_BIN_DIR (use these
# built binaries instead of building; the tests use it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

readonly DEV=${HOOKLINE_DEV_DIR:-.dev}
readonly BIN=${HOOKLINE_BIN_DIR:-build/bin}
readonly READY_TIMEOUT=60

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

stop_all() {
  local f
  # Components first (they drain into Kafka), then the broker, then Postgres.
  for f in "$DEV"/run/*.pid; do
    [[ -e "$f" ]] || continue
    [[ "$(basename "$f")" == devbroker.pid ]] && continue
    stop_pidfile "$f" 15
  done
  stop_pidfile "$DEV/run/devbroker.pid" 10
  scripts/pg.sh stop "$DEV/pg" >/dev/null 2>&1 || true
  rm -f "$DEV/stack.env"
}

status() {
  local f name pid any=0
  for f in "$DEV"/run/*.pid; do
    [[ -e "$f" ]] || continue
    name=$(basename "$f" .pid) pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then echo "$name: running (pid $pid)"; any=1;
    else echo "$name: not running (stale pid $pid)"; fi
  done
  [[ -f "$DEV/pg/url" ]] && scripts/pg.sh url "$DEV/pg" >/dev/null 2>&1 && echo "postgres: running ($(cat "$DEV/pg/url"))" && any=1
  [[ -f "$DEV/stack.env" ]] && { echo; cat "$DEV/stack.env"; }
  [[ $any -eq 1 ]] || echo "nothing runs"
}

# start NAME COMMAND...: starts a process in its own session, logs to .dev/logs/NAME.log.
start() {
  local name=$1
  shift
  setsid "$@" </dev/null >>"$DEV/logs/$name.log" 2>&1 &
  echo $! >"$DEV/run/$name.pid"
}

start_stack() {
  scripts/setup.sh
  if [[ -z "${HOOKLINE_BIN_DIR:-}" ]]; then
    echo "== build (Release) into $BIN/"
    cmake_build Release build -DHOOKLINE_TESTS=OFF
  fi
  [[ -x "$BIN/hookline" && -x "$BIN/hookline-devbroker" ]] || die "no hookline binaries in $BIN"

  if [[ -f "$DEV/run/devbroker.pid" ]] && kill -0 "$(cat "$DEV/run/devbroker.pid")" 2>/dev/null; then
    die "a dev stack is already running (scripts/dev.sh stop, or scripts/dev.sh status)"
  fi
  mkdir -p "$DEV/run" "$DEV/logs"
  rm -f "$DEV/kafka.bootstrap" "$DEV/kafka.control" "$DEV/stack.env"

  echo "== dev broker"
  start devbroker "$BIN/hookline-devbroker" --brokers 3 --topology topology/topics.json \
    --bootstrap-file "$DEV/kafka.bootstrap" --control-file "$DEV/kafka.control"
  wait_for_file "$DEV/kafka.bootstrap" "$READY_TIMEOUT" "$(cat "$DEV/run/devbroker.pid")" ||
    { tail -5 "$DEV/logs/devbroker.log" >&2; die "the dev broker did not start (see $DEV/logs/devbroker.log)"; }
  KAFKA_BOOTSTRAP=$(cat "$DEV/kafka.bootstrap")
  KAFKA_CONTROL_URL=$(cat "$DEV/kafka.control")

  echo "== Postgres"
  scripts/pg.sh start "$DEV/pg" >/dev/null
  DATABASE_URL=$(cat "$DEV/pg/url")

  export HOOKLINE_KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP HOOKLINE_DATABASE_URL=$DATABASE_URL
  echo "== migrate and apply the topology"
  "$BIN/hookline" db migrate | sed 's/^/   /'
  "$BIN/hookline" topology apply | sed 's/^/   /'

  INGEST_URL=""
  # Components are started here as they are built (ingest, normalizer, gatekeeper, sender).

  cat >"$DEV/stack.env" <<ENV
# Written by scripts/dev.sh; source it to talk to the dev stack.
KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP
DATABASE_URL=$DATABASE_URL
INGEST_URL=$INGEST_URL
KAFKA_CONTROL_URL=$KAFKA_CONTROL_URL
HOOKLINE_KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP
HOOKLINE_DATABASE_URL=$DATABASE_URL
ENV

  cat <<MSG

hookline dev stack is ready.
  Kafka (dev broker)   $KAFKA_BOOTSTRAP     control API $KAFKA_CONTROL_URL
  Postgres             $DATABASE_URL
  Ingest               ${INGEST_URL:-(not built yet: see the ingest issue)}
  Settings             $DEV/stack.env   logs: $DEV/logs/

Try:
  kcat -b $KAFKA_BOOTSTRAP -L
  set -a; source $DEV/stack.env; set +a; $BIN/hookline topology check
MSG
}

case "${1:-}" in
  stop) stop_all; echo "dev stack stopped"; exit 0 ;;
  status) status; exit 0 ;;
  -h|--help) usage; exit 0 ;;
  --detach)
    trap 'stop_all; exit 1' ERR
    start_stack
    trap - ERR
    echo "  stop with: scripts/dev.sh stop"
    ;;
  "")
    trap 'echo; echo "stopping..."; stop_all; exit 0' INT TERM
    trap 'stop_all' ERR
    start_stack
    echo "  running in the foreground; Ctrl-C stops everything"
    # Wait on the broker; if it dies, stop the rest too.
    while kill -0 "$(cat "$DEV/run/devbroker.pid" 2>/dev/null)" 2>/dev/null; do sleep 1; done
    echo "the dev broker exited; stopping everything" >&2
    stop_all
    exit 1
    ;;
  *) echo "dev.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
esac
