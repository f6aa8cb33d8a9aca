"""The expensive public pages: the network is computed by a background task once per data version and never
in a request, and anonymous visitors are rate-limited on it, on the open-data downloads and on the search,
through django-ratelimit in the shared cache."""

from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from samhandling.access.roles import Role
from samhandling.portfolio import network
from samhandling.portfolio.models import NetworkBuild
from samhandling.projects.models import Project


def _builds_run() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="build_network").count()


def test_no_request_computes_the_network_and_the_page_says_so_until_it_is_ready(client, demo, monkeypatch, run_tasks):
    calls = []
    original = network.project_members
    monkeypatch.setattr(network, "project_members", lambda projects: calls.append(1) or original(projects))
    for _ in range(3):
        page = client.get("/portfoljen/natverk/")
        assert page.status_code == 200 and "beräknas just nu" in page.content.decode()
    waiting = client.get("/portfoljen/natverk.csv")
    assert waiting.status_code == 503 and "beräknas just nu" in waiting.content.decode()
    assert calls == [] and NetworkBuild.objects.get().state == NetworkBuild.State.QUEUED

    run_tasks()
    assert calls == [1] and _builds_run() == 1  # three visitors, one build, none of it in a request
    page = client.get("/portfoljen/natverk/").content.decode()
    assert "beräknas" not in page and "Organisationer efter centralitet" in page
    assert client.get("/portfoljen/natverk.csv").status_code == 200

    project = Project.objects.granted().first()
    project.name += " (ändrad)"
    project.save()  # a new data version: the old figures are shown, labelled, while the new ones are computed
    page = client.get("/portfoljen/natverk/").content.decode()
    client.get("/portfoljen/natverk/")
    assert "har ändrats sedan dess" in page and "Organisationer efter centralitet" in page
    assert calls == [1]
    run_tasks()
    assert (
        calls == [1, 1]
        and _builds_run() == 2
        and NetworkBuild.objects.filter(state=NetworkBuild.State.READY).count() == 1
    )
    assert "har ändrats sedan dess" not in client.get("/portfoljen/natverk/").content.decode()


def test_a_build_for_data_that_moved_on_stores_nothing(demo):
    assert network.build(network.data_version() + 1) is None
    assert not NetworkBuild.objects.exists()


@override_settings(PUBLIC_PAGE_RATE_LIMIT=3, SEARCH_RATE_LIMIT=3)
def test_anonymous_visitors_are_rate_limited_on_expensive_pages(client, demo, make_user):
    for url in ("/portfoljen/natverk/", "/oppna-data/datapackage/", "/projekt/?q=innovation"):
        for _ in range(3):
            assert client.get(url).status_code == 200
        refused = client.get(url)
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert "För många anrop: högst 3 per minut" in refused.content.decode()
        assert "<html" in refused.content.decode()  # the site's page, not a bare text
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    assert client.get("/portfoljen/natverk/").status_code == 200


@override_settings(PUBLIC_PAGE_RATE_LIMIT=1)
def test_the_refusal_is_in_english_for_english_visitors(client, demo):
    client.cookies["django_language"] = "en"
    client.get("/portfoljen/natverk/")
    refused = client.get("/portfoljen/natverk/")
    assert refused.status_code == 429 and "Too many requests: at most 1 per minute" in refused.content.decode()


@override_settings(API_RATE_LIMIT=2, API_RATE_LIMIT_AUTHENTICATED=4)
def test_the_api_counts_per_address_and_per_account(client, db, make_user):
    assert [client.get("/api/v1/objectives").status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get("/api/v1/objectives")
    assert refused["Content-Type"] == "application/json" and "För många anrop" in refused.json()["detail"]
    client.force_login(make_user("sara"))  # the account has its own, higher count
    assert [client.get("/api/v1/objectives").status_code for _ in range(5)] == [200, 200, 200, 200, 429]


def test_the_public_minutes_check_is_rate_limited_per_address(client, db, monkeypatch):
    from samhandling.partnership import views

    monkeypatch.setattr(views, "CHECKS_PER_HOUR", 2)
    for _ in range(2):
        assert client.post("/protokoll/kontrollera/", {}).status_code == 200  # counted (nothing to check)
    refused = client.post("/protokoll/kontrollera/", {})
    assert refused.status_code == 429 and "För många kontroller från din adress" in refused.content.decode()
    assert client.get("/protokoll/kontrollera/").status_code == 200  # reading the page is not counted


def test_a_chart_is_drawn_once_per_table_of_figures(client, demo, monkeypatch):
    from samhandling.portfolio import charts

    drawn = []
    original = charts.table_chart
    monkeypatch.setattr(charts, "table_chart", lambda table: drawn.append(table.key) or original(table))
    for _ in range(2):
        response = client.get("/portfoljen/diagram/size.svg")
        assert response.status_code == 200
    assert drawn == ["size"]
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    from samhandling.portfolio.selectors import granted_projects

    project = granted_projects().first()  # one the default partnership's dashboard counts
    project.amount_granted = (project.amount_granted or 0) + 1_000_000
    project.save()  # the figures change, and with them the chart
    assert client.get("/portfoljen/diagram/size.svg").content.lstrip().startswith(b"<?xml")
    assert drawn == ["size", "size"]


def test_open_data_files_are_written_once_per_data_version_and_replaced(client, demo, run_tasks):
    from django.core.files.storage import default_storage

    from samhandling.projectbank.models import OpenDataBuild
    from samhandling.projectbank.services import bump_version

    assert client.get("/oppna-data/csv/").status_code == 503  # asked for; the worker writes them
    run_tasks()
    first = OpenDataBuild.newest_ready()
    assert client.get("/oppna-data/csv/").status_code == 200
    bump_version()
    assert client.get("/oppna-data/csv/").status_code == 200  # the previous files while the next are written
    run_tasks()
    second = OpenDataBuild.newest_ready()
    assert second.version != first.version and default_storage.exists(second.name("csv"))
    assert not default_storage.exists(first.name("csv"))


def test_each_partnership_has_the_network_of_its_own_portfolio(client, demo, run_tasks):
    """Stockholm's network counts no ÖMS flagship's organisations, and ÖMS's counts only its own."""
    for url in ("/portfoljen/natverk/", "/oms/portfoljen/natverk/"):
        assert "beräknas just nu" in client.get(url).content.decode()
    run_tasks()
    assert NetworkBuild.objects.filter(state=NetworkBuild.State.READY).count() == 2
    oms, stockholm = (client.get(f"{prefix}/portfoljen/natverk/").context["build"] for prefix in ("/oms", ""))
    assert (oms.partnership.slug, stockholm.partnership.slug) == ("oms", "stockholm")
    names = {build.pk: set(build.organisations.values_list("name", flat=True)) for build in (oms, stockholm)}
    assert "Almi Invest Östra Mellansverige" in names[oms.pk] - names[stockholm.pk]
    assert 0 < oms.nodes < stockholm.nodes
    assert client.get("/oms/portfoljen/natverk.csv").status_code == 200
