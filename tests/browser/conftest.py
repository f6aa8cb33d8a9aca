"""Browser-test harness: Debian's headless Chromium driven by Playwright, axe-core for WCAG 2.1 AA.

Use it from any `tests/browser/test_*.py`:

    pytestmark = pytest.mark.browser

    def test_something(page, live_demo, login_as, make_user):
        login_as(page, make_user("sara", Role.SECRETARIAT))
        page.goto("/sammantraden/")
        assert_no_axe_violations(page)
        assert_keyboard_operable(page)

(with `assert_no_axe_violations` and `assert_keyboard_operable` requested as fixtures too).

Fixtures: `browser` (session), `page` (a fresh browser context per test, base URL = the live server, so
`page.goto("/path/")` works), `live_demo` (the demo data in the live server's database), `login_as`, and the
checks as fixtures (request them by name, no import needed): `assert_no_axe_violations(page)`,
`axe_violations(page)`, `assert_keyboard_operable(page)`, `keyboard_reachable(page)`,
`login_through_form(page, username, password)`.

The Content Security Policy stays on in the browser: a page whose scripts or styles the policy refuses fails
its test (`page` collects the console's CSP reports). Browser tests never download a browser
(`playwright install` is not used): Chromium comes from Debian (`apt-get install chromium`).
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are still
# synchronous, so Django's async-safety guard would refuse them without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SAMHANDLING_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
AXE_JS = Path(settings.PROJECT_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser/ is a browser test, whether or not it carries the marker itself."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium saknas ({CHROMIUM}); installera Debians paket: apt-get install chromium")
    if not AXE_JS.exists():
        pytest.fail(f"axe-core saknas ({AXE_JS}); kör `make setup` (npm ci) först")
    from playwright.sync_api import sync_playwright

    from django.db import connections

    profile = tempfile.mkdtemp(prefix="samhandling-chromium-")
    before = {alias: connections[alias] for alias in connections}
    with sync_playwright() as pw:
        # Playwright leaves an event loop running in this thread, which makes Django's per-thread connection
        # storage switch to a fresh (context-local) slot: hand it the test database connections made so far,
        # so serialized rollback and the live server keep working on the same connection objects.
        for alias, conn in before.items():
            connections[alias] = conn
        # A fresh, empty profile per run; each test then gets its own isolated context (cookies, storage).
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, f"--disk-cache-dir={profile}/cache"]
        )
        try:
            yield browser
        finally:
            browser.close()
            shutil.rmtree(profile, ignore_errors=True)


# Watches every htmx exchange in every browser test (issue 20): a 4xx or 5xx answer that htmx did not show, and
# focus left on <body> after a swap, are reported on the console and fail the test in the `page` fixture.
HTMX_PROBLEM = "a11y-htmx:"
HTMX_RECORDER = """
document.addEventListener('htmx:responseError', (e) => console.warn(
    'a11y-htmx: svaret ' + e.detail.xhr.status + ' från ' + e.detail.pathInfo.requestPath + ' visades inte'));
let leaving = false;  // a page being left (a link or the language switch) has no focus to keep
window.addEventListener('beforeunload', () => { leaving = true; });
// A later exchange still under way will settle and be checked itself: focus is judged once all have settled.
let inflight = 0;
document.addEventListener('htmx:beforeRequest', () => { inflight += 1; });
document.addEventListener('htmx:afterRequest', () => { inflight = Math.max(0, inflight - 1); });
const busy = () => inflight > 0 || !!document.querySelector('.htmx-swapping, .htmx-settling');
document.addEventListener('htmx:afterSettle', (e) => setTimeout(() => {
    const el = document.activeElement;
    if (!leaving && !busy() && (!el || el === document.body)) console.warn(
        'a11y-htmx: fokus hamnade på <body> efter htmx-uppdatering av #' + ((e.target && e.target.id) || '?'));
}, 100));
"""


@pytest.fixture
def page(browser, live_server):
    """A new page in a fresh browser context pointed at the live server.

    The rows that migrations load (the 290 municipalities…), which a transactional test's flush removes for
    the tests after it, are put back by the `_geography` fixture of tests/conftest.py.
    """
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", java_script_enabled=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.add_init_script(HTMX_RECORDER)
    csp_reports = []
    page.on(
        "console",
        lambda msg: (
            csp_reports.append(f"{page.url}: {msg.text}")
            if (msg.type == "error" and "Content Security Policy" in msg.text) or msg.text.startswith(HTMX_PROBLEM)
            else None
        ),
    )
    page.on("pageerror", lambda exc: csp_reports.append(f"{page.url}: JavaScript error: {exc}"))
    try:
        yield page
    finally:
        context.close()
    assert not csp_reports, (
        "Sidan bröt mot Content Security Policy, fick JavaScript-fel eller tappade ett htmx-svar eller fokus:\n"
        + "\n".join(csp_reports)
    )


@pytest.fixture
def live_demo(transactional_db):
    """The demo partnership, committed so the live server's thread sees it."""
    from demo_snapshot import load_demo

    load_demo()


