#!/usr/bin/env bash
# Segments at scale (issue 16): seeds customers through the import path (aida seed --scale large), then
#   preview  POST /api/v1/segments/preview of a three-condition criterion (status, any address's country,
#            industry), sequentially, p50/p99 as the client sees it;
#   full     creating the segment (a full run over every customer) and an on-demand refresh, as the run log
#            records them (started → finished) and as the client waits;
#   incr     the scheduled incremental run after 1% of customers change (status flipped, updated_at now),
#            as the run log records it.
# Figures, not assertions. The schedule runs every 5 s here with a 1-minute overlap (not the default 2): with no
# overlap a pass that starts while the 1% UPDATE is still running (seconds on PostgreSQL) moves the watermark past
# rows committed after it, and the change is missed, which is exactly what the overlap is for.
#
#   bench/segments.sh [--customers N] [--previews N] [--skip-sqlite]
#
# SQLite always; PostgreSQL too when AIDA_BENCH_PG holds a superuser connection string (see run.sh), e.g.
#   .ci/with-postgres bash -c 'AIDA_BENCH_PG="$AIDA_TEST_PG" bench/segments.sh'
set -euo pipefail
cd "$(dirname "$0")/.."

customers=1000000
previews=300
sqlite=yes
while (($#)); do
  case "$1" in
    --customers) customers=$2; shift 2 ;;
    --previews) previews=$2; shift 2 ;;
    --skip-sqlite) sqlite=no; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

out=bench/.out
log() { printf '%s\n' "$*" >&2; }
log "== building Release"
dotnet publish src/Aida -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/aida" -nologo -v quiet >/dev/null
work=$(mktemp -d /tmp/aida-segments.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
source bench/lib.sh

psql_admin() { python3 - "$AIDA_BENCH_PG" "$1" <<'PY'
import os, subprocess, sys
keys = {k.strip().lower(): v for k, v in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}
args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", keys.get("host", "127.0.0.1"), "-p", keys.get("port", "5432"),
        "-U", keys.get("username", keys.get("user id", "postgres")), "-d", keys.get("database", "postgres"), "-c", sys.argv[2]]
sys.exit(subprocess.call(args, env={**os.environ, "PGPASSWORD": keys.get("password", "")}))
PY
}

rows=()
run_provider() { # provider
  local provider=$1 target=() change_target
  if [[ $provider == sqlite ]]; then
    target=(--data-dir "$work/sqlite")
    change_target="sqlite:$work/sqlite/aida.db"
  else
    local db="aida_segments_$$"
    psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)"; psql_admin "CREATE DATABASE $db"
    local cs
    cs=$(python3 -c 'import sys; p=[x for x in sys.argv[1].split(";") if x and not x.lower().startswith("database=")]; print(";".join(p+["Database="+sys.argv[2]]))' "$AIDA_BENCH_PG" "$db")
    target=(--database "$cs")
    change_target="postgres:$cs"
    "$out/aida/aida" migrate "${target[@]}" >/dev/null
  fi

  log "== $provider: seeding $customers customers"
  "$out/aida/aida" seed --scale large --customers "$customers" "${target[@]}" 2>/dev/null | tail -n 1 >&2
  local port; port=$(free_port)
  local url="http://127.0.0.1:$port"
  "$out/aida/aida" user add --email bench@bench.example --name Bench --role admin "${target[@]}" >/dev/null
  export AIDA_BENCH_TOKEN; AIDA_BENCH_TOKEN=$("$out/aida/aida" token create --email bench@bench.example --name bench "${target[@]}")
  # The duplicate scan's first pass over a freshly seeded million takes about 25 minutes of one core; left on, it
  # would share the two cores with every request measured here. It is measured by bench/duplicate-scan.sh.
  AIDA__RateLimits__PerTokenPerSecond=0 AIDA__RateLimits__PerAddressPerSecond=0 AIDA__Duplicates__Scan__Enabled=false \
    AIDA__Segments__Interval=00:00:05 AIDA__Segments__Overlap=00:01:00 \
    "$out/aida/aida" serve "${target[@]}" --urls "$url" >"$work/aida-$provider.log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_ready "$url/health/ready" "$pid"
  log "== $provider: measuring"
  rows+=("$(python3 bench/segments.py "$provider" "$url" "$change_target" "$previews")")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [[ $provider == postgres ]] && psql_admin "DROP DATABASE IF EXISTS aida_segments_$$ WITH (FORCE)"
  return 0
}

[[ $sqlite == yes ]] && run_provider sqlite
[[ -n "${AIDA_BENCH_PG:-}" ]] && run_provider postgres

echo
echo "Segments at $customers customers ($(nproc) cores, $(date -u +%Y-%m-%d)):"
echo
echo "| database | preview p50 ms | preview p99 ms | matches | full run (create) s | full run (refresh) s | incremental run s (evaluated, added, removed) |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
