from ninja import Router, Schema

from samhandling.core.api import Money

from .selectors import objectives_with_balances, remaining_to_call

router = Router(tags=["Budget"])


class ObjectiveOut(Schema):
    code: str
    name: str
    fund: str
    period: str
    programme: str
    programme_region: str | None  # NUTS 2 code: objectives' codes repeat between regions' programmes
    budget: Money
    reserved: Money
    granted: Money
    remaining_to_call: Money


@router.get(
    "/objectives", response=list[ObjectiveOut], summary="Specifika mål med budget, beviljat och kvar att utlysa"
)
def objectives(request):
    return [
        ObjectiveOut(
            code=o.code,
            name=o.name,
            fund=o.fund.code,
            period=o.programme.period.name,
            programme=o.programme.name,
            programme_region=o.programme.programme_region.code if o.programme.programme_region else None,
            budget=o.budget,
            reserved=o.reserved,
            granted=o.granted,
            remaining_to_call=remaining_to_call(o),
        )
        for o in objectives_with_balances()
    ]