@pytest.fixture
def login_as(live_server):
    """`login_as(page, user)` signs the user in by placing a real session cookie in the page's context.

    Faster than the login form and independent of django-axes; use `login_through_form` to test the form.
    """
    from django.test import Client

    def login(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
        )
        return user

    return login


def _login_through_form(page, username, password):
    """Signs in through the login page, as a person would (this goes through django-axes)."""
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _axe_violations(page, include=None, disable_rules=()):
    """Runs axe-core (WCAG 2.1 A and AA rules) on the current page and returns its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's CSP (no inline script) does not block it; and
        # from then on loaded by the browser with every page this page opens (a crawl saves ~50 ms per page).
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
        page.add_init_script(path=AXE_JS)
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
    if disable_rules:
        options["rules"] = {rule: {"enabled": False} for rule in disable_rules}
    return page.evaluate(
        "async ([ctx, opts]) => (await window.axe.run(ctx || document, opts)).violations",
        [include, options],
    )


def format_violations(url, violations):
    lines = [f"axe-core: {len(violations)} WCAG 2.1 AA-brott på {url}"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} – {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(
                f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return "\n".join(lines)


def _assert_no_axe_violations(page, include=None, disable_rules=()):
    """Fails with a readable list when axe-core finds any WCAG 2.1 AA violation on the current page."""
    violations = _axe_violations(page, include=include, disable_rules=disable_rules)
    assert not violations, format_violations(page.url, violations)


_FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), "
    "textarea:not([disabled]), [tabindex]:not([tabindex='-1'])"
)


def _keyboard_reachable(page, max_steps=400):
    """Presses Tab from the top of the page until focus cycles; returns the elements reached, in order.

    Chromium's date and time inputs take one Tab per segment, so focus staying on an element is not a cycle.

    Each element is described by a stable key (`data-kbd` attribute set on it) plus its tag and text.
    """
    # Start from the top: blurring alone leaves Chromium's sequential focus starting point where focus was
    # (e.g. where site.js put it after an htmx swap), so focus a temporary element at the start of <body>.
    page.evaluate(
        """() => {
            const start = document.createElement('span');
            start.tabIndex = -1;
            start.id = 'kbd-start';
            document.body.prepend(start);
            start.focus();
            window.scrollTo(0, 0);
        }"""
    )
    seen, order = set(), []
    for step in range(max_steps):
        page.keyboard.press("Tab")
        key = page.evaluate(
            """(step) => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                if (!el.dataset.kbd) el.dataset.kbd = 'k' + step;
                return el.dataset.kbd;
            }""",
            step,
        )
        if key is None:
            if order:
                break
            continue
        if order and key == order[-1]:
            continue  # the next segment (day, month, year; hour, minute) of the same date or time input
        if key in seen:
            break
        seen.add(key)
        order.append(key)
    page.evaluate("() => document.getElementById('kbd-start')?.remove()")
    return order


def _assert_keyboard_operable(page, scope="main form, form"):
    """Every visible control of every form on the page can be reached with Tab alone, and shows focus.

    A control that can only be reached with a mouse (a click handler on a div, a positive tabindex trap,
    a hidden-but-focusable control) fails the check.
    """
    reached = set(_keyboard_reachable(page))
    missing = page.evaluate(
        """([scope, focusable]) => {
            const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
                && getComputedStyle(el).visibility !== 'hidden';
            const out = [];
            for (const form of document.querySelectorAll(scope)) {
                for (const el of form.querySelectorAll(focusable)) {
                    if (visible(el) && !el.dataset.kbd) out.push(el.outerHTML.slice(0, 160));
                }
            }
            return out;
        }""",
        [scope, _FOCUSABLE],
    )
    assert not missing, f"Kan inte nås med tangentbordet på {page.url}:\n" + "\n".join(missing)
    assert reached, f"Ingenting på {page.url} kan nås med Tab"


# --- checks beyond axe (issue 20) ---------------------------------------------------------------------------

# Roles of Chromium's accessibility tree that a person operates and that therefore need a name (WCAG 4.1.2).
CONTROL_ROLES = {
    "textbox", "searchbox", "combobox", "listbox", "checkbox", "radio", "spinbutton", "slider", "switch",
    "button", "menuitem", "tab", "link",
}  # fmt: skip
REFLOW_WIDTH = 320

_STRUCTURE_JS = r"""() => {
    const out = [];
    const counts = {};
    for (const el of document.querySelectorAll('[id]')) counts[el.id] = (counts[el.id] || 0) + 1;
    for (const [id, n] of Object.entries(counts)) if (n > 1) out.push(`id="${id}" finns ${n} gånger`);
    for (const attr of ['aria-describedby', 'aria-labelledby', 'aria-controls', 'for']) {
        for (const el of document.querySelectorAll(`[${attr}]`)) {
            if (attr === 'for' && el.tagName !== 'LABEL' && el.tagName !== 'OUTPUT') continue;
            for (const ref of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
                if (!document.getElementById(ref)) out.push(`${attr}="${ref}" pekar på ett id som inte finns: ${el.outerHTML.slice(0, 120)}`);
            }
        }
    }
    return out;
}"""

_FOCUS_RING_JS = r"""(minimum) => {
    const parse = (c) => {
        const m = c && c.match(/rgba?\(([^)]+)\)/);
        if (!m) return null;
        const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const lum = (c) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const background = (el) => {
        for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c && c.a > 0.5) return c;
        }
        return {r: 255, g: 255, b: 255, a: 1};
    };
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
        && getComputedStyle(el).visibility !== 'hidden';
    const out = [];
    const focusable = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), '
        + 'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    const before = document.activeElement;
    for (const el of [...document.querySelectorAll(focusable)].filter(visible).slice(0, 300)) {
        el.focus({preventScroll: true});
        if (document.activeElement !== el) continue;
        const style = getComputedStyle(el);
        const ring = parse(style.outlineColor);
        const width = parseFloat(style.outlineWidth) || 0;
        let problem = null;
        if (style.outlineStyle === 'none' || width < 2 || !ring) {
            if (!style.boxShadow || style.boxShadow === 'none') problem = 'ingen synlig fokusmarkering';
        } else {
            const against = parseFloat(style.outlineOffset) >= 0 ? background(el.parentElement) : background(el);
            const r = ratio(ring, against);
            if (r < minimum) problem = `fokusmarkeringens kontrast ${r.toFixed(2)}:1 (minst ${minimum}:1)`;
        }
        if (problem) out.push(`${problem}: ${el.outerHTML.slice(0, 120)}`);
    }
    if (before && before.focus) before.focus({preventScroll: true}); else document.activeElement.blur();
    return out;
}"""

_OVERFLOW_JS = r"""async () => {
    await new Promise((settled) => requestAnimationFrame(settled));  // the resize event has been handled
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width + 1) return [];
    const scrolls = (el) => { for (let e = el.parentElement; e; e = e.parentElement) {
        const s = getComputedStyle(e).overflowX; if (s === 'auto' || s === 'scroll' || s === 'hidden') return true; } return false; };
    const wide = [...document.body.querySelectorAll('*')].filter(
        (el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el) && el.getClientRects().length);
    const leaves = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
    return [`sidan är ${document.documentElement.scrollWidth} px bred vid ${width} px`,
            ...leaves.slice(0, 5).map((el) => `  ${Math.round(el.getBoundingClientRect().right)} px: ${el.outerHTML.slice(0, 100)}`)];
}"""


def _unnamed_controls(page):
    """Controls without a name in Chromium's own accessibility tree (what a screen reader is given)."""
    cdp = page.context.new_cdp_session(page)
    try:
        out = []
        for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
            role = (node.get("role") or {}).get("value")
            if node.get("ignored") or role not in CONTROL_ROLES or (node.get("name") or {}).get("value", "").strip():
                continue
            if "backendDOMNodeId" not in node:
                continue  # a part the browser draws itself (a date field's day/month/year), named by its input
            described = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]
            attrs = described.get("attributes", [])
            if described.get("pseudoType") or described.get("isInShadowTree") or described.get("shadowRootType"):
                continue
            pairs = " ".join(f'{k}="{v}"' for k, v in zip(attrs[::2], attrs[1::2]))
            out.append(f"{role} utan tillgängligt namn: <{described['localName']} {pairs}>")
        return out
    finally:
        cdp.detach()


