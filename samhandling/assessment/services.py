"""Writes for assessment: scoring with jäv blocks, the optimised prioritisation, the decision and the grant."""

from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.calls.models import Call, PartnershipMode
from samhandling.calls.selectors import partnership_mode
from samhandling.core.models import edited_from
from samhandling.core.money import format_sek
from samhandling.partnership import conflict_of_interest
from samhandling.partnership.models import ConflictOfInterest, DecisionPoint, Membership
from samhandling.partnership.services import record_conflicts
from samhandling.calls import services as call_services
from samhandling.core.money import to_money
from samhandling.partnership.selectors import is_open_item
from samhandling.programmes import services as ledger
from samhandling.projects.models import Project
from samhandling.projects.services import set_status

from . import optimise
from .models import Assessment, Prioritisation, PrioritisationEntry, Score, SelectionCriterion
from .selectors import ASSESSABLE, aggregate

MODE = PartnershipMode.Mode


def check_assessor(user, application: Project) -> None:
    """The user must be assigned to the call, the application submitted and the user free of jäv.

    A jäv found from a tie is recorded before it is refused; a draft is the applicant's alone.
    """
    if application.call is None or not application.call.assessors.filter(pk=user.pk).exists():
        raise PermissionDenied(_("Du är inte bedömare för den här utlysningen."))
    if application.status == Project.Status.DRAFT:
        raise PermissionDenied(_("Ansökan är inte inlämnad och kan inte bedömas."))
    found = conflict_of_interest.user_grounds(user, application)
    if found:
        with transaction.atomic():
            record_conflicts(application, found, ConflictOfInterest.Stage.ASSESSMENT)
        raise PermissionDenied(
            _("Du är jävig och får inte bedöma ansökan: %(reason)s.")
            % {"reason": conflict_of_interest.reason(found[0], application)}
        )
    recorded = ConflictOfInterest.objects.filter(
        application=application, person=conflict_of_interest.person_of(user)
    ).first()
    if recorded:
        raise PermissionDenied(_("Du är jävig och får inte bedöma ansökan: %(reason)s.") % {"reason": recorded.reason})


@transaction.atomic
def save_assessment(
    application: Project, assessor, *, scores: dict, private_note: str = "", complete: bool = False, version=None
) -> Assessment:
    """Scores per criterion number as {number: (score, motivation)}. Completing needs every criterion motivated.

    `version` (the form's) refuses a save over one made since the form was opened (another tab).
    """
    check_assessor(assessor, application)
    if application.status not in ASSESSABLE:
        raise ValidationError({"application": _("Ansökan kan inte bedömas i sin nuvarande status.")})
    call: Call = application.call  # type: ignore[assignment]  # check_assessor refuses an application without one
    errors = {}
    criteria = {c.number: c for c in SelectionCriterion.objects.all()}
    cleaned = {}
    for number, criterion in criteria.items():
        raw_score, motivation = scores.get(number, scores.get(str(number), (None, "")))
        motivation = (motivation or "").strip()
        if raw_score in (None, ""):
            if complete:
                errors[f"score_{number}"] = _("Kriterium %(number)s: ange poäng.") % {"number": number}
            continue
        try:
            value = int(raw_score)
        except (TypeError, ValueError):
            value = None
        if value is None or not call.score_min <= value <= call.score_max:
            errors[f"score_{number}"] = _("Kriterium %(number)s: poängen ska vara ett heltal %(min)s–%(max)s.") % {
                "number": number,
                "min": call.score_min,
                "max": call.score_max,
            }
            continue
        if complete and not motivation:
            errors[f"motivation_{number}"] = _("Kriterium %(number)s: skriv en motivering till poängen.") % {
                "number": number
            }
        cleaned[criterion] = (value, motivation)
    if errors:
        raise ValidationError(errors)
    assessment, created = Assessment.objects.get_or_create(application=application, assessor=assessor)
    if not created:
        edited_from(assessment, version)
    assessment.private_note = private_note
    assessment.completed_at = timezone.now() if complete else None
    assessment.save()
    for criterion, (value, motivation) in cleaned.items():
        Score.objects.update_or_create(
            assessment=assessment, criterion=criterion, defaults={"score": value, "motivation": motivation}
        )
    return assessment


