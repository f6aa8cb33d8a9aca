"""Public pages rendered once and served to every anonymous visitor from the shared cache.

A page of the public project bank looks the same to every visitor who is not signed in, except for the
CSRF token of its forms (the language switch), which is each visitor's own. Such a page is rendered with a
placeholder in place of the token, kept by the caller (e.g. next to the search result it shows), and each
request only puts its own token in: the template engine, most of a request's cost, runs once per page.
"""

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac

# The same in every server process (pages are shared through the cache), and secret: no page text can forge it.
PLACEHOLDER = "csrf-" + salted_hmac("samhandling.core.pages", "csrf-placeholder").hexdigest()[:32]


def render_shared(request, template_name: str, context: dict, remember) -> HttpResponse:
    """Renders like `render`; for an anonymous visitor without messages the page comes from `remember`, a
    function (compute) → text that keeps what compute returns under a key naming this page and address."""
    if request.user.is_authenticated or get_messages(request):
        return render(request, template_name, context)
    page = remember(lambda: render_to_string(template_name, {**context, "csrf_token": PLACEHOLDER}, request))
    return HttpResponse(page.replace(PLACEHOLDER, get_token(request)))
