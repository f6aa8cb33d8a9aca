"""Writes for calls: the one state machine of a call's lifecycle, editing calls and their strands, call plans.

The state machine is a transition table and one function (`change_status`); nothing else writes a call's
status. A small one of our own rather than django-fsm-2: the table is eight lines, the guards need the
meeting item, the actor and a reason, and each step is recorded as a `CallTransition` row (django-fsm-2
would add a dependency, protected-field machinery and a signal-based log for the same table).
"""

from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samhandling.core.money import format_sek
from samhandling.partnership.selectors import is_open_item
from samhandling.programmes import services as ledger
from samhandling.programmes.selectors import balance

from .models import Call, CallObjective, CallPlan, CallStrand, CallTransition

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
# A call's orientation, objectives and strands can be edited until it opens.
EDITABLE = (S.ORIENTATION_DRAFT, S.PROPOSED, S.PARTNERSHIP_OPINION, S.APPROVED)


def closes_early(call: Call, today: Date) -> bool:
    """Applicants may submit through the closing date, so closing on or before it is closing early."""
    return bool(call.closes_on and today <= call.closes_on)


@transaction.atomic
def change_status(call: Call, status: str, *, by=None, item=None, reason: str = "", when: Date | None = None) -> Call:
    """Moves a call one step in its lifecycle; the only place a call's status is written.

    Approval and decision need the meeting item (§) of an open meeting; opening needs the conditions met
    and reserves money; closing before the closing date needs a reason. Each step is recorded.
    """
    call = Call.objects.select_for_update().get(pk=call.pk)
    reason = (reason or "").strip()
    today = when or timezone.localdate()
    if status not in S.values:
        raise ValidationError(
            {"status": _("Okänd status ”%(status)s” för utlysning %(call)s.") % {"status": status, "call": call}}
        )
    if status not in TRANSITIONS.get(call.status, set()):
        raise ValidationError(
            {
                "status": _("Utlysning %(call)s kan inte gå från ”%(old)s” till ”%(new)s”.")
                % {"call": call, "old": call.get_status_display(), "new": S(status).label}
            }
        )
    if item is not None and not is_open_item(item):
        raise ValidationError(
            {
                "item": _(
                    "Paragrafen hör till ett justerat eller signerat protokoll; "
                    "välj en paragraf i ett öppet sammanträde."
                )
            }
        )
    if status == S.APPROVED:
        if item is None and call.approved_at_id is None:
            raise ValidationError({"item": _("Ange vid vilken paragraf partnerskapet godkände inriktningen.")})
        call.approved_at = item or call.approved_at
    if status == S.OPEN:
        _check_conditions(call)
        _reserve(call, today)
    if status == S.CLOSED and closes_early(call, today) and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Utlysning %(call)s är öppen till och med %(date)s. Ange skälet om den ska stängas i förtid."
                )
                % {"call": call, "date": f"{call.closes_on:%Y-%m-%d}"}
            }
        )
    if status == S.DECIDED and item is None:
        raise ValidationError({"item": _("Ange vid vilken paragraf beslutet fattades.")})
    CallTransition.objects.create(call=call, from_status=call.status, to_status=status, by=by, item=item, reason=reason)
    call.status = status
    call.save()
    return call


