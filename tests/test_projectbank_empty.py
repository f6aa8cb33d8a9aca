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
