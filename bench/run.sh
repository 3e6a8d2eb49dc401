#!/usr/bin/env bash
# Aida's benchmarks (not tests). Seeds a fresh database at the chosen scale through the bulk import path,
# drives a Release build of aida with wrk one scenario at a time, measures this machine's limit for the
# same work in the same run (bench/Limit), and prints one markdown table.
#
#   bench/run.sh [--scale small|large] [--duration SECONDS] [--connections N] [scenario ...]
#
# Scenarios: get list list_deep search patch create (default: all, in that order; writes last).
# SQLite always; PostgreSQL too when AIDA_BENCH_PG holds a superuser connection string
# (e.g. AIDA_BENCH_PG="Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres").
set -euo pipefail
cd "$(dirname "$0")/.."

scale=large
duration=20
connections=64
threads=2
warmup=15
scenarios=()
while (($#)); do
  case "$1" in
    --scale) scale=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) scenarios+=("$1"); shift ;;
  esac
done
((${#scenarios[@]})) || scenarios=(get list list_deep search patch create)

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is missing" >&2; exit 1; }

out=bench/.out
log() { printf '%s\n' "$*" >&2; }
log "== building Release"
# ReadyToRun: precompiled code, so the measured runs are not spent waiting for the JIT.
dotnet publish src/Aida -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/aida" -nologo -v quiet >/dev/null
dotnet publish bench/Limit -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/limit" -nologo -v quiet >/dev/null
work=$(mktemp -d /tmp/aida-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# free_port, wait_ready, measure
source bench/lib.sh

describe() { # scenario -> human description
  case "$1" in
    get) echo "get customer by id" ;;
    list) echo "list: status filter, sort by name, first page" ;;
    list_deep) echo "list: same, deep cursor page" ;;
    search) echo "contact search by name prefix" ;;
    patch) echo "PATCH customer with If-Match" ;;
    create) echo "create customer (duplicate check on)" ;;
  esac
}

