"""Rate limits: django-ratelimit counting in the shared cache (core.cache), so every server process and host
sees the same count. One place for the limits of the API (per address, per user when signed in), of the
public pages that cost the server most (the network, open-data downloads, search) and of the public minutes
check; sign-ups to information meetings use `exceeded` with their own rate. A refusal is a 429 with
Retry-After: JSON for the API, a Swedish/English page otherwise.
"""

import functools
import time

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

API_PREFIX = "/api/"


def _api_rate(_group, request) -> str:
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return f"{settings.API_RATE_LIMIT_AUTHENTICATED if authenticated else settings.API_RATE_LIMIT}/m"


def client_key(_group, request) -> str:
    """The client's address (settings.RATELIMIT_IP_META_KEY; the first of a proxy's list). A request without
    one (a Unix socket, a test client) is counted as "unknown" rather than failing."""
    value = str(request.META.get(settings.RATELIMIT_IP_META_KEY, "") or "")
    return value.split(",")[0].strip() or "unknown"


def user_or_client_key(group, request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return client_key(group, request)


def exceeded(request, group: str, rate: str, key=client_key, method=None) -> dict | None:
    """Counts this request in `group` and returns django-ratelimit's usage (count, limit, time_left) when the
    rate is exceeded, else None. `method` limits the counting to those HTTP methods (all when None)."""
    kwargs = {"method": method} if method else {}
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True, **kwargs)
    return usage if usage and usage["should_limit"] else None


def refused(request, usage: dict | None = None):
    """The 429 answer (`error_page`: JSON for the API, the site's page otherwise), with Retry-After."""
    from .views import error_page

    limit = usage["limit"] if usage else 0
    retry = max(int(usage["time_left"]), 1) if usage else 60
    response = error_page(request, 429, _("För många förfrågningar"), _too_many(limit, retry))
    response["Retry-After"] = str(retry)
    return response


def _too_many(limit: int, retry: int) -> str:
    if not limit:  # the cache did not answer: django-ratelimit refuses rather than count nothing
        return _("Tjänsten kan inte räkna anrop just nu. Försök igen om en stund.")
    return _("För många anrop: högst %(limit)s per minut. Försök igen om %(retry)s sekunder.") % {
        "limit": limit,
        "retry": retry,
    }


def limit_anonymous(group: str, setting: str = "PUBLIC_PAGE_RATE_LIMIT"):
    """Limits an expensive public page for anonymous visitors, per address, at settings.<setting> a minute
    (signed-in users are limited by their accounts instead)."""

    def decorate(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            if not request.user.is_authenticated:
                usage = exceeded(request, f"page:{group}", f"{getattr(settings, setting)}/m")
                if usage:
                    return refused(request, usage=usage)
            return view(request, *args, **kwargs)

        return limited

    return decorate


class ApiRateLimitMiddleware:
    """Every API call counts against its client: the address when anonymous, the account when signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        # The account when signed in, else the address (settings.RATELIMIT_IP_META_KEY; IPv6 per /64).
        usage = get_usage(request, group="api", key=user_or_client_key, rate=_api_rate, increment=True)
        if usage and usage["should_limit"]:
            return refused(request, usage=usage)
        response = self.get_response(request)
        if usage:
            response["X-RateLimit-Limit"] = str(usage["limit"])
            response["X-RateLimit-Remaining"] = str(max(usage["limit"] - usage["count"], 0))
            response["X-RateLimit-Reset"] = str(int(time.time()) + max(int(usage["time_left"]), 0))
        return response
