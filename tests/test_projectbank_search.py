"""The public project bank as the public reaches it: /projekt/ (HTML and HTMX) and /api/v1/projects.

Runs on SQLite (FTS5) and, with DATABASE_URL pointing at PostgreSQL, on tsvector: the same assertions.
"""

import re
import threading
import time
from datetime import date
from decimal import Decimal
from html import escape, unescape
from urllib.parse import quote

import pytest
from django.test import Client
from django.db import connection
from demo_snapshot import loaded

from samhandling.access.roles import Role
from samhandling.core.text import CONTROL
from samhandling.programmes.models import Fund, SpecificObjective
from samhandling.projectbank import search
from samhandling.projectbank.services import objective_key
from samhandling.projectbank.synthetic import Generator
from samhandling.projects.models import ContactPerson, County, Municipality, Organisation, Project

GRANTED = Project.GRANTED_STATES
STEMS = ("bredband", "bredbandet", "bredbands")
CONTACT = {"name": "Kontakta Hemligsson", "email": "kontakt.hemlig@example.invalid", "phone": "070-999 88 77"}
SECRET_CRITERION = "Hemlig kriterietext som bara bedömarna får läsa"


def _project(
    name,
    summary,
    *,
    status=Project.Status.GRANTED,
    county="01",
    municipalities=("0180",),
    amount=1_000_000,
    start=date(2022, 3, 1),
    applicant=None,
    partners=(),
    fund="ERUF",
    **extra,
):
    project = Project.objects.create(
        name=name,
        summary=summary,
        status=status,
        fund=Fund.objects.get(code=fund),
        applicant=applicant,
        amount_granted=Decimal(amount),
        start_date=start,
        end_date=date(start.year + 2, 12, 31),
        **extra,
    )
    project.counties.set(County.objects.filter(code=county))
    project.municipalities.set(Municipality.objects.filter(code__in=municipalities))
    project.partners.set(partners)
    return project


@pytest.fixture
def bank(db, make_user):
    """The demo funds and programmes, a few hand-written broadband projects and 300 generated ones (loaded once
    per test process, then copied: tests/demo_snapshot.py)."""
    return loaded("bank", lambda: _bank(make_user))


def _bank(make_user):
    from samhandling.programmes import demo

    demo.load()
    applicant = Organisation.objects.create(name="Fiberföreningen Norrort", sector=Organisation.Sector.CIVIL_SOCIETY)
    partner = Organisation.objects.create(name="Stadsnät i Solna AB", sector=Organisation.Sector.COMPANY)
    other = Organisation.objects.create(name="Region Glesbygd", sector=Organisation.Sector.REGION)
    draft_only = Organisation.objects.create(name="Utkastbolaget AB", sector=Organisation.Sector.COMPANY)
    owner = make_user("sokande-anna")
    projects = {
        "name": _project(
            "Bredband i glesbygd",
            "Snabbare uppkoppling för byarna.",
            applicant=applicant,
            partners=[partner],
            amount=3_000_000,
            start=date(2021, 5, 1),
        ),
        "definite": _project(
            "Uppkoppling för alla",
            "Bredbandet når de sista hushållen i skärgården.",
            status=Project.Status.ONGOING,
            applicant=applicant,
            partners=[partner, other],
            county="03",
            municipalities=("0380",),
            amount=12_000_000,
            start=date(2023, 1, 1),
        ),
        "genitive": _project(
            "Digital infrastruktur",
            "En bredbands­strategi och bredbands utbyggnad i länet.",
            status=Project.Status.COMPLETED,
            applicant=other,
            amount=600_000,
            start=date(2016, 9, 1),
            fund="ESF+",
        ),
        "draft": _project(
            "Bredband hemligt utkast",
            "Bredbandet i ett utkast.",
            status=Project.Status.DRAFT,
            applicant=draft_only,
            owner=owner,
            criterion_texts={"1": SECRET_CRITERION},
        ),
        "submitted": _project(
            "Bredbandsansökan", "Bredband i en inlämnad ansökan.", status=Project.Status.SUBMITTED, applicant=applicant
        ),
    }
    for p in projects.values():
        ContactPerson.objects.create(project=p, **CONTACT)
    Project.objects.filter(pk=projects["name"].pk).update(criterion_texts={"1": SECRET_CRITERION})
    Generator(seed=7).generate(300)
    return projects


def api(client, query="", status=200):
    response = client.get(f"/api/v1/projects?{query}")
    assert response.status_code == status, response.content[:500]
    return response.json()


def all_ids(client, query=""):
    """Every id a search returns, across its pages."""
    first = api(client, query)
    ids = [r["id"] for r in first["results"]]
    for page in range(2, first["pages"] + 1):
        ids += [r["id"] for r in api(client, f"{query}&page={page}")["results"]]
    assert len(ids) == first["count"]
    return ids


