"""Applications to calls: one set of checks shared by the web form, the API and the import.

`clean()` turns raw input (strings from a form, JSON values from the API or a file) into typed values and
checks what can be checked on a draft. `submit()` adds the checks a submission needs: complete, within the
call's dates, and within its rules for support and co-financing. Errors are Swedish and name the field.
"""

from datetime import date as Date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from samhandling.assessment.models import SelectionCriterion
from samhandling.core.money import format_sek, to_money
from samhandling.projects.models import County, Municipality, Project
from samhandling.projects.services import get_or_create_organisation, set_status
from samhandling.projects.validators import normalise_org_number

from .models import Call
from .selectors import held_objectives

LABELS = {
    "name": gettext_lazy("Projektnamn"),
    "summary": gettext_lazy("Sammanfattning"),
    "applicant_name": gettext_lazy("Sökande organisation"),
    "applicant_org_number": gettext_lazy("Sökandes organisationsnummer"),
    "partners": gettext_lazy("Samverkansparter"),
    "objective": gettext_lazy("Specifikt mål"),
    "amount_applied": gettext_lazy("Sökt belopp"),
    "cofinancing": gettext_lazy("Medfinansiering"),
    "start_date": gettext_lazy("Startdatum"),
    "end_date": gettext_lazy("Slutdatum"),
    "target_group": gettext_lazy("Målgrupp"),
    "planned_participants": gettext_lazy("Planerat antal deltagare"),
    "counties": gettext_lazy("Län"),
    "municipalities": gettext_lazy("Kommuner"),
    "criterion_texts": gettext_lazy("Texter per bedömningskriterium"),
}
REQUIRED_ON_SUBMIT = [
    "name",
    "summary",
    "applicant_name",
    "applicant_org_number",
    "objective",
    "amount_applied",
    "cofinancing",
    "start_date",
    "end_date",
    "target_group",
    "counties",
]


def criteria():
    return list(SelectionCriterion.objects.order_by("number"))


