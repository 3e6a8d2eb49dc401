"""Driver for bench/segments.sh: previews, a full run, 1% of customers changed, the incremental run."""
import json, os, statistics, subprocess, sys, time, urllib.request
from datetime import datetime

provider, url, change_target, previews = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
headers = {"Authorization": "Bearer " + os.environ["AIDA_BENCH_TOKEN"], "Content-Type": "application/json"}

def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=600) as response:
        text = response.read()
        return json.loads(text) if text else None

criteria = {"all": [
    {"field": "customer.status", "operator": "eq", "value": "active"},
    {"field": "address.country", "operator": "in", "value": ["DE", "FR"]},
    {"field": "account.industry", "operator": "eq", "value": "Software"},
]}

for _ in range(20):
    call("POST", "/api/v1/segments/preview", {"criteria": criteria})
times = []
for _ in range(previews):
    started = time.perf_counter()
    preview = call("POST", "/api/v1/segments/preview", {"criteria": criteria})
    times.append((time.perf_counter() - started) * 1000)
times.sort()
p50 = statistics.median(times)
p99 = times[min(len(times) - 1, int(len(times) * 0.99))]

def seconds(run):
    parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
    return (parse(run["finishedAt"]) - parse(run["startedAt"])).total_seconds()

# A segment whose members change when customers do: every active customer.
started = time.perf_counter()
segment = call("POST", "/api/v1/segments", {"name": f"Active {int(time.time())}", "type": "dynamic",
                                            "criteria": {"all": [{"field": "customer.status", "operator": "eq", "value": "active"}]}})
create_wall = time.perf_counter() - started
create_run = seconds(segment["lastRun"])
refreshed = call("POST", f"/api/v1/segments/{segment['id']}/refresh")
refresh_run = seconds(refreshed["lastRun"])

# Let a scheduled pass settle the watermark, then change 1% of customers.
time.sleep(7)
count = refreshed["memberCount"]
if change_target.startswith("sqlite:"):
    import sqlite3
    connection = sqlite3.connect(change_target[len("sqlite:"):], timeout=60)
    total = connection.execute("SELECT count(*) FROM customers").fetchone()[0]
    now = int(time.time() * 1_000_000)
    connection.execute(f"""UPDATE customers SET status = CASE status WHEN 'active' THEN 'inactive' ELSE 'active' END, updated_at = ?
                           WHERE id IN (SELECT id FROM customers ORDER BY random() LIMIT {total // 100})""", (now,))
    connection.commit()
    connection.close()
else:
    cs = change_target[len("postgres:"):]
    keys = {k.strip().lower(): v for k, v in (p.split("=", 1) for p in cs.split(";") if "=" in p)}
    sql = """UPDATE customers SET status = CASE status WHEN 'active' THEN 'inactive' ELSE 'active' END, updated_at = now()
             WHERE id IN (SELECT id FROM customers TABLESAMPLE BERNOULLI (1))"""
    subprocess.check_call(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", keys.get("host", "127.0.0.1"), "-p", keys.get("port", "5432"),
                           "-U", keys.get("username", "postgres"), "-d", keys["database"], "-c", sql],
                          env={**os.environ, "PGPASSWORD": keys.get("password", "")})

incremental = None
for _ in range(120):
    time.sleep(1)
    run = call("GET", f"/api/v1/segments/{segment['id']}")["lastRun"]
    if run["kind"] == "incremental" and run["evaluated"] > 0:
        incremental = run
        break

inc = f"{seconds(incremental):.2f} ({incremental['evaluated']:,}, {incremental['added']:,}, {incremental['removed']:,})" if incremental else "not seen"
print(f"| {provider} | {p50:.1f} | {p99:.1f} | {preview['count']:,} | {create_run:.2f} (client {create_wall:.2f}) | {refresh_run:.2f} | {inc} |")
