"""Enforces the access matrix for every samhandling route (admin and API routes have their own guards)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext as _

from .matrix import allowed_roles
from .roles import roles_of

EXEMPT_NAMESPACES = ("admin", "api")  # guarded by the admin's staff check and by ninja auth
EXEMPT_ROUTES = {"login", "logout", "set_language", "javascript-catalog"}


def route_name(match) -> str | None:
    return match.view_name if match.url_name else None


class AccessMatrixMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match  # resolved by Django's handler before process_view
        if match.namespaces and match.namespaces[0] in EXEMPT_NAMESPACES:
            return None
        name = route_name(match)
        if name is None:
            # A route without a name cannot have a rule: refuse it rather than let it slip past the matrix.
            raise PermissionDenied(_("Sidan saknar behörighetsregel."))
        if name in EXEMPT_ROUTES:
            return None
        allowed = allowed_roles(name, request.method)
        if allowed is None:
            if name in _known_routes():
                return HttpResponseNotAllowed([])
            raise PermissionDenied(_("Sidan saknar behörighetsregel."))
        if roles_of(request.user) & allowed:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # Raised, not returned, so the styled and translated 403 page (core.views.forbidden) answers.
        raise PermissionDenied(_("Du saknar behörighet för den här sidan."))


def _known_routes():
    from .matrix import rules

    return rules()
