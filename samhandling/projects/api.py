from ninja import Router, Schema
from ninja.pagination import paginate

from samhandling.core.api import BoundedPages, Text

from .models import Organisation
from .selectors import public_org_number

router = Router(tags=["Organisationer"])


class OrganisationOut(Schema):
    id: int
    name: str
    org_number: str | None
    sector: str
    country: str

    @staticmethod
    def resolve_org_number(obj):
        return public_org_number(obj.org_number)


@router.get("/organisations", response=list[OrganisationOut], summary="Organisationer (sökande och parter)")
@paginate(BoundedPages, page_size=50)
def organisations(request, q: Text = ""):
    qs = Organisation.objects.order_by("name", "id")
    if q:
        qs = qs.filter(name__icontains=q[:200])
    return qs
