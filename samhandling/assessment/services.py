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
    if application.call_id is None or not application.call.assessors.filter(pk=user.pk).exists():
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
    call = application.call
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
    """The optimal list for the call: highest total quality within each objective's amount and the quality floor."""
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
        call.status = Call.Status.ASSESSED
        call.save()
    return prioritisation


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
                        "code": objective.code,
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
    call = prioritisation.call
    mode = partnership_mode(call)
    members = Membership.objects.filter(partnership=item.meeting.partnership).values_list("person", flat=True)
    start = item.decision_points.aggregate(n=Max("number"))["n"] or 0
    points = []
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
    call.status = Call.Status.DECIDED
    call.save()
    return points


@transaction.atomic
def register_grant(application: Project, amount, *, decided_on: Date, by=None) -> Project:
    """The managing authority's grant: the application becomes a project and its money moves from reserved to granted."""
    if application.is_granted:
        raise ValidationError({"application": _("”%(name)s” är redan beviljad.") % {"name": application.name}})
    if application.call_id is None or application.objective_id is None:
        raise ValidationError({"application": _("Ansökan saknar utlysning eller specifikt mål.")})
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
