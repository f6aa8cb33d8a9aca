"""Shared API parts: money as JSON numbers, exactly (two decimals fit a double without loss)."""
from decimal import Decimal
from typing import Annotated

from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import WithJsonSchema

Money = Annotated[Decimal, WithJsonSchema({"type": "number", "description": "SEK"})]


class MoneyEncoder(NinjaJSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


class MoneyRenderer(JSONRenderer):
    encoder_class = MoneyEncoder
