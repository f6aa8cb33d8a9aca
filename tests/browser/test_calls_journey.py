"""Browser journey: the secretariat creates a call with two strands (implementation projects and pre-studies)
in the UI, and the call's page shows each strand's rules. Every page visited: zero WCAG 2.1 AA violations."""

from decimal import Decimal

import pytest

from samhandling.access.roles import Role
from samhandling.calls.models import Call
from samhandling.programmes.models import Fund, SpecificObjective

pytestmark = pytest.mark.browser


@pytest.fixture
def live_calls(transactional_db):
    """Funds, budgets, the partnership and the demo's calls, committed for the live server (no meeting needed)."""
    from samhandling.calls import demo as calls
    from samhandling.core.audit import command_actor
    from samhandling.partnership import demo as partnership
    from samhandling.programmes import demo as programmes

    with command_actor("demo"):
        for module in (programmes, partnership, calls):
            module.load()


def test_secretariat_creates_a_call_with_two_strands(
    page, live_calls, login_as, make_user, assert_no_axe_violations, assert_keyboard_operable
):
    login_as(page, make_user("sekreterare", Role.SECRETARIAT))
    page.set_default_timeout(60_000)  # the shared test machine can be slow; the assertions are what matter
    page.goto("/utlysningar/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Ny utlysning").click()
    page.get_by_role("heading", name="Ny utlysning").wait_for()
    assert_no_axe_violations(page)
    assert_keyboard_operable(page)

    a1 = SpecificObjective.objects.get(code="A.1", programme__period__start_year=2021)
    page.locator("#id_fund").select_option(str(Fund.objects.get(code="ESF+").pk))
    page.locator("#id_year").fill("2027")
    page.locator("#id_number").fill("7")
    page.locator("#id_title").fill("Kompetens i välfärden")
    page.locator("#id_opens_on").fill("2027-02-01")
    page.locator("#id_closes_on").fill("2027-03-31")
    page.locator("#id_objectives-0-objective").select_option(str(a1.pk))
    page.locator("#id_objectives-0-amount").fill("10000000")

    page.locator("#id_strands-0-name").fill("Genomförandeprojekt A.1")
    page.locator(f"#id_strands-0-objectives input[value='{a1.pk}']").check()
    page.locator("#id_strands-0-amount").fill("7000000")

    page.locator("#id_strands-1-name").fill("Förstudier A.1")
    page.locator("#id_strands-1-kind").select_option("pre_study")
    page.locator(f"#id_strands-1-objectives input[value='{a1.pk}']").check()
    page.locator("#id_strands-1-max_support").fill("1004400")
    page.locator("#id_strands-1-cofinancing_percent").fill("46")
    page.locator("#id_strands-1-amount").fill("3000000")
    page.locator("#id_strands-1-simplified_reporting").check()
    page.locator("#id_strands-1-final_report_only").check()
    page.get_by_role("button", name="Spara utlysningen").click()

    page.get_by_role("heading", name="Utlysning ESF+ 2027:7").wait_for()
    assert_no_axe_violations(page)
    strands = page.get_by_role("table", name="Delutlysningar och deras regler")
    assert strands.get_by_role("row").count() == 3  # header and two strands
    pre_study = strands.get_by_role("row", name="Förstudier A.1")
    assert "1\u00a0004\u00a0400\u00a0kr" in pre_study.inner_text() and "46 %" in pre_study.inner_text()

    call = Call.objects.get(fund__code="ESF+", year=2027, number=7)
    assert call.status == Call.Status.ORIENTATION_DRAFT
    made = {s.name: s for s in call.strands.all()}
    assert set(made) == {"Genomförandeprojekt A.1", "Förstudier A.1"}
    assert made["Förstudier A.1"].max_support == Decimal("1004400")
    assert made["Förstudier A.1"].cofinancing_share == Decimal("0.46")
    assert made["Förstudier A.1"].final_report_only and made["Genomförandeprojekt A.1"].kind == "implementation"

    # a draft is in the secretariat's list, and the public call plan page passes axe as well
    page.goto("/utlysningar/")
    assert page.get_by_role("link", name="ESF+ 2027:7").count() == 1
    page.goto("/utlysningsplan/")
    page.get_by_role("heading", name="Utlysningsplan").wait_for()
    assert_no_axe_violations(page)
