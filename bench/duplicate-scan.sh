#!/usr/bin/env bash
# The duplicate scan at scale (issue 17 item 3; goal: 1,000,000 customers in under 5 minutes). Seeds N customers
# (default 1,000,000) through the bulk import path, starts the server with the scan's worker on (its first, full
# pass starts with the server; the watermark overlap is set to 0 so the pass's start can be read back from it),
# waits for the full pass to finish (GET /api/v1/duplicates/scan) and prints: customers scanned, pairs found,
# the pass's wall time (pass start → finish, as the scan state records them), customers/s and the server's peak RSS.
# Then times one incremental pass after 1% more customers are seeded (POST /api/v1/duplicates/scan).
#
#   bench/duplicate-scan.sh [--customers N] [--skip-sqlite]
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
work=$(mktemp -d /tmp/aida-dupscan.XXXXXX)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

run_provider() { # provider
  local provider=$1 target=() admin_db="" db=""
  if [[ $provider == sqlite ]]; then
    target=(--data-dir "$work/sqlite")
  else
    db="aida_dupscan_$$"
    admin_db=$(python3 -c 'import sys; k={a.strip().lower(): b for a, b in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}; print(k.get("database", "postgres"))' "$AIDA_BENCH_PG")
    psql_in "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    psql_in "$AIDA_BENCH_PG" "$admin_db" "CREATE DATABASE $db"
    local cs
    cs=$(python3 -c 'import sys; p=[x for x in sys.argv[1].split(";") if x and not x.lower().startswith("database=")]; print(";".join(p+["Database="+sys.argv[2]]))' "$AIDA_BENCH_PG" "$db")
    target=(--database "$cs" --data-dir "$work/pg")
    "$out/aida/aida" migrate "${target[@]}" >/dev/null
  fi

  log "== $provider: seeding $customers customers"
  local seeded
  seeded=$("$out/aida/aida" seed --scale large --customers "$customers" "${target[@]}" 2>/dev/null)
  log "$seeded"
  "$out/aida/aida" user add --email admin@bench.example --name "Bench Admin" --role admin "${target[@]}" >/dev/null
  local token
  token=$("$out/aida/aida" token create --email admin@bench.example --name bench "${target[@]}")

  local port; port=$(free_port)
  AIDA__RateLimits__PerTokenPerSecond=0 AIDA__RateLimits__PerAddressPerSecond=0 AIDA__Scoring__DailyRunEnabled=false \
    AIDA__Duplicates__Scan__Enabled=true AIDA__Duplicates__Scan__Overlap=00:00:00 AIDA__Duplicates__Scan__Interval=01:00:00 \
    "$out/aida/aida" serve "${target[@]}" --urls "http://127.0.0.1:$port" >"$work/aida-$provider.log" 2>&1 &
  pid=$!
  wait_ready "http://127.0.0.1:$port/health/ready" "$pid"
  echo
  echo "### $provider, $customers customers"
  echo
  printf '%s\n' "$seeded" | sed 's/^/- /'
  local extra=$(( customers / 100 > 0 ? customers / 100 : 1 ))
  python3 - "http://127.0.0.1:$port" "$token" "$pid" "$out/aida/aida" "$extra" "${target[@]}" <<'PY'
import json, subprocess, sys, time, urllib.request
from datetime import datetime
base, token, pid, aida, extra, target = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
def call(method, path):
    req = urllib.request.Request(base + path, method=method, data=b"" if method == "POST" else None,
        headers={"Authorization": "Bearer " + token, "Idempotency-Key": str(time.time_ns())})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read() or b"null")
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
def wait_finished(after):
    while True:
        state = call("GET", "/api/v1/duplicates/scan")
        if state["phase"] == "incremental" and state["lastFinishedAt"] and (after is None or t(state["lastFinishedAt"]) > after):
            return state
        time.sleep(0.5)
state = wait_finished(None)
seconds = (t(state["lastFinishedAt"]) - t(state["watermark"])).total_seconds()
print(f"- full pass: {state['recordsScanned']:,} customers in {seconds:.1f} s: **{state['recordsScanned'] / max(seconds, 0.001):,.0f} customers/s**, "
      f"{state['pairsFound']:,} pairs found; server peak RSS {rss()} MiB")
before = state
subprocess.run([aida, "seed", "--scale", "large", "--customers", extra, "--seed", "7", *target], check=True, capture_output=True)
started = time.monotonic()
call("POST", "/api/v1/duplicates/scan")
state = wait_finished(t(before["lastFinishedAt"]))
print(f"- incremental pass after {int(extra):,} more customers: {state['recordsScanned'] - before['recordsScanned']:,} customers scanned, "
      f"{state['pairsFound'] - before['pairsFound']:,} new pairs, {time.monotonic() - started:.1f} s from the request")
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  [[ $provider == postgres ]] && psql_in "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  return 0
}

[[ $sqlite == yes ]] && run_provider sqlite
[[ -n "${AIDA_BENCH_PG:-}" ]] && run_provider postgres
exit 0