@transaction.atomic
def propose_prioritisation(call: Call, *, by=None) -> Prioritisation:
    """The optimal list for the call: highest total quality within each objective's amount and the quality floor.

    Only a closed call is prioritised: an open call past its closing date is closed first (through the call's
    state machine); one still open is refused, so applicants are never shut out before the closing date.
    """
    call = _ready_for_prioritisation(call, by)
    results = aggregate(call)
    budgets = {co.objective_id: co.amount for co in call.call_objectives.filter(held=True)}
    candidates = [
        optimise.Candidate(
            r.application.pk, r.application.objective_id, r.application.amount_applied or Decimal(0), float(r.total)
        )
        for r in results
        if r.eligible and r.application.amount_applied
    ]
    chosen = optimise.optimal(candidates, budgets)
    prioritisation = Prioritisation.objects.create(call=call, method=optimise.METHOD, created_by=by)
    ordered = sorted(results, key=lambda r: (r.application.pk not in chosen, -r.total, r.application.name))
    for rank, r in enumerate(ordered, start=1):
        selected = r.application.pk in chosen
        PrioritisationEntry.objects.create(
            prioritisation=prioritisation,
            application=r.application,
            rank=rank,
            quality=r.total,
            amount=r.application.amount_applied or 0,
            eligible=r.eligible,
            proposed=selected,
            prioritised=selected,
        )
    if call.status == Call.Status.CLOSED:
        call_services.change_status(call, Call.Status.ASSESSED, by=by)
    return prioritisation


def _ready_for_prioritisation(call: Call, by) -> Call:
    S = Call.Status
    if call.status == S.OPEN:
        if call_services.closes_early(call, timezone.localdate()):
            raise ValidationError(
                {
                    "call": _(
                        "Utlysning %(call)s är öppen till och med %(date)s. Prioritera när den har stängt, eller "
                        "stäng den i förtid med ett skäl på utlysningens sida."
                    )
                    % {"call": call, "date": f"{call.closes_on:%Y-%m-%d}"}
                }
            )
        call = call_services.change_status(call, S.CLOSED, by=by, reason=_("Stängningsdatumet har passerat."))
    if call.status not in (S.CLOSED, S.ASSESSED):
        raise ValidationError(
            {
                "call": _("Utlysning %(call)s kan inte prioriteras i status ”%(status)s”.")
                % {"call": call, "status": call.get_status_display()}
            }
        )
    return call


@transaction.atomic
def move(entry: PrioritisationEntry, *, prioritised: bool, reason: str, by) -> PrioritisationEntry:
    """The secretariat moves an application in or out of the list; the reason is recorded with the entry."""
    if entry.prioritisation.decided_at_id:
        raise ValidationError({"entry": _("Prioriteringen är redan beslutad och kan inte ändras.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Skäl: ange varför ansökan flyttas.")})
    if prioritised and not entry.prioritised:
        objective = entry.application.objective
        co = entry.prioritisation.call.call_objectives.get(objective=objective)
        used = sum(
            e.amount for e in entry.prioritisation.entries.filter(prioritised=True, application__objective=objective)
        )
        if used + entry.amount > co.amount:
            raise ValidationError(
                {
                    "entry": _(
                        "Specifikt mål %(code)s räcker inte: det saknas %(missing)s för att prioritera ”%(name)s”. "
                        "Flytta först ut en annan ansökan."
                    )
                    % {
                        "code": co.objective.code,
                        "missing": format_sek(used + entry.amount - co.amount),
                        "name": entry.application.name,
                    }
                }
            )
    entry.prioritised = prioritised
    entry.moved_reason = reason.strip()
    entry.moved_by = by
    entry.save()
    return entry


def decision_text(entry: PrioritisationEntry, mode: str) -> str:
    a = entry.application
    who = f"”{a.name}” ({a.applicant or 'sökande saknas'}), specifikt mål {a.objective.code if a.objective else '–'}"
    verdict = f"prioriteras med {format_sek(entry.amount)}" if entry.prioritised else "prioriteras inte"
    if mode == MODE.BINDING_PRIORITISATION:
        return f"Ansökan {who}, {verdict}."
    return f"Partnerskapet tar del av förvaltande myndighetens bedömning: ansökan {who}, {verdict}."


