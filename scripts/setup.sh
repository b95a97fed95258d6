#!/usr/bin/env bash
# Installs every Debian 12 package hookline needs. Idempotent: quiet and quick when all is
# installed already. Every other script calls it first, so no step is ever done by hand.
#
#   scripts/setup.sh            everything for building, testing and running locally
#   scripts/setup.sh --build    only what a build needs (the Dockerfile's build stage)
#   scripts/setup.sh --runtime  only the shared libraries the binaries load (runtime image)
set -euo pipefail

RUNTIME_PKGS=(librdkafka1 librdkafka++1 libpqxx-6.4 libcpp-httplib0.11 libssl3 ca-certificates)
BUILD_PKGS=(build-essential cmake pkg-config librdkafka-dev libpqxx-dev libcpp-httplib-dev
            rapidjson-dev libssl-dev libboost-test-dev)
# Local runs and tests: Postgres server, Kafka CLI, load generator, clang for fuzzing,
# docker-compose (only to validate docker-compose.yml; there is no engine here).
DEV_PKGS=(postgresql kcat wrk curl openssl clang libclang-rt-14-dev clang-format procps iproute2
          docker-compose)

case "${1:-}" in
  --build) wanted=("${BUILD_PKGS[@]}") ;;
  --runtime) wanted=("${RUNTIME_PKGS[@]}") ;;
  "") wanted=("${RUNTIME_PKGS[@]}" "${BUILD_PKGS[@]}" "${DEV_PKGS[@]}") ;;
  -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "setup.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! grep -q 'bookworm\|^12' /etc/debian_version /etc/os-release 2>/dev/null; then
  echo "setup.sh: warning: hookline targets Debian 12 (bookworm); trying anyway" >&2
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "setup.sh: missing packages (${missing[*]}) and not root; run as root or install sudo" >&2
    exit 1
  fi
fi

echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/hookline-apt.log 2>&1; then
  tail -20 /tmp/hookline-apt.log >&2
  echo "setup.sh: apt-get install failed (full log: /tmp/hookline-apt.log)" >&2
  exit 1
fi