def _reflow_problems(page):
    """Whether the page scrolls sideways at 320 CSS pixels (WCAG 1.4.10); the viewport is put back after."""
    original = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 720})
    try:
        return page.evaluate(_OVERFLOW_JS)
    finally:
        page.set_viewport_size(original)


def _a11y_problems(page, reflow=True):
    """What axe does not see: duplicate ids, dangling aria references, unnamed controls, the focus ring's
    contrast (≥ 3:1, WCAG 1.4.11) and reflow at 320 px. Returns readable lines, empty when all is well."""
    problems = page.evaluate(_STRUCTURE_JS)
    problems += _unnamed_controls(page)
    problems += page.evaluate(_FOCUS_RING_JS, 3)
    if reflow:
        problems += _reflow_problems(page)
    return problems


def _assert_accessible_beyond_axe(page, reflow=True):
    problems = _a11y_problems(page, reflow=reflow)
    assert not problems, f"Tillgänglighetsfel på {page.url}:\n" + "\n".join(problems)


@pytest.fixture(name="a11y_problems")
def a11y_problems_fixture():
    return _a11y_problems


@pytest.fixture(name="assert_accessible_beyond_axe")
def assert_accessible_beyond_axe_fixture():
    return _assert_accessible_beyond_axe


@pytest.fixture(name="login_through_form")
def login_through_form_fixture():
    return _login_through_form


@pytest.fixture(name="axe_violations")
def axe_violations_fixture():
    return _axe_violations


@pytest.fixture(name="assert_no_axe_violations")
def assert_no_axe_violations_fixture():
    return _assert_no_axe_violations


@pytest.fixture(name="keyboard_reachable")
def keyboard_reachable_fixture():
    return _keyboard_reachable


@pytest.fixture(name="assert_keyboard_operable")
def assert_keyboard_operable_fixture():
    return _assert_keyboard_operable
