#!/usr/bin/env bash
# A throw-away local PostgreSQL cluster for development and tests.
#
#   scripts/pg.sh start DIR   initialise (once) and start a cluster kept in DIR; prints its URL
#   scripts/pg.sh stop DIR    stop it (fast shutdown); nothing running is not an error
#   scripts/pg.sh url DIR     print the URL of the running cluster
#
# The cluster listens on 127.0.0.1 only, on a free port picked at start (the last port is
# tried first, so the URL usually survives a restart), with trust authentication and no unix
# sockets. The URL (postgresql://postgres@127.0.0.1:PORT/hookline) is also written to DIR/url.
# Durability is switched off (fsync=off): this cluster is for throw-away data only.
#
# Layout: DIR/data (the cluster), DIR/postgres.log (server log), DIR/port, DIR/url.
# PostgreSQL refuses to run as root: when this script runs as root, the server runs as the
# `postgres` user; if that user cannot reach DIR (e.g. the repo lives under /root), the data
# and the log live in a folder made with mktemp under /tmp and DIR/data, DIR/postgres.log are
# symlinks to it.
#
# Environment: PG_BIN (folder holding initdb/pg_ctl/psql; found automatically otherwise).
# Needs the PostgreSQL server binaries (scripts/setup.sh installs them); never prompts.
set -euo pipefail

readonly PROG="pg.sh"
readonly DB_NAME="hookline"
readonly PORT_FIRST=20000    # candidate ports: below Linux's ephemeral range (32768+)
readonly PORT_SPAN=10000
readonly PORT_ATTEMPTS=40
readonly START_TIMEOUT=60    # seconds pg_ctl waits for start / stop

usage() {
  cat <<'EOF'
usage: scripts/pg.sh start DIR | stop DIR | url DIR
  start  initialise (if needed) and start a local PostgreSQL in DIR; prints its URL
  stop   stop the PostgreSQL running from DIR (exit 0 when none runs)
  url    print the URL of the PostgreSQL running from DIR
EOF
}

LOG_FILE=""

# die MESSAGE: one clear line on stderr, then the tail of the server log if there is one.
die() {
  echo "${PROG}: $*" >&2
  if [[ -n "${LOG_FILE}" && -s "${LOG_FILE}" ]]; then
    echo "${PROG}: last lines of ${LOG_FILE}:" >&2
    tail -n 15 "${LOG_FILE}" | sed 's/^/    /' >&2
  fi
  exit 1
}