# Swedish full text ------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", STEMS)
def test_inflections_find_each_other_through_the_api(bank, client, word):
    ids = set(all_ids(client, f"q={word}"))
    assert {bank["name"].pk, bank["definite"].pk, bank["genitive"].pk} <= ids
    assert not {bank["draft"].pk, bank["submitted"].pk} & ids  # applications are never public


@pytest.mark.parametrize("word", STEMS)
def test_inflections_find_each_other_on_the_page_with_highlights(bank, client, word):
    response = client.get("/projekt/", {"q": word})
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("name", "definite", "genitive"):
        assert f'href="/projekt/{bank[key].pk}/"' in html
    assert "/projekt/%d/" % bank["draft"].pk not in html
    assert "<mark>Bredband</mark> i glesbygd" in html  # the name, highlighted
    assert "<mark>Bredbandet</mark> når" in html  # the snippet, highlighted in its own inflection
    assert "<mark>bredbands</mark> utbyggnad" in html


def test_relevance_puts_the_name_match_first(bank, client):
    results = api(client, "q=bredband")["results"]
    assert results[0]["id"] == bank["name"].pk


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the in-memory text index serves SQLite")
@pytest.mark.parametrize("q", ["bredband", "innovation företag", "kompetensutveckling", "hållbar turism", "bredbandet"])
def test_in_memory_text_index_answers_like_fts5(bank, client, q, monkeypatch):
    """The search is answered from the in-memory text index; FTS5 (used while a large one is being built)
    finds the same projects in the same order, page after page."""
    from samhandling.projectbank import facetindex

    index = facetindex.current()
    assert index.text is not None
    from_memory = all_ids(client, "q=" + q)
    monkeypatch.setattr(index, "text", None)  # as while the text index is being built (put back after the test:
    monkeypatch.setattr(index, "cache", type(index.cache)())  # the next test's same rows find the same index)
    from_database = all_ids(client, "q=" + q)
    assert from_memory == from_database
    assert len(from_memory) == orm_count({"q": q}) > 0


def test_shared_search_page_carries_each_visitors_own_csrf_token(bank, make_user):
    """The page served to anonymous visitors from memory still has each visitor's token, which the language
    switch accepts; a signed-in user gets a page of their own."""
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get("/projekt/?q=bredband").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert f'"X-CSRFToken": "{token}"' in html and "csrf-" not in html
        switched = visitor.post(
            "/i18n/setlang/", {"language": "en", "next": "/projekt/?q=bredband", "csrfmiddlewaretoken": token}
        )
        assert switched.status_code == 302
        assert '<html lang="en">' in visitor.get("/projekt/?q=bredband").content.decode()
        tokens.append(token)
    assert tokens[0] != tokens[1]
    member = Client()
    member.force_login(make_user("medlem-mia", Role.MEMBER))
    html = member.get("/projekt/?q=bredband").content.decode()
    assert "medlem-mia" in html and "Logga ut" in html


