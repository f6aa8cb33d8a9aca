"""Bench: every public page, as an anonymous visitor, on N projects (default 1 000 000); goal < 500 ms each.

Each page goes through Django's test client (the whole request path: middleware, view, template), median of
ROUNDS requests after one warm-up. The baseline, in the same run and on the same database, is the bare SQL
count of granted projects. The collaboration network is computed once per data version (see
portfolio/network.py): its build after a change is reported on its own line, then the page as served; the
line after that measures a request arriving while another request is building the next version (it gets
the previous figures at once). Anonymous rate limits are lifted: the bench is one client asking quickly.

BENCH_PROJECTS=20000 for a quick run; the database is shared with the other benches (see common.py).
"""

import os
import statistics
import threading

os.environ.setdefault("SAMHANDLING_PUBLIC_PAGE_RATE_LIMIT", str(10**9))
os.environ.setdefault("SAMHANDLING_API_RATE_LIMIT", str(10**9))

import common  # noqa: E402  (sets DATABASE_URL before Django starts)

GOAL_MS = 500
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
N_PROJECTS = common.prepare()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from samhandling.portfolio import network  # noqa: E402
from samhandling.projects.models import Project  # noqa: E402


def pages() -> list[tuple[str, str]]:
    project = Project.objects.granted().order_by("id").first()
    organisation = project.applicant_id
    return [
        ("start", "/"),
        ("calls", "/utlysningar/"),
        ("meetings", "/sammantraden/"),
        ("projectbank_search", "/projekt/"),
        ("projectbank_query", "/projekt/?q=innovation"),
        ("projectbank_project", f"/projekt/{project.pk}/"),
        ("projectbank_organisation", f"/organisationer/{organisation}/"),
        ("open_data", "/oppna-data/"),
        ("portfolio_dashboard", "/portfoljen/"),
        ("portfolio_network", "/portfoljen/natverk/"),
        ("portfolio_network_page_2", "/portfoljen/natverk/?sida=2"),
        ("portfolio_network_organisation", f"/portfoljen/natverk/{organisation}/"),
        ("portfolio_network_csv", "/portfoljen/natverk.csv"),
    ]


def get(client, url) -> float:
    took, response = common.timed(client.get, url)
    assert response.status_code == 200, (url, response.status_code)
    return took


def baseline() -> float:
    states = tuple(str(s) for s in Project.GRANTED_STATES)
    sql = f"SELECT COUNT(*) FROM projects_project WHERE status IN ({','.join(['%s'] * len(states))})"

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(sql, states)
            return cursor.fetchone()

    bare()
    return common.timed(bare)[0]


def network_after_change(client, base):
    """The build right after a data change (one request pays it), then a request arriving during a build."""
    from samhandling.projectbank.services import bump_version

    bump_version()
    build = get(client, "/portfoljen/natverk/")
    common.report(
        f"public_network_build_after_change_{N_PROJECTS}", build, "ms", base, "once_per_data_version", True, digits=0
    )
    bump_version()
    started = threading.Event()
    original = network.project_members

    def signalled(projects):
        started.set()
        return original(projects)

    network.project_members = signalled
    builder = threading.Thread(target=lambda: Client().get("/portfoljen/natverk/"))
    builder.start()
    started.wait()
    during = get(client, "/portfoljen/natverk/")
    builder.join()
    network.project_members = original
    goal = f"<{GOAL_MS}ms_over_{N_PROJECTS}_projects"
    common.report(f"public_network_during_build_{N_PROJECTS}", during, "ms", base, goal, during < GOAL_MS)


def main():
    client = Client()
    base = baseline()
    print(f"# {N_PROJECTS} generated projects, {ROUNDS} rounds per page", flush=True)
    network_after_change(client, base)
    goal = f"<{GOAL_MS}ms_over_{N_PROJECTS}_projects"
    for name, url in pages():
        get(client, url)  # warm-up
        took = statistics.median(get(client, url) for _ in range(ROUNDS))
        common.report(f"public_{name}_{N_PROJECTS}", took, "ms", base, goal, took < GOAL_MS)


if __name__ == "__main__":
    main()
