#!/usr/bin/env bash
# Validates the deployment files without a container engine (there is none on the dev and CI
# machines; docker-compose can still parse and validate a compose file):
#   (a) `docker-compose config` accepts docker-compose.yml;
#   (b) every hookline* program a service runs (command, entrypoint, healthcheck) is an
#       executable target declared in the CMake files, so compose and the binaries agree;
#   (c) every HOOKLINE_* variable named in docker-compose.yml (comments included, so the
#       template stays right) or set by an ENV line of the Dockerfile is read by the code, or
#       is a HOOKLINE_KAFKA_<PROPERTY> pass-through to librdkafka;
#   (d) the Dockerfile builds on debian:12, runs on debian:12-slim, installs its packages with
#       scripts/setup.sh (--build and --runtime) and forces no single binary (no ENTRYPOINT);
#   (e) HOOKLINE_KAFKA_BOOTSTRAP names compose services, and there are at least as many Kafka
#       brokers as the largest replication factor in topology/topics.json.
# Exits non-zero with a message naming the problem; prints "compose_check: ok" on success.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

errors=0
fail() {
  echo "compose_check: FAIL: $*" >&2
  errors=$((errors + 1))
}
die() {
  echo "compose_check: FAIL: $*" >&2
  exit 1
}

for f in docker-compose.yml Dockerfile scripts/setup.sh topology/topics.json; do
  [[ -f $f ]] || die "$f is missing (run from a hookline checkout)"
done
command -v docker-compose >/dev/null ||
  die "docker-compose not found; scripts/setup.sh installs it (Debian package docker-compose)"
# Debian's interpreter has PyYAML (python3-yaml comes with docker-compose); a python3 earlier on
# PATH (pyenv, venv) may not.
PYTHON=/usr/bin/python3
[[ -x $PYTHON ]] || PYTHON=python3
"$PYTHON" -c 'import yaml' 2>/dev/null ||
  die "python3 with PyYAML not found (Debian: python3-yaml, a dependency of docker-compose)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- (a) the compose file is valid -------------------------------------------------------
# An empty --env-file: a developer's local .env file must not change the result.
: >"$tmp/empty.env"
if ! docker-compose -f docker-compose.yml --env-file "$tmp/empty.env" config -q 2>"$tmp/config.err"; then
  cat "$tmp/config.err" >&2
  die "(a) docker-compose -f docker-compose.yml config -q rejects the file (see above)"
fi
# The resolved form (anchors and merge keys expanded, comments gone) for the checks below.
docker-compose -f docker-compose.yml --env-file "$tmp/empty.env" config >"$tmp/resolved.yml" 2>/dev/null

# ---- (b) programs run by services are CMake executables ----------------------------------
# Programs each service runs: the first word of a command/entrypoint/healthcheck, and of each
# part of a `sh -c` script split at && || ; | (skipping VAR=value and `exec`).
"$PYTHON" - "$tmp/resolved.yml" >"$tmp/programs.txt" <<'PY'
import os, re, shlex, sys, yaml

doc = yaml.safe_load(open(sys.argv[1])) or {}

def script_words(script):
    for part in re.split(r"&&|\|\||;|\||\n", script):
        try:
            words = shlex.split(part)
        except ValueError:
            words = part.split()
        while words and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]) or words[0] == "exec"):
            words = words[1:]
        if words:
            yield words[0]

def programs(value):
    if value is None:
        return
    if isinstance(value, str):
        yield from script_words(value)
        return
    words = [str(w) for w in value]
    if words and words[0] in ("CMD", "NONE"):
        words = words[1:]
    elif words and words[0] == "CMD-SHELL":
        yield from script_words(" ".join(words[1:]))
        return
    if not words:
        return
    if os.path.basename(words[0]) in ("sh", "bash") and len(words) >= 3 and words[1] == "-c":
        yield from script_words(words[2])
    else:
        yield words[0]

for name, svc in (doc.get("services") or {}).items():
    svc = svc or {}
    for key in ("entrypoint", "command"):
        for prog in programs(svc.get(key)):
            print(name, key, os.path.basename(prog))
    for prog in programs((svc.get("healthcheck") or {}).get("test")):
        print(name, "healthcheck", os.path.basename(prog))
PY

# Executable targets: add_executable(NAME ...) and hookline_executable(NAME ...) in the CMake
# files of the product (tests/ is left out: the image is built with HOOKLINE_TESTS=OFF).
mapfile -t cmake_files < <(find . \( -path ./.git -o -path './build*' -o -path ./.dev -o -path ./tests \) -prune \
  -o -type f \( -name CMakeLists.txt -o -name '*.cmake' \) -print | sort)
targets=$(for f in "${cmake_files[@]}"; do sed 's/#.*//' "$f"; done | tr '\n' ' ' |
  grep -oE '(add_executable|hookline_executable)[[:space:]]*\([[:space:]]*[A-Za-z0-9_.+-]+' |
  sed -E 's/.*\([[:space:]]*//' | sort -u || true)
[[ -n $targets ]] || die "(b) found no executable targets in the CMake files"

checked_programs=0
while read -r service key prog; do
  [[ $prog == hookline* ]] || continue
  checked_programs=$((checked_programs + 1))
  grep -qxF "$prog" <<<"$targets" ||
    fail "(b) service '$service' runs '$prog' ($key), but no CMake file declares an executable" \
      "target '$prog' (declared: ${targets//$'\n'/ })"
done <"$tmp/programs.txt"
[[ $checked_programs -gt 0 ]] || fail "(b) no service runs a hookline program (expected at least init)"

