"""Applications to calls: one set of checks shared by the web form, the API and the import.

`clean()` turns raw input (strings from a form, JSON values from the API or a file) into typed values and
checks what can be checked on a draft. `submit()` adds the checks a submission needs: complete, within the
call's dates, and within the rules of the chosen strand (delutlysning) for support and co-financing.
Errors are Swedish and name the field.
"""

from datetime import date as Date
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samhandling.partnership.scope import scoped
from samhandling.assessment.models import SelectionCriterion
from samhandling.core.text import problem as text_problem
from samhandling.core.money import format_sek, to_money
from samhandling.core.models import ConcurrentEditError
from samhandling.projects.models import County, Municipality, Organisation, Project
from samhandling.projects.services import find_organisation, get_or_create_organisation, set_status
from samhandling.projects.validators import normalise_org_number

from .models import Call
from .receipts import send_receipt
from .selectors import held_objectives, percent

ORGANISATION_NAME_MAX = Organisation._meta.get_field("name").max_length
LABELS = {
    "name": gettext_lazy("Projektnamn"),
    "summary": gettext_lazy("Sammanfattning"),
    "applicant_name": gettext_lazy("Sökande organisation"),
    "applicant_org_number": gettext_lazy("Sökandes organisationsnummer"),
    "partners": gettext_lazy("Samverkansparter"),
    "strand": gettext_lazy("Delutlysning"),
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
    return list(scoped(SelectionCriterion.objects).order_by("number"))


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
    applicant_problem = text_problem(_("Sökande organisation"), out["applicant_name"], ORGANISATION_NAME_MAX)
    if applicant_problem:
        errors["applicant_name"] = applicant_problem
    out["applicant_org_number"] = _org_number(data.get("applicant_org_number"), "applicant_org_number", errors)
    partners = []
    for n, partner in enumerate(data.get("partners") or [], start=1):
        name = (partner.get("name") or "").strip()
        if not name:
            errors["partners"] = _("Samverkansparter: part %(n)s saknar namn.") % {"n": n}
            continue
        name_problem = text_problem(_("Samverkansparter: part %(n)s") % {"n": n}, name, ORGANISATION_NAME_MAX)
        if name_problem:
            errors["partners"] = name_problem
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
    out["strand"] = _strand(call, data.get("strand"), out["objective"], errors)
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


def _strand(call: Call, ref, objective, errors):
    """The strand chosen by id or name; a call with a single strand needs no choice."""
    strands = list(call.strands.prefetch_related("objectives"))
    ref = str(ref or "").strip()
    if ref:
        strand = next((s for s in strands if str(s.pk) == ref or s.name.casefold() == ref.casefold()), None)
        if strand is None:
            errors["strand"] = _("Delutlysning: ”%(ref)s” finns inte i utlysning %(call)s.") % {
                "ref": ref,
                "call": call,
            }
            return None
    elif len(strands) == 1:
        strand = strands[0]
    else:
        return None
    if objective is not None and objective.objective_id not in {o.pk for o in strand.objectives.all()}:
        errors["objective"] = _("Specifikt mål: %(code)s ingår inte i delutlysningen ”%(strand)s”.") % {
            "code": objective.objective.code,
            "strand": strand.name,
        }
    return strand


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
    if values.get("strand") is None and call.pk is not None and call.strands.exists():
        errors["strand"] = _("Delutlysning: välj vilken del av utlysningen ansökan gäller.")
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
    errors.update(strand_rule_errors(values.get("strand"), values))
    errors.update(directed_call_errors(call, values))
    if errors:
        raise ValidationError(errors)


def directed_call_errors(call: Call, values: dict) -> dict[str, str]:
    """A directed call takes applications only from the organisations it is directed to."""
    directed = list(call.directed_to.all()) if call.pk is not None else []
    if not directed:
        return {}
    number = str(values.get("applicant_org_number") or "").replace("-", "")
    name = str(values.get("applicant_name") or "").strip().casefold()
    if any((number and o.org_number.replace("-", "") == number) or o.name.casefold() == name for o in directed):
        return {}
    message = _("Utlysning %(call)s är riktad till %(names)s; %(applicant)s kan inte söka i den.") % {
        "call": call,
        "names": ", ".join(sorted(o.name for o in directed)),
        "applicant": values.get("applicant_name") or "–",
    }
    return {"applicant_name": message}


def strand_rule_errors(strand, values: dict) -> dict[str, str]:
    """The strand's rules: support above zero and within its cap and amounts, co-financing at least its share."""
    errors = {}
    amount, cofinancing, co = values.get("amount_applied"), values.get("cofinancing"), values.get("objective")
    if amount is not None:
        if amount <= 0:
            errors["amount_applied"] = _("Sökt belopp: måste vara större än noll.")
        elif strand is not None and strand.max_support is not None and amount > strand.max_support:
            errors["amount_applied"] = _(
                "Sökt belopp: %(amount)s är mer än högsta stöd per projekt i delutlysningen ”%(strand)s”, %(max)s."
            ) % {"amount": format_sek(amount), "strand": strand.name, "max": format_sek(strand.max_support)}
        elif strand is not None and strand.amount is not None and amount > strand.amount:
            errors["amount_applied"] = _(
                "Sökt belopp: %(amount)s är mer än hela delutlysningens belopp, %(total)s."
            ) % {"amount": format_sek(amount), "total": format_sek(strand.amount)}
        elif co and amount > co.amount:
            errors["amount_applied"] = _(
                "Sökt belopp: %(amount)s är mer än hela utlysningens belopp för mål %(code)s, %(total)s."
            ) % {"amount": format_sek(amount), "code": co.objective.code, "total": format_sek(co.amount)}
    if (
        amount
        and amount > 0
        and cofinancing is not None
        and strand is not None
        and strand.cofinancing_share is not None
    ):
        share = cofinancing / (amount + cofinancing)
        if share < strand.cofinancing_share:
            errors["cofinancing"] = _(
                "Medfinansiering: %(share)s av projektets budget, "
                "delutlysningen ”%(strand)s” kräver minst %(required)s."
            ) % {"share": percent(share), "strand": strand.name, "required": percent(strand.cofinancing_share)}
    return errors


def _own_draft(application: Project, user) -> None:
    if application.owner_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Du kan bara se och ändra dina egna ansökningar."))
    if application.status != Project.Status.DRAFT:
        raise PermissionDenied(_("Ansökan är inlämnad och kan inte längre ändras."))


def edit_token(application: Project) -> str:
    """What the draft form carries to detect a save by someone else (another tab) since it was opened."""
    return application.updated_at.isoformat()


def _claim(application: Project, token: str) -> None:
    """Optimistic lock on the draft: moves its timestamp only if it is still the one the editor started from."""
    try:
        started = datetime.fromisoformat(token)
    except ValueError:
        raise ConcurrentEditError(application) from None
    if not Project.objects.filter(pk=application.pk, updated_at=started).update(updated_at=timezone.now()):
        raise ConcurrentEditError(application)


@transaction.atomic
def save_draft(
    *,
    call: Call,
    owner,
    data: dict,
    application: Project | None = None,
    source: str = "samhandling",
    source_id: str = "",
    edited_from: str = "",
) -> Project:
    """Creates or updates the owner's draft. Only drafts can change; only the owner may change them.

    `edited_from` (the form's edit_token) refuses a save over a change made since the form was opened.
    """
    if application is not None:
        _own_draft(application, owner)
        if edited_from:
            _claim(application, edited_from)
    elif call.status != Call.Status.OPEN:
        raise ValidationError({"call": _("Utlysning %(call)s är inte öppen för ansökningar.") % {"call": call}})
    values = clean(call, data)
    return _store(call, owner, values, application, source, source_id)


def _store(call, owner, values, application, source, source_id) -> Project:
    applicant = None
    if values["applicant_name"]:
        applicant = _organisation(values["applicant_name"], values["applicant_org_number"])
    co = values["objective"]
    amount, cofinancing = values["amount_applied"], values["cofinancing"]
    fields = {
        "name": values["name"],
        "summary": values["summary"],
        "applicant": applicant,
        "call": call,
        "strand": values["strand"],
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
    application.partners.set([_organisation(p["name"], p["org_number"]) for p in values["partners"]])
    counties = {c.pk: c for c in values["counties"]}
    counties.update({m.county_id: m.county for m in values["municipalities"]})
    application.counties.set(counties.values())
    application.municipalities.set(values["municipalities"])
    return application


def _organisation(name: str, number: str):
    """With a number the organisation is the one holding that number (a new one if none does), never one that
    merely shares the name: a draft saved as "X" without a number must not pin the application to that
    number-less "X" once the applicant gives the number."""
    if number:
        found = find_organisation("", number)
        return found or Organisation.objects.create(name=name.strip(), org_number=number)
    return get_or_create_organisation(name)[0]


@transaction.atomic
def submit(
    application: Project, *, by, at: datetime | None = None, note: str = "Inlämnad av sökande", receipt: bool = True
) -> Project:
    """The one submission of an application, whatever the path (web form, API, import).

    Submits the owner's draft; refused with the reason when late, early, incomplete or against the rules.
    """
    _own_draft(application, by)
    at = at or timezone.now()
    values = clean(application.call, application_data(application))
    check_submission(application.call, values, at=at)
    application.submitted_at = at
    application.save(update_fields=["submitted_at", "updated_at"])
    application = set_status(application, Project.Status.SUBMITTED, by=by, note=note)
    if receipt:
        send_receipt(application)
    return application


def application_data(application: Project) -> dict:
    """The stored application as raw input, to fill the form again and to check it on submission."""
    return {
        "name": application.name,
        "summary": application.summary,
        "applicant_name": application.applicant.name if application.applicant else "",
        "applicant_org_number": application.applicant.org_number if application.applicant else "",
        "partners": [{"name": p.name, "org_number": p.org_number} for p in application.partners.order_by("name")],
        "strand": str(application.strand_id or ""),
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
    # the applicant's own submission gets a receipt; imported applications get none
    return submit(application, by=owner, at=at, note=f"Inlämnad ({source})", receipt=source == "api")
