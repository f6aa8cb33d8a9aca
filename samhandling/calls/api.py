"""Calls (public) and applications (authenticated: applicants see their own, the secretariat all)."""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from samhandling.access.api_auth import RoleAuth
from samhandling.access.roles import Role
from samhandling.core.api import NOT_FOUND, SIGNED_IN, Id, Money, Share
from samhandling.projects.models import Project

from . import applications
from .models import Call
from .selectors import public_calls, visible_applications

router = Router(tags=["Utlysningar och ansökningar"])


class CallObjectiveOut(Schema):
    code: str
    name: str
    amount: Money
    held: bool
    focus_areas: list[str]
    intervention_types: list[str]


class StrandOut(Schema):
    name: str
    kind: Literal["implementation", "pre_study"]
    objectives: list[str]
    max_support: Money | None
    cofinancing_share: Share | None
    simplified_reporting: bool
    final_report_only: bool
    amount: Money | None


class CallOut(Schema):
    id: int
    code: str
    fund: str
    title: str
    status: str
    opens_on: date | None
    closes_on: date | None
    orientation: str
    conditions: str
    conditional_on: list[str]
    condition_lifted: bool
    approved_at: str | None
    objectives: list[CallObjectiveOut]
    strands: list[StrandOut]


def _call_out(call: Call) -> dict:
    item = call.approved_at
    return {
        "id": call.pk,
        "code": call.code,
        "fund": call.fund.code,
        "title": call.title,
        "status": call.status,
        "opens_on": call.opens_on,
        "closes_on": call.closes_on,
        "orientation": call.orientation,
        "conditions": call.conditions,
        "conditional_on": [str(c) for c in call.condition_calls],
        "condition_lifted": call.condition_lifted_at_id is not None,
        "approved_at": f"Protokoll {item.meeting.code} § {item.number}" if item else None,
        "objectives": [
            {
                "code": co.objective.code,
                "name": co.objective.name,
                "amount": co.amount,
                "held": co.held,
                "focus_areas": co.focus_area_list,
                "intervention_types": co.intervention_type_list,
            }
            for co in call.call_objectives.all()
        ],
        "strands": [
            {
                "name": strand.name,
                "kind": strand.kind,
                "objectives": strand.objective_codes,
                "max_support": strand.max_support,
                "cofinancing_share": strand.cofinancing_share,
                "simplified_reporting": strand.simplified_reporting,
                "final_report_only": strand.final_report_only,
                "amount": strand.amount,
            }
            for strand in call.strands.all()
        ],
    }


@router.get("/calls", response=list[CallOut], summary="Utlysningar")
def calls(request):
    return [_call_out(c) for c in public_calls()]


@router.get("/calls/{call_id}", response={200: CallOut, **NOT_FOUND}, summary="En utlysning")
def call(request, call_id: Id):
    return _call_out(get_object_or_404(public_calls(), pk=call_id))


class PartnerIn(Schema):
    name: str
    org_number: str = ""


class ApplicationIn(Schema):
    call_id: Id
    name: str
    summary: str = ""
    applicant_name: str = ""
    applicant_org_number: str = ""
    partners: list[PartnerIn] = []
    strand: str = Field(
        "", max_length=200, description="Delutlysningens namn (eller id); behövs när utlysningen har flera"
    )
    objective: str = ""
    amount_applied: Money | None = None
    cofinancing: Money | None = None
    start_date: date | None = None
    end_date: date | None = None
    target_group: str = ""
    planned_participants: int | None = None
    counties: list[str] = []
    municipalities: list[str] = []
    criterion_texts: dict[str, str] = {}
    submit: bool = False


class ApplicationOut(Schema):
    id: int
    call: str
    name: str
    applicant: str | None
    objective: str | None
    status: str
    amount_applied: Money | None
    cofinancing: Money | None
    amount_granted: Money | None
    submitted_at: datetime | None


class Errors(Schema):
    errors: dict[str, list[str]]


def _application_out(p: Project) -> dict:
    return {
        "id": p.pk,
        "call": str(p.call),
        "name": p.name,
        "applicant": p.applicant.name if p.applicant else None,
        "objective": p.objective.code if p.objective else None,
        "status": p.status,
        "amount_applied": p.amount_applied,
        "cofinancing": p.cofinancing,
        "amount_granted": p.amount_granted,
        "submitted_at": p.submitted_at,
    }


def _visible(request):
    qs = visible_applications(request.user)
    if qs is None:
        raise HttpError(403, _("Du saknar behörighet att se ansökningar."))
    return qs


@router.get("/applications", response={200: list[ApplicationOut], **SIGNED_IN}, auth=django_auth, summary="Ansökningar")
def application_list(request, call_id: Id | None = None):
    qs = _visible(request).order_by("-updated_at", "-id")
    if call_id:
        qs = qs.filter(call_id=call_id)
    return [_application_out(p) for p in qs]


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **SIGNED_IN, **NOT_FOUND},
    auth=django_auth,
    summary="En ansökan",
)
def application_detail(request, application_id: Id):
    return _application_out(get_object_or_404(_visible(request), pk=application_id))


@router.post(
    "/applications",
    response={201: ApplicationOut, 400: Errors, **SIGNED_IN, **NOT_FOUND},
    auth=RoleAuth(Role.APPLICANT, message=gettext_lazy("Bara sökande kan lämna in ansökningar.")),
    summary="Spara utkast eller lämna in en ansökan",
)
def application_create(request, payload: ApplicationIn):
    found = get_object_or_404(Call, pk=payload.call_id)
    data = payload.dict(exclude={"call_id", "submit"})
    try:
        if payload.submit:
            created = applications.create_and_submit(call=found, owner=request.user, data=data, source="api")
        else:
            created = applications.save_draft(call=found, owner=request.user, data=data)
    except ValidationError as exc:
        return Status(400, {"errors": exc.message_dict})
    return Status(201, _application_out(created))
