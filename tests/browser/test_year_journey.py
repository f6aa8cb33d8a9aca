"""The partnership's whole year in the browser (issue 14), each step by the role that takes it, through the UI
only: the secretariat drafts a call plan and a call's orientation, the managing authority's officer agrees the
plan and approves the orientation at a § picked from a list and opens the call, an applicant registers (the
verification e-mail read from the outbox), applies and gets a receipt, an assessor assesses, the secretariat
prioritises, gives notice of the meeting (the e-mails really handed to the mail backend) and writes the decision
into its §, the chair and the adjuster adjust and sign the minutes, the grant is registered from the
application's page and the project shows in the public project bank.

Every page visited passes axe-core (WCAG 2.1 AA) and the checks beyond axe of issue 20. The only things done
outside the browser are the fixtures' accounts and running the background worker (`samhandling serve` runs it
beside the web server); nothing is written to the database by hand.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from samhandling.access.roles import Role
from samhandling.calls.models import Call, CallPlan
from samhandling.core.background import run_pending
from samhandling.partnership.models import Meeting, Person
from samhandling.partnership.selectors import memberships_at
from samhandling.projects.models import Project

pytestmark = pytest.mark.browser

User = get_user_model()
FROM_LINK = re.compile(r"https?://\S+/konto/bekrafta/\S+/")


@pytest.fixture
def people(live_demo, make_user, settings):
    """The demo's accounts per role, and the chair (a demo person) given an account to sign with."""
    settings.TASK_RETRY_DELAYS = [0]
    chair = make_user("ordforande", Role.MEMBER)
    person = Person.objects.get(name="Michaela Haga")
    person.user = chair
    person.save()
    return {
        "secretariat": User.objects.get(username="demo-sekretariat"),
        "officer": User.objects.get(username="demo-handlaggare"),
        "assessor": User.objects.get(username="demo-bedomare"),
        "adjuster": User.objects.get(username="demo-ledamot"),
        "chair": chair,
    }


def pick(select, pattern):
    """Chooses the first option whose text matches the pattern (Playwright's own label match is exact)."""
    select.select_option(select.locator("option", has_text=re.compile(pattern)).first.get_attribute("value"))


