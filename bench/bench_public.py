"""Bench: every public page, as an anonymous visitor, on N projects (default 1 000 000); goal < 500 ms each.

The pages are every route the access matrix opens to the public for GET (samhandling/*/access.py), each
reached through the links on the public pages (as a visitor finds a meeting or a call) or with arguments
from the bench data; a new public page is measured without anyone remembering to add it, and a route no
public page links to in this data is named on a comment line. Each URL goes through Django's test
client (middleware, view, template), median of ROUNDS requests after one warm-up; a streamed download is
timed to its first bytes. The baseline, in the same run and on the same database, is the bare SQL count of
granted projects.

Heavy public pages are computed by background tasks per data version, never in a request: the network's
build is run here as the task worker would and reported on its own line (background work, no page waits for
it), and the network page is measured again right after a data change, while its new build is only queued.
Anonymous rate limits are lifted: the bench is one client asking quickly.

BENCH_PROJECTS=20000 for a quick run; BENCH_ENGINE=postgresql (or BENCH_DATABASE_URL) for PostgreSQL; the
database is shared with the other benches (see common.py).
"""

import os
import re
import statistics

os.environ.setdefault("SAMHANDLING_PUBLIC_PAGE_RATE_LIMIT", str(10**9))
os.environ.setdefault("SAMHANDLING_SEARCH_RATE_LIMIT", str(10**9))
os.environ.setdefault("SAMHANDLING_API_RATE_LIMIT", str(10**9))

import common  # noqa: E402  (sets DATABASE_URL before Django starts)

GOAL_MS = 500
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
N_PROJECTS = common.prepare()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, Resolver404, resolve, reverse  # noqa: E402

from samhandling.access.matrix import rules  # noqa: E402
from samhandling.access.roles import Role  # noqa: E402
from samhandling.projects.models import Project  # noqa: E402

TOKEN = ["MQ", "bench-token"]  # links from e-mails: an unknown token is answered with a message page
LINKS = re.compile(r'href="(/[^"#?]*)')


def _linked(client, urls) -> dict[str, str]:
    """Route name → the first link to it on the given pages, as a visitor finds objects (a published meeting,
    an open call, a public idea) without the bench knowing each app's rules of publicity."""
    found: dict[str, str] = {}
    for url in urls:
        for href in LINKS.findall(client.get(url).content.decode()):
            try:
                match = resolve(href)
            except Resolver404:
                continue
            if match.args or match.kwargs:
                found.setdefault(match.view_name, href)
    return found


def pages(client) -> list[tuple[str, str, tuple]]:
    """(name, url, accepted statuses) for every public GET route; fails on a route it cannot reach."""
    from samhandling.portfolio import selectors as portfolio

    public = [route for route, methods in sorted(rules().items()) if Role.PUBLIC in methods.get("GET", ())]
    plain, with_args = {}, []
    for route in public:
        try:
            plain[route] = reverse(route)
        except NoReverseMatch:
            with_args.append(route)
    linked = _linked(client, plain.values())
    linked |= _linked(client, [u for r, u in linked.items() if r in ("partnership:meeting", "calls:detail")])
    project = Project.objects.granted().order_by("id").first()
    given = {
        "projectbank:project": [[project.pk]],
        "projectbank:organisation": [[project.applicant_id]],
        "portfolio:network-organisation": [[project.applicant_id]],
        "portfolio:chart": [[portfolio.figures().tables[0].key]],
        "projectbank:open-data-file": [["csv"], ["json"], ["xlsx"], ["datapackage"]],
        "calls:public-plan-file": [["csv"], ["json"]],
        "mobilisation:registration-confirm": [["bench-token"]],
        "access:password-reset-confirm": [TOKEN],
        "access:set-password": [TOKEN],
        "access:verify": [TOKEN],
    }
    found = [(route.replace(":", "_").replace("-", "_"), url, (200,)) for route, url in plain.items()]
    missing = []
    for route in with_args:
        name = route.replace(":", "_").replace("-", "_")
        if route in given:
            for values in given[route]:
                token = "bench-token" in values
                label = name + ("" if token else "".join(f"_{v}" for v in values if isinstance(v, str)))
                found.append((label, reverse(route, args=values), (200, 400, 404) if token else (200,)))
        elif route in linked:
            found.append((name, linked[route], (200,)))
        else:
            missing.append(route)
    print(f"# not linked from any public page in this data, so not measured: {missing}", flush=True)
    found.append(("projectbank_search_query", reverse("projectbank:search") + "?q=innovation", (200,)))
    found.append(("portfolio_network_page_2", reverse("portfolio:network") + "?sida=2", (200,)))
    return found


def get(client, url, accepted=(200,)) -> float:
    def fetch():
        response = client.get(url)
        if response.streaming:
            next(iter(response.streaming_content), b"")  # a streamed download: its first bytes
        return response

    took, response = common.timed(fetch)
    assert response.status_code in accepted, (url, response.status_code)
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


def network(client, base) -> None:
    """The background builds as the task worker runs them (the network, the open-data files), then the
    network page right after a data change: it serves the previous build at once and only queues the next."""
    from samhandling.portfolio import network as net
    from samhandling.projectbank import tasks
    from samhandling.projectbank.services import bump_version

    took, _built = common.timed(net.build, net.data_version())
    common.report(f"public_network_build_task_{N_PROJECTS}", took, "ms", base, "background_task", True, digits=0)
    took, _built = common.timed(tasks.write_open_data.call, net.data_version())
    common.report(f"public_open_data_files_task_{N_PROJECTS}", took, "ms", base, "background_task", True, digits=0)
    get(client, "/portfoljen/natverk/")  # warm-up (templates), as for every page below
    bump_version()
    after = statistics.median(get(client, "/portfoljen/natverk/") for _ in range(ROUNDS))
    goal = f"<{GOAL_MS}ms_over_{N_PROJECTS}_projects"
    common.report(f"public_network_after_change_{N_PROJECTS}", after, "ms", base, goal, after < GOAL_MS)
    net.build(net.data_version())  # the worker catches up (the open-data files of the previous version serve)


def main():
    client = Client()
    base = baseline()
    print(f"# {N_PROJECTS} generated projects on {common.ENGINE_LABEL}, {ROUNDS} rounds per page", flush=True)
    network(client, base)
    goal = f"<{GOAL_MS}ms_over_{N_PROJECTS}_projects"
    for name, url, accepted in pages(client):
        get(client, url, accepted)  # warm-up
        took = statistics.median(get(client, url, accepted) for _ in range(ROUNDS))
        common.report(f"public_{name}_{N_PROJECTS}", took, "ms", base, goal, took < GOAL_MS)


if __name__ == "__main__":
    main()
