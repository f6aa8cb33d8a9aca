"""Steering models as data: an earmark (ITI) with its own ledger and intermediate body, directed calls, and a
project platform that gathers ideas before the calls."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from samhandling.access.roles import Role
from samhandling.calls.applications import check_submission
from samhandling.calls.models import Call
from samhandling.mobilisation.models import OrganisationUser, ProjectIdea, ProjectPlatform
from samhandling.programmes import services
from samhandling.programmes.models import Fund, Programme, ProgrammePeriod, SpecificObjective
from samhandling.programmes.selectors import earmark_balances, objectives_with_balances
from samhandling.projects.models import Organisation

D = date(2026, 1, 1)


@pytest.fixture
def iti(db):
    """Objective 1.1 with 10 mnkr, of which 3 mnkr are earmarked for ITI Göteborg with Göteborgs Stad as its
    intermediate body."""
    fund = Fund.objects.create(code="ERUF", name="Regionalfonden", managing_authority="Tillväxtverket")
    period = ProgrammePeriod.objects.create(start_year=2021, end_year=2027)
    programme = Programme.objects.create(
        name="Västsverige", kind=Programme.Kind.REGIONAL_ERDF, fund=fund, period=period
    )
    objective = SpecificObjective.objects.create(code="1.1", name="Innovation", fund=fund, programme=programme)
    services.allocate(objective, 10_000_000, when=D, reason="Tilldelning")
    body = Organisation.objects.create(name="Göteborgs Stad", org_number="212000-1355")
    earmark = services.earmark(
        objective, "ITI Göteborg", 3_000_000, intermediate_body=body, implementation_plan="Hållbar stadsutveckling"
    )
    return objective, earmark, body


def test_the_ledger_shows_earmarked_reserved_granted_and_remaining_per_objective_and_earmark(iti):
    objective, earmark, _body = iti
    in_iti = Call.objects.create(fund=objective.fund, year=2026, number=1, earmark=earmark)
    ordinary = Call.objects.create(fund=objective.fund, year=2026, number=2)
    services.reserve(objective, 2_000_000, when=D, reason="ITI-utlysning", call=in_iti)
    services.grant(objective, 1_000_000, when=D, reason="Beviljat", call=in_iti)
    services.reserve(objective, 6_000_000, when=D, reason="Ordinarie utlysning", call=ordinary)

    [row] = earmark_balances([objective])
    assert (row.amount, row.reserved, row.granted, row.remaining) == (3_000_000, 1_000_000, 1_000_000, 1_000_000)
    obj = objectives_with_balances(SpecificObjective.objects.filter(pk=objective.pk)).get()
    assert (obj.budget, obj.earmarked, obj.reserved, obj.granted) == (10_000_000, 3_000_000, 7_000_000, 1_000_000)

    with pytest.raises(ValidationError, match="ITI Göteborg"):  # the earmark holds only 1 mnkr more
        services.reserve(objective, 1_500_000, when=D, reason="För mycket", call=in_iti)
    with pytest.raises(ValidationError, match="utanför öronmärkningarna"):  # 10 − 3 − 6 leaves 1 mnkr outside
        services.reserve(objective, 1_500_000, when=D, reason="För mycket", call=ordinary)
    with pytest.raises(ValidationError, match="utanför öronmärkningarna"):
        services.earmark(objective, "ITI Borås", 1_500_000)
    assert earmark_balances([objective])[0].remaining == Decimal(1_000_000)  # refused movements left nothing


def test_the_start_page_shows_each_earmark(iti, client):
    page = client.get("/").content.decode()
    assert "ITI Göteborg" in page and "Göteborgs Stad" in page
    assert "3\u00a0000\u00a0000" in page


def test_only_the_intermediate_body_prioritises_within_the_earmark(iti, client, make_user):
    objective, earmark, body = iti
    call = Call.objects.create(fund=objective.fund, year=2026, number=3, earmark=earmark, status=Call.Status.CLOSED)
    ordinary = Call.objects.create(fund=objective.fund, year=2026, number=4, status=Call.Status.CLOSED)
    officer = make_user("goteborg", Role.ASSESSOR)
    OrganisationUser.objects.create(user=officer, organisation=body)
    client.force_login(officer)
    assert client.post(f"/bedomning/utlysning/{call.pk}/prioritera/").status_code == 302
    assert client.post(f"/bedomning/utlysning/{ordinary.pk}/prioritera/").status_code == 403
    client.force_login(make_user("annan-bedomare", Role.ASSESSOR))
    assert client.post(f"/bedomning/utlysning/{call.pk}/prioritera/").status_code == 403


def test_a_directed_call_takes_applications_only_from_its_organisations(iti):
    objective, _earmark, body = iti
    call = Call.objects.create(fund=objective.fund, year=2026, number=5, status=Call.Status.OPEN)
    call.directed_to.add(body)
    values = {"applicant_name": "Borås Stad", "applicant_org_number": "212000-1561"}
    with pytest.raises(ValidationError) as refused:
        check_submission(call, values, at=datetime(2026, 3, 1))
    assert "riktad till Göteborgs Stad" in refused.value.message_dict["applicant_name"][0]
    values = {"applicant_name": "Göteborgs stad", "applicant_org_number": "2120001355"}
    with pytest.raises(ValidationError) as other:
        check_submission(call, values, at=datetime(2026, 3, 1))
    assert "applicant_name" not in other.value.message_dict  # the rest of the form is incomplete, not the applicant


def test_a_project_platform_gathers_ideas_for_the_earmark(iti):
    _objective, earmark, body = iti
    platform = ProjectPlatform.objects.create(name="Projektplattform Malmö", earmark=earmark)
    idea = ProjectIdea.objects.create(organisation=body, title="Grönare stråk", description="x", platform=platform)
    assert list(earmark.platforms.get().ideas.all()) == [idea]


# --- the earmarks' pages ---------------------------------------------------------------------------------------


def _form(objective, **changes):
    data = {
        "objective": objective.pk,
        "name": "ITI Borås",
        "kind": "iti",
        "amount": "2000000",
        "intermediate_body": "",
        "partnership": "",
        "implementation_plan": "Textil och cirkulär ekonomi",
    }
    return {**data, **changes}


def test_the_managing_authority_sets_an_earmark_aside_in_the_browser_and_everyone_reads_its_ledger(
    iti, client, make_user
):
    from auditlog.models import LogEntry

    from samhandling.programmes.models import Earmark

    objective, _earmark, body = iti
    client.force_login(make_user("handlaggare", Role.MA_OFFICER))
    assert "Ny öronmärkning" in client.get("/oronmarkningar/").content.decode()
    response = client.post("/oronmarkningar/ny/", _form(objective, intermediate_body="2120001355"), follow=True)
    assert "Öronmärkningen ITI Borås är sparad" in response.content.decode()
    created = Earmark.objects.get(name="ITI Borås")
    assert (created.amount, created.intermediate_body) == (Decimal(2_000_000), body)
    entry = LogEntry.objects.get_for_object(created).get()
    assert entry.actor.username == "handlaggare"

    client.logout()
    page = client.get("/oronmarkningar/").content.decode()
    assert "ITI Borås" in page and "Textil och cirkulär ekonomi" in page and "2\u00a0000\u00a0000" in page
    assert "Ny öronmärkning" not in page and "Ta bort" not in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"amount": "7000001"}, "det saknas 1"),  # 10 − 3 earmarked leaves 7 mnkr
        ({"intermediate_body": "Ingen Sådan Kommun"}, "Ingen organisation i Samhandling heter så"),
        ({"amount": "-5"}, "större än eller lika med 1"),
        ({"name": "x" * 201}, "som mest 200 tecken"),
        ({"name": "Text\x0bmed styrtecken"}, "Namn"),
    ],
)
def test_an_earmark_the_budget_or_the_form_cannot_hold_is_refused_and_nothing_is_stored(
    iti, client, make_user, changes, message
):
    from samhandling.programmes.models import Earmark

    objective, _earmark, _body = iti
    client.force_login(make_user("handlaggare", Role.MA_OFFICER))
    response = client.post("/oronmarkningar/ny/", _form(objective, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Earmark.objects.values_list("name", flat=True)) == ["ITI Göteborg"]


@pytest.mark.parametrize("role", [None, Role.SECRETARIAT, Role.MEMBER, Role.APPLICANT])
def test_only_the_managing_authority_and_the_administrator_set_earmarks(iti, client, make_user, role):
    objective, earmark, _body = iti
    if role:
        client.force_login(make_user("someone", role))
    assert client.get("/oronmarkningar/").status_code == 200
    assert client.post("/oronmarkningar/ny/", _form(objective)).status_code in (302, 403)
    assert client.post(f"/oronmarkningar/{earmark.pk}/ta-bort/").status_code in (302, 403)
    from samhandling.programmes.models import Earmark

    assert list(Earmark.objects.values_list("name", flat=True)) == ["ITI Göteborg"]


def test_an_earmark_is_taken_back_only_while_nothing_is_made_under_it(iti, client, make_user):
    from samhandling.programmes.models import Earmark

    objective, earmark, _body = iti
    client.force_login(make_user("handlaggare", Role.MA_OFFICER))
    call = Call.objects.create(fund=objective.fund, year=2026, number=4, earmark=earmark)
    page = client.post(f"/oronmarkningar/{earmark.pk}/ta-bort/", follow=True).content.decode()
    assert "har utlysningar eller en projektplattform och kan inte tas bort" in page
    assert Earmark.objects.filter(pk=earmark.pk).exists()
    call.delete()
    page = client.post(f"/oronmarkningar/{earmark.pk}/ta-bort/", follow=True).content.decode()
    assert "Öronmärkningen ITI Göteborg är borttagen" in page and not Earmark.objects.exists()


def test_the_demo_holds_gothenburgs_iti_and_malmos_platform_in_partnerships_of_their_own(demo, client, make_user):
    """Västsverige's earmark, intermediate body and ITI projects; Skåne-Blekinge's platform taking ideas."""
    from samhandling.partnership.models import Partnership
    from samhandling.programmes.models import Earmark
    from samhandling.projects.models import Project

    west, south = Partnership.objects.get(slug="vastsverige"), Partnership.objects.get(slug="skane-blekinge")
    iti = Earmark.objects.get(name="ITI Göteborg")
    assert (iti.partnership, iti.intermediate_body.name, iti.objective.programme.programme_region) == (
        west,
        "Göteborgs Stad",
        west.programme_region,
    )
    (row,) = earmark_balances([iti.objective])
    assert (row.amount, row.remaining) == (iti.amount, iti.amount)
    page = client.get("/oronmarkningar/").content.decode()
    assert "ITI Göteborg" in page and "Göteborgs Stad" in page
    portfolio = client.get("/vastsverige/portfoljen/")
    assert portfolio.context["count"] == 2 and "One Stop Future Shop" not in client.get("/portfoljen/").content.decode()
    assert set(
        Project.objects.filter(programme_region=west.programme_region).values_list("applicant__name", flat=True)
    ) == {"Göteborgs Stad"}

    platform = ProjectPlatform.objects.get(partnership=south)
    ideas = client.get("/skane-blekinge/ideer/").content.decode()
    assert platform.name in ideas and "Tar emot idéer till och med" in ideas
    assert (
        "Bostad och arbete samtidigt" in client.get(f"/skane-blekinge/ideer/?platform={platform.pk}").content.decode()
    )
    assert platform.name not in client.get("/ideer/").content.decode()  # Stockholm's ideas page has no platform

    user = make_user("malmo-sokande", Role.APPLICANT)
    OrganisationUser.objects.create(user=user, organisation=Organisation.objects.create(name="Idéföreningen Syd"))
    client.force_login(user)
    form = client.get("/skane-blekinge/ideer/ny/").content.decode()
    assert platform.name in form
    assert 'name="platform"' not in client.get("/ideer/ny/").content.decode()
    response = client.post(
        "/skane-blekinge/ideer/ny/",
        {
            "title": "Praktik i stadens förvaltningar",
            "description": "Praktikplatser för nyanlända.",
            "platform": platform.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    idea = ProjectIdea.objects.get(title="Praktik i stadens förvaltningar")
    assert (idea.platform, idea.partnership) == (platform, south)
    assert platform.name in client.get(f"/skane-blekinge/ideer/{idea.pk}/").content.decode()

    ProjectPlatform.objects.filter(pk=platform.pk).update(open_until=date(2020, 1, 1))
    refused = client.post(
        "/skane-blekinge/ideer/ny/",
        {"title": "För sent", "description": "Plattformen har stängt.", "platform": platform.pk},
    )
    assert refused.status_code == 400 and not ProjectIdea.objects.filter(title="För sent").exists()
    assert "Projektplattform: Välj ett giltigt alternativ" in refused.content.decode()
    assert "Tar inte emot idéer just nu" in client.get("/skane-blekinge/ideer/").content.decode()


def test_the_secretariat_keeps_its_partnerships_project_platforms_in_the_browser(demo, client, make_user):
    """New and changed platforms, for the partnership or one of its earmarks; refused with nothing stored when
    the window ends before it starts; another partnership's secretariat and applicants cannot."""
    from auditlog.models import LogEntry

    from samhandling.partnership.models import Partnership, PartnershipRole
    from samhandling.programmes.models import Earmark

    west = Partnership.objects.get(slug="vastsverige")
    iti = Earmark.objects.get(name="ITI Göteborg")
    user = make_user("vast-sekr")
    PartnershipRole.objects.create(user=user, partnership=west, role="secretariat")
    client.force_login(user)
    form = client.get("/vastsverige/ideer/plattformar/ny/")
    assert form.status_code == 200 and list(form.context["form"].fields["earmark"].queryset) == [iti]
    before = ProjectPlatform.objects.count()
    refused = client.post(
        "/vastsverige/ideer/plattformar/ny/",
        {"name": "Baklänges", "open_from": "2027-03-01", "open_until": "2027-02-01"},
    )
    assert refused.status_code == 400 and "Tar emot idéer till: dagen kan inte vara före" in refused.content.decode()
    assert ProjectPlatform.objects.count() == before
    created = client.post(
        "/vastsverige/ideer/plattformar/ny/",
        {"name": "Älvstadens idéslussen", "description": "Idéer för ITI Göteborg.", "earmark": iti.pk},
    )
    platform = ProjectPlatform.objects.get(name="Älvstadens idéslussen")
    assert created.status_code == 302 and (platform.partnership, platform.earmark) == (west, iti)
    assert LogEntry.objects.get_for_object(platform).get().actor == user
    assert "Älvstadens idéslussen" in client.get("/vastsverige/ideer/").content.decode()
    client.post(f"/vastsverige/ideer/plattformar/{platform.pk}/andra/", {"name": "Idéslussen"})
    platform.refresh_from_db()
    assert (platform.name, platform.earmark) == ("Idéslussen", None)

    assert client.get(f"/ideer/plattformar/{platform.pk}/andra/").status_code in (403, 404)  # Stockholm's pages
    client.force_login(make_user("sthlm-sekr", Role.SECRETARIAT))
    assert client.get(f"/ideer/plattformar/{platform.pk}/andra/").status_code == 404
    assert client.get(f"/vastsverige/ideer/plattformar/{platform.pk}/andra/").status_code == 403
    client.force_login(make_user("sokande", Role.APPLICANT))
    assert client.post("/vastsverige/ideer/plattformar/ny/", {"name": "Obehörig"}).status_code == 403
    assert not ProjectPlatform.objects.filter(name="Obehörig").exists()


def test_an_earmark_for_a_partnership_of_another_programme_region_is_refused(demo, client, make_user):
    """Stockholm's objective 1.1 cannot be earmarked for Västsverige's partnership; the choices name the programme."""
    from samhandling.partnership.models import Partnership
    from samhandling.programmes.models import Earmark

    objective = SpecificObjective.objects.get(code="1.1", programme__programme_region__code="SE11")
    west = Partnership.objects.get(slug="vastsverige")
    client.force_login(make_user("handlaggare", Role.MA_OFFICER))
    assert f"{objective} ({objective.programme.name})" in client.get("/oronmarkningar/ny/").content.decode()
    before = list(Earmark.objects.values_list("pk", flat=True))
    response = client.post("/oronmarkningar/ny/", {**_form(objective), "partnership": west.pk})
    assert response.status_code == 400
    assert "Partnerskap: partnerskapet arbetar i ett annat programområde" in response.content.decode()
    assert list(Earmark.objects.values_list("pk", flat=True)) == before
