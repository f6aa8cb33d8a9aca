"""Bench: matching one project idea against 1 000 000 granted projects answers in under 300 ms.

The shared bench database (common.py: the demo and BENCH_PROJECTS, default 1 000 000, generated projects)
and the public search's in-memory text index, which idea matching reads (`FacetIndex.most_like`). The figure
is the median wall time of the project-bank part of matching an idea (scoring every project that shares a
stem with it, fetching the best 50 and their reasons) over several ideas, in a warm process. The baseline, in
the same run, is the same matching with the scoring done by the database's own full-text index instead (FTS5
or PostgreSQL's GIN-indexed tsvector: any of the idea's stems, ranked by bm25 or ts_rank).

BENCH_PROJECTS scales N down (e.g. 100000) for a quick run.
"""

import statistics

import common

GOAL_MS = 300
IDEAS = [
    "Testbädd för cybersäkerhet och robust kommunikation hos små och medelstora företag",
    "Kompetensutveckling inom digitalisering och AI för medarbetare i äldreomsorgen",
    "Industriell symbios och cirkulär upphandling med mätbara utsläppsminskningar",
    "Unga långtidsarbetslösa får praktik, validering och lärlingsplatser hos arbetsgivare",
    "Life science-testmiljö för innovation i vården tillsammans med akademi och företag",
]
N = common.prepare()

from django.db import connection  # noqa: E402

from samhandling.mobilisation import matching  # noqa: E402
from samhandling.portfolio.textanalysis import tokens  # noqa: E402
from samhandling.projectbank import facetindex  # noqa: E402
from samhandling.projects.models import Project  # noqa: E402


def database_search(text: str, limit: int = 20) -> list[tuple[int, float]]:
    """The baseline: the idea's stems, any of them, matched and ranked by the database's full-text index."""
    stems = sorted(set(tokens(text)))
    if connection.vendor == "postgresql":
        sql = (
            "SELECT project_id, ts_rank(document, q) AS s FROM projectbank_search, to_tsquery('simple', %s) q"
            " WHERE document @@ q ORDER BY s DESC, project_id LIMIT %s"
        )
        params = [" | ".join(stems), limit]
    else:
        sql = (
            "SELECT rowid, -bm25(projectbank_fts, 10.0, 1.0) AS s FROM projectbank_fts"
            " WHERE projectbank_fts MATCH %s ORDER BY s DESC, rowid LIMIT %s"
        )
        params = [" OR ".join(f'"{stem}"' for stem in stems), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


def main():
    granted = Project.objects.filter(status__in=Project.GRANTED_STATES).count()
    print(f"# {N} generated projects ({granted} granted)")
    ms, index = common.timed(facetindex.current)
    index.text_ready.wait()
    print(f"# search index: {index.size} public projects, {len(index.text.term_list)} stems, loaded in {ms:.0f} ms")

    runs = [common.timed(matching.match_projects, text, 50)[0] for text in IDEAS for _ in range(3)]
    value = statistics.median(runs)
    indexed_search = matching.search_projects
    matching.search_projects = database_search
    try:
        scan = [common.timed(matching.match_projects, text, 50)[0] for text in IDEAS for _ in range(3)]
    finally:
        matching.search_projects = indexed_search
    baseline = statistics.median(scan)
    lookup = statistics.median(common.timed(index.most_like, text, 50)[0] for text in IDEAS)
    print(f"# scoring alone {lookup:.1f} ms; full match {value:.1f} ms; scored by the database {baseline:.1f} ms")

    common.report(
        f"matching_idea_vs_{N}_projects",
        value,
        "ms",
        baseline,
        f"<{GOAL_MS}ms",
        value < GOAL_MS and index.size >= granted,
    )


if __name__ == "__main__":
    main()
