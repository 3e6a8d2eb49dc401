#!/usr/bin/env bash
# Imports at scale (issue 17 item 1: 1,000,000 rows through the wizard's path at >= 20,000 rows/s with the
# server under 500 MB RSS). Generates an N-row customer CSV (default 1,000,000; organisations and people with
# contact, address and an external id), uploads it to POST /api/v1/imports as an admin, starts it with the
# suggested mapping ("import the valid rows", duplicates skipped), polls GET /api/v1/imports/{id} until it is
# done, and prints the server's rows/s, the wall time from start to done, the counts and the server's peak
# RSS (VmHWM) over upload and run. Then it reverts the import (POST …/revert, which removes every customer it
# created as a DELETE would, with contacts, addresses and events) and prints how long that took.
#
#   bench/imports.sh [--rows N] [--no-revert] [--packed-addresses] [--on-duplicate skip|update|create]
#
# --on-duplicate is the wizard's choice for likely duplicates (default skip). "create" creates every valid row without
# matching it: the import with the duplicate check off (issue 20 item 5).
#
# Addresses are spread as in a real list: a few thousand streets per city, house numbers up to 200, a hundred
# postal codes per city. --packed-addresses writes them as this script did until 2026-12-07 (five postal codes,
# "Road <i % 991> <i>", so about 5,000 street addresses for every row), where every address is a common key.
#
# SQLite (the embedded default).
set -euo pipefail
cd "$(dirname "$0")/.."

rows=1000000
revert=yes
packed=no
policy=skip
while (($#)); do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --no-revert) revert=no; shift ;;
    --packed-addresses) packed=yes; shift ;;
    --on-duplicate) policy=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

out=bench/.out
log() { printf '%s\n' "$*" >&2; }
log "== building Release"
source bench/lib.sh
publish_aida
work=$(mktemp -d /tmp/aida-imports.XXXXXX)
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

log "== generating $rows rows"
python3 - "$work/customers.csv" "$rows" "$packed" <<'PY'
import csv, random, sys
path, n, packed = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "yes"
random.seed(2026)
first = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "John", "Jürgen", "Zoë"]
syllables = ["ka", "lo", "mir", "sen", "dra", "vik", "tor", "bel", "an", "qu", "zet", "ros", "hal", "un", "pe"]
cities = [("Berlin", "10115", "DE"), ("Paris", "75001", "FR"), ("London", "SW1A 1AA", "GB"), ("Madrid", "28001", "ES"), ("Oslo", "0150", "NO")]
# Street forms by country: the number before or after the name, as each country writes it.
forms = {"DE": "{s}straße {n}", "FR": "{n} rue {s}", "GB": "{n} {s} Road", "ES": "Calle {s} {n}", "NO": "{s}gata {n}"}
postals = {"DE": lambda: str(random.randint(10115, 14199)), "FR": lambda: f"750{random.randint(1, 20):02d}",
           "GB": lambda: f"SW{random.randint(1, 20)} {random.randint(1, 9)}AA", "ES": lambda: f"280{random.randint(1, 99):02d}",
           "NO": lambda: f"0{random.randint(150, 999)}"}
def word(k):
    return "".join(random.choice(syllables) for _ in range(k)).capitalize()
def street(i, country, kind):
    if packed:
        return f"{kind} {i % (977 if kind == 'Street' else 991)} {i}"
    return forms[country].format(s=word(3), n=random.randint(1, 200))
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["External ID", "Company", "First Name", "Last Name", "Email", "Phone", "Street", "City", "Postal Code", "Country", "Status"])
    for i in range(n):
        city, postal, country = random.choice(cities)
        postal = postal if packed else postals[country]()
        # Varied names, as a real customer list has: a few shared first names, surnames made of random syllables.
        fn = random.choice(first)
        ln = word(4)
        if i % 4 == 0:
            w.writerow([f"bench-{i}", f"Company {i} {ln}", "", "", "", "", street(i, country, "Street"), city, postal, country, "active"])
        else:
            w.writerow([f"bench-{i}", "", fn, ln, f"{fn.lower()}.{ln.lower()}.{i}@mail{i % 1000}.example", "", street(i, country, "Road"), city, postal, country, "prospect"])
