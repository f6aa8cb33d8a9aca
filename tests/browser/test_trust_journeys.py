"""Browser journeys of issue 7: the secretariat records a meeting and renders the minutes, an assessor scores an
application, and every public page passes axe-core. Each journey page: zero WCAG 2.1 AA violations and forms
operable with the keyboard alone."""

import io
import re
from collections import deque
from datetime import timedelta
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from pypdf import PdfReader

from samhandling.access.matrix import allowed_roles, rules
from samhandling.access.roles import Role
from samhandling.assessment.models import Assessment
from samhandling.calls import applications
from samhandling.partnership.models import Meeting

pytestmark = pytest.mark.browser


def check_page(page, assert_no_axe_violations, assert_keyboard_operable):
    assert_no_axe_violations(page)
    assert_keyboard_operable(page)


def test_secretariat_creates_meeting_records_serving_substitute_and_renders_minutes(
    page, live_demo, login_as, make_user, assert_no_axe_violations, assert_keyboard_operable
):
    login_as(page, make_user("sekreterare", Role.SECRETARIAT))
    page.goto("/sammantraden/")
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)
    page.get_by_role("link", name="Nytt sammanträde").click()
    page.get_by_role("heading", name="Nytt sammanträde").wait_for()
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)
    date = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Datum:", exact=True).fill(date.isoformat())
    page.get_by_label("Starttid").fill("10:00")
    page.get_by_label("Sluttid").fill("12:00")
    page.get_by_label("Diarienummer").fill("RS 2026–0300")
    page.get_by_label("Plats").fill("Regionens hus")
    page.get_by_label("Ordförande").select_option(label="Michaela Haga")
    page.get_by_role("button", name="Skapa sammanträde").click()

    page.get_by_role("heading", name="Närvaro").wait_for()
    meeting = Meeting.objects.get(date=date)
    assert page.url.endswith(f"/sammantraden/{meeting.year}/{meeting.number}/hantera/")
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)

    seats = {m.person.name: m for m in meeting.partnership.memberships.select_related("person")}
    absent, substitute = seats["Meeri Wasberg"], seats["Håkan Lindberg"]
    attendance = page.locator("form", has=page.get_by_role("button", name="Registrera närvaro"))
    attendance.get_by_label("Ledamot eller ersättare").select_option(str(absent.pk))
    attendance.get_by_label("Närvaro:", exact=True).select_option(label="Frånvarande")
    attendance.get_by_role("button", name="Registrera närvaro").click()
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    attendance.get_by_label("Ledamot eller ersättare").select_option(str(substitute.pk))
    attendance.get_by_label("Närvaro:", exact=True).select_option(label="Närvarande")
    attendance.get_by_label("Tjänstgör för (ersättare)").select_option(str(absent.pk))
    attendance.get_by_role("button", name="Registrera närvaro").click()
    row = page.locator("#attendance tr", has_text="Håkan Lindberg")
    row.get_by_text("tjänstgör för Meeri Wasberg").wait_for()
    assert meeting.attendances.get(membership=substitute).serving_for == absent
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)  # after the HTMX swap too

    pdf = page.request.get(page.get_by_role("link", name="Skapa protokoll (PDF)").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert f"PROTOKOLL {meeting.number}/{meeting.year}" in text and "Håkan Lindberg (s), tjänstgör" in text
    docx = page.request.get(page.get_by_role("link", name="Skapa protokoll (DOCX)").get_attribute("href"))
    assert docx.ok and docx.body().startswith(b"PK") and "wordprocessingml" in docx.headers["content-type"]

    page.get_by_role("link", name="Visa protokollet").click()
    page.get_by_text("Håkan Lindberg").first.wait_for()
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)


def _submit_application(call, owner):
    return applications.create_and_submit(
        call=call,
        owner=owner,
        data={
            "name": "Kompetenslyft i äldreomsorgen",
            "summary": "Förstudie om kompetens i äldreomsorgen.",
            "applicant_name": "Stockholms stad",
            "applicant_org_number": "212000-0142",
            "objective": "A.1",
            "amount_applied": "900000",
            "cofinancing": "800000",
            "start_date": "2027-01-01",
            "end_date": "2027-06-30",
            "target_group": "Undersköterskor",
            "planned_participants": "40",
            "counties": ["01"],
            "municipalities": ["0180"],
            "criterion_texts": {str(n): f"Text för kriterium {n}" for n in range(1, 6)},
        },
    )


