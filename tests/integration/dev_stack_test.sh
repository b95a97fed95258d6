#!/usr/bin/env bash
# scripts/dev.sh as a user runs it: --detach reaches ready, .dev/stack.env points at a broker
# that kcat lists with every declared topic and at a migrated Postgres, `hookline topology
# check` passes, and `dev.sh stop` leaves no process of ours running.
# Uses the binaries under test (HOOKLINE_BIN_DIR) and a private state folder.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin=${HOOKLINE_BIN_DIR:?set HOOKLINE_BIN_DIR to the built binaries}
state=$(mktemp -d /tmp/hookline-devstack.XXXXXX)
chmod 755 "$state"
fail() { echo "dev_stack_test: $*" >&2; exit 1; }
cleanup() { HOOKLINE_DEV_DIR=$state HOOKLINE_BIN_DIR=$bin "$repo/scripts/dev.sh" stop >/dev/null 2>&1 || true; rm -rf "$state"; }
trap cleanup EXIT
export HOOKLINE_DEV_DIR=$state HOOKLINE_BIN_DIR=$bin

"$repo/scripts/dev.sh" --detach >"$state/out.txt" 2>&1 || { cat "$state/out.txt"; fail "dev.sh --detach failed"; }
grep -q "hookline dev stack is ready" "$state/out.txt" || fail "no ready line"

env_file=$state/stack.env
[[ -f $env_file ]] || fail "no stack.env"
for key in KAFKA_BOOTSTRAP DATABASE_URL INGEST_URL; do
  grep -q "^$key=." "$env_file" || fail "stack.env has no $key value"
  grep -q "^$key=" "$env_file" || fail "stack.env has no $key= line"
done
bootstrap=$(sed -n 's/^KAFKA_BOOTSTRAP=//p' "$env_file")
db_url=$(sed -n 's/^DATABASE_URL=//p' "$env_file")

# kcat lists every declared topic.
listed=$(kcat -b "$bootstrap" -L -m 10 | sed -n 's/^  topic "\([^"]*\)".*/\1/p' | sort)
declared=$(/usr/bin/python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
names = [x["name"] for x in t["topics"]]
r = t.get("retry")
if r: names += [r["topic_prefix"] + tier["name"] for tier in r["tiers"]]
print("\n".join(sorted(names)))' "$repo/topology/topics.json")
missing=$(comm -23 <(echo "$declared") <(echo "$listed"))
[[ -z $missing ]] || fail "kcat does not list: $missing"

HOOKLINE_KAFKA_BOOTSTRAP=$bootstrap HOOKLINE_TOPOLOGY_DIR=$repo/topology "$bin/hookline" topology check >/dev/null ||
  fail "hookline topology check failed against the dev stack"
HOOKLINE_DATABASE_URL=$db_url "$bin/hookline" db status | grep -q applied || fail "database not migrated"

# The printed curl example is accepted by the ingest and lands in webhooks.raw.
sed -n '/^Send a signed Stripe test webhook/,/; echo$/p' "$state/out.txt" | tail -n +2 >"$state/curl.sh"
[[ -s $state/curl.sh ]] || fail "dev.sh printed no curl example"
answer=$(bash "$state/curl.sh") || fail "the printed curl example failed: $answer"
[[ $answer == *'"status":"accepted"'* ]] || fail "the printed curl example was not accepted: $answer"
kcat -b "$bootstrap" -C -t webhooks.raw -o beginning -e -q -f '%h\n' | grep -q 'hookline-connection=demo' ||
  fail "the curl example's webhook is not in webhooks.raw"
# ... and the normalizer turns it into a CloudEvent on events.payments (read_committed).
normalized=""
for ((i = 0; i < 300; i++)); do
  normalized=$(kcat -b "$bootstrap" -C -t events.payments -X isolation.level=read_committed \
    -o beginning -e -q -f '%h\n' 2>/dev/null || true)
  [[ $normalized == *'ce_source=/stripe/demo'* ]] && break
  sleep 0.1
done
[[ $normalized == *'ce_source=/stripe/demo'* && $normalized == *'ce_type=com.stripe.payment_intent.succeeded'* ]] ||
  fail "the curl example's webhook was not normalized onto events.payments: $normalized"

# The printed send example reaches the simulator through the sender, and its result is written.
sed -n '/^Send an email through the gatekeeper/,/-P -t outbound.requests/p' "$state/out.txt" | tail -n +2 >"$state/send.sh"
[[ -s $state/send.sh ]] || fail "dev.sh printed no send example"
bash "$state/send.sh" || fail "the printed send example failed"
sim_url=$(sed -n 's/^SIM_URL=//p' "$env_file")
received=""
for ((i = 0; i < 300; i++)); do
  received=$(curl -sf "$sim_url/_sim/requests?provider=resend" || true)
  [[ $received == *'"status":200'* ]] && break
  sleep 0.1
done
[[ $received == *'"status":200'* ]] || fail "the send example did not reach the simulator: $received"
results=""
for ((i = 0; i < 300; i++)); do
  results=$(kcat -b "$bootstrap" -C -t outbound.results -o beginning -e -q -f '%h\n' 2>/dev/null || true)
  [[ $results == *'ce_type=com.hookline.send.succeeded'* ]] && break
  sleep 0.1
done
[[ $results == *'ce_type=com.hookline.send.succeeded'* ]] || fail "no succeeded result for the send example: $results"

# A second start is refused while one runs.
if "$repo/scripts/dev.sh" --detach >/dev/null 2>&1; then fail "a second dev.sh --detach was not refused"; fi

pids=$(cat "$state"/run/*.pid)
pg_pid=$(head -1 "$state/pg/data/postmaster.pid" 2>/dev/null || true)
"$repo/scripts/dev.sh" stop >/dev/null
for pid in $pids $pg_pid; do
  if kill -0 "$pid" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
    fail "pid $pid still runs after dev.sh stop"
  fi
done
[[ ! -f $env_file ]] || fail "stack.env left behind after stop"
echo "dev_stack_test: ok"
