"""The public project bank API: the same search as /projekt/ (selectors.search) and single projects.

No personal data: contact persons, the applicant's user account and criterion texts are never read here.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import WithJsonSchema

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from samhandling.core.api import PRINTABLE, Id, Money, MoneyEncoder, Text

from . import selectors
from .selectors import BadParameter

router = Router(tags=["Projektbanken"])

# The parameters arrive as text and are checked by selectors.parse_params, the one check the search page
# shares; these annotations only tell the schema what that check accepts.
Code = Annotated[str, WithJsonSchema({"type": "string", "maxLength": 100, "pattern": PRINTABLE})]
Page = Annotated[str, WithJsonSchema({"type": "integer", "minimum": 1})]
Year = Annotated[str, WithJsonSchema({"type": "integer", "minimum": 1900, "maximum": 2100})]
Amount = Annotated[str, WithJsonSchema({"type": "number", "minimum": 0, "maximum": 10**15, "description": "SEK"})]
Sort = Annotated[
    str,
    WithJsonSchema({"type": "string", "enum": ["relevance", *(value for value, _label in selectors.SORTS if value)]}),
]


class ProjectSummary(Schema):
    id: int
    name: str
    beneficiary: str | None
    amount_granted: Money | None
    fund: str
    start_date: date | None
    end_date: date | None
    counties: list[str]
    source: str


class FacetValue(Schema):
    value: str
    label: str
    count: int
    params: dict[str, str]


class ProjectList(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    sort: str
    results: list[ProjectSummary]
    facets: dict[str, list[FacetValue]]


class OrganisationRef(Schema):
    id: int
    name: str


class ProjectDetail(ProjectSummary):
    summary: str
    beneficiary_id: int | None
    partners: list[OrganisationRef]
    status: str
    total_cost: Money | None
    cofinancing_rate: Decimal | None
    period: str | None
    programme_region: str | None
    objective: str | None
    thematic_objective: str
    intervention_type: str
    specific_objective_code: str | None
    intervention_field: str | None
    municipalities: list[str]
    source_id: str
    updated_at: datetime


class Error(Schema):
    detail: str


def _summary(p: selectors.Hit) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "beneficiary": p.applicant_name,
        "amount_granted": p.amount_granted,
        "fund": p.fund_code,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "counties": p.county_names,
        "source": p.source,
    }


def _regulation_objective(p):
    return p.objective.regulation_objective if p.objective else None


def _facet_value(option) -> dict:
    params = {k: selectors.plain_value(v) for k, v in option.params.items() if v is not None}
    return {"value": "-".join(params.values()), "label": option.label, "count": option.count, "params": params}


def _bad(exc: BadParameter):
    raise HttpError(
        exc.status, _("Ogiltig parameter %(param)s: %(message)s.") % {"param": exc.param, "message": exc.message}
    )


@router.get("/projects", response={200: ProjectList, 400: Error, 404: Error}, summary="Sök i projektbanken")
def projects(
    request,
    q: Text = "",
    fund: Code = "",
    period: Code = "",
    region: Code = "",
    county: Code = "",
    municipality: Code = "",
    objective: Code = "",
    specific_objective: Code = "",
    intervention: Code = "",
    sector: Code = "",
    start_year: Year = "",
    amount_min: Amount = "",
    amount_max: Amount = "",
    sort: Sort = "",
    page: Page = "",
):
    """Beviljade, pågående och avslutade projekt: fritext (svensk stamning), filter och antal per filtervärde.

    Filtren tar koder: fond (ERUF), programperiod (2021), programområde (SE11), län (01), kommun (0180),
    mål (so<id> eller to<kod> som i `facets`), specifikt mål 2021–2027 med förordningens kod
    (`specific_objective=RSO1.1`), interventionsområde (`intervention=013`), sektor, startår och belopp i
    kronor (`amount_min` ≤ belopp < `amount_max`). Sortering: relevance, amount eller date. 20 projekt per sida.
    """
    try:
        result = selectors.search(selectors.parse_params(request.GET))
    except BadParameter as exc:
        _bad(exc)
    # Encoded here, not validated by ninja against ProjectList: the facet lists run to hundreds of values, and
    # validating them took ~25 ms a request. The body is kept with the search result, like the search page;
    # the Schemathesis tests check that it matches the schema.
    return HttpResponse(
        selectors.remembered(
            result,
            "json",
            lambda: json.dumps(
                {
                    "count": result.count,
                    "page": result.page,
                    "pages": result.pages,
                    "page_size": selectors.PAGE_SIZE,
                    "sort": result.sort,
                    "results": [_summary(p) for p in result.results],
                    "facets": {f.name: [_facet_value(o) for o in f.options] for f in result.facets},
                },
                cls=MoneyEncoder,
            ),
        ),
        content_type="application/json",
    )


class Suggestion(Schema):
    kind: str
    label: str
    url: str


@router.get("/projects/suggest", response=list[Suggestion], summary="Förslag medan man skriver")
def suggest(
    request, q: Annotated[str, WithJsonSchema({"type": "string", "maxLength": 500, "pattern": PRINTABLE})] = ""
):
    """Platser vars namn börjar med det sista ordet och de bästa projekten för orden hittills (det sista som
    början av ett ord), högst åtta."""
    return selectors.suggest(q)


@router.get(
    "/projects/{project_id}",
    response={200: ProjectDetail, 404: Error},
    url_name="project",
    summary="Ett projekt i projektbanken",
)
def project(request, project_id: Id):
    try:
        p = selectors.public_project(project_id)
    except Http404:
        raise HttpError(404, _("Projektet finns inte i projektbanken.")) from None
    return {
        **_summary(selectors.as_hit(p)),
        "summary": p.summary,
        "beneficiary_id": p.applicant_id,
        "partners": [{"id": o.pk, "name": o.name} for o in p.partners.all()],
        "status": p.status,
        "total_cost": p.total_cost,
        "cofinancing_rate": p.cofinancing_rate,
        "period": str(p.period.start_year) if p.period else None,
        "programme_region": p.programme_region.code if p.programme_region else None,
        "objective": str(p.objective) if p.objective else None,
        "thematic_objective": p.thematic_objective,
        "intervention_type": p.intervention_type,
        "specific_objective_code": regulation.code if (regulation := _regulation_objective(p)) else None,
        "intervention_field": p.intervention_field.code if p.intervention_field else None,
        "municipalities": [m.name for m in p.municipalities.all()],
        "source_id": p.source_id,
        "updated_at": p.updated_at,
    }