def _check_conditions(call: Call) -> None:
    """A conditional call opens when the calls it waits for are decided, or when a decision lifted the condition."""
    if call.condition_lifted_at_id:
        return
    waiting = [c for c in call.condition_calls if c.status != S.DECIDED]
    if waiting:
        raise ValidationError(
            {
                "status": _(
                    "Utlysning %(call)s hålls bara om utlysning %(other)s lämnar medel. Den kan öppnas när "
                    "%(other)s är beslutad eller när villkoret hävs genom ett beslut."
                )
                % {"call": call, "other": ", ".join(str(c) for c in waiting)}
            }
        )


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
def lift_condition(call: Call, *, item, reason: str) -> Call:
    """Records the decision that a conditional call is held even though the call it waits for is not decided."""
    reason = (reason or "").strip()
    errors = {}
    if not call.condition_calls:
        errors["status"] = _("Utlysning %(call)s är inte villkorad.") % {"call": call}
    elif call.status not in EDITABLE:
        errors["status"] = _("Villkoret kan bara hävas innan utlysningen öppnar.")
    if item is None or not is_open_item(item):
        errors["item"] = _("Välj paragrafen i ett öppet sammanträde där beslutet att häva villkoret fattas.")
    if not reason:
        errors["reason"] = _("Skäl: ange varför villkoret hävs.")
    if errors:
        raise ValidationError(errors)
    call.condition_lifted_at = item
    call.condition_lifted_reason = reason[:500]
    call.save()
    return call


# Editing calls ---------------------------------------------------------------------------------------------

CALL_FIELDS = ("fund", "year", "number", "title", "orientation", "conditions", "opens_on", "closes_on")


@transaction.atomic
def save_call(call: Call | None, *, fields: dict, objectives: list[dict], strands: list[dict]) -> Call:
    """Creates or edits a call with its objectives and strands; all or nothing, every error named by field.

    `objectives`: rows {row, objective, amount, not_held_if_exhausted_by, recommendation, focus_areas,
    intervention_types}. `strands`: rows {row, name, kind, objectives (SpecificObjective list), max_support,
    cofinancing_share (0–1), simplified_reporting, final_report_only, amount}. `row` is the form's index,
    so errors come back as "objectives-<row>-<field>" and "strands-<row>-<field>".
    """
    errors: dict[str, str] = {}
    if call is not None and call.status not in EDITABLE:
        raise ValidationError(
            {
                "status": _("Utlysning %(call)s är %(status)s och kan inte längre ändras.")
                % {"call": call, "status": call.get_status_display().lower()}
            }
        )
    fund = fields["fund"]
    clash = Call.objects.filter(fund=fund, year=fields["year"], number=fields["number"])
    if call is not None:
        clash = clash.exclude(pk=call.pk)
    if clash.exists():
        errors["number"] = _("Nummer: %(fund)s har redan en utlysning %(year)s:%(number)s.") % {
            "fund": fund.code,
            "year": fields["year"],
            "number": fields["number"],
        }
    if fields.get("opens_on") and fields.get("closes_on") and fields["closes_on"] < fields["opens_on"]:
        errors["closes_on"] = _("Stänger: utlysningen kan inte stänga före den öppnar.")
    amounts: dict[int, Decimal] = {}
    if not objectives:
        errors["objectives"] = _("Specifika mål: ange minst ett mål med belopp.")
    for row in objectives:
        key = f"objectives-{row['row']}"
        objective = row["objective"]
        if objective.fund_id != fund.pk:
            errors[f"{key}-objective"] = _("Mål %(code)s hör inte till fonden %(fund)s.") % {
                "code": objective.code,
                "fund": fund.code,
            }
        elif objective.pk in amounts:
            errors[f"{key}-objective"] = _("Mål %(code)s finns redan på en annan rad.") % {"code": objective.code}
        if row["amount"] is None or row["amount"] <= 0:
            errors[f"{key}-amount"] = _("Belopp: ange ett belopp större än noll.")
        other = row.get("not_held_if_exhausted_by")
        if other is not None and (other.fund_id != fund.pk or (call is not None and other.pk == call.pk)):
            errors[f"{key}-not_held_if_exhausted_by"] = _("Villkor: välj en annan utlysning i samma fond.")
        amounts[objective.pk] = row["amount"] or Decimal(0)
    if not strands:
        errors["strands"] = _("Delutlysningar: ange minst en delutlysning med sina regler.")
    names = set()
    for row in strands:
        key = f"strands-{row['row']}"
        if row["name"].lower() in names:
            errors[f"{key}-name"] = _("Namn: två delutlysningar kan inte heta ”%(name)s”.") % {"name": row["name"]}
        names.add(row["name"].lower())
        chosen = row["objectives"]
        outside = sorted(o.code for o in chosen if o.pk not in amounts)
        if not chosen:
            errors[f"{key}-objectives"] = _("Specifika mål: välj minst ett av utlysningens mål.")
        elif outside:
            errors[f"{key}-objectives"] = _("Specifika mål: %(codes)s ingår inte i utlysningen.") % {
                "codes": ", ".join(outside)
            }
        if row.get("max_support") is not None and row["max_support"] <= 0:
            errors[f"{key}-max_support"] = _("Högsta stöd: ange ett belopp större än noll.")
        share = row.get("cofinancing_share")
        if share is not None and not Decimal(0) <= share < Decimal(1):
            errors[f"{key}-cofinancing_share"] = _("Medfinansiering: ange en andel från 0 till under 100 %.")
        available = sum((amounts.get(o.pk, 0) for o in chosen), Decimal(0))
        if row.get("amount") is not None and chosen and not outside and row["amount"] > available:
            errors[f"{key}-amount"] = _("Belopp: %(amount)s är mer än målens belopp i utlysningen, %(available)s.") % {
                "amount": format_sek(row["amount"]),
                "available": format_sek(available),
            }
    if errors:
        raise ValidationError(errors)
    if call is None:
        call = Call(status=S.ORIENTATION_DRAFT)
    for name in CALL_FIELDS:
        setattr(
            call,
            name,
            fields.get(name) if name not in ("title", "orientation", "conditions") else fields.get(name) or "",
        )
    call.save()
    kept = []
    for row in objectives:
        co, _created = CallObjective.objects.update_or_create(
            call=call,
            objective=row["objective"],
            defaults={
                "amount": row["amount"],
                "not_held_if_exhausted_by": row.get("not_held_if_exhausted_by"),
                "recommendation": row.get("recommendation", ""),
                "focus_areas": row.get("focus_areas", ""),
                "intervention_types": row.get("intervention_types", ""),
                "held": True,
            },
        )
        kept.append(co.pk)
    call.call_objectives.exclude(pk__in=kept).delete()
    kept = []
    for order, row in enumerate(strands):
        strand = call.strands.filter(name__iexact=row["name"]).first() or CallStrand(call=call)
        strand.name = row["name"]
        strand.order = order
        for name in ("kind", "max_support", "cofinancing_share", "amount"):
            setattr(strand, name, row.get(name))
        strand.simplified_reporting = bool(row.get("simplified_reporting"))
        strand.final_report_only = bool(row.get("final_report_only"))
        strand.save()
        strand.objectives.set(row["objectives"])
        kept.append(strand.pk)
    call.strands.exclude(pk__in=kept).delete()
    return call


