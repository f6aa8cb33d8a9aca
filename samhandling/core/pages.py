"""Public pages rendered once and served to every anonymous visitor from the shared cache.

A page of the public project bank looks the same to every visitor who is not signed in, except for the
CSRF token of its forms (the language switch), which is each visitor's own. Such a page is rendered with a
placeholder in place of the token, kept by the caller (e.g. next to the search result it shows), and each
request only puts its own token in: the template engine, most of a request's cost, runs once per page.

A page not yet kept (a new search) differs from the previous one only in a few values (the words searched,
the results): the rest of it, the site's header and the form, is rendered once per process with a marker in
each such hole (`_shell`), and each new page fills the holes in.
"""

import copy
import re
import secrets
import threading
from collections import OrderedDict

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_urlconf
from django.utils.crypto import salted_hmac
from django.utils.html import conditional_escape
from django.utils.translation import get_language

# The same in every server process (pages are shared through the cache), and secret: no page text can forge it.
PLACEHOLDER = "csrf-" + salted_hmac("samhandling.core.pages", "csrf-placeholder").hexdigest()[:32]

SHELLS = 256  # renderings kept per process (template, language, partnership, what else the caller says varies)
_shells: OrderedDict = OrderedDict()
_lock = threading.Lock()
NEXT = "request.get_full_path"  # the hole of the address the language switch returns to


def render_shared(request, template_name: str, context: dict, remember, holes: dict, varies=()) -> HttpResponse:
    """Renders like `render`; for an anonymous visitor without messages the page comes from `remember`, a
    function (compute) → text that keeps what compute returns under a key naming this page and address.

    `holes` are the context variables that differ from page to page (name → value, or a function giving it).
    The template must print each as a plain `{{ name }}` (or test it with `if`), no filters: the value is
    escaped as autoescaping would and put where its marker was. `varies` are the other values the template's
    output depends on beyond the request's language, partnership and path (e.g. which sort is chosen)."""
    if request.user.is_authenticated or get_messages(request):
        return render(request, template_name, {**context, **holes})
    # An empty value is rendered as itself: a marker would be true where the template asks `{% if q %}`.
    empty = {name: value for name, value in holes.items() if value in ("", None)}
    filled = {name: value for name, value in holes.items() if name not in empty}
    filled[NEXT] = request.get_full_path()
    page = remember(lambda: _filled(request, template_name, {**context, **empty}, filled, varies))
    return HttpResponse(page.replace(PLACEHOLDER, get_token(request)))


def _filled(request, template_name: str, context: dict, holes: dict, varies) -> str:
    marks, shell = _shell(request, template_name, context, tuple(holes), varies)
    values = {
        marks[name]: str(conditional_escape(value() if callable(value) else value)) for name, value in holes.items()
    }
    # One pass over the shell: a value filled in (a visitor's words) is never searched for markers itself.
    return re.sub("|".join(values), lambda found: values[found.group()], shell)


def _shell(request, template_name: str, context: dict, names: tuple, varies) -> tuple[dict, str]:
    """(hole name → its marker, the page rendered with the markers), made once per key and process."""
    partnership = getattr(request, "partnership", None)
    key = (template_name, names, get_language(), get_urlconf(), request.path, getattr(partnership, "name", ""), *varies)
    with _lock:
        found = _shells.get(key)
        if found is not None:
            _shells.move_to_end(key)
            return found
    marks = {name: f"hole{secrets.token_hex(16)}" for name in names}
    shell_request = copy.copy(request)
    shell_request.get_full_path = lambda *args, **kwargs: marks[NEXT]
    variables = {name: mark for name, mark in marks.items() if name != NEXT}
    found = marks, render_to_string(template_name, {**context, **variables, "csrf_token": PLACEHOLDER}, shell_request)
    if not settings.DEBUG:  # a template edited while the development server runs shows at once
        with _lock:
            _shells[key] = found
            while len(_shells) > SHELLS:
                _shells.popitem(last=False)
    return found
