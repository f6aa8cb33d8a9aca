"""The budget ledger as a table: each row a sequence of movements on one objective and what must follow.

A refused movement leaves the ledger exactly as it was; a row that must be refused names the figure that would
go below zero and by how much.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from factories import CallFactory, SpecificObjectiveFactory
from samhandling.programmes import services
from samhandling.programmes.models import BudgetMovement
from samhandling.programmes.selectors import balance

D = date(2026, 1, 1)

# Each step: (service, amount, extra); "call" in extra means the step runs against the row's call.
ROWS = [
    ("reserve all of the budget", [("allocate", 1000), ("reserve", 1000)], (1000, 1000, 0, 0), None),
    ("reserve one krona too much", [("allocate", 1000), ("reserve", 1001)], None, ("kvar att utlysa", "1\u00a0kr")),
    (
        "reserve one öre too much",
        [("allocate", 1000), ("reserve", "1000.01")],
        None,
        ("kvar att utlysa", "0,01\u00a0kr"),
    ),
    ("release a reservation", [("allocate", 1000), ("reserve", 600), ("reserve", -600)], (1000, 0, 0, 1000), None),
    (
        "release more than reserved",
        [("allocate", 1000), ("reserve", 100), ("reserve", -101)],
        None,
        ("reserverat", "1\u00a0kr"),
    ),
    (
        "grant from the call's reservation",
        [("allocate", 1000), ("reserve", 400), ("grant_call", 400)],
        (1000, 0, 400, 600),
        None,
    ),
    (
        "grant more than the call reserved",
        [("allocate", 1000), ("reserve", 400), ("grant_call", 401)],
        None,
        ("reserverat", "1\u00a0kr"),
    ),
    ("grant without a call, all that is left", [("allocate", 1000), ("grant", 1000)], (1000, 0, 1000, 0), None),
    (
        "grant without a call, beyond the budget",
        [("allocate", 1000), ("grant", 1001)],
        None,
        ("kvar att utlysa", "1\u00a0kr"),
    ),
    ("grant nothing", [("allocate", 1000), ("grant", 0)], None, ("större än noll", "")),
    ("reallocate all of it", [("allocate", 1000), ("move", 1000)], (0, 0, 0, 0), None),
    ("reallocate more than there is", [("allocate", 1000), ("move", "1000.01")], None, ("budgeten", "0,01\u00a0kr")),
    (
        "reallocate what is reserved",
        [("allocate", 1000), ("reserve", 600), ("move", 401)],
        None,
        ("kvar att utlysa", "1\u00a0kr"),
    ),
    ("reallocate nothing", [("allocate", 1000), ("move", 0)], None, ("större än noll", "")),
    ("negative allocation below zero", [("allocate", 1000), ("allocate", -1001)], None, ("budgeten", "1\u00a0kr")),
]


def _run(step, objective, other, call):
    kind, amount = step
    if kind == "allocate":
        return services.allocate(objective, amount, when=D, reason="Tilldelning")
    if kind == "reserve":
        return services.reserve(objective, amount, when=D, reason="Utlysning", call=call)
    if kind == "grant_call":
        return services.grant(objective, amount, when=D, reason="Beviljat", call=call)
    if kind == "grant":
        return services.grant(objective, amount, when=D, reason="Beviljat")
    return services.reallocate(objective, other, amount, when=D, reason="Omfördelning")


@pytest.mark.django_db
@pytest.mark.parametrize(("steps", "figures", "refused"), [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_budget_ledger(steps, figures, refused):
    objective = SpecificObjectiveFactory(code="1.1")
    other = SpecificObjectiveFactory(code="1.2", programme=objective.programme)
    call = CallFactory(fund=objective.fund)
    *before, last = steps
    for step in before:
        _run(step, objective, other, call)
    if refused is None:
        _run(last, objective, other, call)
        b = balance(objective)
        assert (b.budget, b.reserved, b.granted, b.remaining_to_call) == tuple(Decimal(x) for x in figures)
        return
    count = BudgetMovement.objects.count()
    figures_before = balance(objective)
    with pytest.raises(ValidationError) as exc:
        _run(last, objective, other, call)
    message = " ".join(exc.value.messages)
    what, missing = refused
    assert what in message and missing in message
    assert BudgetMovement.objects.count() == count and balance(objective) == figures_before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source_code", "target_code", "same_fund", "message"),
    [
        ("1.1", "1.1", True, "två olika mål"),
        ("1.1", "A.1", False, "samma fond"),
    ],
)
def test_reallocation_needs_two_objectives_of_one_fund(source_code, target_code, same_fund, message):
    source = SpecificObjectiveFactory(code=source_code)
    if source_code == target_code:
        target = source
    else:
        target = SpecificObjectiveFactory(code=target_code, programme__fund__code="ESF+" if not same_fund else "ERUF")
    services.allocate(source, 1000, when=D, reason="Tilldelning")
    with pytest.raises(ValidationError, match=message):
        services.reallocate(source, target, 100, when=D, reason="Omfördelning")
    assert balance(source).budget == 1000