@transaction.atomic
def write_decision(prioritisation: Prioritisation, item, *, by=None) -> list[DecisionPoint]:
    """The final list becomes the decision of a meeting item: one point per application, with jäv in the minutes.

    Members tied to an applicant or partner are recorded as jäviga on the item for that application: they
    take no part and are left out of the item's vote count.
    """
    if prioritisation.decided_at_id:
        raise ValidationError(
            {"item": _("Prioriteringen är redan beslutad vid %(item)s.") % {"item": prioritisation.decided_at}}
        )
    if not is_open_item(item):
        raise ValidationError(
            {
                "item": _(
                    "Sammanträde %(meeting)s är justerat eller signerat; välj en paragraf i ett öppet sammanträde."
                )
                % {"meeting": item.meeting.code}
            }
        )
    call = Call.objects.select_related("fund").get(pk=prioritisation.call_id)  # its status as stored now
    if call.status != Call.Status.ASSESSED:
        raise ValidationError(
            {
                "call": _(
                    "Utlysning %(call)s är inte bedömd och prioriterad (status: %(status)s); "
                    "beslutet kan inte föras in."
                )
                % {"call": call, "status": call.get_status_display()}
            }
        )
    mode = partnership_mode(call)
    members = Membership.objects.filter(partnership=item.meeting.partnership).values_list("person", flat=True)
    start = item.decision_points.aggregate(n=Max("number"))["n"] or 0
    points: list[DecisionPoint] = []
    for n, entry in enumerate(
        prioritisation.entries.select_related("application__applicant", "application__objective"), start=start + 1
    ):
        application = entry.application
        points.append(
            DecisionPoint.objects.create(
                item=item,
                number=n,
                text=decision_text(entry, mode),
                project=application,
                call=call,
                outcome=DecisionPoint.Outcome.PRIORITISED
                if entry.prioritised
                else DecisionPoint.Outcome.NOT_PRIORITISED,
                amount=entry.amount if entry.prioritised else None,
            )
        )
        found = conflict_of_interest.grounds(application, persons=members)
        record_conflicts(application, found, ConflictOfInterest.Stage.DECISION, item=item)
        set_status(
            application,
            Project.Status.PRIORITISED if entry.prioritised else Project.Status.NOT_PRIORITISED,
            by=by,
            note=f"{item.meeting} {item}",
        )
    prioritisation.decided_at = item
    prioritisation.save()
    call_services.change_status(call, Call.Status.DECIDED, by=by, item=item)
    return points


@transaction.atomic
def register_grant(application: Project, amount, *, decided_on: Date, by=None) -> Project:
    """The managing authority's grant: the application becomes a project and its money moves from reserved to granted.

    Only an application the decision prioritised can be granted; a draft or an application that never went
    through the decision is refused here, so every path (web, API, command line) is held to it.
    """
    if application.is_granted:
        raise ValidationError({"application": _("”%(name)s” är redan beviljad.") % {"name": application.name}})
    if application.call_id is None or application.objective_id is None:
        raise ValidationError({"application": _("Ansökan saknar utlysning eller specifikt mål.")})
    decided = application.decision_points.filter(outcome=DecisionPoint.Outcome.PRIORITISED).exists()
    if application.status != Project.Status.PRIORITISED or not decided:
        raise ValidationError(
            {
                "application": _(
                    "”%(name)s” kan inte beviljas: bara ansökningar som prioriterats i ett beslut i protokollet kan "
                    "beviljas (status nu: %(status)s)."
                )
                % {"name": application.name, "status": application.get_status_display()}
            }
        )
    errors = {}
    try:
        amount = to_money(str(amount).replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except (TypeError, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        errors["amount"] = _("Beviljat belopp: ange ett belopp i kronor, större än noll.")
    elif application.amount_applied is not None and amount > application.amount_applied:
        errors["amount"] = _("Beviljat belopp: %(amount)s är mer än det sökta beloppet, %(applied)s.") % {
            "amount": format_sek(amount),
            "applied": format_sek(application.amount_applied),
        }
    if errors:
        raise ValidationError(errors)
    movement = ledger.grant(
        application.objective,
        amount,
        when=decided_on,
        reason=f"Beviljat: {application.name}"[:500],
        project=application,
        call=application.call,
        key=f"grant:project:{application.pk}",
    )
    application.amount_granted = movement.amount
    application.decision_date = decided_on
    application.save(update_fields=["amount_granted", "decision_date", "updated_at"])
    return set_status(application, Project.Status.GRANTED, by=by, note="Beviljad av förvaltande myndighet")
