"""Where to go after a form: the `next` the request asks for, only when it stays on this site."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    """The request's `next` (POST, then GET) when it is a URL of this site, else `default`.

    `//evil.example`, `https://evil.example` and `/\\evil.example` all start like local paths in some
    reading; Django's check is the one the login view uses, so every `next` is judged the same way.
    """
    for candidate in (request.POST.get("next"), request.GET.get("next")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return default


def redirect_next(request, default: str, *args, **kwargs):
    """A redirect to `safe_next`, or to the named `default` route (with its arguments)."""
    target = safe_next(request, "")
    return redirect(target) if target else redirect(default, *args, **kwargs)
