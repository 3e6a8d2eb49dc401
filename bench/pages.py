#!/usr/bin/env python3
"""Server time per web page, as a signed-in person waits for it: sequential requests over loopback
(one at a time, so the figure is the page's own time, not queueing), after a warm-up.

    pages.py BASE_URL EMAIL PASSWORD SAMPLE_DIR [REQUESTS]

Prints one markdown row per page: p50, p95, p99, max in ms and the page size. Used by bench/pages.sh."""
import http.cookiejar, random, re, statistics, sys, time, urllib.parse, urllib.request

base, email, password, sample = sys.argv[1:5]
requests = int(sys.argv[5]) if len(sys.argv) > 5 else 300
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
opener.addheaders = [("Accept", "text/html")]

def get(path, headers=None):
    request = urllib.request.Request(base + path, headers=headers or {})
    with opener.open(request) as response:
        return response.read().decode()

signin = get("/signin")
token = re.search(r'name="__RequestVerificationToken" value="([^"]+)"', signin).group(1)
opener.open(base + "/signin", urllib.parse.urlencode({"__RequestVerificationToken": token, "email": email, "password": password}).encode())
assert "Sign out" in get("/customers"), "sign-in failed"

ids = [line.strip() for line in open(f"{sample}/ids.txt") if line.strip()]
prefixes = [line.strip() for line in open(f"{sample}/prefixes.txt") if line.strip()]
random.seed(2026)
first = get("/customers?sort=displayName")
deep = None
cursor_path = "/customers?sort=displayName"
for _ in range(40):  # 40 pages of 50 in: the cursor after 2,000 rows
    page = get(cursor_path)
    more = re.search(r'id="load-more".*?href="([^"]+)"', page, re.S)
    if not more: break
    cursor_path = more.group(1).replace("&amp;", "&")
deep = cursor_path

pages = [
    ("home: the CRM dashboard, this month", lambda: "/"),
    ("home: the CRM dashboard, this year", lambda: "/?period=year"),
    ("customer list, first page (newest first)", lambda: "/customers"),
    ("customer list, status filter, sorted by name", lambda: "/customers?status=active&sort=displayName"),
    ("customer list, name search", lambda: "/customers?q=" + urllib.parse.quote(random.choice(prefixes))),
    ("customer list, name search sorted by created", lambda: "/customers?sort=-createdAt&q=" + urllib.parse.quote(random.choice(prefixes))),
    ("customer list, one-letter search sorted by created", lambda: "/customers?sort=-createdAt&q=" + random.choice("abcdefghjklmnprstw")),
    ("customer list, page 41 by cursor", lambda: deep),
    ("customer list, next rows (htmx infinite scroll)", lambda: deep + "#htmx"),
    ("customer detail, overview", lambda: f"/customers/{random.choice(ids)}"),
    ("customer detail, contacts tab", lambda: f"/customers/{random.choice(ids)}?tab=contacts"),
    ("customer detail, addresses tab", lambda: f"/customers/{random.choice(ids)}?tab=addresses"),
    ("customer detail, history tab", lambda: f"/customers/{random.choice(ids)}?tab=history"),
    ("customer edit form", lambda: f"/customers/{random.choice(ids)}/edit"),
    ("new customer form", lambda: "/customers/new"),
    ("account hierarchy", lambda: f"/customers/{random.choice(ids)}/hierarchy"),
    ("global search results", lambda: "/search?q=" + urllib.parse.quote(random.choice(prefixes))),
    ("global search suggestions (htmx)", lambda: "/search/suggestions?q=" + urllib.parse.quote(random.choice(prefixes)) + "#htmx"),
    ("contact list, name search", lambda: "/contacts?q=" + urllib.parse.quote(random.choice(prefixes))),
    ("AIDA board (customers per phase and stage)", lambda: "/lifecycle"),
    ("a stage's customers, first page", lambda: "/lifecycle/stages/01900000-0000-7000-8000-000000000104"),
    ("customer detail, lifecycle tab", lambda: f"/customers/{random.choice(ids)}?tab=lifecycle"),
]

print("| page | p50 ms | p95 ms | p99 ms | max ms | KiB |")
print("|---|---|---|---|---|---|")
for name, path_of in pages:
    timings, size = [], 0
    for i in range(requests + 30):
        path = path_of()
        headers = {}
        if path.endswith("#htmx"):
            path = path[:-5]
            headers = {"HX-Request": "true", "HX-Target": "load-more" if "cursor" in path else "search-suggestions"}
        start = time.perf_counter()
        body = get(path, headers)
        elapsed = (time.perf_counter() - start) * 1000
        if i >= 30:  # the first 30 warm up
            timings.append(elapsed)
            size = max(size, len(body))
    timings.sort()
    pick = lambda q: timings[min(len(timings) - 1, int(q * len(timings)))]
    print(f"| {name} | {statistics.median(timings):.1f} | {pick(0.95):.1f} | {pick(0.99):.1f} | {timings[-1]:.1f} | {size / 1024:.0f} |")