def test_assessor_scores_an_application(
    page, live_demo, login_as, make_user, open_call, assert_no_axe_violations, assert_keyboard_operable
):
    assessor = make_user("bedomare", Role.ASSESSOR)
    call = open_call("A.1")
    application = _submit_application(call, make_user("sokande", Role.APPLICANT))
    call.assessors.add(assessor)
    login_as(page, assessor)

    page.goto("/bedomning/")
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)
    page.get_by_role("link", name="Kompetenslyft i äldreomsorgen").click()
    page.get_by_role("heading", name="Bedöm ansökan ”Kompetenslyft i äldreomsorgen”").wait_for()
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)

    criteria = page.locator("fieldset")
    assert criteria.count() == 5
    for n in range(5):
        criteria.nth(n).get_by_label("Poäng").select_option(str(5 - n % 3))
        criteria.nth(n).get_by_label("Motivering").fill(f"Motivering för kriterium {n + 1}.")
    criteria.nth(2).get_by_label("Motivering").fill("")
    page.get_by_role("button", name="Spara som klar").click()
    page.get_by_role("alert").get_by_text("Kriterium 3: skriv en motivering").wait_for()
    assert not Assessment.objects.filter(application=application, completed_at__isnull=False).exists()
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)  # the page with its errors too

    criteria.nth(2).get_by_label("Motivering").fill("Tydlig koppling till målet.")
    page.get_by_role("button", name="Spara som klar").click()
    page.get_by_text("Bedömningen är sparad.").wait_for()
    assessment = Assessment.objects.get(application=application, assessor=assessor)
    assert assessment.completed_at and [s.score for s in assessment.scores.order_by("criterion__number")] == [
        5,
        4,
        3,
        5,
        4,
    ]
    expect(page.locator("tr", has_text="Kompetenslyft i äldreomsorgen").get_by_text("Klar")).to_be_visible()
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)

    page.get_by_role("link", name=str(call)).first.click()
    page.locator("h1").wait_for()
    check_page(page, assert_no_axe_violations, assert_keyboard_operable)


# --- every public page ---------------------------------------------------------------------------------------

VARIANTS_PER_ROUTE = 3  # bounds the crawl on pages with many filter links
CRAWLED = """() => [
    ...[...document.querySelectorAll('a[href]')].map(e => ['page', e.getAttribute('href')]),
    ...[...document.querySelectorAll('img[src]')].map(e => ['file', e.getAttribute('src')]),
    ...[...document.querySelectorAll('[hx-get]')].map(e => ['partial', e.getAttribute('hx-get')]),
]"""


