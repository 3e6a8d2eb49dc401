# Shared by the benchmarks: the Release build, free ports, readiness, psql against a connection string, and
# one measured wrk run. Expects log(); measure() also expects threads, connections, warmup and duration.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The Release build every benchmark drives, in bench/.out/aida.
publish_aida() {
  dotnet publish src/Aida -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/aida" -nologo -v quiet >/dev/null
}

psql_in() { # connection-string database sql
  python3 - "$1" "$2" "$3" <<'PY'
import os, subprocess, sys
keys = {k.strip().lower(): v for k, v in (p.split("=", 1) for p in sys.argv[1].split(";") if "=" in p)}
args = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", keys.get("host", "127.0.0.1"), "-p", keys.get("port", "5432"),
        "-U", keys.get("username", keys.get("user id", "postgres")), "-d", sys.argv[2], "-c", sys.argv[3]]
sys.exit(subprocess.call(args, env={**os.environ, "PGPASSWORD": keys.get("password", "")}))
PY
}

wait_ready() { # url pid
  for _ in $(seq 1 600); do
    kill -0 "$2" 2>/dev/null || { log "bench: server exited"; return 1; }
    curl -fs "$1" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  log "bench: $1 not ready"; return 1
}

# Runs wrk (after an unmeasured warm-up) and prints: req/s p50_ms p99_ms errors peak_rss_mb
measure() { # pid url script args...
  local pid=$1 url=$2 script=$3; shift 3
  wrk -t"$threads" -c"$connections" -d"${warmup}s" -s "$script" "$url" -- "$@" >/dev/null 2>&1 || true
  echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true   # reset the peak-RSS mark (VmHWM)
  local result
  result=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$script" "$url" -- "$@" 2>&1)
  local rss
  rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
  python3 - "$rss" <<PY
import re, sys
text = """$result"""
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
print(f"{rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {errors} {sys.argv[1]}")
PY
}