@transaction.atomic
def set_assessors(call: Call, users) -> Call:
    """Assigns the call's assessors; only people holding the assessor role can be assigned. Audited."""
    from samhandling.access.roles import Role, has_role
    from samhandling.core import audit

    users = list(users)
    wrong = [u.get_username() for u in users if not has_role(u, Role.ASSESSOR)]
    if wrong:
        raise ValidationError(
            {"assessors": _("Saknar rollen bedömare: %(names)s.") % {"names": ", ".join(sorted(wrong))}}
        )
    before = sorted(call.assessors.values_list("username", flat=True))
    call.assessors.set(users)
    after = sorted(u.get_username() for u in users)
    if before != after:
        audit.record(call, {"assessors": [", ".join(before), ", ".join(after)]})
    return call


# Call plans ------------------------------------------------------------------------------------------------


@transaction.atomic
def create_call_plan(*, partnership, fund, year: int) -> CallPlan:
    if CallPlan.objects.filter(partnership=partnership, fund=fund, year=year).exists():
        raise ValidationError(
            {"year": _("Det finns redan en utlysningsplan för %(fund)s %(year)s.") % {"fund": fund.code, "year": year}}
        )
    return CallPlan.objects.create(partnership=partnership, fund=fund, year=year)


def _editable_plan(plan: CallPlan) -> None:
    if plan.agreed_at_id:
        raise ValidationError(
            {"plan": _("Utlysningsplanen är överenskommen; gör en ny version med skälet till ändringen.")}
        )
    newer = CallPlan.objects.filter(
        partnership=plan.partnership, fund=plan.fund, year=plan.year, version__gt=plan.version
    ).exists()
    if newer:
        raise ValidationError({"plan": _("Det finns en nyare version av utlysningsplanen; ändra den i stället.")})


