"""Browser journey: register an idea, see matching calls and partners, publish a notice, join a meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samhandling.access.roles import Role
from samhandling.calls.models import Call, CallObjective
from samhandling.mobilisation.models import InformationMeeting, OrganisationUser, PartnerSearchNotice, Registration
from samhandling.programmes.models import Fund, SpecificObjective
from samhandling.projects.models import Organisation, Project

pytestmark = pytest.mark.browser


def test_idea_to_partners_notice_and_meeting(
    page, live_demo, login_as, make_user, assert_no_axe_violations, assert_keyboard_operable
):
    today = timezone.localdate()
    fund = Fund.objects.get(code="ERUF")
    call = Call.objects.create(
        fund=fund,
        year=today.year + 1,
        number=9,
        status=Call.Status.OPEN,
        title="Robust försvarsförmåga",
        orientation="Cybersäkerhet och testbäddar för små företag.",
        opens_on=today,
        closes_on=today + timedelta(days=40),
    )
    CallObjective.objects.create(call=call, objective=SpecificObjective.objects.get(code="1.7"), amount=5_000_000)
    partner = Organisation.objects.create(name="Tartu Cyber Lab", sector=Organisation.Sector.UNIVERSITY, country="EE")
    Project.objects.create(
        name="Cyber testbed for SMEs",
        summary="Cybersäkerhet prövas i en testbädd för små företag.",
        applicant=partner,
        fund=fund,
        status=Project.Status.GRANTED,
        country="EE",
    )
    meeting = InformationMeeting.objects.create(
        title="Informationsmöte om försvarsförmåga",
        place="Digitalt",
        starts_at=timezone.now() + timedelta(days=7),
        call=call,
    )
    user = make_user("idegivare", Role.APPLICANT)
    OrganisationUser.objects.create(user=user, organisation=Organisation.objects.create(name="Idébolaget"))
    login_as(page, user)

    page.goto("/ideer/ny/")
    assert_no_axe_violations(page)
    assert_keyboard_operable(page)
    page.get_by_label("Rubrik").fill("Testbädd för cybersäkerhet")
    page.get_by_label("Beskrivning").fill("Små företag prövar cybersäkerhet i en testbädd med en högskola.")
    page.get_by_label("Estland", exact=True).check()
    page.get_by_label("Söker transnationella parter").check()
    page.get_by_role("button", name="Spara idén").click()
    page.get_by_role("link", name="Matchande utlysningar, projekt och parter").click()
    calls = page.locator("table", has_text="Utlysningar, bäst matchning först").inner_text()
    assert "Robust försvarsförmåga" in calls and "cybersäkerhet" in calls
    partners = page.locator("table", has_text="Organisationer som har arbetat i liknande projekt")
    assert "Tartu Cyber Lab" in partners.inner_text() and "Cyber testbed for SMEs" in partners.inner_text()
    assert_no_axe_violations(page)

    page.goto("/partnersok/ny/")
    page.get_by_label("Rubrik").fill("Högskola i Estland sökes")
    page.get_by_label("Beskrivning").fill("Testmiljö och utbildning.")
    page.get_by_label("Tema").select_option(label="Beredskap och dubbla användningsområden")
    page.get_by_label("Land där parter söks").select_option("EE")
    page.get_by_label("Roll som söks").select_option("partner")
    page.get_by_label("Sista dag för intresseanmälan").fill((today + timedelta(days=20)).isoformat())
    page.get_by_label("E-post för intresseanmälningar").fill("partnersok@idebolaget.invalid")
    page.get_by_role("button", name="Publicera").click()
    page.get_by_role("heading", name="Högskola i Estland sökes").wait_for()
    assert PartnerSearchNotice.objects.filter(title="Högskola i Estland sökes", country="EE").exists()
    assert_no_axe_violations(page)

    for listing in ("/ideer/", "/partnersok/", "/informationsmoten/"):
        page.goto(listing)
        assert_no_axe_violations(page)

    page.goto(f"/informationsmoten/{meeting.pk}/")
    assert_no_axe_violations(page)
    page.get_by_label("Namn").fill("Ida Idé")
    page.get_by_label("E-post").fill("ida@idebolaget.invalid")
    page.get_by_role("button", name="Anmäl mig").click()
    page.get_by_text("Nästan klart: vi har skickat en länk till ida@idebolaget.invalid").wait_for()
    assert Registration.objects.filter(meeting=meeting, email="ida@idebolaget.invalid").exists()
