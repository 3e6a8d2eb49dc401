#!/usr/bin/env bash
# Server time per web page with a realistic database: seeds N customers (default 100,000) through the
# bulk import path, signs a person in and times each screen with sequential requests (bench/pages.py).
#
#   bench/pages.sh [--customers N] [--leads N] [--requests N] [--skip-sqlite]
#
# --leads adds that many leads (the dashboard's lead figures read them; default none).
#
# SQLite always; PostgreSQL too when AIDA_BENCH_PG holds a superuser connection string (see run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

customers=100000
leads=0
requests=300
sqlite=yes
while (($#)); do
  case "$1" in
    --customers) customers=$2; shift 2 ;;
    --leads) leads=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --skip-sqlite) sqlite=no; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

out=bench/.out
log() { printf '%s\n' "$*" >&2; }
log "== building Release"
source bench/lib.sh
publish_aida
work=$(mktemp -d /tmp/aida-pages.XXXXXX)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
password="bench pages password"

run_provider() { # provider
  local provider=$1 target=()
  if [[ $provider == sqlite ]]; then
    target=(--data-dir "$work/sqlite")
  else
    local db="aida_pages_$$"
    python3 - "$AIDA_BENCH_PG" "$db" <<'PY'
import os, subprocess, sys
keys = {k.strip().lower(): v for k, v in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}
args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", keys.get("host", "127.0.0.1"), "-p", keys.get("port", "5432"),
        "-U", keys.get("username", keys.get("user id", "postgres")), "-d", keys.get("database", "postgres"),
        "-c", f"DROP DATABASE IF EXISTS {sys.argv[2]} WITH (FORCE)", "-c", f"CREATE DATABASE {sys.argv[2]}"]
sys.exit(subprocess.call(args, env={**os.environ, "PGPASSWORD": keys.get("password", "")}))
PY
    local cs
    cs=$(python3 -c 'import sys; p=[x for x in sys.argv[1].split(";") if x and not x.lower().startswith("database=")]; print(";".join(p+["Database="+sys.argv[2]]))' "$AIDA_BENCH_PG" "$db")
    target=(--database "$cs" --data-dir "$work/pg")
    "$out/aida/aida" migrate "${target[@]}" >/dev/null
  fi

  log "== $provider: seeding $customers customers"
  local with_leads=()
  ((leads > 0)) && with_leads=(--leads "$leads")
  "$out/aida/aida" seed --scale large --customers "$customers" "${with_leads[@]}" "${target[@]}" --sample "$work/sample-$provider" 2>/dev/null | tail -n 1 >&2
  printf '%s\n' "$password" | "$out/aida/aida" user add --email pages@bench.example --name "Bench Admin" --role admin --password-stdin "${target[@]}" >/dev/null
  local port; port=$(free_port)
  # The first duplicate scan of a freshly seeded database (minutes of both cores at 1,000,000 customers, then the
  # leads) would share the cores with every request timed: it is off, as in segments.sh.
  AIDA__RateLimits__PerAddressPerSecond=0 AIDA__Duplicates__Scan__Enabled=false \
    "$out/aida/aida" serve "${target[@]}" --urls "http://127.0.0.1:$port" >"$work/aida-$provider.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  echo
  echo "### $provider, $customers customers, $requests sequential requests per page"
  echo
  python3 bench/pages.py "http://127.0.0.1:$port" pages@bench.example "$password" "$work/sample-$provider" "$requests"
  echo
  echo "Peak RSS of the server: $(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status") MiB"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

[[ $sqlite == yes ]] && run_provider sqlite
[[ -n "${AIDA_BENCH_PG:-}" ]] && run_provider postgres
