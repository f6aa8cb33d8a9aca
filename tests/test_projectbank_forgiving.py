"""Search that forgives, as the public reaches it through the API: a typo, a place name, suggestions."""

import pytest
from test_projectbank_search import _project, all_ids, api, bank  # noqa: F401  (the fixture)

from samhandling.projects.models import Project


@pytest.fixture
def places(bank):  # noqa: F811  (the imported fixture)
    return {
        "botkyrka": _project("Verkstad för unga", "Ett projekt om kompetens.", county="01", municipalities=("0127",)),
        "says_it": _project("Lärande i Botkyrka", "Kompetensen stärks.", county="03", municipalities=("0380",)),
        "elsewhere": _project("Verkstad i Uppsala", "Kompetens i länet.", county="03", municipalities=("0380",)),
    }


def test_one_typo_finds_what_the_right_word_finds(places, client):
    right = set(all_ids(client, "q=kompetens"))
    assert {p.pk for p in places.values()} <= right
    assert set(all_ids(client, "q=kompetns")) == right
    assert set(all_ids(client, "q=kmpetens")) == right  # two typos in a long word
    assert set(all_ids(client, "q=gompetens")) == set()  # not in the first letter: too many stems would be near
    assert set(all_ids(client, "q=bredbnd")) == set(all_ids(client, "q=bredband"))


def test_a_place_name_finds_the_projects_in_that_place(places, client):
    found = all_ids(client, "q=Botkyrka")
    assert set(found) >= {places["botkyrka"].pk, places["says_it"].pk}
    assert places["elsewhere"].pk not in found
    assert found.index(places["says_it"].pk) < found.index(places["botkyrka"].pk)  # saying it ranks first
    in_botkyrka = Project.objects.filter(municipalities__code="0127", status__in=Project.GRANTED_STATES)
    assert set(found) == {p.pk for p in in_botkyrka} | {places["says_it"].pk}
    both = set(all_ids(client, "q=Botkyrkas kompetens"))
    assert {places["botkyrka"].pk, places["says_it"].pk} <= both <= set(found) & set(all_ids(client, "q=kompetens"))
    assert api(client, "q=Botkyrka&municipality=0127")["count"] == in_botkyrka.count()


def test_suggestions_as_you_type(places, client):
    suggestions = client.get("/api/v1/projects/suggest", {"q": "lärande i botk"}).json()
    assert suggestions[0] == {"kind": "place", "label": "Botkyrka", "url": "/projekt/?municipality=0127"}
    projects = [s for s in suggestions if s["kind"] == "project"]
    assert projects[0] == {"kind": "project", "label": "Lärande i Botkyrka", "url": f"/projekt/{places['says_it'].pk}/"}
    assert "Bredband i glesbygd" in [s["label"] for s in client.get("/api/v1/projects/suggest", {"q": "bredba"}).json()]
    assert client.get("/api/v1/projects/suggest", {"q": "   "}).json() == []
    draft = client.get("/api/v1/projects/suggest", {"q": "bredband hemligt ut"}).json()
    assert "Bredband hemligt utkast" not in [s["label"] for s in draft]  # only public projects


def test_the_search_box_offers_the_suggestions_while_typing(places, client):
    """The search page's box asks /projekt/forslag/ as one types and offers its answer as a datalist."""
    box = client.get("/projekt/").content.decode()
    assert 'list="q-suggestions"' in box and 'hx-get="/projekt/forslag/"' in box
    offered = client.get("/projekt/forslag/", {"q": "lärande i botk"}).content.decode()
    assert offered.startswith('<datalist id="q-suggestions">')
    assert '<option value="Botkyrka">' in offered and '<option value="Lärande i Botkyrka">' in offered
    assert "<option" not in client.get("/projekt/forslag/", {"q": "\x0b" * 600}).content.decode()
    assert "hemligt" not in client.get("/projekt/forslag/", {"q": "bredband hemligt ut"}).content.decode()


@pytest.mark.skipif("postgres" not in __import__("os").environ.get("DATABASE_URL", ""), reason="PostgreSQL's table")
def test_search_rows_written_before_the_analysed_text_was_kept_are_filled_after_migrate(places, client):
    """On PostgreSQL the rows of an installation upgraded to migration 0008 have no analysed text until the
    post_migrate hook fills them; then a typo finds what the right word finds, as on a fresh one."""
    from django.core.management import call_command
    from django.db import connection

    from samhandling.projectbank import services

    right = set(all_ids(client, "q=kompetens"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE projectbank_search SET name = NULL, body = NULL")
    call_command("migrate", verbosity=0)  # nothing to apply; the hook runs
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM projectbank_search WHERE name IS NULL")
        assert cursor.fetchone()[0] == 0
    services.bump_version()
    assert set(all_ids(client, "q=kompetns")) == right
