"""The JSON API under /api/v1/. Each app with an `api` module exposing `router` is mounted under its prefix."""
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from ninja import NinjaAPI

from samhandling.core.api import MoneyRenderer

RATE_LIMITED = {
    "description": "För många anrop: gränsen per minut är nådd (se Retry-After).",
    "content": {"application/json": {"schema": {
        "type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"],
    }}},
}


STORABLE_TEXT = "^[^\\u0000\\ud800-\\udfff]*$"
UNPROCESSABLE = {
    "description": "Ogiltiga indata: fälten som inte godtas anges i detail (loc).",
    "content": {"application/json": {"schema": {
        "type": "object", "properties": {"detail": {"type": "array", "items": {"type": "object"}}}, "required": ["detail"],
    }}},
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
                for parameter in operation.get("parameters", []):
                    _storable_strings(parameter["schema"])
        for component in schema.get("components", {}).get("schemas", {}).values():
            _storable_strings(component)
            if component.get("type") == "object":
                component.setdefault("additionalProperties", False)  # other keys are ignored, never stored
        return schema


def _storable_strings(node):
    """Declares ApiUnstorableTextMiddleware's rule in the schema: no NUL, no lone surrogate in any text."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"format", "enum", "pattern"} & set(node):
            node["pattern"] = STORABLE_TEXT
        if isinstance(node.get("additionalProperties"), dict):  # a map: its keys are text too
            node.setdefault("propertyNames", {"pattern": STORABLE_TEXT})
        for value in node.values():
            _storable_strings(value)
    elif isinstance(node, list):
        for value in node:
            _storable_strings(value)


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