has_pg_tools() { [[ -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/psql" ]]; }

find_pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    has_pg_tools "${PG_BIN}" || die "PG_BIN=${PG_BIN} does not hold initdb, pg_ctl and psql"
    echo "${PG_BIN}"
    return
  fi
  # pg_ctl on PATH (possibly a symlink into the real bin folder, which also holds psql).
  local dir
  if command -v pg_ctl >/dev/null 2>&1; then
    dir="$(dirname "$(readlink -f "$(command -v pg_ctl)")")"
    if has_pg_tools "${dir}"; then
      echo "${dir}"
      return
    fi
  fi
  # Debian/Ubuntu keep the server binaries off PATH; take the newest installed major version.
  dir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null |
    sort -V | tail -n 1)"
  if [[ -z "${dir}" ]] || ! has_pg_tools "${dir}"; then
    die "PostgreSQL server binaries (initdb, pg_ctl, psql) not found;" \
      "run scripts/setup.sh or set PG_BIN"
  fi
  echo "${dir}"
}

IS_ROOT=0
[[ "$(id -u)" == "0" ]] && IS_ROOT=1

# as_pg CMD...: run CMD as the user that owns the cluster (postgres when we are root).
# Runs from / so that the server never inherits a working folder it cannot read, and without
# the lock's file descriptor (a server that kept it would hold the lock for its lifetime).
as_pg() {
  if ((IS_ROOT)); then
    (cd / && runuser -u postgres -- "$@" 9>&-)
  else
    (cd / && "$@" 9>&-)
  fi
}

check_root_prerequisites() {
  ((IS_ROOT)) || return 0
  command -v runuser >/dev/null 2>&1 ||
    die "running as root needs runuser (util-linux) to start PostgreSQL as the postgres user"
  id postgres >/dev/null 2>&1 ||
    die "running as root needs a 'postgres' user (installing the postgresql package creates it)"
}

port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    [[ -n "$(ss -Hltn "sport = :${port}" 2>/dev/null)" ]] && return 0
  fi
  # Something accepts connections there (works without ss, e.g. on macOS).
  (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null && return 0
  return 1
}

# is_running: true when the cluster in DATA_DIR runs (pg_ctl status exit code 0).
is_running() {
  [[ -f "${DATA_DIR}/PG_VERSION" ]] || return 1
  as_pg "${PG_BIN_DIR}/pg_ctl" status -D "${DATA_DIR}" >/dev/null 2>&1
}

running_port() {
  # Line 4 of postmaster.pid is the port the server listens on.
  local port=""
  if [[ -r "${DATA_DIR}/postmaster.pid" ]]; then
    port="$(sed -n 4p "${DATA_DIR}/postmaster.pid" | tr -d '[:space:]')"
  fi
  if [[ -z "${port}" && -f "${DIR}/port" ]]; then
    port="$(tr -d '[:space:]' <"${DIR}/port")"
  fi
  [[ "${port}" =~ ^[0-9]+$ ]] || die "cannot tell the port of the cluster running in ${DATA_DIR}"
  echo "${port}"
}

url_for_port() { echo "postgresql://postgres@127.0.0.1:$1/${DB_NAME}"; }

write_url() {
  local port="$1" url
  url="$(url_for_port "${port}")"
  echo "${port}" >"${DIR}/port.tmp" && mv -f "${DIR}/port.tmp" "${DIR}/port"
  echo "${url}" >"${DIR}/url.tmp" && mv -f "${DIR}/url.tmp" "${DIR}/url"
  echo "${url}"
}

psql_admin() {
  local port="$1"
  shift
  PGCONNECT_TIMEOUT=10 "${PG_BIN_DIR}/psql" -X -w -q -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "${port}" -U postgres -d postgres "$@"
}

ensure_database() {
  local port="$1" exists
  exists="$(psql_admin "${port}" -tAc "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'" 2>&1)" ||
    die "cannot query the cluster on 127.0.0.1:${port}: ${exists}"
  if [[ "${exists}" != "1" ]]; then
    local out
    out="$(psql_admin "${port}" -c "CREATE DATABASE ${DB_NAME}" 2>&1)" ||
      [[ "${out}" == *"already exists"* ]] ||
      die "cannot create database ${DB_NAME} on 127.0.0.1:${port}: ${out}"
  fi
}

# Decides where the data and the log live: DIR itself, or (root, and postgres cannot reach
# DIR) a private folder under /tmp that DIR/data and DIR/postgres.log point to.
resolve_layout() {
  mkdir -p "${DIR}"
  DIR="$(cd "${DIR}" && pwd -P)"
  # A dangling symlink (its /tmp folder was cleaned): forget it, start afresh.
  if [[ -L "${DIR}/data" && ! -e "${DIR}/data" ]]; then
    rm -f "${DIR}/data" "${DIR}/postgres.log"
  fi
  if [[ -e "${DIR}/data" ]]; then
    DATA_DIR="$(readlink -f "${DIR}/data")"
    LOG_FILE="$(readlink -f "${DIR}/postgres.log" 2>/dev/null || echo "${DIR}/postgres.log")"
  else
    DATA_DIR="${DIR}/data"
    LOG_FILE="${DIR}/postgres.log"
  fi
}

prepare_new_layout() {
  if ((IS_ROOT)) && ! runuser -u postgres -- test -x "${DIR}" 2>/dev/null; then
    local base
    base="$(mktemp -d /tmp/hookline-pg.XXXXXX)"
    chown postgres: "${base}"
    chmod 700 "${base}"
    ln -sfn "${base}/data" "${DIR}/data"
    ln -sfn "${base}/postgres.log" "${DIR}/postgres.log"
    echo "${base}" >"${DIR}/location"
    DATA_DIR="${base}/data"
    LOG_FILE="${base}/postgres.log"
  fi
  mkdir -p "${DATA_DIR}"
  chmod 700 "${DATA_DIR}"
  touch "${LOG_FILE}"
  if ((IS_ROOT)); then
    chown postgres: "${DATA_DIR}" "${LOG_FILE}"
  fi
}

initialise() {
  [[ -f "${DATA_DIR}/PG_VERSION" ]] && return 0
  prepare_new_layout
  local init_log
  init_log="$(mktemp)"
  if ! as_pg "${PG_BIN_DIR}/initdb" -D "${DATA_DIR}" -U postgres --auth=trust -E UTF8 \
    --no-locale >"${init_log}" 2>&1; then
    LOG_FILE="${init_log}"
    die "initdb failed for ${DATA_DIR}"
  fi
  rm -f "${init_log}"
  # Settings for a throw-away, local-only cluster (command-line -p overrides the port).
  cat >>"${DATA_DIR}/postgresql.conf" <<'EOF'

# --- scripts/pg.sh: throw-away local cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
}

# try_start PORT: 0 started, 2 the port was taken (bind failed), 1 any other failure.
try_start() {
  local port="$1" before=0 out
  [[ -f "${LOG_FILE}" ]] && before="$(wc -c <"${LOG_FILE}")"
  if out="$(as_pg "${PG_BIN_DIR}/pg_ctl" start -w -t "${START_TIMEOUT}" -D "${DATA_DIR}" \
    -l "${LOG_FILE}" -o "-p ${port}" 2>&1)"; then
    return 0
  fi
  if tail -c "+$((before + 1))" "${LOG_FILE}" 2>/dev/null |
    grep -qiE 'could not bind|address already in use|could not create any TCP/IP sockets'; then
    return 2
  fi
  START_ERROR="${out}"
  return 1
}

cmd_start() {
  resolve_layout
  if is_running; then
    local port
    port="$(running_port)"
    ensure_database "${port}"
    write_url "${port}"
    return 0
  fi
  initialise

  local candidates=() port i
  if [[ -f "${DIR}/port" ]]; then
    port="$(tr -d '[:space:]' <"${DIR}/port")"
    [[ "${port}" =~ ^[0-9]+$ ]] && candidates+=("${port}")
  fi
  local offset=$((RANDOM % PORT_SPAN))
  for ((i = 0; i < PORT_ATTEMPTS; i++)); do
    candidates+=($((PORT_FIRST + (offset + i * 97) % PORT_SPAN)))
  done

  START_ERROR=""
  local rc
  for port in "${candidates[@]}"; do
    port_in_use "${port}" && continue
    rc=0
    try_start "${port}" || rc=$?
    case "${rc}" in
      0)
        ensure_database "${port}"
        write_url "${port}"
        return 0
        ;;
      2) continue ;;  # lost a race for the port: try the next one
      *)
        die "PostgreSQL did not start from ${DATA_DIR} on 127.0.0.1:${port}:" \
          "$(echo "${START_ERROR}" | tail -n 1)"
        ;;
    esac
  done
  die "no free TCP port for PostgreSQL after ${#candidates[@]} attempts"
}