@transaction.atomic
def add_plan_entry(plan: CallPlan, *, number: int, objective, amount, opens_on=None, closes_on=None):
    _editable_plan(plan)
    errors = {}
    if objective.fund_id != plan.fund_id:
        errors["objective"] = _("Mål %(code)s hör inte till fonden %(fund)s.") % {
            "code": objective.code,
            "fund": plan.fund.code,
        }
    if amount is None or amount <= 0:
        errors["amount"] = _("Belopp: ange ett belopp större än noll.")
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = _("Stänger: utlysningen kan inte stänga före den öppnar.")
    if plan.entries.filter(number=number, objective=objective).exists():
        errors["objective"] = _("Utlysning %(number)s har redan en rad för mål %(code)s.") % {
            "number": number,
            "code": objective.code,
        }
    if errors:
        raise ValidationError(errors)
    return plan.entries.create(
        number=number, objective=objective, amount=amount, opens_on=opens_on, closes_on=closes_on
    )


@transaction.atomic
def remove_plan_entry(entry) -> None:
    _editable_plan(entry.plan)
    entry.delete()


@transaction.atomic
def agree_call_plan(plan: CallPlan, *, item) -> CallPlan:
    """The partnership and the managing authority agree the plan at a § of an open meeting; from then on a
    change is a new version. Only the newest version, not yet agreed, with at least one row can be agreed."""
    plan = CallPlan.objects.select_for_update().get(pk=plan.pk)
    _editable_plan(plan)
    if item is None or not is_open_item(item):
        raise ValidationError({"item": _("Välj paragrafen i ett öppet sammanträde där planen kommer överens.")})
    if not plan.entries.exists():
        raise ValidationError({"item": _("Utlysningsplanen har inga rader att komma överens om.")})
    plan.agreed_at = item
    plan.save(update_fields=["agreed_at"])
    return plan


@transaction.atomic
def revise_call_plan(plan: CallPlan, *, entries: list[dict] | None = None, reason: str, agreed_at=None) -> CallPlan:
    """A change to the call plan makes a new version; earlier versions stay as they were agreed.

    Without `entries` the new version starts as a copy of the plan's rows, to be edited.
    """
    if not reason.strip():
        raise ValidationError({"change_reason": _("Ange skälet till att utlysningsplanen ändras.")})
    if agreed_at is not None and not is_open_item(agreed_at):
        raise ValidationError({"agreed_at": _("Välj en paragraf i ett öppet sammanträde.")})
    latest = (
        CallPlan.objects.filter(partnership=plan.partnership, fund=plan.fund, year=plan.year)
        .order_by("-version")
        .first()
    ) or plan
    if entries is None:
        entries = [
            {
                "number": e.number,
                "objective": e.objective,
                "amount": e.amount,
                "opens_on": e.opens_on,
                "closes_on": e.closes_on,
            }
            for e in latest.entries.all()
        ]
    new = CallPlan.objects.create(
        partnership=plan.partnership,
        fund=plan.fund,
        year=plan.year,
        version=latest.version + 1,
        change_reason=reason.strip()[:500],
        agreed_at=agreed_at,
    )
    for entry in entries:
        new.entries.create(**entry)
    return new
