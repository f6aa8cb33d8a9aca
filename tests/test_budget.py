"""The budget ledger: derived figures, reallocations and refusals that name the objective and shortfall."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from samhandling.calls.models import Call
from samhandling.programmes import services
from samhandling.programmes.models import BudgetMovement, Fund, Programme, ProgrammePeriod, SpecificObjective
from samhandling.programmes.selectors import balance

D = date(2026, 1, 1)


@pytest.fixture
def objectives(db):
    fund = Fund.objects.create(code="ERUF", name="Regionalfonden", managing_authority="Tillväxtverket")
    other = Fund.objects.create(code="ESF+", name="Socialfonden", managing_authority="Svenska ESF-rådet")
    period = ProgrammePeriod.objects.create(start_year=2021, end_year=2027)
    prog = Programme.objects.create(name="P", kind=Programme.Kind.REGIONAL_ERDF, fund=fund, period=period)
    prog2 = Programme.objects.create(name="Q", kind=Programme.Kind.ESF_ACTION_PLAN, fund=other, period=period)

    def make(code, f=fund, p=prog):
        return SpecificObjective.objects.create(code=code, name=code, fund=f, programme=p)

    return make("1.1"), make("1.2"), make("A.1", other, prog2)


def test_allocation_reservation_and_grant_are_derived(objectives):
    o11, _, _ = objectives
    services.allocate(o11, "1000000.50", when=D, reason="Tilldelning")
    call = Call.objects.create(fund=o11.fund, year=2026, number=2)
    services.reserve(o11, 400_000, when=D, reason="Utlysning 2026:2", call=call)
    services.grant(o11, "150000.25", when=D, reason="Beviljat", call=call)
    b = balance(o11)
    assert b.budget == Decimal("1000000.50")
    assert b.reserved == Decimal("249999.75")
    assert b.granted == Decimal("150000.25")
    assert b.remaining_to_call == Decimal("600000.50")


def test_reallocation_moves_budget_and_keeps_a_pair(objectives):
    o11, o12, _ = objectives
    services.allocate(o11, 500, when=D, reason="Tilldelning")
    out, into = services.reallocate(o11, o12, 200, when=D, reason="Omfördelning till 1.2")
    assert balance(o11).budget == 300 and balance(o12).budget == 200
    assert out.counterpart == into and into.counterpart == out


def test_reallocation_refused_when_source_lacks_money(objectives):
    o11, o12, _ = objectives
    services.allocate(o11, 100, when=D, reason="Tilldelning")
    with pytest.raises(ValidationError) as exc:
        services.reallocate(o11, o12, 250, when=D, reason="För mycket")
    assert "1.1" in " ".join(exc.value.messages) and "150\u00a0kr" in " ".join(exc.value.messages)
    assert BudgetMovement.objects.count() == 1


def test_reallocation_between_funds_refused(objectives):
    o11, _, a1 = objectives
    services.allocate(o11, 100, when=D, reason="Tilldelning")
    with pytest.raises(ValidationError, match="samma fond"):
        services.reallocate(o11, a1, 50, when=D, reason="Fel fond")


def test_reservation_and_grant_refused_below_zero_with_shortfall(objectives):
    o11, _, _ = objectives
    services.allocate(o11, 1_000, when=D, reason="Tilldelning")
    with pytest.raises(ValidationError) as exc:
        services.reserve(o11, 1_500, when=D, reason="Utlysning")
    assert "Specifikt mål 1.1 (ERUF)" in " ".join(exc.value.messages) and "500\u00a0kr" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError, match="1.1"):
        services.grant(o11, 1_000.0 if False else 1_001, when=D, reason="Beviljat")
    assert balance(o11).remaining_to_call == 1_000


def test_floats_are_refused_as_money(objectives):
    o11, _, _ = objectives
    with pytest.raises(TypeError):
        services.allocate(o11, 0.1, when=D, reason="Flyttal")


def test_movement_without_reason_refused(objectives):
    o11, _, _ = objectives
    with pytest.raises(ValidationError, match="motivering"):
        services.allocate(o11, 10, when=D, reason=" ")


def test_keyed_movement_is_recorded_once(objectives):
    o11, _, _ = objectives
    services.allocate(o11, 10, when=D, reason="Tilldelning", key="k1")
    services.allocate(o11, 10, when=D, reason="Tilldelning", key="k1")
    assert balance(o11).budget == 10


def test_ledger_is_read_only_in_admin(objectives, admin_client):
    o11, _, _ = objectives
    m = services.allocate(o11, 10, when=D, reason="Tilldelning")
    assert admin_client.get("/admin/programmes/budgetmovement/add/").status_code == 403
    resp = admin_client.post(f"/admin/programmes/budgetmovement/{m.pk}/change/", {"amount": "99"})
    assert resp.status_code in (200, 403)
    m.refresh_from_db()
    assert m.amount == 10
