"""Browser journey: search the project bank with the keyboard, narrow by a facet, open a project and its beneficiary."""

import re

import pytest

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

    # Narrow by a facet, with the keyboard: the select changes, the results and the address follow.
    tab_to(page, "#facet-fund")
    page.keyboard.press("ArrowDown")  # the first fund with matches
    page.wait_for_url(re.compile(r"fund="))
    chosen = page.locator("#facet-fund").input_value()
    assert chosen and f"fund={chosen.replace('+', '%2B')}" in page.url
    assert page.evaluate("() => document.activeElement.id") == "facet-fund"  # focus survives the swap
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
