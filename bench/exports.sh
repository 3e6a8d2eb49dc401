#!/usr/bin/env bash
# Exports at scale (issue 17 item 2: 1,000,000 customers exported at >= 100,000 rows/s with the server under
# 500 MB RSS). Seeds N customers (default 1,000,000) through the bulk import path, then downloads
# GET /api/v1/exports/customers as an admin (every customer) once per format — CSV, Excel (.xlsx), JSON, after
# one untimed CSV download that warms the path —
# and prints, per format: rows (as the export's audit entry counts them), bytes, wall time, rows/s and the
# server's peak RSS during that download (VmHWM, reset before each one).
#
#   bench/exports.sh [--customers N] [--skip-sqlite]
#
# SQLite always; PostgreSQL too when AIDA_BENCH_PG holds a superuser connection string (see run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

customers=1000000
sqlite=yes
while (($#)); do
  case "$1" in
    --customers) customers=$2; shift 2 ;;
    --skip-sqlite) sqlite=no; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

out=bench/.out
log() { printf '%s\n' "$*" >&2; }
log "== building Release"
source bench/lib.sh
publish_aida
work=$(mktemp -d /tmp/aida-exports.XXXXXX)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

run_provider() { # provider
  local provider=$1 target=()
  if [[ $provider == sqlite ]]; then
    target=(--data-dir "$work/sqlite")
    sql() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); r = c.execute(sys.argv[2]).fetchone(); print("" if r is None else r[0])' "$work/sqlite/aida.db" "$1"; }
    rows_of() { echo "json_extract(changes, '$.rows')"; }
  else
    local db="aida_exports_$$" admin_db
    admin_db=$(python3 -c 'import sys; k={a.strip().lower(): b for a, b in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}; print(k.get("database", "postgres"))' "$AIDA_BENCH_PG")
    psql_in "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    psql_in "$AIDA_BENCH_PG" "$admin_db" "CREATE DATABASE $db"
    local cs
    cs=$(python3 -c 'import sys; p=[x for x in sys.argv[1].split(";") if x and not x.lower().startswith("database=")]; print(";".join(p+["Database="+sys.argv[2]]))' "$AIDA_BENCH_PG" "$db")
    target=(--database "$cs" --data-dir "$work/pg")
    sql() { psql_in "$AIDA_BENCH_PG" "$db" "$1"; }
    rows_of() { echo "changes->>'rows'"; }
    "$out/aida/aida" migrate "${target[@]}" >/dev/null
  fi

  log "== $provider: seeding $customers customers"
  local seeded
  seeded=$("$out/aida/aida" seed --scale large --customers "$customers" "${target[@]}" 2>/dev/null)
  log "$seeded"
  "$out/aida/aida" user add --email admin@bench.example --name "Bench Admin" --role admin "${target[@]}" >/dev/null
  local admin_token
  admin_token=$("$out/aida/aida" token create --email admin@bench.example --name bench "${target[@]}")

  local port; port=$(free_port)
  # The duplicate scan is off: its first pass over a freshly seeded million starts with the server and would be
  # measured with the downloads (its memory and one of the two cores); bench/duplicate-scan.sh measures it.
  AIDA__RateLimits__PerTokenPerSecond=0 AIDA__RateLimits__PerAddressPerSecond=0 AIDA__Scoring__DailyRunEnabled=false AIDA__Duplicates__Scan__Enabled=false \
    "$out/aida/aida" serve "${target[@]}" --urls "http://127.0.0.1:$port" >"$work/aida-$provider.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  echo
  echo "### $provider, $customers customers"
  echo
  printf '%s\n' "$seeded" | sed 's/^/- /'
  # One untimed CSV download first: otherwise the first format timed pays for the cold path (JIT, the first reads of every page).
  for format in warm-up csv xlsx json; do
    echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true
    local measured
    measured=$(python3 - "http://127.0.0.1:$port/api/v1/exports/customers?format=${format/warm-up/csv}" "$admin_token" <<'PY'
import sys, time, urllib.request
url, token = sys.argv[1], sys.argv[2]
start = time.perf_counter()
size = 0
with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer " + token}), timeout=3600) as r:
    while chunk := r.read(1 << 20):
        size += len(chunk)
print(f"{size} {time.perf_counter() - start:.3f}")
PY
)
    [[ $format == warm-up ]] && continue
    local bytes seconds rss rows
    read -r bytes seconds <<<"$measured"
    rss=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status")
    rows=$(sql "SELECT $(rows_of) FROM audit_entries WHERE entity_type = 'export' ORDER BY occurred_at DESC, id DESC LIMIT 1")
    python3 -c 'import sys; f, rows, b, s, rss = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]; print(f"- {f}: {rows:,} rows, {b / 1048576:,.1f} MiB in {s:.1f} s: **{rows / s:,.0f} rows/s**; server peak RSS {rss} MiB")' \
      "$format" "$rows" "$bytes" "$seconds" "$rss"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  [[ $provider == postgres ]] && psql_in "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  return 0
}

[[ $sqlite == yes ]] && run_provider sqlite
[[ -n "${AIDA_BENCH_PG:-}" ]] && run_provider postgres
exit 0
