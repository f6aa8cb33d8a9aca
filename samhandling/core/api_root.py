"""The JSON API under /api/v1/. Each app with an `api` module exposing `router` is mounted under its prefix."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, ValidationError

from samhandling.core.api import MoneyRenderer

RATE_LIMITED = {
    "description": "För många anrop: gränsen per minut är nådd (se Retry-After).",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


UNPROCESSABLE = {
    "description": "Ogiltiga indata: fälten som inte godtas anges i detail (loc).",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
                "required": ["detail"],
            }
        }
    },
}


class SamhandlingAPI(NinjaAPI):
    """Documents the answers every operation can give besides its own: 422 from validation (ninja's and
    ApiUnstorableTextMiddleware's) and 429 from ApiRateLimitMiddleware."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for item in schema["paths"].values():
            for operation in item.values():
                operation["responses"].setdefault("422", UNPROCESSABLE)
                operation["responses"].setdefault("429", RATE_LIMITED)
        return schema


api = SamhandlingAPI(
    title="Samhandling API",
    version="1",
    description="Öppet API för partnerskapets budget, utlysningar och projektbank. Belopp i SEK.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    renderer=MoneyRenderer(),
)


# Every refusal in Swedish (or English, by the request's language), never ninja's or pydantic's English defaults.
@api.exception_handler(Http404)
def _not_found(request, _exc):
    return api.create_response(request, {"detail": _("Det efterfrågade finns inte.")}, status=404)


@api.exception_handler(AuthenticationError)
def _not_signed_in(request, _exc):
    return api.create_response(request, {"detail": _("Logga in för att använda den här delen av API:t.")}, status=401)


@api.exception_handler(AuthorizationError)
def _forbidden(request, _exc):
    return api.create_response(request, {"detail": _("Du saknar behörighet för den här åtgärden.")}, status=403)


# pydantic's error types, as Swedish messages; ctx supplies the limits (ge, le, max_length ...).
FIELD_MESSAGES = {
    "missing": gettext_lazy("Uppgiften saknas."),
    "int_parsing": gettext_lazy("Ange ett heltal."),
    "int_type": gettext_lazy("Ange ett heltal."),
    "int_from_float": gettext_lazy("Ange ett heltal."),
    "float_parsing": gettext_lazy("Ange ett tal."),
    "decimal_parsing": gettext_lazy("Ange ett tal."),
    "decimal_type": gettext_lazy("Ange ett tal."),
    "bool_parsing": gettext_lazy("Ange sant eller falskt."),
    "string_type": gettext_lazy("Ange en text."),
    "string_too_long": gettext_lazy("Högst %(max_length)s tecken."),
    "string_too_short": gettext_lazy("Minst %(min_length)s tecken."),
    "greater_than_equal": gettext_lazy("Värdet ska vara minst %(ge)s."),
    "greater_than": gettext_lazy("Värdet ska vara större än %(gt)s."),
    "less_than_equal": gettext_lazy("Värdet får vara högst %(le)s."),
    "less_than": gettext_lazy("Värdet ska vara mindre än %(lt)s."),
    "date_parsing": gettext_lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
    "datetime_parsing": gettext_lazy("Ange tid som ÅÅÅÅ-MM-DDTtt:mm:ss+01:00."),
    "datetime_from_date_parsing": gettext_lazy("Ange tid som ÅÅÅÅ-MM-DDTtt:mm:ss+01:00."),
    "list_type": gettext_lazy("Ange en lista."),
    "dict_type": gettext_lazy("Ange ett objekt."),
    "model_attributes_type": gettext_lazy("Ange ett objekt."),
    "json_invalid": gettext_lazy("Ogiltig JSON."),
    "enum": gettext_lazy("Ogiltigt val."),
    "literal_error": gettext_lazy("Ogiltigt val."),
}


def field_message(error: dict) -> str:
    message = FIELD_MESSAGES.get(error.get("type", ""))
    try:
        return str(message) % (error.get("ctx") or {}) if message else _("Ogiltigt värde.")
    except (KeyError, TypeError, ValueError):
        return _("Ogiltigt värde.")


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = [{**error, "msg": field_message(error)} for error in exc.errors]
    return api.create_response(request, {"detail": errors}, status=422)


for _app in settings.INSTALLED_APPS:
    if _app.startswith("samhandling.") and find_spec(f"{_app}.api"):
        _module = import_module(f"{_app}.api")
        if hasattr(_module, "router"):
            api.add_router("", _module.router)
