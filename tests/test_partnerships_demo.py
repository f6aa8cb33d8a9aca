"""The demo's two partnerships: each has its own dashboard, and the start page lists both."""

from decimal import Decimal

from django.db.models import Q

from samhandling.partnership.models import Partnership, PartnershipRole
from samhandling.portfolio.models import MaturityEvaluation, SmartSpecialisationArea
from samhandling.projects.models import Project


def test_demo_partnerships_dashboards_and_start_page(demo, client):
    stockholm = Partnership.objects.get(name="Strategiska partnerskapet Stockholm")
    oms = Partnership.objects.get(slug="oms")
    assert (stockholm.slug, oms.programme_region.code) == ("stockholm", "SE12")

    flagships = Project.objects.filter(flagship=True, programme_region=oms.programme_region)
    assert flagships.count() == 13
    almi = flagships.get(name="Almi Invest Östra Mellansverige Fond II")
    assert (almi.fund.code, almi.applicant.name) == ("ERUF", "Almi Invest Östra Mellansverige")
    assert (almi.start_date.year, almi.end_date.year, almi.amount_granted) == (2015, 2021, Decimal("75000000"))
    assert sorted(almi.counties.values_list("code", flat=True)) == ["03", "04", "05", "18", "19"]
    mirjam = flagships.get(name="Mirjam")
    assert mirjam.fund.code == "ESF+" and sorted(mirjam.counties.values_list("name", flat=True)) == [
        "Södermanlands län",
        "Östergötlands län",
    ]
    assert set(SmartSpecialisationArea.objects.filter(partnership=oms).values_list("name", flat=True)) == {
        "Energi",
        "Smart industri",
        "Livsmedel",
        "Life Science",
    }
    assert not MaturityEvaluation.objects.exclude(partnership=oms).filter(project__in=flagships).exists()

    oms_page = client.get("/oms/portfoljen/")
    assert oms_page.status_code == 200
    assert oms_page.context["count"] == 13
    assert oms_page.context["amount"] == sum(p.amount_granted for p in flagships)
    assert "Smart industri" in oms_page.content.decode()

    home = client.get("/portfoljen/")
    granted = Project.objects.granted()
    own = granted.filter(Q(programme_region=stockholm.programme_region) | Q(programme_region=None))
    assert home.context["count"] == own.count() < granted.count()  # Stockholm's counts no ÖMS project
    assert "Almi Invest" not in home.content.decode()

    start = client.get("/").content.decode()
    assert oms.name in start and stockholm.name in start
    assert 'href="/oms/portfoljen/"' in start and 'href="/stockholm/portfoljen/"' in start


def test_each_partnership_budgets_and_calls_with_its_own_regions_objectives(demo, client, make_user):
    """Objective codes repeat between regions' programmes: Västsverige's 5.1 is neither in Stockholm's fund
    totals nor offered to Stockholm's calls, and Stockholm's calls are not offered to Västsverige's."""
    from samhandling.access.roles import Role
    from samhandling.calls.models import Call

    home = client.get("/").context["funds"]
    regions = {o.programme.programme_region.code for fund in home for o in fund["objectives"]}
    assert regions == {"SE11"}
    user = make_user("sekr", Role.SECRETARIAT)
    PartnershipRole.objects.create(
        user=user, partnership=Partnership.objects.get(slug="vastsverige"), role="secretariat"
    )
    client.force_login(user)
    assert "ERUF 5.1 " not in client.get("/portfoljen/").content.decode()
    assert "ERUF 5.1 " in client.get("/vastsverige/portfoljen/").content.decode()
    own = client.get("/utlysningar/ny/").context["objectives"]
    offered = {o.programme.programme_region.code for form in own for o in form.fields["objective"].queryset}
    assert offered == {"SE11"}
    assert not any(
        form.fields["not_held_if_exhausted_by"].queryset.filter(pk__in=Call.objects.values("pk")).exists()
        for form in client.get("/vastsverige/utlysningar/ny/").context["objectives"]
    )
