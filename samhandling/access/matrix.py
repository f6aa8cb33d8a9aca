"""The access matrix: route name × HTTP method → roles allowed.

Each app declares its own rules in `samhandling/<app>/access.py` as

    RULES = {"app:route-name": {"GET": ALL, "POST": {Role.SECRETARIAT}}}

and this module collects them. API operations are declared the same way, keyed by method and the path as
the OpenAPI schema writes it (relative to /api/v1):

    API_RULES = {"GET /objectives": ALL, "POST /calls/{call_id}/applications": {Role.APPLICANT}}

The API guards itself (ninja auth plus a role check in the endpoint); the test suite checks every operation
of the schema against API_RULES, so an undeclared operation fails the build. The middleware enforces the matrix
on every request (a route with no rule is refused), so the matrix is not documentation that can drift: it is the
gate. Object-level rules (an applicant's own applications, jäv) are checked in selectors and services on top of it.
"""

from functools import cache
from importlib import import_module

from django.apps import apps

from .roles import Role

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _access_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("samhandling."):
            continue
        try:
            yield import_module(f"{config.name}.access")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.access":
                raise


@cache
def rules() -> dict[str, dict[str, frozenset[Role]]]:
    merged: dict[str, dict[str, frozenset[Role]]] = {}
    for module in _access_modules():
        for route, methods in getattr(module, "RULES", {}).items():
            if route in merged:
                raise ValueError(f"Access rule for {route!r} declared twice")
            merged[route] = {m.upper(): frozenset(r) for m, r in methods.items()}
    return merged


def allowed_roles(route: str, method: str) -> frozenset[Role] | None:
    """Roles allowed, or None when the route has no rule for the method (which means refused)."""
    methods = rules().get(route)
    if methods is None:
        return None
    method = method.upper()
    if method in ("HEAD", "OPTIONS") and method not in methods:
        method = "GET"
    return methods.get(method)


@cache
def api_rules() -> dict[str, frozenset[Role]]:
    """ "METHOD /path" → roles allowed, for every declared API operation."""
    merged: dict[str, frozenset[Role]] = {}
    for module in _access_modules():
        for operation, roles in getattr(module, "API_RULES", {}).items():
            method, _, path = operation.partition(" ")
            key = f"{method.upper()} {path}"
            if key in merged:
                raise ValueError(f"API access rule for {key!r} declared twice")
            merged[key] = frozenset(roles)
    return merged
