"""Browser journey: a newcomer reads a demo account off the login page, signs in and lands on Mina uppgifter."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_newcomer_signs_in_with_a_demo_account_from_the_login_page(
    page, live_demo, settings, assert_no_axe_violations, assert_keyboard_operable
):
    settings.DEMO_MODE = True
    page.goto("/")
    page.get_by_role("link", name="Logga in").click()
    page.wait_for_url("**/logga-in/**")
    expect(page).to_have_title(re.compile("Samhandling"))  # retried: the title is empty while the page loads
    assert_no_axe_violations(page)
    assert_keyboard_operable(page)

    demo = page.locator("table", has=page.get_by_text("Ett konto per roll"))
    row = demo.get_by_role("row", name="Sekretariat")
    username, password = (cell.inner_text() for cell in row.locator("td").all())
    assert username == "demo-sekretariat"

    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina uppgifter")
    expect(page.get_by_role("heading", name="Kallelser att skicka")).to_be_visible()
    assert page.get_by_role("link", name="Mina uppgifter").get_attribute("aria-current") == "page"
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Roller").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roller och konton")
    expect(page.get_by_role("cell", name="demo-ledamot", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    assert_keyboard_operable(page)
