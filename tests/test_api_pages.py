"""API parameters out of range are refused by name, not a server error: a page number too large is a 422 (past
the end, an empty page), and so is an id no database key can hold."""

API = "/api/v1"


def paginated_operations(client):
    """Every GET operation of the schema taking a bounded `page` query parameter and no path parameter.

    The project bank's search is not one of them: its page has no upper bound and a page past the last is a
    404 naming `page` (tests/test_projectbank_search.py)."""
    schema = client.get(f"{API}/openapi.json").json()
    for path, item in schema["paths"].items():
        get = item.get("get", {})
        params = {p["name"]: p for p in get.get("parameters", [])}
        page = params.get("page", {})
        if (
            page.get("in") == "query"
            and "maximum" in page.get("schema", {})
            and all(p["in"] != "path" for p in params.values())
        ):
            yield path


def test_paginated_operations_are_found(client, db):
    assert {f"{API}/organisations", f"{API}/ideas", f"{API}/partner-notices"} <= set(paginated_operations(client))


def test_huge_page_number_is_refused_naming_the_field_and_past_the_end_is_empty(client, demo):
    for page in (10**6 + 1, 2**63, 10**30):
        for path in paginated_operations(client):
            response = client.get(path, {"page": page})
            assert response.status_code == 422, (path, page, response.status_code)
            assert any(error["loc"][-1] == "page" for error in response.json()["detail"]), path
    organisations = client.get(f"{API}/organisations").json()
    assert organisations["count"] > 0 and organisations["items"]
    for path in paginated_operations(client):
        response = client.get(path, {"page": 10**6})
        assert response.status_code == 200, path
        assert response.json()["items"] == [], path


def test_ids_beyond_any_database_key_are_refused_naming_the_parameter(client, demo, make_user):
    from samhandling.access.roles import Role

    client.force_login(make_user("sek", Role.SECRETARIAT))
    huge = 10**30
    for url, name in [
        (f"{API}/calls/{huge}", "call_id"),
        (f"{API}/applications/{huge}", "application_id"),
        (f"{API}/ideas/{huge}/matches", "idea_id"),
        (f"{API}/applications?call_id={huge}", "call_id"),
        (f"{API}/partner-notices?theme={huge}", "theme"),
    ]:
        response = client.get(url)
        assert response.status_code == 422, (url, response.status_code)
        assert response.json()["detail"][0]["loc"][-1] == name
    assert client.get(f"{API}/calls/{2**63 - 1}").status_code == 404  # the largest key is simply not found


def test_text_no_database_can_store_is_refused_naming_the_field(client, demo, make_user):
    """NUL and lone surrogates make PostgreSQL fail at query time; the API refuses them first, on every engine."""
    from samhandling.access.roles import Role
    from samhandling.projects.models import Organisation

    response = client.get(f"{API}/organisations", {"q": "Region\x00"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "q"]
    client.force_login(make_user("sokande", Role.APPLICANT))
    before = Organisation.objects.count()
    body = '{"call_id": 1, "name": "Projekt", "partners": [{"name": "Part\\u0000ner"}], "counties": ["\\udb47"]}'
    response = client.post(f"{API}/applications", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "partners", 0, "name"]
    assert Organisation.objects.count() == before


def test_an_address_the_api_does_not_have_is_a_json_404_in_the_visitors_language(client, db, settings):
    """Outside its own routes the API still answers as an API: JSON with a `detail`, not the site's HTML page."""
    response = client.get(f"{API}/finns-inte")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Sidan du söker finns inte eller har flyttats."}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        client.get(f"{API}/finns-inte").json()["detail"] == "The page you are looking for does not exist or has moved."
    )
    page = client.get("/finns-inte/")  # the site keeps its page
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_server_error_in_the_api_is_json_without_the_traceback(client, db, monkeypatch):
    from samhandling.projectbank import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "search", broken)
    client.raise_request_exception = False
    response = client.get(f"{API}/projects")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Ett fel uppstod hos oss. Försök igen om en stund; felet är loggat."}
    assert "secret" not in response.content.decode()


def test_a_control_character_in_any_query_parameter_is_refused_naming_it(client, db):
    """Every GET operation's text and filter parameters (from the schema), as the stored-text rule: a 422 naming
    the parameter, before the operation searches with it or shows it back."""
    schema = client.get(f"{API}/openapi.json").json()
    checked = 0
    for path, item in schema["paths"].items():
        for param in item.get("get", {}).get("parameters", []):
            if param["in"] != "query" or "{" in path:
                continue
            response = client.get(f"{API}{path.removeprefix('/api/v1')}", {param["name"]: "a\x01b"})
            assert response.status_code == 422, (path, param["name"])
            error = response.json()["detail"][0]
            assert error["loc"] == ["query", param["name"]] and "styrtecken (U+0001)" in error["msg"], error
            checked += 1
    assert checked >= 20
    client.cookies["django_language"] = "en"
    english = client.get(f"{API}/organisations", {"q": "a\x1bb"}).json()["detail"][0]["msg"]
    assert english == "The text contains a control character that is not allowed (U+001B)."
