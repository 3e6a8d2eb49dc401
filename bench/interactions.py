#!/usr/bin/env python3
"""Timeline and global search as a person waits for them: sequential requests over loopback (one at a
time, so each figure is the request's own time, not queueing), after a warm-up, with an admin's token
(reaches every customer) and a rep's (reaches a small share, so the access filter rejects most matches).

    interactions.py BASE_URL ADMIN_TOKEN REP_TOKEN SAMPLE_DIR [REQUESTS]

SAMPLE_DIR is what `aida seed --scale … --interactions N --sample DIR` wrote: heavy.txt (the customer
with 10,000 interactions), rare-words.txt, people.txt and prefixes.txt. Prints one markdown row per
request kind: p50, p95, p99, max in ms, and the mean number of items answered. Used by bench/interactions.sh."""
import json, random, statistics, sys, time, urllib.parse, urllib.request

base, admin, rep, sample = sys.argv[1:5]
requests = int(sys.argv[5]) if len(sys.argv) > 5 else 500
warmup = 30

def lines(name):
    return [line.strip() for line in open(f"{sample}/{name}") if line.strip()]

heavy = lines("heavy.txt")[0]
rare = lines("rare-words.txt")
people = lines("people.txt")
prefixes = [urllib.parse.unquote(p) for p in lines("prefixes.txt")]
random.seed(2026)
opener = urllib.request.build_opener()

def get(path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    with opener.open(request) as response:
        return json.loads(response.read())

def search(q):
    return lambda: "/api/v1/search?limit=20&q=" + urllib.parse.quote(q())

cases = [
    ("timeline, first page, customer with 10,000 interactions", admin, lambda: f"/api/v1/customers/{heavy}/timeline"),
    ("search, narrow: a rare word (a town, 1–50 matches)", admin, search(lambda: random.choice(rare))),
    ("search, two words: a person's first and last name", admin, search(lambda: random.choice(people))),
    ("search, name prefix: 3 letters of a contact's surname", admin, search(lambda: random.choice(prefixes))),
    ("search, broad prefix 'smi' (~20% of interactions)", admin, search(lambda: "smi")),
    ("search, 'llc': common in company names, in no interaction", admin, search(lambda: "llc")),
    ("rep: search, narrow", rep, search(lambda: random.choice(rare))),
    ("rep: search, two words", rep, search(lambda: random.choice(people))),
    ("rep: search, name prefix", rep, search(lambda: random.choice(prefixes))),
    ("rep: search, broad prefix 'smi'", rep, search(lambda: "smi")),
    ("rep: search, 'llc'", rep, search(lambda: "llc")),
]

print("| request | p50 ms | p95 ms | p99 ms | max ms | items |")
print("|---|---|---|---|---|---|")
for name, token, path_of in cases:
    timings, items = [], []
    for i in range(requests + warmup):
        path = path_of()
        start = time.perf_counter()
        body = get(path, token)
        elapsed = (time.perf_counter() - start) * 1000
        if i >= warmup:
            timings.append(elapsed)
            items.append(len(body["items"]))
    timings.sort()
    pick = lambda q: timings[min(len(timings) - 1, int(q * len(timings)))]
    print(f"| {name} | {statistics.median(timings):.1f} | {pick(0.95):.1f} | {pick(0.99):.1f} | {timings[-1]:.1f} | {statistics.mean(items):.1f} |")
    sys.stdout.flush()
