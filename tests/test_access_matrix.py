"""The access matrix holds for every route, every role and every method, web and API alike.

Routes are enumerated from the URL configuration itself, so a view added without a rule fails here.
"""

import uuid

import pytest
from pending import not_ready_yet
from django.core.exceptions import PermissionDenied
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter

from samhandling.access import middleware as access_middleware
from samhandling.access.matrix import allowed_roles, api_rules, rules
from samhandling.access.roles import Role

SAMPLE = {
    IntConverter: "1",
    StringConverter: "1",
    SlugConverter: "x",
    PathConverter: "x",
    UUIDConverter: str(uuid.UUID(int=1)),
}
USER_ROLES = [r for r in Role if r is not Role.PUBLIC]
API_PREFIX = "/api/v1"


def walk(resolver=None, namespace="", converters=None):
    """(full route name or None, {kwarg: sample value}, pattern text) for every leaf URL pattern."""
    resolver = resolver or get_resolver()
    converters = converters or {}
    for p in resolver.url_patterns:
        conv = {**converters, **getattr(p.pattern, "converters", {})}
        if isinstance(p, URLResolver):
            ns = ":".join(filter(None, [namespace, p.namespace]))
            yield from walk(p, ns, conv)
        elif isinstance(p, URLPattern):
            name = ":".join(filter(None, [namespace, p.name])) if p.name else None
            yield namespace, name, {k: SAMPLE.get(type(c), "1") for k, c in conv.items()}, str(p.pattern)


def samhandling_routes():
    seen = {}
    for namespace, name, kwargs, pattern in walk():
        if namespace.split(":")[0] in access_middleware.EXEMPT_NAMESPACES or name in access_middleware.EXEMPT_ROUTES:
            continue
        seen.setdefault(name or f"<unnamed {pattern}>", (kwargs, pattern))
    return seen


def test_every_route_is_named_and_has_a_rule():
    routes = samhandling_routes()
    unnamed = [pattern for name, (_, pattern) in routes.items() if name.startswith("<unnamed")]
    assert not unnamed, f"Rutter utan namn kan inte ha behörighetsregler: {unnamed}"
    missing = sorted(set(routes) - set(rules()) - {n for n in routes if n.startswith("<unnamed")})
    assert not missing, f"Rutter utan regel i någon apps access.py: {missing}"
    stale = sorted(set(rules()) - set(routes))
    assert not stale, f"Regler för rutter som inte finns: {stale}"
    for name, methods in rules().items():
        assert methods, f"{name} har en regel utan metoder"
        assert "GET" in methods or "POST" in methods, f"{name}: regeln saknar GET och POST"


@pytest.fixture
def users(db, make_user):
    return {Role.PUBLIC: None, **{role: make_user(f"roll-{role}", role) for role in USER_ROLES}}


@pytest.fixture
def decisions(monkeypatch):
    """Records what the access middleware decided for each request (None = let through)."""
    log = []
    original = access_middleware.AccessMatrixMiddleware.process_view

    def spy(self, request, *args):
        result = original(self, request, *args)
        log.append(result)
        return result

    monkeypatch.setattr(access_middleware.AccessMatrixMiddleware, "process_view", spy)
    return log


def is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_every_role_gets_exactly_what_the_matrix_says(demo, users, client, decisions):
    problems = []
    for role in Role:
        problems += _check_routes_as(role, users, client, decisions)
    assert not problems, "\n".join(problems)


def _check_routes_as(role, users, client, decisions):
    client.logout()
    if users[role] is not None:
        client.force_login(users[role])
    client.raise_request_exception = False
    problems = []
    for name, (kwargs, _) in sorted(samhandling_routes().items()):
        url = reverse(name, kwargs=kwargs)
        methods = {"GET", "POST", *rules()[name]}
        for method in sorted(methods):
            allowed = allowed_roles(name, method)
            expect_allowed = bool(allowed and role in allowed)
            decisions.clear()
            response = getattr(client, method.lower())(url)
            let_through = bool(decisions) and decisions[-1] is None
            label = f"{method} {url} ({name}) som {role}: {response.status_code}"
            if expect_allowed:
                if not let_through or is_login_redirect(response):
                    problems.append(f"{label}, borde vara tillåtet")
                elif role is Role.PUBLIC and response.status_code == 403:
                    problems.append(f"{label}, öppen sida nekas allmänheten")
                elif response.status_code >= 500 and not not_ready_yet(response):
                    problems.append(f"{label}, serverfel")
            else:
                refused = response.status_code in (403, 405) or (role is Role.PUBLIC and is_login_redirect(response))
                if let_through or not refused:
                    problems.append(f"{label}, borde nekas")
    return problems


