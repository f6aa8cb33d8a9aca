"""The demo's two partnerships: each has its own dashboard, and the start page lists both."""

from decimal import Decimal

from samhandling.partnership.models import Partnership
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
    own = granted.exclude(programme_region=oms.programme_region)
    assert home.context["count"] == own.count() < granted.count()  # Stockholm's counts no ÖMS project
    assert "Almi Invest" not in home.content.decode()

    start = client.get("/").content.decode()
    assert oms.name in start and stockholm.name in start
    assert 'href="/oms/portfoljen/"' in start and 'href="/stockholm/portfoljen/"' in start
