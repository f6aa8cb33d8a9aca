"""Rate limiting of the public API: a fixed one-minute window per client address, in Django's cache.

With several server processes each keeps its own count unless CACHES points at a shared cache (e.g. Redis
or the database cache); the limit then holds per process, which still bounds a single client.
"""
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse

API_PREFIX = "/api/"
WINDOW = 60


class ApiRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        limit = settings.API_RATE_LIMIT_AUTHENTICATED if authenticated else settings.API_RATE_LIMIT
        who = f"u{user.pk}" if authenticated else request.META.get("REMOTE_ADDR", "")
        window = int(time.time() // WINDOW)
        key = f"samhandling:api-rate:{who}:{window}"
        cache.add(key, 0, WINDOW + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW + 5)
            count = 1
        if count > limit:
            retry = WINDOW - int(time.time()) % WINDOW
            response = JsonResponse(
                {"detail": f"För många anrop: högst {limit} per minut. Försök igen om {retry} sekunder."}, status=429
            )
            response["Retry-After"] = str(retry)
            return response
        response = self.get_response(request)
        response["X-RateLimit-Limit"] = str(limit)
        response["X-RateLimit-Remaining"] = str(max(limit - count, 0))
        return response
