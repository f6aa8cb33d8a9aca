"""Portfolio benchmarks: classification throughput, and the dashboard over many projects.

BENCH_PORTFOLIO_TEXTS (default 10 000) texts are classified; the baseline is the plain TF-IDF model on the
same texts. The dashboard runs over the shared bench database of BENCH_PROJECTS (default 1 000 000)
projects (common.py); the dashboard view (public and secretariat version, whole
response rendered) is timed against the bare SQL aggregate (count and sum per objective) in the same run:
the first request after a project is changed (cold: nothing in any cache has seen the change), and later
requests. Both read the running sums of portfolio/summary.py; the change itself (a project saved through
the ORM, which refreshes its sums and its search index) is timed as well.
"""

import os
import statistics

import common

N_TEXTS = int(os.environ.get("BENCH_PORTFOLIO_TEXTS", 10_000))
N_PROJECTS = common.prepare()
GOAL_MS = 500

from django.contrib.auth.models import AnonymousUser, Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402

from samhandling.portfolio.views import dashboard as dashboard_view  # noqa: E402
from samhandling.projects.models import Project  # noqa: E402


def classification_bench():
    from samhandling.portfolio import classification

    _ids, texts, labels = classification.load_training_file()
    batch = [texts[i % len(texts)] for i in range(N_TEXTS)]
    model = classification.build_model().fit(texts, labels)
    baseline = classification.build_baseline().fit(texts, labels)
    base = common.timed(baseline.predict, batch)[0] / 1000
    took = common.timed(lambda: classification.predict(batch, model=model, with_terms=False))[0] / 1000
    common.report("portfolio_classify_10k", took, "s", base, f"<10s_for_{N_TEXTS}_texts", took < 10, digits=3)


def dashboard_bench():
    """Bare SQL aggregate (count and sum per objective), then the dashboard right after a change to a project
    (the median of four changes, each followed by one request) and in later requests."""
    from django.test import RequestFactory

    from samhandling.portfolio import selectors

    granted = selectors.granted_projects()
    print(f"# {N_PROJECTS} generated projects ({granted.count()} granted)", flush=True)

    states = tuple(str(s) for s in Project.GRANTED_STATES)
    sql = (
        f"SELECT objective_id, COUNT(*), SUM(amount_granted) FROM projects_project "
        f"WHERE status IN ({','.join(['%s'] * len(states))}) GROUP BY objective_id"
    )

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(sql, states)
            return cursor.fetchall()

    bare()  # the same warm page cache for both
    baseline = common.timed(bare)[0]
    factory = RequestFactory()
    project = granted.order_by("id").last()
    goal = f"<{GOAL_MS}ms_over_{N_PROJECTS}_projects"
    for name, user in (("public", AnonymousUser()), ("secretariat", secretariat_user())):
        request = factory.get(reverse("portfolio:dashboard"))
        request.user = user
        writes, colds = [], []
        for step in (1, -1, 1, -1):  # the amount changed and put back, so the database stays as generated
            project.amount_granted += step
            writes.append(common.timed(project.save)[0])
            colds.append(common.timed(lambda: dashboard_view(request))[0])
        print(
            f"# saving a project (its sums and search index refreshed) {statistics.median(writes):.0f} ms", flush=True
        )
        cold = statistics.median(colds)
        common.report(
            f"portfolio_dashboard_{name}_after_change_{N_PROJECTS}", cold, "ms", baseline, goal, cold < GOAL_MS
        )
        warm = statistics.median(common.timed(lambda: dashboard_view(request))[0] for _ in range(5))
        common.report(f"portfolio_dashboard_{name}_{N_PROJECTS}", warm, "ms", baseline, goal, warm < GOAL_MS)


def secretariat_user():
    from django.contrib.auth import get_user_model

    from samhandling.access.roles import Role

    user, _created = get_user_model().objects.get_or_create(username="bench-sekretariat")
    group, _created = Group.objects.get_or_create(name=Role.SECRETARIAT)
    user.groups.add(group)
    return user


if __name__ == "__main__":
    classification_bench()
    dashboard_bench()