PY
size=$(stat -c %s "$work/customers.csv")
log "   $(numfmt --to=iec "$size") CSV"

target=(--data-dir "$work/sqlite")
"$out/aida/aida" migrate "${target[@]}" >/dev/null
"$out/aida/aida" user add --email admin@bench.example --name "Bench Admin" --role admin "${target[@]}" >/dev/null
token=$("$out/aida/aida" token create --email admin@bench.example --name bench "${target[@]}")
port=$(free_port)
AIDA__RateLimits__PerTokenPerSecond=0 AIDA__RateLimits__PerAddressPerSecond=0 AIDA__Scoring__DailyRunEnabled=false \
  "$out/aida/aida" serve "${target[@]}" --urls "http://127.0.0.1:$port" >"$work/aida.log" 2>&1 &
pid=$!
wait_ready "http://127.0.0.1:$port/health/ready" "$pid"
echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true
api="http://127.0.0.1:$port/api/v1/imports"

log "== uploading"
id=$(curl -fsS -H "Authorization: Bearer $token" -F "file=@$work/customers.csv;type=text/csv" -F "sourceName=bench" "$api" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["import"]["id"])')
curl -fsS -X PUT -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
  -d "{\"onDuplicate\":\"$policy\",\"validRowsOnly\":true}" "$api/$id/mapping" >/dev/null
cpu_at() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat"; }
cpu_before=$(cpu_at "$pid")
start=$(date +%s.%N)
curl -fsS -X POST -H "Authorization: Bearer $token" "$api/$id/start" >/dev/null
log "== running import $id"
while true; do
  body=$(curl -fsS -H "Authorization: Bearer $token" "$api/$id")
  status=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["status"])' "$body")
  [[ $status == completed || $status == failed ]] && break
  python3 -c 'import json, sys; b = json.loads(sys.argv[1]); c = b["counts"]["read"]; r = b["rowsPerSecond"] or 0; s = b["secondsLeft"] or 0; print(f"   {c:,} rows, {r:,.0f} rows/s, {s:,.0f} s left", file=sys.stderr)' "$body"
  sleep 1
done
end=$(date +%s.%N)
peak=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
# The server's CPU time (user + system) over the run: rows per CPU second holds when the machine is busy.
cpu=$(python3 -c "print(round($(cpu_at "$pid") - $cpu_before, 1))")

echo
echo "### import of $rows rows (SQLite, duplicates: $policy)"
echo
python3 - "$body" "$start" "$end" "$peak" "$size" "$cpu" <<'PY'
import json, sys
b, start, end, peak, size, cpu = json.loads(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
c = b["counts"]
wall = end - start
print(f"- status {b['status']}: {c['read']:,} read, {c['created']:,} created, {c['updated']:,} updated, {c['skipped']:,} skipped, {c['failed']:,} failed")
print(f"- {b['rowsPerSecond'] or 0:,.0f} rows/s by the server's clock; {wall:,.1f} s from start to done ({c['read'] / wall:,.0f} rows/s)")
print(f"- file {size / 1e6:,.1f} MB; server peak RSS {peak} MB (VmHWM, upload and run)")
print(f"- server CPU {cpu:,.1f} s (user + system, start to done): {c['read'] / max(cpu, 0.1):,.0f} rows per CPU second")
if b.get("error"):
    print(f"- error: {b['error']}")
PY

# The revert: every created customer deleted with what hangs off it, in chunks, as one request.
[[ $revert == no ]] && exit 0
log "== reverting import $id"
start=$(date +%s.%N)
reverted=$(curl -fsS -m 3600 -X POST -H "Authorization: Bearer $token" -H "Idempotency-Key: revert-$id" "$api/$id/revert")
end=$(date +%s.%N)
python3 - "$reverted" "$start" "$end" <<'PY'
import json, sys
b, wall = json.loads(sys.argv[1]), float(sys.argv[3]) - float(sys.argv[2])
print(f"- revert: {b['removed']:,} removed, {b['restored']:,} fields restored in {wall:,.1f} s ({b['removed'] / wall:,.0f} customers/s)")
PY
