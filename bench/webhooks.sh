#!/usr/bin/env bash
# Webhook fan-out (issue 19 item 1): while the create benchmark runs (POST /api/v1/customers, bench/scenarios/
# create_customer.lua, each create writes customer.created and friends to the outbox), a webhook subscribed to
# "*" sends every event to a local receiver. The receiver records when each event arrived; the lag of an event is
# arrival minus the event's own time (stamped at its commit). Prints one markdown table: creates/s, events written,
# events delivered, delivered/s over the run, delivery lag p50/p99/max in ms, and the time the queue took to drain
# after the load stopped.
#
# With --sink nats the same run measures the NATS JetStream publisher instead (issue 19 item 2): a local
# `nats-server -js`, and a plain NATS subscriber on aida.> that logs when each published event arrives.
#
#   bench/webhooks.sh [--duration SECONDS] [--connections N] [--skip-sqlite] [--sink webhook|nats]
#
# SQLite always; PostgreSQL too when AIDA_BENCH_PG holds a superuser connection string (see run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=30
connections=16
threads=2
warmup=0
sqlite=yes
sink=webhook
while (($#)); do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --skip-sqlite) sqlite=no; shift ;;
    --sink) sink=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[[ $sink == webhook || $sink == nats ]] || { echo "bench: --sink is webhook or nats" >&2; exit 2; }
[[ $sink == webhook ]] || command -v nats-server >/dev/null || { echo "bench: nats-server is missing (apt-get install nats-server)" >&2; exit 1; }

out=bench/.out
log() { printf '%s\n' "$*" >&2; }
work=$(mktemp -d /tmp/aida-webhooks.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# free_port, wait_ready, measure, publish_aida, psql_in
source bench/lib.sh
log "== building Release"
publish_aida

# The receiver: answers 200 at once and appends "arrival_ms event_time_iso webhook-id" per delivery.
cat >"$work/receiver.py" <<'PY'
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
log = open(sys.argv[2], "a", buffering=1)
class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        arrived = time.time() * 1000
        event = json.loads(body)
        log.write(f"{arrived:.1f} {event['time']} {self.headers['webhook-id']}\n")
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
PY

# The NATS subscriber: a core subscription on aida.> sees every message the publisher stores in the stream, as it
# is published; it logs the same line per event as the webhook receiver (the event id in place of the webhook-id).
cat >"$work/subscriber.py" <<'PY'
import json, socket, sys, time
log = open(sys.argv[2], "a", buffering=1)
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b'CONNECT {"verbose":false,"pedantic":false,"headers":true}\r\nSUB aida.> 1\r\nPING\r\n')
buf = b""
def need(n):
    global buf
    while len(buf) < n:
        chunk = s.recv(1 << 20)
        if not chunk: sys.exit(0)
        buf += chunk
while True:
    while b"\r\n" not in buf: need(len(buf) + 1)
    line, buf = buf.split(b"\r\n", 1)
    parts = line.split()
    if not parts: continue
    if parts[0] == b"PING": s.sendall(b"PONG\r\n"); continue
    if parts[0] not in (b"MSG", b"HMSG"): continue
    size, head = int(parts[-1]), int(parts[-2]) if parts[0] == b"HMSG" else 0
    need(size + 2)
    body, buf = buf[head:size], buf[size + 2:]
    arrived = time.time() * 1000
    event = json.loads(body)
    log.write(f"{arrived:.1f} {event['time']} {event['id']}\n")
PY

# How many of the expected event ids (one per line) the receiver logged (third field of each arrival), each once.
delivered_of() { awk 'NR == FNR { want[$1] = 1; next } ($3 in want) && !seen[$3]++ { n++ } END { print n + 0 }' "$1" "$2"; }

rows=()
run_provider() { # provider
  local provider=$1 target=()
  if [[ $provider == sqlite ]]; then
    target=(--data-dir "$work/sqlite")
  else
    local db="aida_webhooks_$$" admin_db cs
    admin_db=$(python3 -c 'import sys; k={a.strip().lower(): b for a, b in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}; print(k.get("database", "postgres"))' "$AIDA_BENCH_PG")
    psql_in "$AIDA_BENCH_PG" "$admin_db" "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    psql_in "$AIDA_BENCH_PG" "$admin_db" "CREATE DATABASE $db"
    cs=$(python3 -c 'import sys; p=[x for x in sys.argv[1].split(";") if x and not x.lower().startswith("database=")]; print(";".join(p+["Database="+sys.argv[2]]))' "$AIDA_BENCH_PG" "$db")
    target=(--database "$cs" --data-dir "$work/pg")
  fi
  "$out/aida/aida" migrate "${target[@]}" >/dev/null
  "$out/aida/aida" user add --email bench@bench.example --name Bench --role admin "${target[@]}" >/dev/null
  export AIDA_BENCH_TOKEN; AIDA_BENCH_TOKEN=$("$out/aida/aida" token create --email bench@bench.example --name bench "${target[@]}")

  local sink_port url port arrivals="$work/arrivals-$provider.log" nats_env=()
  sink_port=$(free_port); : >"$arrivals"
  if [[ $sink == webhook ]]; then
    python3 "$work/receiver.py" "$sink_port" "$arrivals" & pids+=("$!")
  else
    nats-server -js -a 127.0.0.1 -p "$sink_port" -sd "$work/nats-$provider" >"$work/nats-$provider.log" 2>&1 & pids+=("$!")
    sleep 0.5
    python3 "$work/subscriber.py" "$sink_port" "$arrivals" & pids+=("$!")
    nats_env=(AIDA__Events__Nats__Url="nats://127.0.0.1:$sink_port")
  fi
  port=$(free_port); url="http://127.0.0.1:$port"
  # The receiver is on loopback, so private networks are allowed here (never in production without a reason).
  env AIDA__RateLimits__PerTokenPerSecond=0 AIDA__RateLimits__PerAddressPerSecond=0 AIDA__Webhooks__AllowPrivateNetworks=true "${nats_env[@]}" \
    "$out/aida/aida" serve "${target[@]}" --urls "$url" >"$work/aida-$provider.log" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_ready "$url/health/ready" "$pid"
  # The events to deliver start after this marker: the webhook's own webhook.created (a webhook starts at the
  # feed's end), or for NATS a customer created before the load, once everything before it is published.
  local marker=webhook.created
  if [[ $sink == webhook ]]; then
    curl -fsS -X POST "$url/api/v1/webhooks" -H "Authorization: Bearer $AIDA_BENCH_TOKEN" -H 'Content-Type: application/json' \
      -d "{\"url\": \"http://127.0.0.1:$sink_port/hook\", \"eventTypes\": [\"*\"]}" >/dev/null
  else
    marker=customer.created
    curl -fsS -X POST "$url/api/v1/customers" -H "Authorization: Bearer $AIDA_BENCH_TOKEN" -H 'Content-Type: application/json' \
      -d '{"type": "individual", "displayName": "Before Load", "primaryContact": {"firstName": "Before", "lastName": "Load"}}' >/dev/null
    until [[ $(curl -fsS "$url/api/v1/admin/events/nats" -H "Authorization: Bearer $AIDA_BENCH_TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])') == 0 ]]; do sleep 0.2; done
  fi

  log "== $provider: creating customers for ${duration} s with the webhook on"
  local started creates
  started=$(date +%s%3N)
  creates=$(measure "$pid" "$url" bench/scenarios/create_customer.lua | cut -d' ' -f1)
  local stopped; stopped=$(date +%s%3N)
  # The events to deliver are the feed's after the marker; wait until the sink has each of them (or a minute without progress).
  local expected="$work/expected-$provider.ids" written
  python3 - "$url" "$marker" >"$expected" <<'PY'
import json, os, sys, urllib.request
url, marker, after, ids, started = sys.argv[1], sys.argv[2], "", [], False
while True:
    q = "/api/v1/events?limit=200" + (f"&after={after}" if after else "")
    page = json.load(urllib.request.urlopen(urllib.request.Request(url + q, headers={"Authorization": "Bearer " + os.environ["AIDA_BENCH_TOKEN"]})))
    if not page["items"]: break
    for e in page["items"]:
        if started: ids.append(e["id"])
        started = started or e["type"] == marker
    after = page["nextCursor"]
print("\n".join(ids))
PY
  written=$(grep -c . "$expected" || true)
  local last=-1 same=0
  while :; do
    local now; now=$(delivered_of "$expected" "$arrivals")
    (( now >= written )) && break
    if (( now == last )); then same=$((same + 1)); (( same >= 60 )) && { log "bench: delivery stalled at $now of $written"; break; }; else same=0; fi
    last=$now; sleep 1
  done
  local drained; drained=$(( $(date +%s%3N) - stopped ))
  rows+=("$(python3 - "$provider" "$arrivals" "$creates" "$expected" "$started" "$drained" <<'PY'
import datetime, statistics, sys
provider, path, creates, expected, started, drained = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
want = set(open(expected).read().split())
written = len(want)
lags, arrivals = [], []
for line in open(path):
    arrived, time, id = line.split()
    if id not in want: continue
    want.discard(id)
    t = datetime.datetime.fromisoformat(time.replace("Z", "+00:00")).timestamp() * 1000
    lags.append(float(arrived) - t); arrivals.append(float(arrived))
lags.sort()
pct = lambda p: lags[min(len(lags) - 1, int(p * len(lags)))] if lags else float("nan")
span = (max(arrivals) - started) / 1000 if arrivals else float("nan")
rate = len(arrivals) / span if arrivals else 0
print(f"| {provider} | {creates} | {written} | {len(arrivals)} | {rate:.0f} | {pct(0.5):.0f} | {pct(0.99):.0f} | {lags[-1] if lags else float('nan'):.0f} | {drained} |")
PY
)")
  kill "$pid" 2>/dev/null || true
}

[[ $sqlite == yes ]] && run_provider sqlite
[[ -n ${AIDA_BENCH_PG:-} ]] && run_provider postgres

if [[ $sink == webhook ]]; then
  echo "Webhook fan-out while creating customers (wrk -t$threads -c$connections, ${duration} s); one webhook on \"*\" to a local receiver; lag = arrival − event time."
else
  echo "NATS JetStream publishing while creating customers (wrk -t$threads -c$connections, ${duration} s); a subscriber on aida.>; lag = arrival − event time."
fi
echo
echo "| database | creates/s | events written | delivered | delivered/s | lag p50 ms | lag p99 ms | lag max ms | drain after load ms |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