def test_unnamed_route_is_refused(rf, settings):
    """A view that sneaks in without a name never slips past the matrix."""
    from django.http import HttpResponse
    from django.urls import path, resolve

    from samhandling.access.middleware import AccessMatrixMiddleware

    urlconf = type("URLs", (), {"urlpatterns": [path("hemlig/", lambda r: HttpResponse("hemligt"))]})
    settings.ROOT_URLCONF = urlconf
    request = rf.get("/hemlig/")
    request.user = AnonymousUser()
    request.resolver_match = resolve("/hemlig/", urlconf)  # as Django's handler sets it before process_view
    # raised, so Django answers with the styled 403 page (core.views.forbidden)
    with pytest.raises(PermissionDenied, match="saknar behörighetsregel"):
        AccessMatrixMiddleware(lambda r: None).process_view(request, None, (), {})


# --- the API ---------------------------------------------------------------------------------------------


def api_operations(client):
    schema = client.get(f"{API_PREFIX}/openapi.json").json()
    for path, item in schema["paths"].items():
        for method in item:
            if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                yield f"{method.upper()} {path.removeprefix(API_PREFIX)}", item[method]


def test_every_api_operation_is_declared(client, db):
    operations = dict(api_operations(client))
    missing = sorted(set(operations) - set(api_rules()))
    assert not missing, f"API-operationer utan API_RULES i någon apps access.py: {missing}"
    stale = sorted(set(api_rules()) - set(operations))
    assert not stale, f"API_RULES för operationer som inte finns: {stale}"


def test_api_operations_answer_each_role_as_declared(demo, users, client):
    problems = []
    for role in Role:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        problems += _check_api_as(role, client)
    assert not problems, "\n".join(problems)


def _check_api_as(role, client):
    client.raise_request_exception = False
    problems = []
    for key, _operation in api_operations(client):
        method, path = key.split(" ", 1)
        url = API_PREFIX + "".join("1" if part.startswith("{") else part for part in _split_params(path))
        kwargs = {"content_type": "application/json", "data": "{}"} if method in ("POST", "PUT", "PATCH") else {}
        response = getattr(client, method.lower())(url, **kwargs)
        allowed = role in api_rules()[key]
        label = f"{key} som {role}: {response.status_code}"
        if allowed and response.status_code in (401, 403):
            problems.append(f"{label}, borde vara tillåtet")
        elif not allowed and response.status_code not in (401, 403):
            problems.append(f"{label}, borde nekas")
        elif response.status_code >= 500:
            problems.append(f"{label}, serverfel")
    return problems


def _split_params(path):
    """'/calls/{id}/x' → ['/calls/', '{id}', '/x'] so parameters can be replaced by a sample value."""
    parts, rest = [], path
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        parts += [before, "{" + name + "}"]
    parts.append(rest)
    return [p for p in parts if p]


# --- roles per partnership -------------------------------------------------------------------------------


def test_partnership_routes_answer_the_roles_held_in_that_partnership(db, make_user, client, decisions, settings):
    """Under another partnership's prefix a partnership-bound role held as a group (the default partnership's)
    gives nothing, and the same role held in that partnership gives exactly what the matrix says."""
    from samhandling.access.roles import PARTNERSHIP_ROLES
    from samhandling.partnership.models import Partnership, PartnershipRole
    from samhandling.partnership.scope import PARTNERSHIP_APPS
    from samhandling.projects.models import ProgrammeRegion

    Partnership.objects.create(
        name=settings.PARTNERSHIP_NAME, programme_region=ProgrammeRegion.objects.get(code="SE11")
    )
    other = Partnership.objects.create(
        name="Annat partnerskap", slug="annat", programme_region=ProgrammeRegion.objects.get(code="SE12")
    )
    scoped = {app.rsplit(".", 1)[1] for app in PARTNERSHIP_APPS}
    routes = [(n, kw) for n, (kw, _) in sorted(samhandling_routes().items()) if n.split(":")[0] in scoped]
    assert len(routes) > 20
    client.raise_request_exception = False
    problems = []
    for role in sorted(PARTNERSHIP_ROLES):
        held_here = make_user(f"har-{role}")
        PartnershipRole.objects.create(user=held_here, partnership=other, role=role)
        for user, roles in ((make_user(f"grupp-{role}", role), {Role.PUBLIC}), (held_here, {Role.PUBLIC, role})):
            client.force_login(user)
            for name, kwargs in routes:
                url = "/annat" + reverse(name, kwargs=kwargs)
                for method in sorted({"GET", "POST", *rules()[name]}):
                    expect = bool((allowed_roles(name, method) or frozenset()) & roles)
                    decisions.clear()
                    response = getattr(client, method.lower())(url)
                    let_through = bool(decisions) and decisions[-1] is None
                    if let_through != expect:
                        problems.append(f"{method} {url} som {user.username}: {response.status_code}, väntat {expect}")
    assert not problems, "\n".join(problems)
