#!/usr/bin/env bash
# Web-form lead capture at scale (issue 7): POST /f/{key} with dedupe on, against a table of 1,000,000
# existing leads (default). Seeds the leads through the bulk path (aida seed --leads, unique numbered
# addresses), defines a form through the admin API, then drives the public endpoint with wrk as browsers
# would (url-encoded, from an allowed Origin, rate limits off so the server is measured, not its limiter):
#   new        a visitor no lead has: dedupe probes (lead email, lead phone, contact email) miss,
#              and the lead is stored, scored and routed with its lead.captured event;
#   returning  the address of a random seeded lead: the submission attaches to it instead.
# Then the same-run limit: bench/Limit's bare INSERT of a leads row + its event per request, on a copy of
# the same database. Prints one markdown table: req/s, p50/p99 ms, errors, peak RSS, limit, ratio.
#
#   bench/leads.sh [--leads N] [--duration SECONDS] [--connections N] [--skip-sqlite]
#
# SQLite always; PostgreSQL too when AIDA_BENCH_PG holds a superuser connection string (see run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

leads=1000000
duration=20
connections=64
threads=2
warmup=10
sqlite=yes
while (($#)); do
  case "$1" in
    --leads) leads=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --skip-sqlite) sqlite=no; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

out=bench/.out
log() { printf '%s\n' "$*" >&2; }
log "== building Release"
dotnet publish src/Aida -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/aida" -nologo -v quiet >/dev/null
dotnet publish bench/Limit -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/limit" -nologo -v quiet >/dev/null
work=$(mktemp -d /tmp/aida-leads.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# free_port, wait_ready, measure
source bench/lib.sh

psql_at() { # connection-string database sql
  python3 - "$1" "$2" "$3" <<'PY'
import os, subprocess, sys
keys = {k.strip().lower(): v for k, v in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}
args = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", keys.get("host", "127.0.0.1"), "-p", keys.get("port", "5432"),
        "-U", keys.get("username", keys.get("user id", "postgres")), "-d", sys.argv[2], "-c", sys.argv[3]]
sys.exit(subprocess.call(args, env={**os.environ, "PGPASSWORD": keys.get("password", "")}))
PY
}

rows=()
run_provider() { # provider
  local provider=$1 target=() limit_target=() admin_db="" db=""
  if [[ $provider == sqlite ]]; then
    target=(--data-dir "$work/sqlite")
  else
    db="aida_leads_$$"
    admin_db=$(python3 -c 'import sys; k={a.strip().lower(): b for a, b in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}; print(k.get("database", "postgres"))' "$AIDA_BENCH_PG")
    psql_at "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    psql_at "$AIDA_BENCH_PG" "$admin_db" "CREATE DATABASE $db"
    local cs
    cs=$(python3 -c 'import sys; p=[x for x in sys.argv[1].split(";") if x and not x.lower().startswith("database=")]; print(";".join(p+["Database="+sys.argv[2]]))' "$AIDA_BENCH_PG" "$db")
    target=(--database "$cs" --data-dir "$work/pg")
    "$out/aida/aida" migrate "${target[@]}" >/dev/null
  fi

  log "== $provider: seeding $leads leads"
  local seeded
  seeded=$("$out/aida/aida" seed --scale small --customers 10000 --leads "$leads" "${target[@]}" 2>/dev/null | tail -n 1)
  log "$seeded"
  if [[ $provider == sqlite ]]; then
    cp "$work/sqlite/aida.db" "$work/limit.db"
    limit_target=(--sqlite "$work/limit.db")
  else
    psql_at "$AIDA_BENCH_PG" "$admin_db" "CREATE DATABASE ${db}_limit TEMPLATE $db"
    limit_target=(--postgres "${cs/Database=$db/Database=${db}_limit}")
  fi

  "$out/aida/aida" user add --email bench@bench.example --name Bench --role admin "${target[@]}" >/dev/null
  local token; token=$("$out/aida/aida" token create --email bench@bench.example --name bench "${target[@]}")
  local port; port=$(free_port)
  local url="http://127.0.0.1:$port"
  AIDA__RateLimits__PerTokenPerSecond=0 AIDA__RateLimits__PerAddressPerSecond=0 AIDA__WebForms__SubmissionsPerMinute=0 \
    "$out/aida/aida" serve "${target[@]}" --urls "$url" >"$work/aida-$provider.log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_ready "$url/health/ready" "$pid"

  local key
  key=$(curl -fsS -X POST "$url/api/v1/lead-forms" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{
      "name": "Bench contact form", "allowedOrigins": ["https://shop.bench.example"],
      "fields": [{"name": "firstName"}, {"name": "lastName"}, {"name": "email", "required": true}, {"name": "company"}, {"name": "message"}]
    }' | python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')

  local new returning limit
  log "== $provider: new visitors"
  new=$(measure "$pid" "$url" bench/scenarios/capture_form.lua "$key" new)
  log "== $provider: returning visitors"
  returning=$(measure "$pid" "$url" bench/scenarios/capture_form.lua "$key" returning "$leads")
  kill "$pid"; wait "$pid" 2>/dev/null || true

  log "== $provider: limit"
  port=$(free_port); url="http://127.0.0.1:$port"
  "$out/limit/Limit" "${limit_target[@]}" --urls "$url" >"$work/limit-$provider.log" 2>&1 &
  pid=$!; pids+=("$pid")
  wait_ready "$url/limit/constant" "$pid"
  limit=$(measure "$pid" "$url" bench/scenarios/limit_lead.lua | cut -d' ' -f1)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [[ $provider == postgres ]] && psql_at "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)" && psql_at "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS ${db}_limit WITH (FORCE)"

  local name result rps p50 p99 errors rss
  for name in new returning; do
    result=${!name}
    read -r rps p50 p99 errors rss <<<"$result"
    rows+=("| $name visitors | $provider | $rps | $p50 | $p99 | $errors | $rss | $limit | $(python3 -c "print(f'{$rps / $limit:.2f}')") |")
  done
  rows+=("| seeding ($provider) | $seeded |||||||")
}

[[ $sqlite == yes ]] && run_provider sqlite
[[ -n "${AIDA_BENCH_PG:-}" ]] && run_provider postgres

echo
echo "Web-form capture against $leads existing leads. wrk -t$threads -c$connections, ${duration} s per scenario after a ${warmup} s warm-up; latencies in ms; peak RSS of the server in MiB; limit = bare INSERT of a leads row + its event per request."
echo
echo "| scenario | database | req/s | p50 | p99 | errors | peak RSS | limit req/s | ratio |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
