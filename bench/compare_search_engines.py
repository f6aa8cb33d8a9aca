"""Bench: the project bank's numpy index against tantivy on the same N projects (docs/search.md has the figures).

Both get the same analysed texts (the FTS table: Swedish stems and their variants) and the same facet
columns, and answer the same 20 queries of bench_search.py: every match counted, the best 20 by BM25 and
the nine facets counted over all matches. Measured: build time, query p50/p95 (answer with facet counts),
one write made searchable (tantivy: add, commit, reload), a typo (tantivy's fuzzy term query) and the facet
counts of both for equality. tantivy is not a dependency of the project: install it (`pip install tantivy`)
to run this; without it the script says so and stops. BENCH_PROJECTS as for the other benches.
"""

import statistics
import tempfile
import time

import common
from bench_search import GOAL_MS, QUERIES, percentile

FACETS = ("fund", "period", "region", "year", "amount_bucket")


def main():
    try:
        import tantivy
    except ImportError:
        print("# tantivy is not installed: pip install tantivy to compare")
        return
    n = common.prepare()
    from samhandling.portfolio.textanalysis import query_terms
    from samhandling.projectbank import facetindex
    from django.db import connection

    started = time.perf_counter()
    index = facetindex.current()
    index.text_ready.wait()
    numpy_build = time.perf_counter() - started

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("text", stored=False, tokenizer_name="whitespace")
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in FACETS:
        builder.add_integer_field(name, fast=True, indexed=True)
    builder.add_integer_field("county", fast=True, indexed=True)  # one value per county (multi-valued)
    schema = builder.build()
    folder = tempfile.mkdtemp(prefix="tantivy-")
    engine = tantivy.Index(schema, path=folder)
    writer = engine.writer(heap_size=200_000_000, num_threads=1)
    started = time.perf_counter()
    position = {int(pk): p for p, pk in enumerate(index.ids.tolist())}
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, name, body FROM projectbank_fts ORDER BY rowid")
        while rows := cursor.fetchmany(20_000):
            for pk, name, body in rows:
                p = position.get(pk)
                if p is None:
                    continue
                doc = {"id": pk, "text": f"{name} {name} {body}"}
                doc.update({f: int(getattr(index, f)[p]) for f in FACETS})
                offsets = index.county_set_offsets
                counties = index.county_set_values[offsets[index.county[p]] : offsets[index.county[p] + 1]]
                writer.add_document(tantivy.Document(**doc, county=[int(c) for c in counties] or [0]))
    writer.commit()
    writer.wait_merging_threads()
    engine.reload()
    tantivy_build = time.perf_counter() - started
    print(f"# {n} projects: numpy index {numpy_build:.1f} s, tantivy index {tantivy_build:.1f} s")

    def tantivy_query(q):
        groups = query_terms(q)
        must = []
        for group in groups:
            alternatives = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "text", stem)) for stem in group]
            must.append((tantivy.Occur.Must, tantivy.Query.boolean_query(alternatives)))
        return tantivy.Query.boolean_query(must)

    aggregation = {f: {"terms": {"field": f, "size": 500}} for f in (*FACETS, "county")}

    def tantivy_answer(q):
        searcher = engine.searcher()
        query = tantivy_query(q)
        result = searcher.search(query, 20)
        counts = searcher.aggregate(query, aggregation)
        return result.count, counts

    def numpy_answer(q):
        match = index.match(q, {}, ranked=True)
        index.order(match, "relevance", 20)
        return len(match.selected), index.counts(match.selected)

    def timed(fn):
        values = []
        for _ in range(3):
            for q in QUERIES:
                started = time.perf_counter()
                fn(q)
                values.append((time.perf_counter() - started) * 1000)
        return values

    for q in QUERIES:
        tantivy_answer(q), numpy_answer(q)
    numpy_ms, tantivy_ms = timed(numpy_answer), timed(tantivy_answer)
    equal = all(tantivy_answer(q)[0] == numpy_answer(q)[0] for q in QUERIES)
    fund_equal = all(
        {int(b["key"]): b["doc_count"] for b in tantivy_answer(q)[1]["fund"]["buckets"]} == numpy_answer(q)[1]["fund"]
        for q in QUERIES
    )
    print(f"# equal match counts: {equal}; equal fund facet counts: {fund_equal}")
    for name, values, baseline in (("numpy", numpy_ms, tantivy_ms), ("tantivy", tantivy_ms, numpy_ms)):
        p95 = percentile(values, 95)
        common.report(f"engine_{name}_p50", percentile(values, 50), "ms", percentile(baseline, 50), "-", True)
        common.report(f"engine_{name}_p95", p95, "ms", percentile(baseline, 95), f"p95<{GOAL_MS}ms", p95 < GOAL_MS)

    writer = engine.writer(heap_size=50_000_000, num_threads=1)  # the first was consumed by its merge
    started = time.perf_counter()
    writer.add_document(tantivy.Document(id=0, text="skrivprovet", fund=0, county=[0]))
    writer.commit()
    engine.reload()
    found = engine.searcher().search(tantivy.Query.term_query(schema, "text", "skrivprovet"), 1).count
    visible = (time.perf_counter() - started) * 1000
    common.report("engine_tantivy_write_visible", visible, "ms", numpy_build * 1000, "<2000ms", found == 1, 0)

    fuzzy_ms = []
    for _ in range(3):
        started = time.perf_counter()
        fuzzy = tantivy.Query.fuzzy_term_query(schema, "text", "kompetn", distance=1)
        engine.searcher().search(fuzzy, 20)
        fuzzy_ms.append((time.perf_counter() - started) * 1000)
    print(f"# tantivy fuzzy 'kompetns' median {statistics.median(fuzzy_ms):.1f} ms")


if __name__ == "__main__":
    main()