def test_a_shared_search_page_is_served_with_one_read_of_the_cache(bank, monkeypatch):
    """The second anonymous visitor of a search gets the first one's page from the shared cache: nothing is
    rendered, and the results inside the page are neither kept nor read from the cache on their own; an HTMX
    request gets the results the page holds, and keeps them for the next."""
    from samhandling.projectbank import selectors

    asked = []
    remembered = selectors.remembered

    def counted(result, name, compute):
        asked.append(name[0] if isinstance(name, tuple) else name)
        return remembered(result, name, compute)

    monkeypatch.setattr(selectors, "remembered", counted)
    first = Client().get("/projekt/?q=bredband&sort=amount")
    assert "projectbank/search.html" in {t.name for t in first.templates}
    assert 'class="pb-list"' in first.content.decode()  # the results fragment (Jinja2, which the client does not list)
    assert asked == ["page"]
    again = Client().get("/projekt/?q=bredband&sort=amount")
    assert again.templates == [] and again.status_code == 200
    assert asked == ["page", "page"]
    partial = Client().get("/projekt/?q=bredband&sort=amount", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and partial.content.decode().strip() in first.content.decode()
    assert asked == ["page", "page", "html"]


def test_a_popular_search_page_is_read_from_the_shared_cache_once_per_process_and_window(bank, monkeypatch):
    """A page another visitor asked for is kept in the process too (selectors.remembered): the next visitors'
    requests read nothing from the shared cache, until the shared cache's own time runs out; a write makes a
    new page at once, since the data version is part of its key."""
    from samhandling.projectbank import selectors

    reads = []
    shared_get = selectors.cache.get
    monkeypatch.setattr(selectors.cache, "get", lambda key, *args, **kwargs: reads.append(key) or shared_get(key))
    address = "/projekt/?q=bredband&sort=date"
    first = Client().get(address).content.decode()
    assert len(reads) == 1  # not there yet: rendered, then stored
    assert [Client().get(address).status_code for _ in range(3)] == [200] * 3 and len(reads) == 1
    later = time.time() + selectors.REMEMBER_SECONDS
    monkeypatch.setattr(selectors.time, "time", lambda: later)
    assert Client().get(address).status_code == 200 and len(reads) == 2  # the next window asks the shared cache
    project = bank["name"]
    project.name = "Bredband i glesbygden, nytt namn"
    project.save()  # the change hook, as every write
    page = Client().get(address).content.decode()
    assert "nytt namn" in page and "nytt namn" not in first and len(reads) == 3


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_new_search_page_filled_into_the_kept_rendering_is_the_page_the_template_renders(bank, monkeypatch, language):
    """A new search's page is the rest of the page rendered once with markers, its words, address and results
    filled in (core.pages): the same page the template renders for those values, whatever the words hold."""
    import re

    from django.core.cache import cache
    from django.template.loader import render_to_string

    from samhandling.core import pages

    def rendered_whole(request, template_name, context, holes, varies):
        values = {name: value() if callable(value) else value for name, value in holes.items() if name != pages.NEXT}
        return render_to_string(template_name, {**context, **values, "csrf_token": pages.PLACEHOLDER}, request)

    def token_free(response):
        assert response.status_code == 200
        return re.sub(r'(X-CSRFToken": "|csrfmiddlewaretoken" value=")[^"]+', r"\1", response.content.decode())

    marker_like = "hole" + "0" * 32
    searches = [
        "/projekt/?q=bredband",
        "/projekt/?q=bredband&sort=amount",
        "/projekt/?sort=amount&page=2",
        "/projekt/?q=%3Cscript%3Ealert(%22x%22)%3C%2Fscript%3E",
        "/projekt/?q=%22citat%22+%26+%27enkla%27+%25(q)s+%7B%7B+q+%7D%7D",
        f"/projekt/?q=fiber+{marker_like}",
        "/projekt/?q=&fund=ERUF",
        "/projekt/?sort=date",
    ]
    client = Client()
    client.cookies["django_language"] = language
    for path in searches * 2:  # the second round from renderings kept in the first
        cache.clear()
        filled = token_free(client.get(path))
        with monkeypatch.context() as patched:
            patched.setattr(pages, "_filled", rendered_whole)
            cache.clear()
            whole = token_free(client.get(path))
        assert filled == whole, path
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in token_free(client.get(searches[3]))


# Facets -----------------------------------------------------------------------------------------------


def orm_filter(qs, name, value):
    """The plain ORM meaning of one facet value, written independently of the facet index."""
    if name == "fund":
        return qs.filter(fund__code=value)
    if name == "period":
        return qs.filter(period__start_year=int(value))
    if name == "region":
        return qs.filter(programme_region__code=value)
    if name == "county":
        return qs.filter(counties__code=value)
    if name == "municipality":
        return qs.filter(municipalities__code=value)
    if name == "sector":
        return qs.filter(applicant__sector=value)
    if name == "start_year":
        return qs.filter(start_date__year=int(value))
    if name == "objective":
        if value.startswith("so"):
            return qs.filter(objective_id=int(value[2:]))
        texts = [
            t for t in qs.values_list("thematic_objective", flat=True).distinct() if objective_key(None, t) == value
        ]
        return qs.filter(objective__isnull=True, thematic_objective__in=texts)
    if name == "specific_objective":
        return qs.filter(objective__regulation_objective__code=value)
    if name == "intervention":
        return qs.filter(intervention_field__code=value)
    raise AssertionError(name)


def orm_queryset(query: dict):
    qs = Project.objects.filter(status__in=GRANTED)
    if query.get("q"):
        sql, params = search.matching_sql(query["q"])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            qs = qs.filter(pk__in=[row[0] for row in cursor.fetchall()])
    for name, value in query.items():
        if name in ("q", "sort", "page"):
            continue
        if name == "amount_min":
            qs = qs.filter(amount_granted__gte=Decimal(value))
        elif name == "amount_max":
            qs = qs.filter(amount_granted__lt=Decimal(value))
        else:
            qs = orm_filter(qs, name, value)
    return qs


def orm_count(query: dict) -> int:
    return orm_queryset(query).distinct().count()


STATES = [
    {},
    {"q": "bredband"},
    {"county": "01"},
    {"fund": "ERUF", "start_year": "2022"},
    {"q": "utveckling", "sector": "company"},
    {"amount_min": "1000000", "amount_max": "5000000"},
    {"period": "2021", "county": "01", "municipality": "0180"},
]


@pytest.mark.parametrize("state", STATES, ids=lambda s: "&".join(f"{k}={v}" for k, v in s.items()) or "all")
def test_facet_counts_equal_plain_orm_counts(bank, client, state):
    from urllib.parse import urlencode

    body = api(client, urlencode(state))
    assert body["count"] == orm_count(state)
    checked = 0
    for name, options in body["facets"].items():
        if state.get(name) is not None:
            assert [o["count"] for o in options if o["params"] == {name: state[name]}] == [body["count"]]
        for option in options:
            assert option["count"] == orm_count({**state, **option["params"]}), (name, option)
            checked += 1
    assert checked
    # Values missing from the facets have no projects (zero counts are left out).
    if "county" not in state:
        counties = {o["value"] for o in body["facets"]["county"]}
        for county in County.objects.exclude(code__in=counties)[:5]:
            assert orm_count({**state, "county": county.code}) == 0


def test_amount_facet_buckets_add_up(bank, client):
    body = api(client)
    with_amount = Project.objects.filter(status__in=GRANTED, amount_granted__isnull=False).count()
    assert sum(o["count"] for o in body["facets"]["amount"]) == with_amount


def test_filters_narrow_the_results(bank, client):
    for query, state, expected, excluded in [
        ("q=bredband&county=03", {"q": "bredband", "county": "03"}, "definite", "name"),
        ("q=bredband&fund=ESF%2B", {"q": "bredband", "fund": "ESF+"}, "genitive", "definite"),
    ]:
        ids = set(all_ids(client, query))
        assert bank[expected].pk in ids and bank[excluded].pk not in ids
        assert ids == set(orm_queryset(state).values_list("pk", flat=True))


# Sorting, paging and the address ----------------------------------------------------------------------


def test_sorting_by_amount_and_date(bank, client):
    amounts = [r["amount_granted"] for r in api(client, "sort=amount")["results"]]
    assert amounts == sorted(amounts, reverse=True)
    assert amounts[0] == Project.objects.filter(status__in=GRANTED).order_by("-amount_granted").first().amount_granted
    dates = [r["start_date"] for r in api(client, "sort=date&q=bredband")["results"]]
    assert dates == sorted(dates, reverse=True)
    assert api(client)["sort"] == "date" and api(client, "q=bredband")["sort"] == "relevance"


def test_pagination_covers_every_result_once(bank, client):
    ids = all_ids(client, "sort=amount")
    assert len(ids) == len(set(ids)) == orm_count({})
    body = api(client, "page=2")
    assert body["page"] == 2 and len(body["results"]) == 20


@pytest.mark.parametrize("size", [0, 1, 19, 20])
def test_a_page_of_hits_is_read_as_the_orm_reads_it_and_only_public(bank, size):
    """The page's query is compiled once and run with each page's ids (selectors._hit_rows): every size of page
    up to a full one, its values converted as the ORM converts them, a project no longer public left out."""
    from samhandling.projectbank.selectors import HIT_FIELDS, PAGE_SIZE, _hit_rows

    public = list(Project.objects.filter(status__in=GRANTED).order_by("pk").values_list("pk", flat=True)[:size])
    ids = [*public[: max(size - 1, 0)], bank["draft"].pk][:size]
    expected = Project.objects.filter(pk__in=ids, status__in=GRANTED).order_by().values_list(*HIT_FIELDS)
    found = _hit_rows(ids)
    assert sorted(found) == sorted(expected) and bank["draft"].pk not in {row[0] for row in found}
    assert _hit_rows(ids) == found  # the compiled query again, with the same ids
    assert all(isinstance(row[3], Decimal) and isinstance(row[4], date) for row in found)
    with pytest.raises(ValueError):
        _hit_rows(list(range(1, PAGE_SIZE + 2)))


@pytest.mark.parametrize(
    "query, param, status",
    [
        ("page=0", "page", 400),
        ("page=-1", "page", 400),
        ("page=abc", "page", 400),
        ("page=1.5", "page", 400),
        ("page=999", "page", 404),
        ("page=" + "9" * 60, "page", 404),
        ("amount_min=abc", "amount_min", 400),
        ("amount_max=1e999", "amount_max", 400),
        ("amount_min=-5", "amount_min", 400),
        ("fund=NOPE", "fund", 404),
        ("county=99", "county", 404),
        ("municipality=0000", "municipality", 404),
        ("region=XX", "region", 404),
        ("objective=so999999", "objective", 404),
        ("sector=pirate", "sector", 404),
        ("period=1999", "period", 404),
        ("start_year=next", "start_year", 400),
        ("start_year=3000", "start_year", 400),
        ("sort=random", "sort", 400),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(bank, client, query, param, status):
    body = api(client, query, status=status)
    assert param in body["detail"]
    page = client.get(f"/projekt/?{query}")
    assert page.status_code == status
    assert param in unescape(page.content.decode())


def test_a_whole_number_out_of_range_is_told_its_range_not_that_it_is_no_number(bank, client):
    assert api(client, "page=-1", status=400)["detail"] == "Ogiltig parameter page: måste vara minst 1."
    assert "måste vara ett heltal" in api(client, "page=1.5", status=400)["detail"]
    assert "måste vara mellan" in api(client, "start_year=-2020", status=400)["detail"]


def test_an_empty_amount_range_finds_nothing(bank, client):
    body = api(client, "amount_min=5000&amount_max=100")
    assert body["count"] == 0 and body["results"] == []


def test_every_state_is_in_the_address(bank, client):
    query = "q=bredband&fund=ERUF&county=01&sort=amount&amount_min=1000000"
    html = client.get(f"/projekt/?{query}").content.decode()
    assert 'value="bredband"' in html
    assert re.search(r'<option value="ERUF" selected>', html)
    assert re.search(r'<option value="01" selected>', html)
    assert re.search(r'<option value="amount" selected>', html)
    assert re.search(r'<option value="" selected>Relevans', client.get("/projekt/?q=bredband").content.decode())
    assert 'id="amount_min" name="amount_min" inputmode="numeric" size="12" value="1000000"' in html
    # The facet links keep the rest of the state (and start again from page 1).
    assert (
        "?q=bredband&amp;fund=ERUF&amp;county=01&amp;amount_min=1000000&amp;amount_max=5000000&amp;sort=amount" in html
    )


def test_a_chosen_value_no_public_project_has_stays_listed_chosen_in_its_place(bank, client):
    """A known sector that no public project's beneficiary has (FacetIndex.by_param: -1) finds nothing, and its
    <select> still lists it, chosen, with no projects."""
    from samhandling.projectbank import facetindex

    unused = [key for key, v in facetindex.current().by_param["sector"].items() if v == -1]
    assert unused, "the bank has a sector no beneficiary has"
    html = client.get("/projekt/", {"sector": unused[0]}).content.decode()
    options = re.search(r'<select id="facet-sector" name="sector">(.*?)</select>', html, re.S).group(1)
    chosen = re.findall(r'<option value="([^"]*)" selected>([^<]*)</option>', options)
    assert [value for value, _label in chosen] == [unused[0]] and chosen[0][1].endswith("(0)")
    assert api(client, f"sector={unused[0]}")["count"] == 0


def test_page_links_keep_the_state(bank, client):
    assert api(client, "fund=ERUF")["pages"] > 3
    html = client.get("/projekt/?fund=ERUF&sort=amount&page=2").content.decode()
    assert 'href="?fund=ERUF&amp;sort=amount" rel="prev"' in html
    assert 'href="?fund=ERUF&amp;sort=amount&amp;page=3" rel="next"' in html


def test_htmx_gets_the_results_only(bank, client):
    response = client.get("/projekt/", {"q": "bredband", "county": "03"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="result-count"' in html and f"/projekt/{bank['definite'].pk}/" in html
    assert '<option value="03" selected>' in html
    assert response["HX-Push-Url"] == "/projekt/?q=bredband&county=03"


def test_empty_state(bank, client):
    html = client.get("/projekt/", {"q": "zyxwvuqa"}).content.decode()
    assert "Inga projekt matchar sökningen." in html and "0 projekt" in html
    assert api(client, "q=zyxwvuqa")["count"] == 0


def test_search_page_links_to_open_data(bank, client):
    assert 'href="/oppna-data/"' in client.get("/projekt/").content.decode()


# A project and an organisation ------------------------------------------------------------------------


def test_project_page_and_api_share_the_id(bank, client):
    project = bank["definite"]
    html = client.get(f"/projekt/{project.pk}/").content.decode()
    assert "Uppkoppling för alla" in html and "Stadsnät i Solna AB" in html and "Region Glesbygd" in html
    body = client.get(f"/api/v1/projects/{project.pk}").json()
    assert body["id"] == project.pk and body["name"] == project.name and body["amount_granted"] == 12_000_000
    assert {p["name"] for p in body["partners"]} == {"Stadsnät i Solna AB", "Region Glesbygd"}
    assert body["counties"] == ["Gävleborgs län"] or body["counties"] == [County.objects.get(code="03").name]


@pytest.mark.parametrize("key", ["draft", "submitted"])
def test_applications_are_not_public(bank, client, key):
    pk = bank[key].pk
    assert client.get(f"/projekt/{pk}/").status_code == 404
    assert client.get(f"/api/v1/projects/{pk}").status_code == 404


def test_huge_ids_are_not_found_not_errors(bank, client):
    assert client.get("/projekt/99999999999999999999999/").status_code == 404
    assert client.get("/api/v1/projects/99999999999999999999999").status_code in (404, 422)
    assert client.get("/organisationer/99999999999999999999999/").status_code == 404


def test_organisation_page_lists_projects_and_partners(bank, client):
    applicant = bank["name"].applicant
    html = client.get(f"/organisationer/{applicant.pk}/").content.decode()
    assert "Fiberföreningen Norrort" in html
    assert f"/projekt/{bank['name'].pk}/" in html and f"/projekt/{bank['definite'].pk}/" in html
    assert f"/projekt/{bank['submitted'].pk}/" not in html  # an application of the same organisation
    partner = Organisation.objects.get(name="Stadsnät i Solna AB")
    assert re.search(
        rf'href="/organisationer/{partner.pk}/">Stadsnät i Solna AB</a> <span class="muted">\(2 gemensamma', html
    )
    assert "Region Glesbygd" in html


def test_organisation_known_only_from_applications_is_not_public(bank, client):
    only_drafts = Organisation.objects.get(name="Utkastbolaget AB")
    assert client.get(f"/organisationer/{only_drafts.pk}/").status_code == 404


# Personal data ----------------------------------------------------------------------------------------


def test_no_personal_data_on_public_pages_or_api(bank, client):
    project = bank["name"]
    urls = [
        "/projekt/",
        "/projekt/?q=bredband",
        f"/projekt/{project.pk}/",
        f"/organisationer/{project.applicant_id}/",
        "/api/v1/projects?q=bredband",
        f"/api/v1/projects/{project.pk}",
        "/api/v1/projects?q=hemligsson",
    ]
    for url in urls:
        text = unescape(client.get(url).content.decode())
        for secret in (*CONTACT.values(), "sokande-anna", SECRET_CRITERION, "Bredband hemligt utkast"):
            assert secret not in text, (url, secret)
    assert api(client, "q=hemligsson")["count"] == 0  # contact persons are not even searchable


# Keeping in step -------------------------------------------------------------------------------------


def test_saves_and_deletes_reach_the_search_at_once(bank, client):
    draft = bank["draft"]
    assert draft.pk not in all_ids(client, "q=bredband")
    draft.status = Project.Status.GRANTED
    draft.save()
    assert draft.pk in all_ids(client, "q=bredband")
    assert draft.pk not in all_ids(client, "q=bredband&county=25")
    draft.counties.set(County.objects.filter(code="25"))
    assert draft.pk in all_ids(client, "q=bredband&county=25")
    draft.applicant.sector = Organisation.Sector.UNIVERSITY
    draft.applicant.save()
    assert draft.pk in all_ids(client, "q=bredband&sector=university")
    draft.delete()
    assert draft.pk not in all_ids(client, "q=bredband")


def test_objective_facet_uses_specific_and_thematic_objectives(bank, client):
    objective = SpecificObjective.objects.first()
    Project.objects.filter(pk=bank["name"].pk).update(objective=objective)
    from samhandling.projectbank.services import refresh_facets

    refresh_facets([bank["name"].pk])
    ids = all_ids(client, f"q=bredband&objective=so{objective.pk}")
    assert bank["name"].pk in ids
    assert set(ids) == set(
        orm_queryset({"q": "bredband", "objective": f"so{objective.pk}"}).values_list("pk", flat=True)
    )


# Hostile input ---------------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    'bredband" OR 1=1 --',
    "'; DROP TABLE projects_project; --",
    '"',
    "*",
    "bred*",
    "NEAR(bredband fiber)",
    "AND OR NOT",
    "bredband AND OR",
    "^bredband",
    "name:bredband",
    "{}[]()",
    "\x00\x01",
    "ﷺ ẞ 𝔅𝔯𝔢𝔡𝔟𝔞𝔫𝔡 🙂 \u202e",
    "bredband " * 2000,
    "x" * 10_000,
    "Ⅷ İstanbul ǅ",
]


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_never_fail_and_are_escaped(bank, client, q):
    expected = 400 if CONTROL.search(q) else 200  # refused by name (test_a_control_character_in_the_words_…)
    page = client.get("/projekt/", {"q": q})
    assert page.status_code == expected
    html = page.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    partial = client.get("/projekt/", {"q": q}, headers={"HX-Request": "true"})
    assert partial.status_code == expected and "<script>alert" not in partial.content.decode()
    if "\x00" in q:  # text no database can store: the API refuses it by name (ApiUnstorableTextMiddleware)
        body = api(client, f"q={q}", status=422)
        assert body["detail"][0]["loc"] == ["query", "q"]
        return
    body = api(client, f"q={q.replace('&', '%26').replace('#', '%23')}")
    assert isinstance(body["count"], int)


def test_hostile_query_is_shown_back_escaped(bank, client):
    html = client.get("/projekt/", {"q": "<script>alert('x')</script>"}).content.decode()
    assert 'value="&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"' in html


def test_the_public_api_stays_rate_limited(bank, client, settings):
    settings.API_RATE_LIMIT = 3
    codes = [client.get("/api/v1/projects?q=bredband").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


def test_pages_in_english(bank, client):
    client.cookies["django_language"] = "en"
    html = client.get("/projekt/", {"q": "bredband"}).content.decode()
    assert "Search words" in html and "Narrow down" in html and "Beneficiary sector" in html
    assert ">Company (" in html or ">Civil society (" in html  # sector labels follow the language too
    swedish = Client().get("/projekt/", {"q": "bredband"}).content.decode()
    assert "Sökord" in swedish and "Stödmottagarens sektor" in swedish


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the in-memory text index serves SQLite")
def test_large_text_index_is_built_in_the_background_and_shared(
    transactional_db, client, monkeypatch, settings, tmp_path
):
    """A large index is built by one thread while searches go to the database, then snapshotted so the
    server's other processes read it instead of building it again."""
    from samhandling.programmes import demo
    from samhandling.projectbank import facetindex, loader

    demo.load()
    for name in ("Bredband i glesbygd", "Bredbandet till skärgården", "Turism i fjällen"):
        _project(name, "Ett projekt om uppkoppling och besöksnäring.")
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(facetindex, "SNAPSHOT_FROM", 1)  # every index counts as large
    monkeypatch.setattr(loader, "TEXT_BATCH", 2)  # postings laid out from several batches
    monkeypatch.setattr(facetindex, "_current", None)
    first = facetindex.current()
    assert first.text_ready.wait(60) and first.text is not None
    snapshots = [
        p for p in (tmp_path / "projectbank").iterdir() if p.name.startswith(f"{facetindex.TEXT}-") and p.is_dir()
    ]
    assert len(snapshots) == 1
    other_process = facetindex.FacetIndex(first.version)
    assert other_process.text is not None  # read from the snapshot at once, not built
    text = other_process.text
    for q, expected in (("bredband", 2), ("besöksnäringen fjällen", 1), ("uppkoppling", 3)):
        from_memory = other_process.order(other_process.match(q, {}, ranked=True), "relevance")
        other_process.text = None  # the database's answer, as while an index is being built
        from_database = other_process.order(other_process.match(q, {}, ranked=True), "relevance")
        other_process.text = text
        assert list(from_memory) == list(from_database) and len(from_memory) == expected

    # After a write the large index takes the written projects in at once as a delta (no reload): a project
    # no longer public is left out of its hits, remembered ones too, and a new one is found.
    before = client.get("/api/v1/projects", {"q": "uppkoppling"}).json()["results"]
    assert "Turism i fjällen" in [h["name"] for h in before]
    withdrawn = Project.objects.get(name="Turism i fjällen")
    withdrawn.status = Project.Status.WITHDRAWN
    withdrawn.save()
    _project("Vätgas i hamnen", "Ett projekt om energi.")
    hits = client.get("/api/v1/projects", {"q": "uppkoppling"}).json()["results"]
    assert sorted(h["name"] for h in hits) == ["Bredband i glesbygd", "Bredbandet till skärgården"]
    assert client.get("/api/v1/projects", {"q": "energi"}).json()["count"] == 1
    newer = facetindex.current()
    assert newer.base is first and newer.version != first.version and newer.text is not None

    # More written projects than a delta takes: the next version loads in the background while the loaded
    # index goes on answering.
    monkeypatch.setattr(facetindex, "DELTA_LIMIT", 2)
    _project("Solceller på taken", "Ett projekt om energi.")
    with facetindex._refreshing:  # as while a reload is under way: the next version is not in yet
        assert facetindex.current() is newer
    deadline = time.monotonic() + 60
    while (newer := facetindex.current()).base is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert newer.base is None and newer.text is not None  # swapped in with its texts ready
    assert client.get("/api/v1/projects", {"q": "energi"}).json()["count"] == 2
    assert client.get("/api/v1/projects", {"q": "uppkoppling"}).json()["count"] == 2

    # A process still on the old data version does not build it once the data has moved on: that build would
    # replace the newer version's snapshot, and its index would be thrown away at the next search.
    newer_snapshot = next(p for p in (tmp_path / "projectbank").iterdir() if p.name.endswith(f"-{newer.version}"))
    stale = facetindex.FacetIndex(first.version)
    assert stale.text_ready.wait(60) and stale.text is None  # searches go to the database meanwhile
    assert newer_snapshot.exists() and not any(
        p.name.endswith(f"-{first.version}") for p in (tmp_path / "projectbank").iterdir()
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the in-memory text index serves SQLite")
def test_a_failed_text_build_leaves_the_words_to_the_database(
    transactional_db, client, monkeypatch, settings, tmp_path
):
    """Nobody waits for a text index whose build failed: searches go on with FTS5."""
    from samhandling.programmes import demo
    from samhandling.projectbank import facetindex, textindex

    demo.load()
    _project("Bredband i glesbygd", "Ett projekt om uppkoppling.")
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(facetindex, "SNAPSHOT_FROM", 1)
    monkeypatch.setattr(facetindex, "_current", None)

    def failing(ids):
        raise MemoryError("out of memory while building")

    monkeypatch.setattr(textindex, "build", failing)
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # the thread's own report, expected here
    index = facetindex.current()
    assert index.text_ready.wait(30) and index.text is None
    assert client.get("/api/v1/projects", {"q": "bredbandet"}).json()["count"] == 1


@pytest.mark.parametrize("k", [0, 1, 3, 8, 50])
def test_the_best_suggestions_are_those_a_stable_sort_would_give(k):
    """`_lowest` partitions instead of sorting every match: same places in the same order, ties included."""
    import numpy as np

    from samhandling.projectbank.selectors import _lowest

    rng = np.random.default_rng(k)
    for rank in (rng.integers(0, 5, 40).astype(float), -rng.random(30), np.zeros(12)):
        assert list(_lowest(rank, k)) == list(np.argsort(rank, kind="stable")[:k])


def test_a_long_summary_is_cut_to_a_snippet_from_a_few_words_before_its_first_match():
    from samhandling.projectbank.highlight import LEAD_WORDS, SNIPPET_WORDS, highlight, query_stems

    filler = [f"ord{n}" for n in range(100)]
    text = " ".join(filler[:50] + ["Bredbandet"] + filler[50:])
    snippet = highlight(text, query_stems("bredband"), snippet=True)
    shown = snippet.removeprefix("… ").removesuffix(" …").split()
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(shown) == SNIPPET_WORDS and shown[0] == f"ord{50 - LEAD_WORDS}"
    assert shown[LEAD_WORDS] == "<mark>Bredbandet</mark>"
    # near the end, the window ends with the text; without a match, it is the text's beginning
    tail = highlight(" ".join(filler + ["bredband"]), query_stems("bredband"), snippet=True)
    assert tail.endswith("<mark>bredband</mark>") and len(tail.removeprefix("… ").split()) == SNIPPET_WORDS
    assert highlight(" ".join(filler), query_stems("bredband"), snippet=True).startswith("ord0 ord1 ")
    # a short text is whole, and everything but the marks is escaped
    assert highlight("<b>Bredband</b> & mer", query_stems("bredband"), snippet=True) == (
        "&lt;b&gt;<mark>Bredband</mark>&lt;/b&gt; &amp; mer"
    )


@pytest.mark.parametrize("raw", ["\x00", "ab\x01c", "bredband\x1b[31m"])
def test_a_control_character_in_the_words_is_refused_naming_the_field_and_not_shown_back(bank, client, raw):
    """As every other text a visitor gives: refused with a message naming the field, on the page and in the API.
    The page shows the words again as typed, but with each control character replaced, so its HTML holds none."""
    body = api(client, f"q={quote(raw)}", status=422)  # as ninja's validation errors (core.middleware)
    assert body["detail"][0]["loc"] == ["query", "q"] and "styrtecken" in body["detail"][0]["msg"]
    page = client.get("/projekt/", {"q": raw})
    html = page.content.decode()
    assert page.status_code == 400 and "Sökord" in html and "styrtecken" in html
    assert not CONTROL.search(html.replace("\n", "").replace("\t", "").replace("\r", ""))
    shown = CONTROL.sub("\ufffd", raw)
    assert f'value="{escape(shown)}"' in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
@pytest.mark.django_db
def test_the_full_text_index_gathers_a_bulk_writes_terms_in_a_large_buffer():
    from samhandling.projectbank.search import FTS_HASH_BYTES

    with connection.cursor() as cursor:
        cursor.execute("SELECT v FROM projectbank_fts_config WHERE k = 'hashsize'")
        assert cursor.fetchone() == (FTS_HASH_BYTES,)
