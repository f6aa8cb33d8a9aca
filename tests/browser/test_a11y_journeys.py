"""Issue 20 in the browser, as a person meets it: errors announced and shown at their fields, focus kept after
htmx updates, the page's figures following a save. (The `page` fixture also fails any test in which an htmx
answer with an error status is not shown, or focus falls to <body> after a swap.)"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from samhandling.access.roles import Role
from samhandling.partnership import services
from samhandling.partnership.models import Meeting

pytestmark = pytest.mark.browser


def test_application_errors_take_focus_and_sit_at_their_fields(
    page, live_demo, login_as, make_user, open_call, assert_no_axe_violations, assert_accessible_beyond_axe
):
    call = open_call("A.1")
    login_as(page, make_user("sokande-fel", Role.APPLICANT))
    page.goto(f"/utlysningar/{call.pk}/ansok/")
    assert_accessible_beyond_axe(page)

    # the 290 municipalities: checkboxes narrowed by typing, not a multi-select needing Ctrl+Space
    page.get_by_label("Filtrera kommuner").fill("solna")
    municipalities = page.locator("#id_municipalities [data-filter-option]:visible")
    assert municipalities.count() == 1 and municipalities.inner_text().strip() == "Solna"
    page.get_by_label("Solna").check()

    page.get_by_label("Sökt belopp (kr)").fill("många")
    page.get_by_role("button", name="Lämna in").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')", timeout=5000)
    expect(page).to_have_title(re.compile("^Fel:"))
    invalid = page.locator("[aria-invalid=true]:not([type=checkbox])")
    assert invalid.count() >= 5  # every missing field at once, not in two rounds
    for n in range(invalid.count()):
        described = invalid.nth(n).get_attribute("aria-describedby")
        assert described and all(page.locator(f"#{ref}").count() == 1 for ref in described.split())
    summary.get_by_role("link", name=re.compile("Sökt belopp")).click()
    page.wait_for_function("() => document.activeElement.name === 'amount_applied'", timeout=5000)
    expect(page.get_by_label("Solna")).to_be_checked()  # the choice survives the round trip
    assert_no_axe_violations(page)
    assert_accessible_beyond_axe(page)


def test_attendance_error_is_shown_and_a_save_refreshes_the_vote_count(
    page, live_demo, login_as, make_user, assert_no_axe_violations, assert_accessible_beyond_axe
):
    partnership = Meeting.objects.get(year=2026, number=1).partnership
    meeting = services.create_meeting(partnership, date=date(2026, 9, 17), registry_number="RS 2026–0900")
    login_as(page, make_user("sek-narvaro", Role.SECRETARIAT))
    page.goto(f"/sammantraden/{meeting.year}/{meeting.number}/hantera/")
    assert_accessible_beyond_axe(page)
    form = page.locator("#attendance-form")
    votes = page.locator("#agenda tbody tr").first.locator("td").nth(1)
    before = votes.inner_text()

    member = partnership.memberships.select_related("person").filter(role="member").first()
    form.get_by_label("Ledamot eller ersättare").select_option(str(member.pk))
    form.get_by_label("Från och med §").fill("3")
    form.get_by_label("Till och med §").fill("1")
    form.get_by_role("button", name="Registrera närvaro").click()
    page.locator("#attendance-form .error-summary").wait_for()
    # focus moves once htmx has settled the swap, a moment after the summary appears
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')", timeout=5000)
    assert_no_axe_violations(page)

    form = page.locator("#attendance-form")
    form.get_by_label("Från och med §").fill("")
    form.get_by_label("Till och med §").fill("")
    form.get_by_role("button", name="Registrera närvaro").click()
    page.get_by_text(f"Närvaron för {member.person.name} är registrerad.").wait_for()
    assert page.locator("#attendance-form .error-summary").count() == 0
    assert page.locator("#attendance", has_text=member.person.name).count() == 1
    expect(votes).not_to_have_text(before)  # the agenda's vote count followed the save, without a reload
    assert_no_axe_violations(page)


def test_network_detail_panel_keeps_focus(page, live_demo):
    from samhandling.core.background import run_pending

    page.goto("/portfoljen/natverk/")  # queues the network's build, which the worker then runs
    run_pending()
    page.goto("/portfoljen/natverk/")
    page.locator("table a[hx-get]").first.click()
    panel = page.locator("#detalj")
    panel.locator("h2").wait_for()
    partner = panel.locator("a[hx-get]").first
    if partner.count():
        name = partner.inner_text()
        partner.focus()
        page.keyboard.press("Enter")
        panel.locator("h2", has_text=name).wait_for()
        page.wait_for_function("() => document.activeElement && document.activeElement.tagName === 'H2'")
        assert page.evaluate("() => !!document.activeElement.closest('#detalj')")
