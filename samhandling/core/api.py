"""Shared API parts: decimals as JSON numbers, exactly (two to four decimals fit a double without loss).

MoneyEncoder renders every Decimal as a number, so every Decimal in a response schema must be declared with
one of the types here: a bare `Decimal` would be documented as a string and the answer would not match.
"""

from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import WithJsonSchema

from .text import CONTROL_CLASS

MAX_ID = 2**63 - 1  # the largest key a bigint column holds; a larger one would overflow the database driver
Id = Annotated[int, Field(ge=1, le=MAX_ID, description="id")]  # every id an API operation takes, path or query
Money = Annotated[Decimal, WithJsonSchema({"type": "number", "description": "SEK"})]
# A text query parameter (search words, a country): the schema says no control character, as the stored-text rule
# (core.text) does; core.middleware refuses one in any query parameter with a 422 naming it.
PRINTABLE = f"^[^{CONTROL_CLASS}]*$"
Text = Annotated[str, WithJsonSchema({"type": "string", "pattern": PRINTABLE})]
Share = Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1, "description": "Andel, 0–1"})]


class MoneyEncoder(NinjaJSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


class MoneyRenderer(JSONRenderer):
    encoder_class = MoneyEncoder


class Message(Schema):
    """The body of every refusal ninja and the endpoints give: 401, 403, 404 (`{"detail": "..."}`)."""

    detail: str


# Responses to declare next to the success response, so the schema documents every status an endpoint gives:
# `response={200: ThingOut, **NOT_FOUND}`; a signed-in endpoint adds SIGNED_IN (not signed in, no role).
NOT_FOUND = {404: Message}
SIGNED_IN = {401: Message, 403: Message}


class BoundedPages(PageNumberPagination):
    """Page numbers within what a database offset can hold: a huge page is a 422 naming the field, not a 500.

    Use it instead of ninja's PageNumberPagination on every paginated endpoint: `@paginate(BoundedPages)`.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=100)
