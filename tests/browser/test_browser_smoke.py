"""The harness itself: Chromium starts, the live server answers, axe-core runs and the keyboard reaches forms."""

import pytest

pytestmark = pytest.mark.browser


def test_start_page_is_accessible_and_keyboard_operable(
    page, live_demo, assert_no_axe_violations, assert_keyboard_operable
):
    page.goto("/")
    assert page.locator("h1").first.inner_text()
    assert_no_axe_violations(page)
    assert_keyboard_operable(page)


def test_axe_finds_a_real_violation(page, live_demo, axe_violations):
    """Guards the guard: an image without alt text must be reported."""
    page.goto("/")
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/x.png'; document.querySelector('main').append(i); }"
    )
    assert any(v["id"] == "image-alt" for v in axe_violations(page))


def test_login_form_signs_in(page, make_user, login_through_form, assert_no_axe_violations):
    make_user("kbd", password="korrekt-hast-batteri-1")
    login_through_form(page, "kbd", "korrekt-hast-batteri-1")
    assert page.get_by_role("button", name="Logga ut").is_visible()
    assert_no_axe_violations(page)
