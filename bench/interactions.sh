#!/usr/bin/env bash
# Timeline and global search at scale (issue: p99 under 50 ms on SQLite, broad queries included).
# Seeds N customers (default 100,000) and M interactions (default 1,000,000) through the bulk import
# path — the search index is filled by the triggers of migration 0003 as the rows go in, so the
# seeding rate includes index maintenance — with one customer holding 10,000 interactions and the
# prefix 'smi' matching about a fifth of them (SyntheticInteractions). Then times, with sequential
# requests after a warm-up (bench/interactions.py): that customer's timeline, first page; global search
# for a rare word, a person's two names, a 3-letter surname prefix and the broad prefix, as an admin
# and as a rep who reaches 1% of the customers (the access filter then rejects most matches).
# Prints p50/p95/p99/max per request kind, the seeding rates and the server's peak RSS.
#
#   bench/interactions.sh [--customers N] [--interactions N] [--requests N] [--skip-sqlite]
#
# SQLite always; PostgreSQL too when AIDA_BENCH_PG holds a superuser connection string (see run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

customers=100000
interactions=1000000
requests=500
sqlite=yes
while (($#)); do
  case "$1" in
    --customers) customers=$2; shift 2 ;;
    --interactions) interactions=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --skip-sqlite) sqlite=no; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

out=bench/.out
log() { printf '%s\n' "$*" >&2; }
log "== building Release"
source bench/lib.sh
publish_aida
work=$(mktemp -d /tmp/aida-interactions.XXXXXX)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The rep's reach: about 1% of the customers (those whose id ends in 00, 01 or 02: spread over the
# import, so over every age), given to the rep, whose team has no one else.
give_rep() { # expression for the last two characters of a customer's id
  echo "UPDATE customers SET owner_id = (SELECT id FROM users WHERE email = 'rep@bench.example') WHERE $1 IN ('00', '01', '02')"
}

run_provider() { # provider
  local provider=$1 target=()
  if [[ $provider == sqlite ]]; then
    target=(--data-dir "$work/sqlite")
    sql() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' "$work/sqlite/aida.db" "$1"; }
  else
    local db="aida_interactions_$$" admin_db
    admin_db=$(python3 -c 'import sys; k={a.strip().lower(): b for a, b in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}; print(k.get("database", "postgres"))' "$AIDA_BENCH_PG")
    psql_in "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    psql_in "$AIDA_BENCH_PG" "$admin_db" "CREATE DATABASE $db"
    local cs
    cs=$(python3 -c 'import sys; p=[x for x in sys.argv[1].split(";") if x and not x.lower().startswith("database=")]; print(";".join(p+["Database="+sys.argv[2]]))' "$AIDA_BENCH_PG" "$db")
    target=(--database "$cs" --data-dir "$work/pg")
    sql() { psql_in "$AIDA_BENCH_PG" "$db" "$1"; }
    "$out/aida/aida" migrate "${target[@]}" >/dev/null
  fi

  log "== $provider: seeding $customers customers and $interactions interactions"
  local seeded
  seeded=$("$out/aida/aida" seed --scale large --customers "$customers" --interactions "$interactions" "${target[@]}" --sample "$work/sample-$provider" 2>/dev/null)
  log "$seeded"
  "$out/aida/aida" user add --email admin@bench.example --name "Bench Admin" --role admin "${target[@]}" >/dev/null
  "$out/aida/aida" user add --email rep@bench.example --name "Bench Rep" --role rep --team "Bench Reps" "${target[@]}" >/dev/null
  if [[ $provider == sqlite ]]; then sql "$(give_rep 'substr(id, -2)')"; else sql "$(give_rep 'right(id::text, 2)')"; fi
  local admin_token rep_token
  admin_token=$("$out/aida/aida" token create --email admin@bench.example --name bench "${target[@]}")
  rep_token=$("$out/aida/aida" token create --email rep@bench.example --name bench "${target[@]}")

  local port; port=$(free_port)
  AIDA__RateLimits__PerTokenPerSecond=0 AIDA__RateLimits__PerAddressPerSecond=0 \
    "$out/aida/aida" serve "${target[@]}" --urls "http://127.0.0.1:$port" >"$work/aida-$provider.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 0.2; done
  echo
  echo "### $provider, $customers customers, $interactions interactions, $requests sequential requests each"
  echo
  printf '%s\n' "$seeded" | sed 's/^/- /'
  echo
  python3 bench/interactions.py "http://127.0.0.1:$port" "$admin_token" "$rep_token" "$work/sample-$provider" "$requests"
  echo
  echo "Peak RSS of the server: $(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status") MiB"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  [[ $provider == postgres ]] && psql_in "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  return 0
}

[[ $sqlite == yes ]] && run_provider sqlite
[[ -n "${AIDA_BENCH_PG:-}" ]] && run_provider postgres
exit 0
