"""Writes for calls: lifecycle, opening (which reserves money in the ledger) and versioned call plans."""

from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.programmes import services as ledger
from samhandling.programmes.selectors import balance

from .models import Call, CallPlan

S = Call.Status

# Each status and the statuses a call may move to from it, in the order of the lifecycle.
TRANSITIONS: dict[str, set[str]] = {
    S.ORIENTATION_DRAFT: {S.PROPOSED},
    S.PROPOSED: {S.PARTNERSHIP_OPINION, S.ORIENTATION_DRAFT},
    S.PARTNERSHIP_OPINION: {S.APPROVED, S.PROPOSED},
    S.APPROVED: {S.OPEN},
    S.OPEN: {S.CLOSED},
    S.CLOSED: {S.ASSESSED},
    S.ASSESSED: {S.DECIDED},
    S.DECIDED: set(),
}


@transaction.atomic
def change_status(call: Call, status: str, *, item=None, when: Date | None = None) -> Call:
    """Moves a call one step in its lifecycle. Approval needs the meeting item (§); opening reserves money."""
    if status not in S.values:
        raise ValidationError({"status": f"Okänd status ”{status}” för utlysning {call}."})
    if status not in TRANSITIONS.get(call.status, set()):
        raise ValidationError(
            {
                "status": _("Utlysning %(call)s kan inte gå från ”%(old)s” till ”%(new)s”.")
                % {"call": call, "old": call.get_status_display(), "new": S(status).label}
            }
        )
    if status == S.APPROVED:
        if item is None and call.approved_at_id is None:
            raise ValidationError({"approved_at": _("Ange vid vilken paragraf partnerskapet godkände inriktningen.")})
        call.approved_at = item or call.approved_at
    if status == S.OPEN:
        _reserve(call, when or timezone.localdate())
    call.status = status
    call.save()
    return call


def _reserve(call: Call, when: Date) -> None:
    """Reserves each held objective's amount. A conditional objective the earlier call has exhausted is not held."""
    held = 0
    for co in call.call_objectives.select_related("objective__fund", "not_held_if_exhausted_by"):
        if co.not_held_if_exhausted_by_id and balance(co.objective).remaining_to_call < co.amount:
            co.held = False
            co.save(update_fields=["held"])
            continue
        ledger.reserve(
            co.objective,
            co.amount,
            when=when,
            reason=f"Utlysning {call}",
            call=call,
            key=f"call:{call.pk}:reserve:{co.objective_id}",
        )
        held += 1
    if not held:
        raise ValidationError(
            {"objectives": _("Utlysning %(call)s har inget mål med medel att utlysa.") % {"call": call}}
        )


@transaction.atomic
def revise_call_plan(plan: CallPlan, *, entries: list[dict], reason: str, agreed_at=None) -> CallPlan:
    """A change to the call plan makes a new version; earlier versions stay as they were agreed."""
    if not reason.strip():
        raise ValidationError({"change_reason": _("Ange skälet till att utlysningsplanen ändras.")})
    latest = (
        CallPlan.objects.filter(partnership=plan.partnership, fund=plan.fund, year=plan.year)
        .order_by("-version")
        .first()
    ) or plan
    new = CallPlan.objects.create(
        partnership=plan.partnership,
        fund=plan.fund,
        year=plan.year,
        version=latest.version + 1,
        change_reason=reason,
        agreed_at=agreed_at,
    )
    for entry in entries:
        new.entries.create(**entry)
    return new
