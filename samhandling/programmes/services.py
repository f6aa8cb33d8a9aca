"""Writes to the budget ledger. Every movement is checked so no objective goes below zero."""

from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samhandling.core.money import format_sek, to_money

from .models import BudgetMovement, Earmark, SpecificObjective
from .selectors import balance, earmark_balances

K = BudgetMovement.Kind


class BudgetError(ValidationError):
    """A movement that would leave an objective with negative money; the message names both."""


def _shortfall(objective: SpecificObjective, what: str, missing: Decimal) -> BudgetError:
    return BudgetError(
        _("Specifikt mål %(code)s (%(fund)s) räcker inte: %(what)s skulle bli under noll, det saknas %(missing)s.")
        % {"code": objective.code, "fund": objective.fund.code, "what": what, "missing": format_sek(missing)},
        code="budget_shortfall",
        params={"objective": objective.code, "shortfall": missing},
    )


def _check(objective: SpecificObjective) -> None:
    b = balance(objective)
    if b.budget < 0:
        raise _shortfall(objective, _("budgeten"), -b.budget)
    if b.reserved < 0:
        raise _shortfall(objective, _("reserverat belopp"), -b.reserved)
    if b.remaining_to_call < 0:
        raise _shortfall(objective, _("kvar att utlysa"), -b.remaining_to_call)
    _check_earmarks(objective, b)


def _check_earmarks(objective: SpecificObjective, b) -> None:
    """Each earmark holds its calls' money, and the rest of the budget holds the earmarks and the other calls."""
    rows = earmark_balances([objective])
    for row in rows:
        if row.remaining < 0:
            raise _shortfall(objective, _("öronmärkningen %(name)s") % {"name": row.earmark.name}, -row.remaining)
    inside = sum((row.reserved + row.granted for row in rows), Decimal(0))
    outside = b.budget - sum((row.amount for row in rows), Decimal(0)) - (b.reserved + b.granted - inside)
    if outside < 0:
        raise _shortfall(objective, _("budgeten utanför öronmärkningarna"), -outside)


@transaction.atomic
def earmark(
    objective, name: str, amount, *, intermediate_body=None, implementation_plan: str = "", partnership=None, kind=None
) -> Earmark:
    """Sets a share of the objective's budget aside for a steering model (an ITI and its intermediate body);
    refused, naming the shortfall, when the budget outside the other earmarks and calls cannot hold it."""
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Öronmärkt belopp måste vara större än noll.")})
    region = objective.programme.programme_region_id
    if partnership is not None and region is not None and partnership.programme_region_id != region:
        raise ValidationError(
            {"partnership": _("Partnerskap: partnerskapet arbetar i ett annat programområde än målets program.")}
        )
    _lock(objective)
    created = Earmark.objects.create(
        objective=objective,
        name=name,
        amount=amount,
        kind=kind or Earmark.Kind.ITI,
        intermediate_body=intermediate_body,
        implementation_plan=implementation_plan,
        partnership=partnership,
    )
    _check(objective)
    return created


def _lock(*objectives: SpecificObjective) -> None:
    ids = sorted(o.pk for o in objectives)
    list(SpecificObjective.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _existing(key):
    return BudgetMovement.objects.filter(key=key).first() if key else None


def _record(objective, kind, amount, when, reason, **extra) -> BudgetMovement:
    if not reason or not str(reason).strip():
        raise ValidationError({"reason": _("Ange en motivering för budgetposten.")})
    return BudgetMovement.objects.create(
        objective=objective, kind=kind, amount=to_money(amount), date=when, reason=reason, **extra
    )


@transaction.atomic
def allocate(objective, amount, *, when: Date, reason: str, national_cofinancing=0, key=None) -> BudgetMovement:
    """Adds EU funds (and the national co-financing beside them) to an objective's budget."""
    if (found := _existing(key)) is not None:
        return found
    _lock(objective)
    movement = _record(
        objective, K.ALLOCATION, amount, when, reason, national_cofinancing=to_money(national_cofinancing), key=key
    )
    _check(objective)
    return movement


@transaction.atomic
def reallocate(source, target, amount, *, when: Date, reason: str, key=None) -> tuple[BudgetMovement, BudgetMovement]:
    """Moves budget from one objective to another of the same fund; refused if the source lacks it."""
    if (found := _existing(key)) is not None:
        return found, found.counterpart
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Beloppet som omfördelas måste vara större än noll.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("Omfördelning måste ske mellan två olika mål.")})
    if source.fund_id != target.fund_id:
        raise ValidationError({"target": _("Omfördelning kan bara ske mellan mål inom samma fond.")})
    _lock(source, target)
    out = _record(source, K.REALLOCATION, -amount, when, reason, key=key)
    into = _record(target, K.REALLOCATION, amount, when, reason, counterpart=out, key=f"{key}:in" if key else None)
    out.counterpart = into
    out.save(update_fields=["counterpart"])
    _check(source)
    return out, into


@transaction.atomic
def reserve(objective, amount, *, when: Date, reason: str, call=None, key=None) -> BudgetMovement:
    """Reserves money for a call (positive) or releases a reservation (negative)."""
    if (found := _existing(key)) is not None:
        return found
    _lock(objective)
    movement = _record(objective, K.RESERVATION, amount, when, reason, call=call, key=key)
    _check(objective)
    return movement


@transaction.atomic
def grant(objective, amount, *, when: Date, reason: str, project=None, call=None, key=None) -> BudgetMovement:
    """Records a granted amount. With a call, the amount moves from that call's reservation to granted."""
    if (found := _existing(key)) is not None:
        return found
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("Beviljat belopp måste vara större än noll.")})
    _lock(objective)
    if call is not None:
        _record(
            objective,
            K.RESERVATION,
            -amount,
            when,
            reason,
            call=call,
            project=project,
            key=f"{key}:release" if key else None,
        )
    movement = _record(objective, K.GRANT, amount, when, reason, call=call, project=project, key=key)
    _check(objective)
    return movement


@transaction.atomic
def remove_earmark(earmark: Earmark) -> None:
    """Takes an earmark back (a mistake undone) while nothing has been made under it: no call and no project
    platform. After that it is part of their history and stays."""
    if earmark.calls.exists() or earmark.platforms.exists():
        raise ValidationError(
            _("Öronmärkningen %(name)s har utlysningar eller en projektplattform och kan inte tas bort.")
            % {"name": earmark.name}
        )
    earmark.delete()