rows=()
run_provider() { # provider
  local provider=$1 target=() limit_target=() sample="$work/sample-$1"
  if [[ $provider == sqlite ]]; then
    target=(--data-dir "$work/sqlite")
  else
    local db="aida_bench_$$"
    psql_admin() { python3 - "$AIDA_BENCH_PG" "$1" <<'PY'
import sys, subprocess
parts = dict(p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)
keys = {k.lower(): v for k, v in parts.items()}
args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", keys.get("host", "127.0.0.1"), "-p", keys.get("port", "5432"),
        "-U", keys.get("username", keys.get("user id", "postgres")), "-d", keys.get("database", "postgres"), "-c", sys.argv[2]]
env = {"PGPASSWORD": keys.get("password", "")}
import os; env.update(os.environ)
sys.exit(subprocess.call(args, env=env))
PY
    }
    psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)"; psql_admin "CREATE DATABASE $db"
    local cs
    cs=$(python3 -c 'import sys; p=[x for x in sys.argv[1].split(";") if x and not x.lower().startswith("database=")]; print(";".join(p+["Database="+sys.argv[2]]))' "$AIDA_BENCH_PG" "$db")
    target=(--database "$cs")
    "$out/aida/aida" migrate "${target[@]}" >/dev/null
  fi

  log "== $provider: seeding ($scale)"
  local seed_line
  seed_line=$("$out/aida/aida" seed --scale "$scale" "${target[@]}" --sample "$sample" 2>/dev/null | tail -n 1)
  log "$seed_line"
  imports+=("| $provider | $seed_line |")

  if [[ $provider == sqlite ]]; then
    cp "$work/sqlite/aida.db" "$work/limit.db"
    limit_target=(--sqlite "$work/limit.db")
  else
    psql_admin "CREATE DATABASE ${db}_limit TEMPLATE $db"
    limit_target=(--postgres "${cs/Database=$db/Database=${db}_limit}")
  fi

  local port; port=$(free_port)
  local url="http://127.0.0.1:$port"
  # The API needs a token; rate limits are off so the bench measures the server, not its limiter. The duplicate
  # scan and the nightly scoring are off too: over a freshly seeded million their first runs take minutes of a core
  # (the scan about 25), and every request measured would share the cores with them (RESULTS.md, 2026-12-08).
  "$out/aida/aida" user add --email bench@bench.example --name Bench --role admin "${target[@]}" >/dev/null
  export AIDA_BENCH_TOKEN; AIDA_BENCH_TOKEN=$("$out/aida/aida" token create --email bench@bench.example --name bench "${target[@]}")
  AIDA__RateLimits__PerTokenPerSecond=0 AIDA__RateLimits__PerAddressPerSecond=0 \
    AIDA__Duplicates__Scan__Enabled=false AIDA__Scoring__DailyRunEnabled=false \
    "$out/aida/aida" serve "${target[@]}" --urls "$url" >"$work/aida-$provider.log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_ready "$url/health/ready" "$pid"

  local cursor=""
  if [[ " ${scenarios[*]} " == *" list_deep "* ]]; then
    cursor=$(python3 - "$url" <<'PY'
import json, os, sys, urllib.request
url, cursor = sys.argv[1], None
for _ in range(100):   # 100 pages of 200: the cursor after 20,000 rows
    q = "/api/v1/customers?status=active&sort=displayName&limit=200" + (f"&cursor={cursor}" if cursor else "")
    request = urllib.request.Request(url + q, headers={"Authorization": "Bearer " + os.environ["AIDA_BENCH_TOKEN"]})
    page = json.load(urllib.request.urlopen(request))
    if not page["nextCursor"]: break
    cursor = page["nextCursor"]
print(cursor or "")
PY
)
  fi

  local ids_total; ids_total=$(wc -l < "$sample/ids.txt")
  declare -A results=()
  for scenario in "${scenarios[@]}"; do
    log "== $provider: $scenario"
    case "$scenario" in
      get) results[$scenario]=$(measure "$pid" "$url" bench/scenarios/get_customer.lua "$sample/ids.txt") ;;
      list) results[$scenario]=$(measure "$pid" "$url" bench/scenarios/list_customers.lua "") ;;
      list_deep) results[$scenario]=$(measure "$pid" "$url" bench/scenarios/list_customers.lua "$cursor") ;;
      search) results[$scenario]=$(measure "$pid" "$url" bench/scenarios/search_contacts.lua "$sample/prefixes.txt") ;;
      patch)
        # The warm-up takes the first third of the sample ids, the measured run the rest: each customer once.
        local third=$((ids_total / 3))
        wrk -t"$threads" -c"$connections" -d"${warmup}s" -s bench/scenarios/patch_customer.lua "$url" -- "$sample/ids.txt" 1 "$third" "$threads" >/dev/null 2>&1 || true
        local saved=$warmup; warmup=0
        results[$scenario]=$(measure "$pid" "$url" bench/scenarios/patch_customer.lua "$sample/ids.txt" $((third + 1)) "$ids_total" "$threads")
        warmup=$saved ;;
      create) results[$scenario]=$(measure "$pid" "$url" bench/scenarios/create_customer.lua) ;;
      *) log "bench: unknown scenario $scenario"; exit 2 ;;
    esac
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true

  log "== $provider: limit"
  port=$(free_port); url="http://127.0.0.1:$port"
  "$out/limit/Limit" "${limit_target[@]}" --urls "$url" >"$work/limit-$provider.log" 2>&1 &
  pid=$!; pids+=("$pid")
  wait_ready "$url/limit/constant" "$pid"
  local write_limit read_limit
  write_limit=$(measure "$pid" "$url" bench/scenarios/limit_create.lua | cut -d' ' -f1)
  read_limit=$(wrk -t"$threads" -c"$connections" -d"${duration}s" "$url/limit/constant" 2>/dev/null | awk '/Requests\/sec/ {printf "%.0f", $2}')
  kill "$pid"; wait "$pid" 2>/dev/null || true

  for scenario in "${scenarios[@]}"; do
    read -r rps p50 p99 errors rss <<<"${results[$scenario]}"
    local limit=$read_limit kind=read
    [[ $scenario == patch || $scenario == create ]] && { limit=$write_limit; kind=write; }
    local ratio; ratio=$(python3 -c "print(f'{$rps / $limit:.2f}')")
    rows+=("| $(describe "$scenario") | $provider | $rps | $p50 | $p99 | $errors | $rss | $limit ($kind) | $ratio |")
  done
}

imports=()
run_provider sqlite
[[ -n "${AIDA_BENCH_PG:-}" ]] && run_provider postgres

echo
echo "Scale: $scale. wrk -t$threads -c$connections, ${duration} s per scenario after a ${warmup} s warm-up; latencies in ms; peak RSS of the server in MiB."
echo
echo "| scenario | database | req/s | p50 | p99 | errors | peak RSS | limit req/s | ratio |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "| database | import (bulk path, duplicate check off) |"
echo "|---|---|"
printf '%s\n' "${imports[@]}"
