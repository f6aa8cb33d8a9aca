"""Browser journey: search the project bank with the keyboard, narrow by a facet, open a project and its beneficiary."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def tab_to(page, selector, limit=80):
    """Moves focus with Tab alone until the element is focused (fails if it cannot be reached)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement === document.querySelector(sel)", selector):
            return
    raise AssertionError(f"{selector} kan inte nås med Tab")


def test_search_filter_and_open_a_project(page, live_demo, assert_no_axe_violations, assert_keyboard_operable):
    page.goto("/projekt/")
    assert page.get_by_role("heading", name="Projektbanken", exact=True).is_visible()
    assert_no_axe_violations(page)
    assert_keyboard_operable(page)

    # Keyboard only: Tab to the search box, type, Enter; HTMX swaps the results and the address follows.
    tab_to(page, "#q")
    page.keyboard.type("kompetensen")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=kompetensen"))
    results = page.locator("#search-body")
    results.get_by_role("link", name="FVM dialoger").wait_for()
    assert results.locator("mark", has_text="kompetensen").count() >= 1
    assert_no_axe_violations(page)

    # Narrow by a facet, with the keyboard: arrowing through the select changes nothing (WCAG 3.2.2), the
    # "Avgränsa" button searches; the results and the address follow, and focus goes to the new result count.
    tab_to(page, "#facet-fund")
    before, entries = page.url, page.evaluate("history.length")
    page.keyboard.press("ArrowDown")  # the first fund with matches
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.wait_for_timeout(300)
    assert page.url == before and page.evaluate("() => document.activeElement.id") == "facet-fund"
    tab_to(page, "#search-body button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"fund="))
    chosen = page.locator("#facet-fund").input_value()
    assert chosen and f"fund={chosen.replace('+', '%2B')}" in page.url
    page.wait_for_function("() => document.activeElement.id === 'result-count'")  # not <body>
    assert page.evaluate("history.length") == entries + 1  # one entry per search, none per arrow key
    count = page.locator("#result-count").inner_text()
    assert re.match(r"\d+ projekt", count)
    assert_no_axe_violations(page)

    # The address is the search: loading it again gives the same state.
    page.goto(page.url)
    assert page.locator("#q").input_value() == "kompetensen"
    assert page.locator("#facet-fund").input_value() == chosen
    assert page.locator("#result-count").inner_text() == count

    # Open the first project, then its beneficiary.
    first = page.locator(".pb-item h3 a").first
    name = first.inner_text()
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/projekt/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert_no_axe_violations(page)
    beneficiary = page.locator("dt:text('Stödmottagare') + dd a")
    if beneficiary.count():
        beneficiary.click()
        page.wait_for_url(re.compile(r"/organisationer/\d+/$"))
        page.get_by_role("heading", name="Samverkar med").wait_for()
        assert_no_axe_violations(page)


def test_errors_paging_status_and_language_keep_the_person_oriented(page, live_demo, assert_accessible_beyond_axe):
    """Issue 20 (1, 5, 6, 9): a bad amount is shown next to its field naming its label, with focus on the
    summary; "Nästa" keeps focus in the results; the count is announced from a region that is not replaced;
    the language switch keeps the search and is named in its own language."""
    page.goto("/projekt/")
    status = page.locator("[role=status][data-status-from]")
    assert status.count() == 1
    page.locator("#amount_min").fill("abc")
    page.locator("#search-body button[type=submit]").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Från (kr)" in summary.inner_text() and "amount_min" not in summary.inner_text()
    field = page.locator("#amount_min")
    assert field.get_attribute("aria-invalid") == "true" and field.input_value() == "abc"
    message = page.locator("#" + field.get_attribute("aria-describedby"))
    assert "belopp i kronor" in message.inner_text()
    page.wait_for_function("() => document.activeElement.classList.contains('error-summary')")
    assert "Sökningen gjordes utan" in status.inner_text()
    assert_accessible_beyond_axe(page, reflow=False)

    page.goto("/projekt/")
    page.locator("#sort").select_option("amount")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"sort=amount"))
    page.get_by_role("link", name="Nästa").click()
    page.wait_for_url(re.compile(r"page=2"))
    page.wait_for_function("() => document.activeElement.id === 'result-count'")
    expect(status).to_contain_text("sida 2")
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('#search-body')")  # not the footer

    switch = page.locator("form.lang button")
    assert switch.inner_text() == "English" and switch.get_attribute("lang") == "en"
    switch.click()
    page.wait_for_url(re.compile(r"sort=amount.*page=2|page=2.*sort=amount"))
    assert page.locator("#sort").input_value() == "amount"
    assert page.locator("form.lang button").inner_text() == "Svenska"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".pb-item[lang=sv]").count() >= 1  # Swedish project texts marked as Swedish