def _money(value, field, errors):
    if value in (None, ""):
        return None
    try:
        amount = to_money(str(value).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except (TypeError, ValueError):
        errors[field] = _("%(field)s: ange ett belopp i kronor.") % {"field": LABELS[field]}
        return None
    if amount < 0:
        errors[field] = _("%(field)s: beloppet får inte vara negativt.") % {"field": LABELS[field]}
    return amount


def _date(value, field, errors):
    if value in (None, ""):
        return None
    if isinstance(value, Date):
        return value
    try:
        return Date.fromisoformat(str(value))
    except ValueError:
        errors[field] = _("%(field)s: ange datum som ÅÅÅÅ-MM-DD.") % {"field": LABELS[field]}
        return None


def _org_number(value, field, errors):
    if not value:
        return ""
    try:
        return normalise_org_number(str(value))
    except ValidationError as exc:
        errors[field] = f"{LABELS[field]}: {exc.messages[0]}"
        return ""


def clean(call: Call, data: dict) -> dict:
    """Typed values from raw input, or ValidationError with one Swedish message per field."""
    errors: dict[str, str] = {}
    out = {key: (data.get(key) or "").strip() for key in ("name", "summary", "applicant_name", "target_group")}
    if not out["name"]:
        errors["name"] = _("Projektnamn: ange ett namn på projektet.")
    out["applicant_org_number"] = _org_number(data.get("applicant_org_number"), "applicant_org_number", errors)
    partners = []
    for n, partner in enumerate(data.get("partners") or [], start=1):
        name = (partner.get("name") or "").strip()
        if not name:
            errors["partners"] = _("Samverkansparter: part %(n)s saknar namn.") % {"n": n}
            continue
        number = ""
        if partner.get("org_number"):
            try:
                number = normalise_org_number(str(partner["org_number"]))
            except ValidationError as exc:
                errors["partners"] = _("Samverkansparter: part %(n)s (%(name)s): %(error)s") % {
                    "n": n,
                    "name": name,
                    "error": exc.messages[0],
                }
        partners.append({"name": name, "org_number": number})
    out["partners"] = partners
    out["objective"] = None
    code = (data.get("objective") or "").strip()
    if code:
        out["objective"] = next((co for co in held_objectives(call) if co.objective.code == code), None)
        if out["objective"] is None:
            errors["objective"] = _("Specifikt mål: %(code)s ingår inte i utlysning %(call)s.") % {
                "code": code,
                "call": call,
            }
    out["amount_applied"] = _money(data.get("amount_applied"), "amount_applied", errors)
    out["cofinancing"] = _money(data.get("cofinancing"), "cofinancing", errors)
    out["start_date"] = _date(data.get("start_date"), "start_date", errors)
    out["end_date"] = _date(data.get("end_date"), "end_date", errors)
    if out["start_date"] and out["end_date"] and out["end_date"] < out["start_date"]:
        errors["end_date"] = _("Slutdatum: projektet kan inte sluta före startdatum.")
    participants = data.get("planned_participants")
    out["planned_participants"] = None
    if participants not in (None, ""):
        try:
            out["planned_participants"] = int(participants)
            if out["planned_participants"] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors["planned_participants"] = _("Planerat antal deltagare: ange ett heltal, noll eller större.")
    out["counties"] = _lookup(County, data.get("counties"), "counties", errors)
    out["municipalities"] = _lookup(Municipality, data.get("municipalities"), "municipalities", errors)
    texts = data.get("criterion_texts") or {}
    out["criterion_texts"] = {
        str(c.number): str(texts.get(str(c.number)) or texts.get(c.number) or "").strip() for c in criteria()
    }
    if errors:
        raise ValidationError(errors)
    return out


def _lookup(model, codes, field, errors):
    codes = [str(c).strip() for c in (codes or []) if str(c).strip()]
    found = list(model.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {o.code for o in found})
    if missing:
        errors[field] = _("%(field)s: okänd kod %(codes)s.") % {"field": LABELS[field], "codes": ", ".join(missing)}
    return found


def missing_on_submit(values: dict) -> dict[str, str]:
    """What a submission lacks, by field; also used by the form so that format errors and missing fields are
    reported together rather than in two rounds."""
    errors = {}
    for field in REQUIRED_ON_SUBMIT:
        if values.get(field) in (None, "", []):
            errors[field] = _("%(field)s: uppgiften saknas, ansökan är ofullständig.") % {"field": LABELS[field]}
    missing = [n for n, text in values.get("criterion_texts", {}).items() if not text]
    if missing:
        errors["criterion_texts"] = _(
            "%(field)s: beskrivning saknas för kriterium %(numbers)s; ansökan är ofullständig."
        ) % {"field": LABELS["criterion_texts"], "numbers": ", ".join(missing)}
    return errors


def check_submission(call: Call, values: dict, *, at: datetime) -> None:
    """Completeness, the call's dates and its rules. Raises ValidationError naming each failing field."""
    errors: dict[str, str] = missing_on_submit(values)
    today = timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
    if call.status != Call.Status.OPEN:
        errors["call"] = _("Utlysning %(call)s är inte öppen för ansökningar (status: %(status)s).") % {
            "call": call,
            "status": call.get_status_display(),
        }
    elif call.opens_on and today < call.opens_on:
        errors["call"] = _("Utlysning %(call)s öppnar först %(date)s.") % {
            "call": call,
            "date": f"{call.opens_on:%Y-%m-%d}",
        }
    elif call.closes_on and today > call.closes_on:
        errors["call"] = _("Ansökan kom in för sent: utlysning %(call)s stängde %(date)s.") % {
            "call": call,
            "date": f"{call.closes_on:%Y-%m-%d}",
        }
    amount, cofinancing = values.get("amount_applied"), values.get("cofinancing")
    if amount is not None:
        if amount <= 0:
            errors["amount_applied"] = _("Sökt belopp: måste vara större än noll.")
        elif call.max_support is not None and amount > call.max_support:
            errors["amount_applied"] = _(
                "Sökt belopp: %(amount)s är mer än utlysningens högsta stöd per projekt, %(max)s."
            ) % {"amount": format_sek(amount), "max": format_sek(call.max_support)}
        elif values.get("objective") and amount > values["objective"].amount:
            errors["amount_applied"] = _(
                "Sökt belopp: %(amount)s är mer än hela utlysningens belopp för mål %(code)s, %(total)s."
            ) % {
                "amount": format_sek(amount),
                "code": values["objective"].objective.code,
                "total": format_sek(values["objective"].amount),
            }
    if amount and cofinancing is not None and call.cofinancing_share is not None:
        share = cofinancing / (amount + cofinancing)
        if share < call.cofinancing_share:
            errors["cofinancing"] = _(
                "Medfinansiering: %(share)s av projektets budget, utlysningen kräver minst %(required)s."
            ) % {"share": _percent(share), "required": _percent(call.cofinancing_share)}
    if errors:
        raise ValidationError(errors)


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'))} %".replace(".", ",").replace(",0 %", " %")


def _own_draft(application: Project, user) -> None:
    if application.owner_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Du kan bara se och ändra dina egna ansökningar."))
    if application.status != Project.Status.DRAFT:
        raise PermissionDenied(_("Ansökan är inlämnad och kan inte längre ändras."))


@transaction.atomic
def save_draft(
    *,
    call: Call,
    owner,
    data: dict,
    application: Project | None = None,
    source: str = "samhandling",
    source_id: str = "",
) -> Project:
    """Creates or updates the owner's draft. Only drafts can change; only the owner may change them."""
    if application is not None:
        _own_draft(application, owner)
    elif call.status != Call.Status.OPEN:
        raise ValidationError({"call": _("Utlysning %(call)s är inte öppen för ansökningar.") % {"call": call}})
    values = clean(call, data)
    return _store(call, owner, values, application, source, source_id)


def _store(call, owner, values, application, source, source_id) -> Project:
    applicant = None
    if values["applicant_name"]:
        applicant, _created = get_or_create_organisation(
            values["applicant_name"], org_number=values["applicant_org_number"]
        )
    co = values["objective"]
    amount, cofinancing = values["amount_applied"], values["cofinancing"]
    fields = {
        "name": values["name"],
        "summary": values["summary"],
        "applicant": applicant,
        "call": call,
        "fund": call.fund,
        "objective": co.objective if co else None,
        "period": co.objective.programme.period if co else None,
        "programme_region": co.objective.programme.programme_region if co else None,
        "amount_applied": amount,
        "cofinancing": cofinancing,
        "total_cost": (amount or 0) + (cofinancing or 0) if amount is not None else None,
        "start_date": values["start_date"],
        "end_date": values["end_date"],
        "target_group": values["target_group"],
        "planned_participants": values["planned_participants"],
        "criterion_texts": values["criterion_texts"],
        "owner": owner,
    }
    if application is None:
        application = Project.objects.create(status=Project.Status.DRAFT, source=source, source_id=source_id, **fields)
    else:
        for key, value in fields.items():
            setattr(application, key, value)
        application.save()
    application.partners.set(
        [get_or_create_organisation(p["name"], org_number=p["org_number"])[0] for p in values["partners"]]
    )
    counties = {c.pk: c for c in values["counties"]}
    counties.update({m.county_id: m.county for m in values["municipalities"]})
    application.counties.set(counties.values())
    application.municipalities.set(values["municipalities"])
    return application


@transaction.atomic
def submit(application: Project, *, by, at: datetime | None = None) -> Project:
    """Submits the owner's draft; refused with the reason when late, early, incomplete or against the rules."""
    _own_draft(application, by)
    at = at or timezone.now()
    values = clean(application.call, application_data(application))
    check_submission(application.call, values, at=at)
    application.submitted_at = at
    application.save(update_fields=["submitted_at", "updated_at"])
    return set_status(application, Project.Status.SUBMITTED, by=by, note="Inlämnad av sökande")


def application_data(application: Project) -> dict:
    """The stored application as raw input, to fill the form again and to check it on submission."""
    return {
        "name": application.name,
        "summary": application.summary,
        "applicant_name": application.applicant.name if application.applicant else "",
        "applicant_org_number": application.applicant.org_number if application.applicant else "",
        "partners": [{"name": p.name, "org_number": p.org_number} for p in application.partners.order_by("name")],
        "objective": application.objective.code if application.objective else "",
        "amount_applied": application.amount_applied,
        "cofinancing": application.cofinancing,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "target_group": application.target_group,
        "planned_participants": application.planned_participants,
        "counties": [c.code for c in application.counties.all()],
        "municipalities": [m.code for m in application.municipalities.all()],
        "criterion_texts": dict(application.criterion_texts or {}),
    }


@transaction.atomic
def create_and_submit(
    *, call: Call, owner, data: dict, at: datetime | None = None, source: str = "samhandling", source_id: str = ""
) -> Project:
    """Used by the API and the import: a complete application in one step (nothing is stored if it fails)."""
    at = at or timezone.now()
    values = clean(call, data)
    check_submission(call, values, at=at)
    application = _store(call, owner, values, None, source, source_id)
    application.submitted_at = at
    application.save(update_fields=["submitted_at", "updated_at"])
    return set_status(application, Project.Status.SUBMITTED, by=owner, note=f"Inlämnad ({source})")
