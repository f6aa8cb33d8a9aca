"""Bench: matching one project idea against 1 000 000 granted projects answers in under 300 ms.

A fresh SQLite database in a temporary folder gets the demo and `samhandling generate --projects N` synthetic
projects; `samhandling matchindex` builds the inverted index. The figure is the median wall time of the
project-bank part of matching an idea (index lookup, live scoring of unindexed changes, fetching the best
50 projects and their reasons) over several ideas, in a warm process. The baseline, in the same run, is the same
matching with the index lookup replaced by a scan of every row of the same TF-IDF matrix.

BENCH_MATCHING_N scales N down (e.g. 100000) for a quick run.
"""
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

N = int(os.environ.get("BENCH_MATCHING_N", "1000000"))
GOAL_MS = 300
IDEAS = [
    "Testbädd för cybersäkerhet och robust kommunikation hos små och medelstora företag",
    "Kompetensutveckling inom digitalisering och AI för medarbetare i äldreomsorgen",
    "Industriell symbios och cirkulär upphandling med mätbara utsläppsminskningar",
    "Unga långtidsarbetslösa får praktik, validering och lärlingsplatser hos arbetsgivare",
    "Life science-testmiljö för innovation i vården tillsammans med akademi och företag",
]

tmp = Path(tempfile.mkdtemp(prefix="bench-matching-"))
os.environ["SAMHANDLING_VAR"] = str(tmp)
os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402

from samhandling.mobilisation import matching  # noqa: E402
from samhandling.projects.models import Project  # noqa: E402


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - started) * 1000, result


def main():
    if "generate" not in get_commands():
        print("# bench_matching: skipped, `samhandling generate` (synthetic projects, issue 5) is not installed")
        return
    with connection.cursor() as cursor:  # bulk loading speed only; the bench database is thrown away
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("demo", verbosity=0, stdout=quiet)
    ms, _ = timed(lambda: call_command("generate", "--projects", str(N), stdout=quiet))
    granted = Project.objects.filter(status__in=Project.GRANTED_STATES).count()
    print(f"# generated {N} projects ({granted} granted) in {ms / 1000:.1f} s")
    ms, index = timed(matching.rebuild_index)
    print(f"# index: {index.size} projects, {len(index.vocabulary)} stems, {index.matrix.nnz} postings, "
          f"built in {ms / 1000:.1f} s")
    matching.project_index()  # warm process: the index is loaded once per process

    runs = [timed(matching.match_projects, text, 50)[0] for text in IDEAS for _ in range(3)]
    value = statistics.median(runs)

    # Baseline: the same matching with the inverted-index lookup swapped for a scan of every row.
    rows = index.matrix.tocsr()

    def scan_search(text, limit=20):
        dense = np.zeros(rows.shape[1], dtype=np.float32)
        for term, weight in index.vector(text).items():
            if term in index.vocabulary:
                dense[index.vocabulary[term]] = weight
        return matching.idx.top(index.ids, (rows @ dense) * index.eligible, limit)

    indexed_search = matching.search_projects
    matching.search_projects = scan_search
    try:
        scan = [timed(matching.match_projects, text, 50)[0] for text in IDEAS for _ in range(3)]
    finally:
        matching.search_projects = indexed_search
    baseline = statistics.median(scan)
    lookup = statistics.median(timed(index.search, text, 50)[0] for text in IDEAS)
    print(f"# raw index lookup {lookup:.1f} ms; full match {value:.1f} ms; full match with row scan {baseline:.1f} ms")

    verdict = "PASS" if value < GOAL_MS and index.size >= N else "FAIL"
    print(f"BENCH matching_idea_vs_{N}_projects value={value:.1f} unit=ms baseline={baseline:.1f} "
          f"ratio={baseline / value:.2f} goal=<{GOAL_MS}ms {verdict}")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
