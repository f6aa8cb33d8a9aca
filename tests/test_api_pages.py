"""Paginated API operations answer any page number without a server error: too large is a 422, past the end empty."""
API = "/api/v1"


def paginated_operations(client):
    """Every GET operation of the schema taking a `page` query parameter and no path parameter."""
    schema = client.get(f"{API}/openapi.json").json()
    for path, item in schema["paths"].items():
        get = item.get("get", {})
        params = {p["name"]: p["in"] for p in get.get("parameters", [])}
        if params.get("page") == "query" and "path" not in params.values():
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