def _route(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name if match.url_name else None


# Public pages reached from a link in an e-mail or after a form, never from a page (tests/test_accounts.py).
# The signed original's PDF and the public version's page are linked for the secretariat and members; for the
# public the meeting page and its PDF already are the public version, so no public page links them.
STAFF_LINKED = {"partnership:signed-pdf", "partnership:public-version"}


def _build_in_background(page):
    """Asks for the pages the background worker builds (the network, the open-data files), then runs the worker,
    as `samhandling serve` does beside the web server: the crawl then finds them built and their links."""
    from samhandling.core.background import run_pending

    for path in ("/portfoljen/natverk/", "/oppna-data/csv/"):
        page.request.get(path)
    run_pending()


REACHED_BY_EMAIL = {
    "access:verify",
    "access:set-password",
    "access:password-reset-done",
    "access:password-reset-confirm",
    "access:password-reset-complete",
    "mobilisation:registration-confirm",
}


def _minutes_documents():
    """What the demo lacks but the public minutes link to: a signed correction to the signed minutes 1/2026 and
    a bilaga of published minutes (status set directly, as in tests/test_attachments_access.py)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samhandling.partnership import services
    from samhandling.partnership.models import Person

    signed = Meeting.objects.get(year=2026, number=1)
    chair = Person.objects.get(name="Michaela Haga")
    services.add_correction(signed.items.get(number=9), text="Beloppet ska läsas som 181 mnkr.", signed_by=chair)
    published = services.create_meeting(signed.partnership, date=signed.date - timedelta(days=14))
    item = services.add_item(published, title="Beslutsparagraf")
    upload = SimpleUploadedFile("bilaga.pdf", b"%PDF-1.4\n% test\n%%EOF\n")
    services.add_attachment(item, title="Bilaga", upload=upload)
    Meeting.objects.filter(pk=published.pk).update(status=Meeting.Status.PUBLISHED)
    return f"/sammantraden/{published.year}/{published.number}/"


def _is_public(name):
    return _allowed_for(Role.PUBLIC)(name)


def _allowed_for(role):
    def allowed(name):
        roles = allowed_roles(name, "GET") if name in rules() else None
        return bool(roles and role in roles) or (role == Role.PUBLIC and name == "login")

    return allowed


def _crawl(page, live_server, allowed, check, start=("/",), variants_per_route=VARIANTS_PER_ROUTE, as_the_public=None):
    """Visits every page reachable by links from `start` whose route `allowed(name)` admits, each route with up
    to `variants_per_route` sets of query parameters; runs `check(page)` on each HTML page (returns problem
    lines) unless `as_the_public(path, html)` says the public is shown the same. Files and HTMX partials are
    fetched and must answer. Returns (routes reached, pages checked, failures)."""
    origin = urlsplit(live_server.url).netloc
    queue, reached, checked, failures, partials = deque(start), set(), [], [], set()
    seen = {(_route(urlsplit(path).path), ()) for path in start}
    while queue:
        path = queue.popleft()
        response = _open(page, path, partial=path in partials)
        if response.status == 503 and "retry-after" in response.headers:
            continue  # a file the background worker builds is not built yet: an answer, not a fault
        if response.status >= 400:
            failures.append(f"{path}: HTTP {response.status}")
            continue
        if not response.headers.get("content-type", "").startswith("text/html") or path in partials:
            continue
        if not (as_the_public and as_the_public(path, response.text())):
            checked.append(path)
            failures += check(page)
        for kind, ref in page.evaluate(CRAWLED):
            url = urlsplit(urljoin(page.url, ref))
            name = _route(url.path) if url.netloc == origin else None
            key = (name, tuple(sorted(parse_qs(url.query))))
            variants = sum(1 for other, _ in seen if other == name)
            if name and allowed(name) and key not in seen and variants < variants_per_route:
                seen.add(key)
                reached.add(name)
                target = url.path + (f"?{url.query}" if url.query else "")
                if kind == "partial":
                    partials.add(target)
                queue.append(target)
    return reached, checked, failures


def _as_the_public(path, html):
    """Whether a public route shows the signed-in visitor the same content (all of <main>) as the public: the
    anonymous crawl checks those routes, and the header around them is the one every page of the role has."""
    if not _is_public(_route(urlsplit(path).path)):
        return False
    anonymous = Client().get(path)
    return anonymous.status_code == 200 and _main(anonymous.content.decode()) == _main(html)


def _main(html):
    found = re.search(r"<main\b.*</main>", html, re.S)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", found.group(0)) if found else html


def _open(page, path, partial):
    """Opens the path in the browser (one request: its answer decides whether the page is checked); an HTMX
    partial, or a file the browser would download instead of showing, is fetched."""
    if not partial:
        try:
            return page.goto(path)
        except PlaywrightError as exc:
            if "Download is starting" not in exc.message:
                raise
    return page.request.get(path)


def _all_checks(assert_no_axe_violations, a11y_problems):
    def check(page):
        failures = []
        try:
            assert_no_axe_violations(page)
        except AssertionError as exc:
            failures.append(str(exc))
        problems = a11y_problems(page)
        if problems:
            failures.append(f"Tillgänglighetsfel på {page.url}:\n" + "\n".join(problems))
        return failures

    return check


def test_every_public_page_has_no_axe_violations(
    page, live_demo, live_server, settings, tmp_path, assert_no_axe_violations, a11y_problems
):
    """Anonymous crawl from the start page through the links a visitor follows: each public route with up to
    VARIANTS_PER_ROUTE different sets of query parameters (so e.g. `?org=` and `?page=` variants are checked
    too). Files (PDF, CSV, SVG charts) and HTMX partials are fetched and must answer; their host pages are what
    axe and the checks beyond axe (duplicate ids, names, references, focus ring, reflow at 320 px) check.

    A public route nothing reaches fails the test, so a new public page is linked or named here.
    """
    settings.MEDIA_ROOT = tmp_path
    with_attachment = _minutes_documents()
    check = _all_checks(assert_no_axe_violations, a11y_problems)
    _build_in_background(page)
    reached, checked, failures = _crawl(page, live_server, _is_public, check, start=("/", "/logga-in/"))
    # The crawl opens one meeting page (one variant per set of query parameters): the bilaga is followed here.
    page.goto(with_attachment)
    failures += check(page)
    bilaga = page.get_by_role("link", name="Bilaga 1: Bilaga").get_attribute("href")
    assert page.request.get(bilaga).body().startswith(b"%PDF")
    reached.add(_route(bilaga))
    unreached = sorted(
        {name for name in rules() if _is_public(name)} - reached - {"core:home"} - REACHED_BY_EMAIL - STAFF_LINKED
    )
    assert not unreached, f"Öppna sidor som ingen länk når (länka dem eller lägg till dem här): {unreached}"
    assert not failures, "\n\n".join(failures)
    assert len(checked) >= 15, checked


@pytest.mark.parametrize(
    "role", [Role.SECRETARIAT, Role.MEMBER, Role.ASSESSOR, Role.APPLICANT, Role.MA_OFFICER, Role.ADMINISTRATOR]
)
def test_every_page_of_each_role_passes_axe_and_the_checks_beyond_it(
    page, live_demo, live_server, login_as, make_user, open_call, role, assert_no_axe_violations, a11y_problems
):
    """The same crawl signed in as each role, over the pages that role may open (one variant per route, to
    bound the time): axe-core plus duplicate ids, unnamed controls, dangling aria references, the focus ring's
    contrast and reflow at 320 px."""
    user = make_user(f"crawl-{role}", role)
    if role == Role.ASSESSOR:
        call = open_call("A.1")
        _submit_application(call, make_user("crawl-sokande", Role.APPLICANT))
        call.assessors.add(user)
    login_as(page, user)
    allowed = _allowed_for(role)
    _build_in_background(page)
    _reached, checked, failures = _crawl(
        page,
        live_server,
        allowed,
        _all_checks(assert_no_axe_violations, a11y_problems),
        variants_per_route=1,
        as_the_public=_as_the_public,
    )
    assert not failures, "\n\n".join(failures)
    assert len(checked) >= 3, checked


@pytest.mark.parametrize("language", ["sv", "en"])
def test_error_pages_have_title_language_navigation_and_a_way_back(
    page, live_demo, live_server, login_as, make_user, language, assert_no_axe_violations, assert_accessible_beyond_axe
):
    """403 and 404 (issue 20, 7): the site's header and navigation, the page's language, a title that names the
    error, a way back; in Swedish and in English."""
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    words = {"sv": ("Sidan finns inte", "Du saknar behörighet", "Till startsidan"),
             "en": ("Page not found", "Access denied", "To the start page")}[language]  # fmt: skip
    response = page.goto("/finns-inte/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == language
    assert words[0] in page.title() and page.get_by_role("heading", level=1).inner_text() == words[0]
    assert page.get_by_role("navigation").count() >= 1 and page.get_by_role("link", name=words[2]).is_visible()
    assert_no_axe_violations(page)
    assert_accessible_beyond_axe(page)
    login_as(page, make_user("errors-applicant", Role.APPLICANT))
    response = page.goto("/import/")
    assert response.status == 403
    assert page.locator("html").get_attribute("lang") == language
    assert words[1] in page.title() and page.get_by_role("link", name=words[2]).is_visible()
    assert_no_axe_violations(page)
    assert_accessible_beyond_axe(page)
