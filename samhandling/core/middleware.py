"""API input checks, and the last line under concurrency (the API's rate limit is in core.ratelimit)."""

import json
import re

from django.http import JsonResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .ratelimit import API_PREFIX
from .text import reason as text_reason

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: no database text column takes them


class ApiUnstorableTextMiddleware:
    """Refuses API input with a 422 naming the field, in the shape of ninja's own validation errors: a query
    parameter with a control character (`core.text`'s rule), and a JSON body with text no database can store
    (NUL, lone UTF-16 surrogates; the text rule checks the rest of a body where it is stored).

    PostgreSQL rejects such a string with an error at query time (a 500); refusing it here covers every
    operation.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            refusal = _control_in_query(request) or _unstorable_in_body(request)
            if refusal:
                kind, where, message = refusal
                return JsonResponse({"detail": [{"type": kind, "loc": where, "msg": message}]}, status=422)
        return self.get_response(request)


def _control_in_query(request) -> tuple[str, list, str] | None:
    """(type, where, message) of the first query parameter holding a control character: the rule of stored text
    (core.text) for every search word and filter too, which are not stored but would be searched, shown back
    or, for NUL, fail in PostgreSQL."""
    for key, values in request.GET.lists():
        for value in (key, *values):
            found = text_reason(value, max_length=len(value))
            if found:
                return "control_character", ["query", key.encode("unicode_escape").decode()], f"{capfirst(found)}."
    return None


def _unstorable_in_body(request) -> tuple[str, list, str] | None:
    """(type, where, message) of the first text in a JSON body that no database can store."""
    if request.content_type != "application/json" or not request.body:
        return None
    try:
        data = json.loads(request.body)
    except ValueError:
        return None  # ninja answers malformed JSON itself
    where = _find_unstorable(data, ["body"])
    if where is None:
        return None
    return (
        "unstorable_text",
        where,
        _("Texten innehåller tecken som inte kan lagras (NUL eller ensamma surrogattecken)."),
    )


def _find_unstorable(value, loc):
    if isinstance(value, str):
        return loc if UNSTORABLE.search(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and UNSTORABLE.search(key):
            return [*loc, key.encode("unicode_escape").decode()]
        found = _find_unstorable(item, [*loc, key])
        if found:
            return found
    return None


class ConcurrentEditMiddleware:
    """The last line under concurrency: a save refused because someone else saved first (409), or a database
    still busy after its timeout (503), answers with a Swedish message, never a 500 with a traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import OperationalError

        from .models import ConcurrentEditError
        from .views import error_page

        if isinstance(exception, ConcurrentEditError):
            status, message = 409, exception.messages[0]
        elif isinstance(exception, OperationalError) and "locked" in str(exception):
            status, message = 503, _("Databasen är upptagen just nu. Vänta en stund och försök igen.")
        else:
            return None
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"detail": message}, status=status)
        return error_page(request, status, _("Ändringen kunde inte sparas"), message)
