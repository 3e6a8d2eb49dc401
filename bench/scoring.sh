#!/usr/bin/env bash
# Customer scoring at scale (issue 16 item 6: every score of 1,000,000 customers recalculated in under
# 2 minutes on SQLite; the HealthDashboard and the AIDA board under 100 ms at p99). Seeds N customers (default 1,000,000)
# and M interactions (default 1,000,000) through the bulk import path, gives half of the customers
# purchase figures (the columns customer value keeps on customer_lifecycles) and 1% of them to a rep,
# then starts two full scoring runs through the API (POST /api/v1/scoring/runs; the first scores from
# nothing, the second replaces every score as the nightly run does) and waits for each to complete:
# prints each run's wall time (started → finished, as the run records it), customers/s and the server's
# peak RSS. Then times the HealthDashboard's handler (GET /api/v1/scoring/health-dashboard, the same
# RunAsync the /health page renders) and the AIDA board's (GET /api/v1/customers/lifecycle/stats) with
# sequential requests as an admin (every customer) and as the rep (1%): p50/p95/p99.
#
#   bench/scoring.sh [--customers N] [--interactions N] [--requests N] [--skip-sqlite]
#
# SQLite always; PostgreSQL too when AIDA_BENCH_PG holds a superuser connection string (see run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

customers=1000000
interactions=1000000
requests=300
sqlite=yes
while (($#)); do
  case "$1" in
    --customers) customers=$2; shift 2 ;;
    --interactions) interactions=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --skip-sqlite) sqlite=no; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

out=bench/.out
log() { printf '%s\n' "$*" >&2; }
log "== building Release"
source bench/lib.sh
publish_aida
work=$(mktemp -d /tmp/aida-scoring.XXXXXX)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

run_provider() { # provider
  local provider=$1 target=() last
  if [[ $provider == sqlite ]]; then
    target=(--data-dir "$work/sqlite")
    sql() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' "$work/sqlite/aida.db" "$1"; }
    last() { echo "substr($1, -$2)"; }
  else
    local db="aida_scoring_$$" admin_db
    admin_db=$(python3 -c 'import sys; k={a.strip().lower(): b for a, b in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}; print(k.get("database", "postgres"))' "$AIDA_BENCH_PG")
    psql_in "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    psql_in "$AIDA_BENCH_PG" "$admin_db" "CREATE DATABASE $db"
    local cs
    cs=$(python3 -c 'import sys; p=[x for x in sys.argv[1].split(";") if x and not x.lower().startswith("database=")]; print(";".join(p+["Database="+sys.argv[2]]))' "$AIDA_BENCH_PG" "$db")
    target=(--database "$cs" --data-dir "$work/pg")
    sql() { psql_in "$AIDA_BENCH_PG" "$db" "$1"; }
    last() { echo "right($1::text, $2)"; }
    "$out/aida/aida" migrate "${target[@]}" >/dev/null
  fi

  log "== $provider: seeding $customers customers and $interactions interactions"
  local seeded
  seeded=$("$out/aida/aida" seed --scale large --customers "$customers" --interactions "$interactions" "${target[@]}" 2>/dev/null)
  log "$seeded"
  "$out/aida/aida" user add --email admin@bench.example --name "Bench Admin" --role admin "${target[@]}" >/dev/null
  "$out/aida/aida" user add --email rep@bench.example --name "Bench Rep" --role rep --team "Bench Reps" "${target[@]}" >/dev/null
  # Half of the customers have bought (what customer value keeps up to date); 1% belong to the rep.
  local revenue="2500"; [[ $provider == sqlite ]] && revenue="'2500'"
  sql "UPDATE customer_lifecycles SET purchase_count = 3, total_revenue = $revenue, first_purchase_date = '2025-03-01', last_purchase_date = '2026-10-01' WHERE $(last customer_id 1) IN ('0', '2', '4', '6', '8')"
  sql "UPDATE customers SET owner_id = (SELECT id FROM users WHERE email = 'rep@bench.example') WHERE $(last id 2) IN ('00', '01', '02')"
  local admin_token rep_token
  admin_token=$("$out/aida/aida" token create --email admin@bench.example --name bench "${target[@]}")
  rep_token=$("$out/aida/aida" token create --email rep@bench.example --name bench "${target[@]}")

  local port; port=$(free_port)
  AIDA__RateLimits__PerTokenPerSecond=0 AIDA__RateLimits__PerAddressPerSecond=0 AIDA__Scoring__DailyRunEnabled=false \
    "$out/aida/aida" serve "${target[@]}" --urls "http://127.0.0.1:$port" >"$work/aida-$provider.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true
  echo
  echo "### $provider, $customers customers, $interactions interactions"
  echo
  printf '%s\n' "$seeded" | sed 's/^/- /'
  python3 - "http://127.0.0.1:$port" "$admin_token" "$rep_token" "$requests" "$pid" <<'PY'
import json, statistics, sys, time, urllib.request
from datetime import datetime
base, admin, rep, requests, pid = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def call(method, path, token, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json", "Idempotency-Key": str(time.time_ns())})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read() or b"null")
def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
# The first run scores from nothing; the second replaces every score, as the nightly run does.
for label in ("first full run (no scores yet)", "nightly full run (replaces every score)"):
    run = call("POST", "/api/v1/scoring/runs", admin, {})
    while True:
        time.sleep(1)
        runs = call("GET", "/api/v1/scoring/runs", admin)
        this = next(r for r in runs if r["id"] == run["id"])
        if this["status"] != "running":
            break
    seconds = (t(this["finishedAt"]) - t(this["startedAt"])).total_seconds()
    print(f"- {label}: {this['status']}, {this['customersScored']:,} customers in {this['chunks']:,} chunks, "
          f"{seconds:.1f} s: **{this['customersScored'] / seconds:,.0f} customers/s** ({this['customersScored'] * 5:,} scores), "
          f"{this['crossings']} crossings; server peak RSS {rss()} MiB")
for name, path in (("HealthDashboard", "/api/v1/scoring/health-dashboard"), ("AIDA board", "/api/v1/customers/lifecycle/stats")):
    for who, token in (("admin (every customer)", admin), ("rep (1%)", rep)):
        for _ in range(10):
            call("GET", path, token)
        times = []
        for _ in range(requests):
            start = time.perf_counter()
            call("GET", path, token)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        q = lambda p: times[min(len(times) - 1, int(p * len(times)))]
        print(f"- {name} as {who}: p50 {q(0.5):.1f} ms, p95 {q(0.95):.1f} ms, p99 {q(0.99):.1f} ms, max {times[-1]:.1f} ms ({requests} sequential)")
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  [[ $provider == postgres ]] && psql_in "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  return 0
}

[[ $sqlite == yes ]] && run_provider sqlite
[[ -n "${AIDA_BENCH_PG:-}" ]] && run_provider postgres
exit 0
