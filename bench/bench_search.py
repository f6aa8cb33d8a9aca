"""Bench: public search latency through the API on N projects (default 1 000 000) on SQLite, goal p95 < 50 ms.

20 typical Swedish queries go through GET /api/v1/projects?q=… (Django's test client: the whole request
path with facets, paging and the JSON answer), with the per-process result cache emptied before each
request so every answer is computed afresh (from the in-memory text index, built before timing starts).
The baseline, in the same run and on the same database, is the bare FTS5 query for the same words: the
20 best matches by bm25, nothing else. Each is run in rounds after one warm-up round; p50 and p95 are over
all timed requests. A further line shows the same queries answered from the result cache, as repeated (e.g.
shared) searches are. The last one is measured after a write (the data version bumped): the same queries,
again and again, while the previous index answers and a child process builds the next, until it is swapped
in; its baseline is the p95 before the write.

BENCH_PROJECTS=100000 for a quick run; the database is shared with bench_load.py (see common.py).
"""

import os
import statistics
import time

os.environ.setdefault("SAMHANDLING_API_RATE_LIMIT", str(10**9))  # the bench is one client asking quickly

import common  # noqa: E402  (sets DATABASE_URL before Django starts)

GOAL_MS = 50
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
QUERIES = [
    "bredband",
    "innovation",
    "kompetensutveckling",
    "digitalisering",
    "energieffektivisering",
    "hållbar turism",
    "cirkulär ekonomi",
    "landsbygd",
    "entreprenörskap",
    "forskning och utveckling",
    "klimat",
    "integration arbetsmarknad",
    "ungdomar",
    "vätgas",
    "testbädd",
    "export",
    "besöksnäringen",
    "kompetensförsörjning",
    "små och medelstora företag",
    "samverkan näringsliv",
]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    n = common.prepare()
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client

    from samhandling.projectbank import facetindex, services
    from samhandling.projectbank.search import NAME_WEIGHT, fts5_expression

    client = Client()
    bare = (
        f"SELECT rowid FROM projectbank_fts WHERE projectbank_fts MATCH %s"
        f" ORDER BY bm25(projectbank_fts, {NAME_WEIGHT}, 1.0) LIMIT 20"
    )

    def api(q, cached=False):
        if not cached:
            facetindex.current().cache.clear()
        started = time.perf_counter()
        response = client.get("/api/v1/projects?" + urlencode({"q": q}))
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.content[:300]
        return elapsed

    def fts(q):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(bare, [fts5_expression(q)])
            cursor.fetchall()
        return (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    index = facetindex.current()
    print(f"# {n} projects; facet index ready in {time.perf_counter() - started:.1f} s")
    index.text_ready.wait()
    print(f"# text index ready in {time.perf_counter() - started:.1f} s (built once per data version, then read)")
    for q in QUERIES:  # warm-up: the database's pages and the analyser
        fts(q), api(q)
    api_ms, fts_ms, cached_ms = [], [], []
    for _ in range(ROUNDS):
        for q in QUERIES:
            fts_ms.append(fts(q))
            api_ms.append(api(q))
            cached_ms.append(api(q, cached=True))
    matches = {q: client.get("/api/v1/projects?" + urlencode({"q": q})).json()["count"] for q in QUERIES}
    print(
        f"# matches per query: min {min(matches.values())}, median {statistics.median(matches.values()):.0f},"
        f" max {max(matches.values())}"
    )
    p50, p95 = percentile(api_ms, 50), percentile(api_ms, 95)
    common.report("search_api_p50", p50, "ms", percentile(fts_ms, 50), f"p95<{GOAL_MS}ms", p50 < GOAL_MS)
    common.report("search_api_p95", p95, "ms", percentile(fts_ms, 95), f"p95<{GOAL_MS}ms", p95 < GOAL_MS)
    cached = percentile(cached_ms, 95)
    common.report("search_api_cached_p95", cached, "ms", percentile(fts_ms, 95), f"p95<{GOAL_MS}ms", cached < GOAL_MS)

    services.bump_version()  # as every write does; the data stay as they are
    reload_ms, started = [], time.perf_counter()
    while facetindex.current() is index and time.perf_counter() - started < 900:
        reload_ms.append(api(QUERIES[len(reload_ms) % len(QUERIES)]))
        time.sleep(0.05)  # a visitor's pace, not a flood
    print(
        f"# after a write: the next index swapped in after {time.perf_counter() - started:.0f} s,"
        f" {len(reload_ms)} searches meanwhile, max {max(reload_ms):.0f} ms"
    )
    during = percentile(reload_ms, 95)
    common.report("search_api_p95_during_reload", during, "ms", p95, f"p95<{GOAL_MS}ms", during < GOAL_MS)


if __name__ == "__main__":
    main()
