"""The JSON API under /api/v1/. Each app with an `api` module exposing `router` is mounted under its prefix."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from ninja import NinjaAPI

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

for _app in settings.INSTALLED_APPS:
    if _app.startswith("samhandling.") and find_spec(f"{_app}.api"):
        _module = import_module(f"{_app}.api")
        if hasattr(_module, "router"):
            api.add_router("", _module.router)