# ---- (c) HOOKLINE_* variables are ones the code reads ------------------------------------
src_dirs=()
for d in core ctl devbroker ingest processors sinks; do
  [[ -d $d ]] && src_dirs+=("$d")
done
[[ ${#src_dirs[@]} -gt 0 ]] || die "(c) none of the source folders core/ ctl/ ... exists"

check_var() {  # check_var NAME WHERE
  local var=$1 where=$2
  if [[ $var == HOOKLINE_KAFKA_?* ]]; then
    return  # HOOKLINE_KAFKA_BOOTSTRAP or a librdkafka property pass-through
  fi
  # Read by the code = appears as a string literal, e.g. name == "HOOKLINE_LOG_LEVEL".
  grep -rqF --include='*.cpp' --include='*.cc' --include='*.h' --include='*.hpp' \
    "\"$var\"" "${src_dirs[@]}" ||
    fail "(c) $where uses $var, which no source file under ${src_dirs[*]} reads" \
      "(nor is it HOOKLINE_KAFKA_<PROPERTY>)"
}
while read -r var; do
  check_var "$var" docker-compose.yml
done < <(grep -oE 'HOOKLINE_[A-Z0-9_]+' docker-compose.yml | sort -u)
while read -r var; do
  check_var "$var" "Dockerfile (ENV)"
done < <(grep -E '^[[:space:]]*ENV[[:space:]]' Dockerfile | grep -oE 'HOOKLINE_[A-Z0-9_]+' | sort -u)

# ---- (d) the Dockerfile ------------------------------------------------------------------
# Instructions with line continuations joined, comments dropped.
sed -E '/^[[:space:]]*#/d' Dockerfile | sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' >"$tmp/Dockerfile.joined"
mapfile -t froms < <(grep -iE '^[[:space:]]*FROM[[:space:]]' "$tmp/Dockerfile.joined" |
  sed -E 's/[[:space:]]--platform=[^[:space:]]+//I' | awk '{print $2}')
[[ ${#froms[@]} -ge 2 ]] || fail "(d) Dockerfile: expected a build stage and a runtime stage, found ${#froms[@]} FROM line(s)"
for image in "${froms[@]}"; do
  case $image in
    debian:12 | debian:12-slim) ;;
    *) fail "(d) Dockerfile: FROM $image; only debian:12 (build) and debian:12-slim (runtime) are allowed" ;;
  esac
done
[[ ${froms[0]:-} == debian:12 ]] || fail "(d) Dockerfile: the build stage must be FROM debian:12 (is ${froms[0]:-none})"
[[ ${froms[-1]:-} == debian:12-slim ]] ||
  fail "(d) Dockerfile: the runtime (last) stage must be FROM debian:12-slim (is ${froms[-1]:-none})"
grep -iE '^[[:space:]]*RUN[[:space:]].*setup\.sh[[:space:]]+--build' "$tmp/Dockerfile.joined" >/dev/null ||
  fail "(d) Dockerfile: no RUN of scripts/setup.sh --build"
grep -iE '^[[:space:]]*RUN[[:space:]].*setup\.sh[[:space:]]+--runtime' "$tmp/Dockerfile.joined" >/dev/null ||
  fail "(d) Dockerfile: no RUN of scripts/setup.sh --runtime"
grep -iE '^[[:space:]]*COPY[[:space:]].*scripts/setup\.sh' "$tmp/Dockerfile.joined" >/dev/null ||
  fail "(d) Dockerfile: scripts/setup.sh is never copied into the image"
if grep -iqE '^[[:space:]]*ENTRYPOINT[[:space:]]' "$tmp/Dockerfile.joined"; then
  fail "(d) Dockerfile: has an ENTRYPOINT; the image holds every binary and the command picks one"
fi

# ---- (e) Kafka addresses and replication -------------------------------------------------
"$PYTHON" - "$tmp/resolved.yml" topology/topics.json >"$tmp/kafka.err" <<'PY' ||
import json, sys, yaml

doc = yaml.safe_load(open(sys.argv[1])) or {}
services = doc.get("services") or {}
brokers = [n for n, s in services.items() if str((s or {}).get("image", "")).startswith("apache/kafka")]
topo = json.load(open(sys.argv[2]))
default_rf = (topo.get("defaults") or {}).get("replication_factor", 3)
max_rf = max([default_rf] + [t.get("replication_factor", default_rf) for t in topo.get("topics", [])])
if len(brokers) < max_rf:
    print(f"(e) topology/topics.json needs replication factor {max_rf}, but docker-compose.yml "
          f"runs {len(brokers)} Kafka broker(s) ({', '.join(brokers) or 'none'})")
for name, svc in services.items():
    env = (svc or {}).get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env if "=" in e)
    boot = env.get("HOOKLINE_KAFKA_BOOTSTRAP")
    if not boot:
        continue
    for addr in str(boot).split(","):
        host = addr.strip().rsplit(":", 1)[0]
        if host not in brokers:
            print(f"(e) service '{name}': HOOKLINE_KAFKA_BOOTSTRAP names '{host}', which is not a "
                  f"Kafka service of docker-compose.yml ({', '.join(brokers) or 'none'})")
PY
  fail "(e) could not read docker-compose.yml or topology/topics.json (see the error above)"
while IFS= read -r line; do
  [[ -n $line ]] && fail "$line"
done <"$tmp/kafka.err"

if [[ $errors -gt 0 ]]; then
  echo "compose_check: $errors problem(s) found" >&2
  exit 1
fi
echo "compose_check: ok"
