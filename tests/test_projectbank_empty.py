"""An installation with no projects yet: the project bank answers a search with no hits, not an error."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"q": "skola"}, {"q": "skola", "page": "1"}])
def test_an_empty_project_bank_answers_every_search(client, query):
    client.raise_request_exception = False
    response = client.get("/api/v1/projects", query)
    assert response.status_code == 200 and response.json()["count"] == 0
    page = client.get(reverse("projectbank:search"), query)
    assert page.status_code == 200


@pytest.mark.django_db
def test_projects_written_after_an_empty_bank_was_searched_are_ranked_with_their_own_statistics(client, monkeypatch):
    """A server that searched the empty bank does not take the first projects in as a delta (scored with
    the statistics of no project, every word would weigh the same): a small index loads afresh."""
    from samhandling.programmes import demo
    from samhandling.projectbank import facetindex
    from samhandling.projectbank.synthetic import Generator

    monkeypatch.setattr(facetindex, "_current", None)
    assert client.get("/api/v1/projects", {"q": "skola"}).json()["count"] == 0
    assert facetindex.current().size == 0
    demo.load()
    Generator(seed=4).generate(12)
    index = facetindex.current()
    assert index.base is None and index.size >= 12 and index.text.rows >= 12
