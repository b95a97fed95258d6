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
# and the HOOKLINE_* variables the CLI reads (HOOKLINE_STATUS_ENDPOINTS: the components' metrics
# endpoints, for `hookline status`).
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

# demo_secret PROVIDER: the dev stack's test secret for the provider's "demo" connection.
demo_secret() {
  case $1 in
    resend) echo "whsec_$(printf 'hookline-dev-resend-secret-0001' | base64)" ;;
    *) echo "dev-$1-secret" ;;
  esac
}

demo_secrets_table() {
  local f p
  for f in topology/providers/*.json; do
    p=$(basename "$f" .json)
    case $p in
      sendgrid) printf '  %-16s ECDSA public key %s (private key: %s)\n' "$p" "$DEV/sendgrid-demo.pub" "$DEV/sendgrid-demo.key" ;;
      whatsapp) printf '  %-16s secret %s   verify token dev-verify-token\n' "$p" "$(demo_secret "$p")" ;;
      *) printf '  %-16s secret %s\n' "$p" "$(demo_secret "$p")" ;;
    esac
  done
}

# One "demo" connection per shipped manifest (kept across runs with the dev Postgres).
register_demo_connections() {
  local f p out args
  if [[ ! -s "$DEV/sendgrid-demo.key" ]]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$DEV/sendgrid-demo.key" 2>/dev/null
    openssl ec -in "$DEV/sendgrid-demo.key" -pubout -outform DER 2>/dev/null | base64 -w0 >"$DEV/sendgrid-demo.pub"
  fi
  for f in topology/providers/*.json; do
    p=$(basename "$f" .json)
    args=(connections add --provider "$p" --id demo --tenant demo --environment dev --alias "dev stack demo")
    case $p in
      sendgrid) args+=(--public-key-file "$DEV/sendgrid-demo.pub") ;;
      whatsapp) args+=(--secret "$(demo_secret "$p")" --verify-token dev-verify-token) ;;
      *) args+=(--secret "$(demo_secret "$p")") ;;
    esac
    if ! out=$("$BIN/hookline" "${args[@]}" 2>&1); then
      [[ $out == *"already exists"* ]] || die "cannot register the demo connection for $p: $out"
    fi
  done
}

# The outbound demo connection resend/outbound, sending to the simulator at $1 (its settings
# are rewritten every run: the simulator's port changes).
register_outbound_connection() {
  local sim=$1 out settings
  settings='{"send": {"base_url": "'"$sim"'", "from": "demo@example.com", "rate_per_s": 10}}'
  if ! out=$(HOOKLINE_DEV_SEND_SECRET=re_dev_outbound "$BIN/hookline" connections add --provider resend \
      --id outbound --tenant demo --environment dev --alias "dev stack outbound (simulator)" \
      --send-secret-env HOOKLINE_DEV_SEND_SECRET --settings "$settings" 2>&1); then
    [[ $out == *"already exists"* ]] || die "cannot register resend/outbound: $out"
    "$BIN/hookline" connections set-settings resend/outbound --settings "$settings" >/dev/null ||
      die "cannot point resend/outbound at the simulator"
  fi
  # slack/approvals: where the gatekeeper's approval requests are posted (topology/rules.json);
  # it also receives the Approve / Deny clicks (Slack signs them with its signing secret).
  settings='{"send": {"base_url": "'"$sim"'", "rate_per_s": 5}}'
  if ! out=$(HOOKLINE_DEV_SEND_SECRET=xoxb-dev-approvals "$BIN/hookline" connections add \
      --provider slack --id approvals --tenant demo --environment dev \
      --alias "dev stack approvals (simulator)" --secret "$(demo_secret slack)" \
      --send-secret-env HOOKLINE_DEV_SEND_SECRET --settings "$settings" 2>&1); then
    [[ $out == *"already exists"* ]] || die "cannot register slack/approvals: $out"
    "$BIN/hookline" connections set-settings slack/approvals --settings "$settings" >/dev/null ||
      die "cannot point slack/approvals at the simulator"
  fi
}

# wait_metrics NAME: the port a component printed as "metrics on HOST:PORT".
wait_metrics() {
  local name=$1 i port=""
  for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
    port=$(grep -o 'metrics on [^ ]*' "$DEV/logs/$name.log" 2>/dev/null | tail -1 | sed 's/.*://' || true)
    [[ -n $port ]] && break
    kill -0 "$(cat "$DEV/run/$name.pid")" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $port ]] || { tail -5 "$DEV/logs/$name.log" >&2; die "the $name did not start (see $DEV/logs/$name.log)"; }
  echo "$port"
}

# listening_port LOG NAME: the port a component printed as "listening on HOST:PORT".
listening_port() {
  local log=$1 name=$2 i
  for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
    if grep -q 'listening on' "$log" 2>/dev/null; then
      grep -o 'listening on [^ ]*' "$log" | tail -1 | sed 's/.*://'
      return 0
    fi
    kill -0 "$(cat "$DEV/run/$name.pid")" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

start_stack() {
  scripts/setup.sh
  if [[ -z "${HOOKLINE_BIN_DIR:-}" ]]; then
    echo "== build (Release) into $BIN/"
    cmake_build Release build -DHOOKLINE_TESTS=OFF
  fi
  [[ -x "$BIN/hookline" && -x "$BIN/hookline-devbroker" && -x "$BIN/hookline-ingest" &&
     -x "$BIN/hookline-normalizer" && -x "$BIN/hookline-gatekeeper" && -x "$BIN/hookline-sender" &&
     -x "$BIN/hookline-provider-sim" ]] ||
    die "no hookline binaries in $BIN"

  if [[ -f "$DEV/run/devbroker.pid" ]] && kill -0 "$(cat "$DEV/run/devbroker.pid")" 2>/dev/null; then
    die "a dev stack is already running (scripts/dev.sh stop, or scripts/dev.sh status)"
  fi
  mkdir -p "$DEV/run" "$DEV/logs"
  rm -f "$DEV"/logs/*.log
  DEV_ABS=$(cd "$DEV" && pwd)
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

  # The key-encryption key for connection secrets, kept with the dev Postgres it unlocks.
  [[ -s "$DEV/secret.key" ]] || { head -c 32 /dev/urandom | base64 >"$DEV/secret.key"; chmod 600 "$DEV/secret.key"; }
  export HOOKLINE_SECRET_KEY_FILE=$DEV_ABS/secret.key
  register_demo_connections

  echo "== ingest"
  start ingest "$BIN/hookline-ingest" --listen "127.0.0.1:${HOOKLINE_DEV_INGEST_PORT:-0}"
  INGEST_URL="http://127.0.0.1:$(listening_port "$DEV/logs/ingest.log" ingest)" ||
    { tail -5 "$DEV/logs/ingest.log" >&2; die "the ingest did not start (see $DEV/logs/ingest.log)"; }
  for ((i = 0; i < 100; i++)); do curl -sf "$INGEST_URL/readyz" >/dev/null && break; sleep 0.1; done
  curl -sf "$INGEST_URL/readyz" >/dev/null || die "the ingest did not become ready (see $DEV/logs/ingest.log)"

  echo "== normalizer"
  HOOKLINE_NORMALIZER_INSTANCE_ID=dev \
    start normalizer "$BIN/hookline-normalizer" --metrics-listen "127.0.0.1:${HOOKLINE_DEV_NORMALIZER_METRICS_PORT:-0}"
  local i port=""
  for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
    port=$(grep -o 'metrics on [^ ]*' "$DEV/logs/normalizer.log" 2>/dev/null | tail -1 | sed 's/.*://' || true)
    [[ -n $port ]] && break
    kill -0 "$(cat "$DEV/run/normalizer.pid")" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $port ]] || { tail -5 "$DEV/logs/normalizer.log" >&2; die "the normalizer did not start (see $DEV/logs/normalizer.log)"; }
  NORMALIZER_METRICS_URL="http://127.0.0.1:$port/metrics"

  echo "== provider simulator"
  rm -f "$DEV/sim.port"
  start provider-sim "$BIN/hookline-provider-sim" --listen "127.0.0.1:${HOOKLINE_DEV_SIM_PORT:-0}" \
    --port-file "$DEV/sim.port"
  wait_for_file "$DEV/sim.port" "$READY_TIMEOUT" "$(cat "$DEV/run/provider-sim.pid")" ||
    { tail -5 "$DEV/logs/provider-sim.log" >&2; die "the provider simulator did not start (see $DEV/logs/provider-sim.log)"; }
  SIM_URL="http://127.0.0.1:$(cat "$DEV/sim.port")"
  register_outbound_connection "$SIM_URL"

  echo "== sender"
  start sender "$BIN/hookline-sender" --metrics-listen "127.0.0.1:${HOOKLINE_DEV_SENDER_METRICS_PORT:-0}"
  port=""
  for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
    port=$(grep -o 'metrics on [^ ]*' "$DEV/logs/sender.log" 2>/dev/null | tail -1 | sed 's/.*://' || true)
    [[ -n $port ]] && break
    kill -0 "$(cat "$DEV/run/sender.pid")" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $port ]] || { tail -5 "$DEV/logs/sender.log" >&2; die "the sender did not start (see $DEV/logs/sender.log)"; }
  SENDER_METRICS_URL="http://127.0.0.1:$port/metrics"

  echo "== gatekeeper"
  start gatekeeper "$BIN/hookline-gatekeeper" --instance-id dev \
    --metrics-listen "127.0.0.1:${HOOKLINE_DEV_GATEKEEPER_METRICS_PORT:-0}"
  GATEKEEPER_METRICS_URL="http://127.0.0.1:$(wait_metrics gatekeeper)/metrics"

  cat >"$DEV/stack.env" <<ENV
# Written by scripts/dev.sh; source it to talk to the dev stack.
KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP
DATABASE_URL=$DATABASE_URL
INGEST_URL=$INGEST_URL
NORMALIZER_METRICS_URL=$NORMALIZER_METRICS_URL
SIM_URL=$SIM_URL
SENDER_METRICS_URL=$SENDER_METRICS_URL
GATEKEEPER_METRICS_URL=$GATEKEEPER_METRICS_URL
KAFKA_CONTROL_URL=$KAFKA_CONTROL_URL
HOOKLINE_KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP
HOOKLINE_DATABASE_URL=$DATABASE_URL
HOOKLINE_SECRET_KEY_FILE=$DEV_ABS/secret.key
HOOKLINE_STATUS_ENDPOINTS=ingest=$INGEST_URL/metrics,normalizer=$NORMALIZER_METRICS_URL,gatekeeper=$GATEKEEPER_METRICS_URL,sender=$SENDER_METRICS_URL
ENV

  cat <<MSG

hookline dev stack is ready.
  Kafka (dev broker)   $KAFKA_BOOTSTRAP     control API $KAFKA_CONTROL_URL
  Postgres             $DATABASE_URL
  Ingest               $INGEST_URL   (POST /webhooks/<provider>/demo, /metrics, /readyz)
  Normalizer           webhooks.raw -> events.*, consent.changes, approvals.decisions   metrics $NORMALIZER_METRICS_URL
  Provider simulator   $SIM_URL   (what the sender sent: GET /_sim/requests)
  Gatekeeper           outbound.requests -> consent + approval rules -> outbound.approved   metrics $GATEKEEPER_METRICS_URL
  Sender               outbound.approved -> providers (simulated), outbound.results   metrics $SENDER_METRICS_URL
  Settings             $DEV/stack.env   logs: $DEV/logs/

The whole stack on one screen (lag, DLQ growth, approvals, endpoints, circuits, topology):
  (set -a; . $DEV/stack.env; $BIN/hookline status)

Demo connections (id "demo", tenant "demo", environment dev), test secrets only:
$(demo_secrets_table)

Send a signed Stripe test webhook (copy and paste):
  body='{"id":"evt_demo_'"\$RANDOM"'","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"pi_demo","amount":2000,"currency":"usd"}}}'
  ts=\$(date +%s)
  sig=\$(printf '%s' "\$ts.\$body" | openssl dgst -sha256 -hmac '$(demo_secret stripe)' -r | cut -d' ' -f1)
  curl -sS -X POST $INGEST_URL/webhooks/stripe/demo -H 'Content-Type: application/json' \\
       -H "Stripe-Signature: t=\$ts,v1=\$sig" --data-binary "\$body"; echo

Send an email through the gatekeeper and the sender (resend/outbound points at the simulator):
  echo 'resend/outbound|{"schema_version":1,"id":"req-'"\$RANDOM"'","tenant":"demo","connection":"resend/outbound","channel":"email","purpose":"transactional","contact":{"id":"c1","address":"ada@example.com"},"content":{"subject":"Hi","text":"Hello"}}' |
    kcat -b $KAFKA_BOOTSTRAP -P -t outbound.requests -K '|'
  curl -s $SIM_URL/_sim/requests; echo
  kcat -b $KAFKA_BOOTSTRAP -C -t outbound.results -o -1 -e -f 'key=%k headers=%h\n%s\n'

A campaign over 1,000 recipients waits for an Approve (topology/rules.json); the request is
posted to Slack (here: the simulator, connection slack/approvals). Decide it from the CLI:
  $BIN/hookline approvals list
  $BIN/hookline approvals approve apr-1 --by you

Then see it in Kafka, raw and normalized (a CloudEvent in binary mode):
  kcat -b $KAFKA_BOOTSTRAP -C -t webhooks.raw -o -1 -e -f 'key=%k headers=%h\\n%s\\n'
  kcat -b $KAFKA_BOOTSTRAP -C -t events.payments -X isolation.level=read_committed -o -1 -e -f 'key=%k headers=%h\\n%s\\n'
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
