"""Rate limits in Django's cache: a fixed one-minute window per client, for the API and for the public pages
that cost the server most (the network, open-data downloads). One counter, one message, one Retry-After.

With several server processes each keeps its own count unless CACHES points at a shared cache (e.g. Redis
or the database cache); the limit then holds per process, which still bounds a single client.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

WINDOW = 60


def hit(scope: str, who: str, limit: int, window: int = WINDOW) -> tuple[bool, int, int]:
    """Counts one request of `who` in `scope` in fixed windows of `window` seconds: (allowed, count in this
    window, seconds until the next window)."""
    key = f"samhandling:{scope}:{who}:{int(time.time() // window)}"
    cache.add(key, 0, window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window + 5)
        count = 1
    return count <= limit, count, window - int(time.time()) % window


def too_many(limit: int, retry: int) -> str:
    return _("För många anrop: högst %(limit)s per minut. Försök igen om %(retry)s sekunder.") % {
        "limit": limit,
        "retry": retry,
    }


def limit_anonymous(scope: str):
    """Limits an expensive public page for anonymous visitors (per address), as the API limits its clients."""

    def decorate(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            if not request.user.is_authenticated:
                limit = settings.PUBLIC_PAGE_RATE_LIMIT
                allowed, _count, retry = hit(f"page-rate:{scope}", request.META.get("REMOTE_ADDR", ""), limit)
                if not allowed:
                    from .views import error_page

                    response = error_page(request, 429, _("För många förfrågningar"), too_many(limit, retry))
                    response["Retry-After"] = str(retry)
                    return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
