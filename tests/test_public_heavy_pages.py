"""The expensive public pages: the network is computed once per data version, not per request, and anonymous
visitors are rate-limited on it (and on the open-data downloads) the way the API limits its clients."""

from django.test import override_settings

from samhandling.access.roles import Role
from samhandling.portfolio import network
from samhandling.projects.models import Project


def test_the_network_is_computed_once_per_data_version(client, demo, monkeypatch):
    calls = []
    original = network.project_members
    monkeypatch.setattr(network, "project_members", lambda projects: calls.append(1) or original(projects))
    monkeypatch.setattr(network, "_latest", None)
    for _ in range(3):
        assert client.get("/portfoljen/natverk/").status_code == 200
    assert client.get("/portfoljen/natverk.csv").status_code == 200
    assert len(calls) == 1
    project = Project.objects.granted().first()
    project.name += " (ändrad)"
    project.save()  # a new data version
    assert client.get("/portfoljen/natverk/").status_code == 200
    assert len(calls) == 2


@override_settings(PUBLIC_PAGE_RATE_LIMIT=3)
def test_anonymous_visitors_are_rate_limited_on_expensive_pages(client, demo, make_user):
    for url in ("/portfoljen/natverk/", "/oppna-data/json/"):
        for _ in range(3):
            assert client.get(url).status_code == 200
        refused = client.get(url)
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert "För många anrop: högst 3 per minut" in refused.content.decode()
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    assert client.get("/portfoljen/natverk/").status_code == 200
