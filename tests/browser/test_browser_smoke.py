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


def test_checks_beyond_axe_find_real_problems(page, live_demo, a11y_problems):
    """Guards the checks of issue 20: each planted fault is reported."""
    page.goto("/")
    assert a11y_problems(page) == []
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend',
                '<p id="twice">a</p><p id="twice">b</p>'
                + '<input type="text" aria-describedby="missing-help">'
                + '<a href="/" id="yellow-ring">gul ring</a>'
                + '<pre id="too-wide">' + 'x'.repeat(200) + '</pre>');
            // through the CSSOM: the Content Security Policy refuses style attributes in markup
            document.getElementById('yellow-ring').style.setProperty('outline-color', '#ffbf47', 'important');
            document.getElementById('too-wide').style.whiteSpace = 'pre';
            document.getElementById('too-wide').style.overflowWrap = 'normal';
        }"""
    )
    problems = "\n".join(a11y_problems(page))
    assert 'id="twice" finns 2 gånger' in problems
    assert 'aria-describedby="missing-help" pekar på ett id som inte finns' in problems
    assert "textbox utan tillgängligt namn" in problems
    assert "fokusmarkeringens kontrast 1.6" in problems  # #ffbf47 on white, as issue 20 measured
    assert "sidan är" in problems and "bred vid 320 px" in problems