def test_the_partnerships_year_in_the_browser(
    page, people, login_as, login_through_form, assert_no_axe_violations, assert_accessible_beyond_axe
):
    page.set_default_timeout(60_000)  # the shared test machine can be slow; waits are for elements, never sleeps
    today = timezone.localdate()
    meeting_day = today + timedelta(days=21)

    def check():
        assert_no_axe_violations(page)
        assert_accessible_beyond_axe(page)

    def act_as(role):
        page.context.clear_cookies()
        login_as(page, people[role])

    def heading(name):
        page.get_by_role("heading", name=name, exact=True).wait_for()

    # --- the secretariat: a meeting, the call plan and the call's orientation ---------------------------------
    act_as("secretariat")
    page.goto("/sammantraden/nytt/")
    heading("Nytt sammanträde")
    check()
    page.get_by_label("Datum:", exact=True).fill(meeting_day.isoformat())
    page.get_by_label("Starttid").fill("10:00")
    page.get_by_label("Sluttid").fill("12:00")
    page.get_by_label("Diarienummer").fill("RS 2027–0100")
    page.get_by_label("Plats").fill("Regionens hus")
    page.get_by_label("Ordförande").select_option(label="Michaela Haga")
    page.get_by_label("Justerare").select_option(label="Daniel Forslund")
    page.get_by_role("button", name="Skapa sammanträde").click()
    heading("Dagordning")
    meeting = Meeting.objects.get(date=meeting_day)
    manage = f"/sammantraden/{meeting.year}/{meeting.number}/hantera/"
    for title in ("Utlysningsplan och inriktning ESF+ 2027", "Prioritering utlysning ESF+ 2027:1"):
        page.get_by_label("Rubrik").fill(title)
        page.get_by_role("button", name="Lägg till paragraf").click()
        page.locator("#agenda").get_by_role("link", name=title).wait_for()
    check()

    page.goto("/utlysningsplaner/")
    heading("Utlysningsplaner")
    check()
    page.get_by_label("Fond").select_option(label="ESF+")
    page.get_by_label("År").fill("2027")
    page.get_by_role("button", name="Skapa utlysningsplan").click()
    heading("Utlysningsplan ESF+ 2027, version 1")
    page.get_by_label("Utlysningens nummer").fill("1")
    pick(page.get_by_label("Specifikt mål"), r"A\.1 ")
    page.get_by_label("Belopp (kr)").fill("1500000")
    page.get_by_role("button", name="Lägg till").click()
    page.get_by_role("row", name=re.compile("2027:1")).wait_for()
    check()
    plan = CallPlan.objects.get(fund__code="ESF+", year=2027)
    assert plan.agreed_at is None

    page.goto("/utlysningar/ny/")
    heading("Ny utlysning")
    pick(page.locator("#id_fund"), "ESF")
    page.locator("#id_year").fill("2027")
    page.locator("#id_number").fill("1")
    page.locator("#id_title").fill("Kompetens i välfärden")
    page.locator("#id_orientation").fill("Kompetensutveckling för anställda i vård och omsorg.")
    page.locator("#id_opens_on").fill(today.isoformat())
    page.locator("#id_closes_on").fill((today + timedelta(days=14)).isoformat())
    pick(page.locator("#id_objectives-0-objective"), r"A\.1")
    page.locator("#id_objectives-0-amount").fill("1500000")
    page.locator("#id_strands-0-name").fill("Förstudier A.1")
    page.locator("#id_strands-0-kind").select_option("pre_study")
    page.locator("#id_strands-0-objectives").get_by_label(re.compile(r"A\.1")).check()
    page.locator("#id_strands-0-max_support").fill("1004400")
    page.locator("#id_strands-0-cofinancing_percent").fill("46")
    page.locator("#id_strands-0-amount").fill("1500000")
    page.get_by_role("button", name="Spara utlysningen").click()
    heading("Utlysning ESF+ 2027:1")
    check()
    call = Call.objects.get(fund__code="ESF+", year=2027, number=1)
    status_form = page.locator("form", has=page.get_by_role("button", name="Ändra status"))
    status_form.get_by_label("Ny status").select_option(label="Föreslagen av förvaltande myndighet")
    status_form.get_by_role("button", name="Ändra status").click()
    page.get_by_text("Utlysningens status är ändrad.").wait_for()

    # --- the managing authority's officer: agrees the plan, approves the orientation, opens the call ----------
    act_as("officer")
    page.goto(f"/utlysningsplaner/{plan.pk}/")
    heading("Utlysningsplan ESF+ 2027, version 1")
    check()
    agenda_item = f"{meeting.code} § 5 Utlysningsplan och inriktning ESF+ 2027"
    page.get_by_label("Paragraf där planen kommer överens").select_option(label=agenda_item)
    page.get_by_role("button", name="Registrera överenskommelsen").click()
    page.get_by_text("Utlysningsplanen är överenskommen.").wait_for()
    page.get_by_text(f"Överenskommen i protokoll {meeting.code}, § 5.").wait_for()
    check()
    plan.refresh_from_db()
    assert plan.agreed_at.title == "Utlysningsplan och inriktning ESF+ 2027"

    page.goto(f"/utlysningar/{call.pk}/")
    for status, item in (
        ("Partnerskapets synpunkter", None),
        ("Godkänd vid sammanträde", agenda_item),
        ("Öppen", None),
    ):
        status_form = page.locator("form", has=page.get_by_role("button", name="Ändra status"))
        status_form.get_by_label("Ny status").select_option(label=status)
        if item:
            status_form.get_by_label("Paragraf som godkände inriktningen").select_option(label=item)
        status_form.get_by_role("button", name="Ändra status").click()
        page.locator("dd", has_text=status).wait_for()
    check()
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN and call.approved_at == plan.agreed_at

    # --- an applicant registers, verifies the address from the e-mail, applies and gets a receipt ------------
    page.context.clear_cookies()
    page.goto("/konto/registrera/")
    check()
    page.get_by_label("Förnamn").fill("Asta")
    page.get_by_label("Efternamn").fill("Sökande")
    page.get_by_label("E-postadress").fill("asta@exempel.se")
    page.locator("#id_password1").fill("ett-langt-losenord-2027")
    page.locator("#id_password2").fill("ett-langt-losenord-2027")
    page.locator("main form button[type=submit]").click()
    page.get_by_text("asta@exempel.se").first.wait_for()
    check()
    verification = [m for m in mail.outbox if m.to == ["asta@exempel.se"]]
    assert len(verification) == 1
    page.goto(FROM_LINK.search(verification[0].body).group(0))
    page.get_by_text("Din e-postadress är bekräftad.").wait_for()
    login_through_form(page, "asta@exempel.se", "ett-langt-losenord-2027")
    heading("Mina uppgifter")

    page.goto(f"/utlysningar/{call.pk}/")
    page.get_by_role("link", name="Skriv en ansökan").click()
    page.get_by_label("Projektnamn").wait_for()
    check()
    page.locator("#id_name").fill("Kompetenslyft i äldreomsorgen")
    page.locator("#id_summary").fill("Förstudie om kompetensutveckling för undersköterskor i äldreomsorgen.")
    page.locator("#id_applicant_name").fill("Stockholms stad")
    page.locator("#id_applicant_org_number").fill("212000-0142")
    pick(page.locator("#id_strand"), "Förstudier A.1")
    pick(page.locator("#id_objective"), r"A\.1")
    page.locator("#id_amount_applied").fill("1100000")  # over the pre-study strand's cap, first
    page.locator("#id_cofinancing").fill("800000")
    page.locator("#id_start_date").fill((today + timedelta(days=60)).isoformat())
    page.locator("#id_end_date").fill((today + timedelta(days=240)).isoformat())
    page.locator("#id_target_group").fill("Undersköterskor")
    page.locator("#id_planned_participants").fill("40")
    page.get_by_label("Filtrera län").fill("Stockholm")
    page.get_by_label("Stockholms län").check()
    page.get_by_label("Filtrera kommuner").fill("Stockholm")
    page.get_by_label("Stockholm", exact=True).check()
    for n in range(1, 6):
        page.locator(f"#id_criterion_{n}").fill(f"Så uppfyller förstudien kriterium {n}.")
    page.get_by_role("button", name="Lämna in").click()
    amount = page.locator("#id_amount_applied")
    page.locator("#id_amount_applied[aria-invalid=true]").wait_for()  # refused, the message at the field
    message = " ".join(page.locator(f"#{ref}").inner_text() for ref in amount.get_attribute("aria-describedby").split())
    assert "högsta stöd per projekt" in message and "Förstudier A.1" in message
    check()
    assert not Project.objects.filter(name="Kompetenslyft i äldreomsorgen").exclude(status=Project.Status.DRAFT)
    amount.fill("900000")
    page.get_by_role("button", name="Lämna in").click()
    page.get_by_text("Ansökan är inlämnad.").wait_for()
    check()
    application = Project.objects.get(name="Kompetenslyft i äldreomsorgen")
    assert application.status == Project.Status.SUBMITTED and application.strand.name == "Förstudier A.1"
    run_pending()  # the worker sends the receipt
    assert any("Kompetenslyft i äldreomsorgen" in m.body for m in mail.outbox if m.to == ["asta@exempel.se"])

    # --- the secretariat assigns the assessor; the assessor assesses -----------------------------------------
    act_as("secretariat")
    page.goto(f"/utlysningar/{call.pk}/")
    page.get_by_label(re.compile(r"\(demo-bedomare\)")).check()
    page.get_by_role("button", name="Spara bedömare").click()
    page.get_by_text("Utlysningens bedömare är sparade.").wait_for()
    check()

    act_as("assessor")
    page.goto("/bedomning/")
    check()
    page.get_by_role("link", name="Kompetenslyft i äldreomsorgen", exact=True).click()
    heading("Bedöm ansökan ”Kompetenslyft i äldreomsorgen”")
    check()
    for n in range(1, 6):
        page.locator(f"#score_{n}").select_option("4")
        page.locator(f"#motivation_{n}").fill(f"Väl beskrivet för kriterium {n}.")
    page.get_by_role("button", name="Spara som klar").click()
    page.get_by_text("Bedömningen är sparad.").wait_for()

    # --- the secretariat closes the call (on purpose, with a reason); the managing authority prioritises ---
    act_as("secretariat")
    page.goto(f"/utlysningar/{call.pk}/")
    status_form = page.locator("form", has=page.get_by_role("button", name="Ändra status"))
    status_form.get_by_label("Ny status").select_option(label="Stängd")
    status_form.get_by_label(re.compile("Skäl")).fill("Alla planerade ansökningar har kommit in.")
    status_form.get_by_role("button", name="Ändra status").click()
    page.locator("dd", has_text="Stängd").wait_for()

    act_as("officer")  # the managing authority prioritises (the partnership's mode since 2021)
    page.goto(f"/bedomning/utlysning/{call.pk}/")
    page.get_by_role("button", name="Föreslå prioritering").click()
    page.get_by_role("table", name="Rangordnad lista").wait_for()
    check()

    # --- the secretariat's notice of the meeting goes by e-mail -------------------------------------------
    act_as("secretariat")
    page.goto(manage)
    heading("Kallelse")
    before = len(mail.outbox)
    page.get_by_role("button", name="Skicka kallelse").click()
    page.get_by_text("Kallelsen är registrerad.").wait_for()
    run_pending()  # the worker hands the e-mails to the mail backend
    invited = [m.person for m in memberships_at(meeting)]
    with_address = {p.email for p in invited if p.email}
    notices = mail.outbox[before:]
    assert with_address and sorted(m.to[0] for m in notices) == sorted(with_address)
    assert all(any(name.endswith(".ics") for name, *_rest in m.attachments) for m in notices)
    page.reload()
    page.get_by_text(f"{len(notices)} av {len(invited)} mottagare har fått kallelsen med e-post.").wait_for()
    check()

    # --- the decision is written into the meeting's §; the meeting is held and its minutes drafted ----------
    act_as("officer")
    page.goto(f"/bedomning/utlysning/{call.pk}/")
    page.get_by_label("Paragraf där listan blir beslut").select_option(
        label=f"{meeting.code} § 6 Prioritering utlysning ESF+ 2027:1"
    )
    page.get_by_role("button", name="För in beslutet i protokollet").click()
    page.get_by_text(f"Beslutad i protokoll {meeting.code}, § 6.").wait_for()
    check()
    act_as("secretariat")
    page.goto(manage)
    for status in ("Genomfört", "Protokoll upprättat"):
        page.locator("#id_status").select_option(label=status)
        page.get_by_role("button", name="Ändra status").click()
        page.get_by_text(f"Sammanträdets status är nu {status}").wait_for()

    # --- the chair and the adjuster adjust and sign the minutes --------------------------------------------
    for role in ("chair", "adjuster"):
        act_as(role)
        page.goto("/mina-uppgifter/")
        check()
        page.get_by_role("link", name=meeting.code).first.click()
        page.get_by_role("button", name="Justera protokollet").click()
        page.get_by_text("Du har justerat protokollet.").wait_for()
    page.get_by_text("Protokollet har justerats och signerats digitalt.").wait_for()
    check()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED

    # --- the grant, from the application's page; then the public project bank -------------------------------
    act_as("officer")
    page.goto(f"/bedomning/utlysning/{call.pk}/")
    page.get_by_role("table", name="Rangordnad lista").get_by_role(
        "link", name="Kompetenslyft i äldreomsorgen", exact=True
    ).click()
    heading("Kompetenslyft i äldreomsorgen")
    check()
    page.get_by_role("link", name="Registrera beslut om stöd").click()
    heading("Beslut om stöd: Kompetenslyft i äldreomsorgen")
    check()
    page.get_by_label("Beviljat belopp (kr)").fill("900000")
    page.get_by_role("button", name="Registrera beslut om stöd").click()
    page.get_by_text("Beslutet om stöd är registrerat för ”Kompetenslyft i äldreomsorgen”.").wait_for()
    application.refresh_from_db()
    assert application.is_granted and application.amount_granted == 900000

    page.goto(f"/ansokningar/{application.pk}/")
    page.get_by_text(re.compile(r"Beviljad 900\s000\skr")).wait_for()
    page.get_by_role("link", name="Beslutet om stöd").click()
    page.get_by_role("link", name="Kompetenslyft i äldreomsorgen").wait_for()  # the grant links back
    check()

    page.context.clear_cookies()
    run_pending()  # the project bank's index follows in the background
    page.goto("/projekt/?q=Kompetenslyft")
    page.get_by_role("link", name="Kompetenslyft i äldreomsorgen", exact=True).click()
    page.get_by_role("heading", name="Kompetenslyft i äldreomsorgen", level=1).wait_for()
    expect(page.locator("body")).to_contain_text("Stockholms stad")
    check()

    # --- the secretariat downloads the portfolio report, now with the granted project ---------------------
    act_as("secretariat")
    page.goto("/portfoljen/")
    page.get_by_role("button", name="Skapa rapport").click()
    page.locator("#report-status").wait_for()
    run_pending()  # the worker builds the report
    page.reload()
    download = page.get_by_role("link", name="Ladda ned rapporten")
    check()
    report = page.request.get(download.get_attribute("href"))
    assert report.ok and report.headers["content-type"] == "application/pdf" and report.body().startswith(b"%PDF")