cmd_stop() {
  resolve_layout
  if ! is_running; then
    echo "${PROG}: no PostgreSQL running from ${DIR}" >&2
    return 0
  fi
  local out
  local pg_ctl_stop=("${PG_BIN_DIR}/pg_ctl" stop -D "${DATA_DIR}" -w -t "${START_TIMEOUT}")
  if ! out="$(as_pg "${pg_ctl_stop[@]}" -m fast 2>&1)"; then
    out="$(as_pg "${pg_ctl_stop[@]}" -m immediate 2>&1)" ||
      die "PostgreSQL in ${DATA_DIR} did not stop: $(echo "${out}" | tail -n 1)"
  fi
  # pg_ctl -w returns once postmaster.pid is gone; the pid state is all we remove.
  echo "${PROG}: stopped PostgreSQL from ${DIR}" >&2
}

cmd_url() {
  resolve_layout
  if ! is_running; then
    LOG_FILE=""  # not a failure of the server: its log has nothing to add
    die "no PostgreSQL running from ${DIR} (run: scripts/pg.sh start ${DIR})"
  fi
  local port
  port="$(running_port)"
  url_for_port "${port}"
}

main() {
  if [[ $# -ge 1 && ("$1" == "-h" || "$1" == "--help" || "$1" == "help") ]]; then
    usage
    exit 0
  fi
  if [[ $# -ne 2 ]]; then
    usage >&2
    exit 2
  fi
  local cmd="$1"
  DIR="$2"
  [[ -n "${DIR}" ]] || die "DIR must not be empty"
  case "${cmd}" in
    start | stop | url) ;;
    *)
      echo "${PROG}: unknown command '${cmd}' (start, stop, url)" >&2
      exit 2
      ;;
  esac
  check_root_prerequisites
  PG_BIN_DIR="$(find_pg_bin)"

  if [[ "${cmd}" != "start" && ! -d "${DIR}" ]]; then
    [[ "${cmd}" == "stop" ]] && echo "${PROG}: no PostgreSQL running from ${DIR}" >&2 && exit 0
    die "no PostgreSQL running from ${DIR} (run: scripts/pg.sh start ${DIR})"
  fi

  # One pg.sh at a time per DIR (e.g. two test runs starting the same cluster).
  mkdir -p "${DIR}"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"${DIR}/.pg.lock"
    flock -w 120 9 || die "another pg.sh holds ${DIR}/.pg.lock"
  fi

  case "${cmd}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    url) cmd_url ;;
  esac
}

main "$@"
