"""Portfolio benchmarks: classification throughput, and the dashboard's aggregates over many projects.

BENCH_PORTFOLIO_TEXTS (default 10 000) texts are classified; the baseline is the plain TF-IDF model on the
same texts. BENCH_PORTFOLIO_PROJECTS (default 1 000 000) projects are made by `samhandling generate
--projects N` (issue 5's synthetic generator) in a temporary SQLite file; the dashboard's aggregates are
timed against the bare SQL aggregate (count and sum per objective) in the same run.
"""
import os
import sys
import tempfile
import time
from pathlib import Path

N_TEXTS = int(os.environ.get("BENCH_PORTFOLIO_TEXTS", 10_000))
N_PROJECTS = int(os.environ.get("BENCH_PORTFOLIO_PROJECTS", 1_000_000))

db_file = Path(tempfile.mkdtemp()) / "bench-portfolio.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{db_file}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samhandling.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402


def bench(name, value, unit, baseline, goal, passed):
    ratio = value / baseline if baseline else 0
    print(f"BENCH {name} value={value:.3f} unit={unit} baseline={baseline:.3f} ratio={ratio:.3f} goal={goal} "
          f"{'PASS' if passed else 'FAIL'}", flush=True)


def classification_bench():
    from samhandling.portfolio import classification

    _ids, texts, labels = classification.load_training_file()
    batch = [texts[i % len(texts)] for i in range(N_TEXTS)]
    model = classification.build_model().fit(texts, labels)
    baseline = classification.build_baseline().fit(texts, labels)
    start = time.perf_counter()
    baseline.predict(batch)
    base = time.perf_counter() - start
    start = time.perf_counter()
    classification.predict(batch, model=model, with_terms=False)
    took = time.perf_counter() - start
    bench("portfolio_classify_10k", took, "s", base, f"<10s for {N_TEXTS} texts", took < 10)


def dashboard_bench():
    if "generate" not in get_commands():
        print("# portfolio dashboard bench skipped: `samhandling generate` (issue 5) is not merged on this branch")
        return
    call_command("migrate", verbosity=0)
    call_command("generate", projects=N_PROJECTS)
    from samhandling.portfolio import selectors
    from samhandling.projects.models import Project

    states = tuple(str(s) for s in Project.GRANTED_STATES)
    sql = (f"SELECT objective_id, COUNT(*), SUM(amount_granted) FROM projects_project "
           f"WHERE status IN ({','.join(['%s'] * len(states))}) GROUP BY objective_id")
    with connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(sql, states)
        cursor.fetchall()
        bare = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    selectors.tables(selectors.granted_projects())
    took = (time.perf_counter() - start) * 1000
    bench("portfolio_dashboard_aggregates", took, "ms", bare, f"<500ms over {N_PROJECTS} projects", took < 500)


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    classification_bench()
    dashboard_bench()
    sys.exit(0)
