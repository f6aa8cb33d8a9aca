"""Portfolio dashboard, network, orientation, report and maturity through HTTP and the CLI."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.portfolio.models import MaturityEvaluation, ProjectLabel, SmartSpecialisationArea, Target, Theme
from samhandling.portfolio.network import build_graph, measures, portfolio_shares
from samhandling.programmes.models import Fund
from samhandling.projects.models import County, Organisation, Project

S = Organisation.Sector


def _project(name, amount, status=Project.Status.GRANTED, applicant=None, partners=(), counties=(), **kw):
    p = Project.objects.create(
        name=name, fund=Fund.objects.get(code="ERUF"), amount_granted=amount, status=status, applicant=applicant, **kw
    )
    p.partners.add(*partners)
    p.counties.add(*counties)
    return p


@pytest.fixture
def portfolio(demo):
    life = SmartSpecialisationArea.objects.get(strategy="Stockholm", name="Life Science")
    a = _project(
        "Medicinteknisk testbädd",
        Decimal("6000000"),
        decision_date="2023-03-01",
        counties=[County.objects.get(code="01")],
    )
    ProjectLabel.objects.create(project=a, kind="area", area=life, confidence=0.9)
    _project("Hemlig ansökan under beredning", None, status=Project.Status.SUBMITTED, amount_applied=Decimal("777000"))
    Target.objects.create(theme=Theme.objects.get(name="Integration"), share_percent=33, published=False)
    return a


def test_dashboard_numbers_equal_direct_queries(client, make_user, portfolio):
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    response = client.get(reverse("portfolio:dashboard"))
    assert response.status_code == 200
    ctx = response.context
    # Stockholm's dashboard: its own programme region and projects without one, never the ÖMS partnership's
    granted = Project.objects.filter(
        Q(programme_region__code="SE11") | Q(programme_region=None), status__in=Project.GRANTED_STATES
    )
    assert ctx["count"] == granted.count()
    assert ctx["amount"] == granted.aggregate(s=Sum("amount_granted"))["s"]
    area = {r.label: r for r in ctx["by_key"]["area"].rows}["Life Science (Stockholm)"]
    direct = (
        granted.filter(portfolio_labels__area__name="Life Science", portfolio_labels__area__strategy="Stockholm")
        .exclude(portfolio_labels__status="rejected")
        .distinct()
    )
    assert area.count == direct.count() and area.amount == direct.aggregate(s=Sum("amount_granted"))["s"]
    county = {r.label: r for r in ctx["by_key"]["county"].rows}["Stockholms län"]
    in_county = granted.filter(counties__code="01").distinct()
    assert county.count == in_county.count() and county.amount == in_county.aggregate(s=Sum("amount_granted"))["s"]
    sector_total = sum(r.amount for r in ctx["by_key"]["sector"].rows)
    assert sector_total == ctx["amount"]
    html = response.content.decode()
    assert "Hemlig ansökan" not in html  # names are never listed, only aggregates
    assert "777\u00a0000\u00a0kr" in html and "Integration: " in html  # pipeline and unpublished target for insiders
    assert "Life Science (Stockholm): " in html and "mål 20\u00a0%" not in html


def test_public_dashboard_hides_unpublished_data(client, portfolio):
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    assert "777\u00a0000\u00a0kr" not in html and "Under beredning" not in html
    assert "Integration: " not in html  # the unpublished target
    assert "Life Science (Stockholm): " in html and "% av beviljat belopp, mål 20 %" in html


def test_cached_figures_follow_every_change_that_moves_them(client, portfolio):
    """The dashboard caches its figures keyed on the projects' last change: each kind of change must show."""

    def rows(key):
        by_key = client.get(reverse("portfolio:dashboard")).context["by_key"]
        return {r.label: (r.count, r.amount) for r in by_key[key].rows}

    life = rows("area")["Life Science (Stockholm)"]
    label = ProjectLabel.objects.get(project=portfolio, kind="area")
    label.status = ProjectLabel.Status.REJECTED  # a label decided elsewhere
    label.save()
    assert rows("area")["Life Science (Stockholm)"] == (life[0] - 1, life[1] - Decimal("6000000"))
    uppsala = County.objects.get(code="03")
    before = rows("county").get("Uppsala län", (0, Decimal(0)))
    uppsala.projects.add(portfolio)  # a link added from the county's side
    assert rows("county")["Uppsala län"] == (before[0] + 1, before[1] + Decimal("6000000"))
    applicant = Organisation.objects.create(name="Bänkföretaget AB", sector=S.COMPANY)
    portfolio.applicant = applicant
    portfolio.save()
    company = rows("sector")[str(S.COMPANY.label)]
    applicant.sector = S.UNIVERSITY  # the applicant's sector corrected
    applicant.save()
    after = rows("sector").get(str(S.COMPANY.label), (0, Decimal(0)))
    assert after == (company[0] - 1, company[1] - Decimal("6000000"))
    portfolio.delete()
    assert rows("county").get("Uppsala län", (0, 0))[0] == before[0]


def test_each_chart_is_an_offline_svg_with_a_table(client, portfolio):
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    # Nothing loaded from elsewhere. (The test once looked for "cdn" anywhere, which a random CSRF token can hold.)
    assert "<script>" not in html and not re.search(r'<(script|link|img)\b[^>]*\b(src|href)="(https?:)?//', html)
    for key in ("objective", "area", "theme", "county", "municipality", "sector", "size", "year"):
        assert reverse("portfolio:chart", args=[key]) in html
        svg = client.get(reverse("portfolio:chart", args=[key]))
        assert svg["Content-Type"] == "image/svg+xml" and svg.content.lstrip().startswith(b"<?xml")
    assert html.count("<caption>") >= 9


@pytest.mark.django_db
def test_network_measures_on_small_known_graph(client, run_tasks):
    fund = Fund.objects.create(code="T", name="Test", managing_authority="TVV")
    a, b, c, d = (
        Organisation.objects.create(name=n, sector=s)
        for n, s in [("Alfa", S.REGION), ("Beta", S.UNIVERSITY), ("Gamma", S.COMPANY), ("Delta", S.COMPANY)]
    )
    c1, c3 = County.objects.get(code="01"), County.objects.get(code="03")
    for name, applicant, partners, counties in [("P1", a, [b], [c1, c3]), ("P2", a, [c], [c1]), ("P3", c, [d], [c1])]:
        p = Project.objects.create(name=name, fund=fund, status=Project.Status.GRANTED, applicant=applicant)
        p.partners.add(*partners)
        p.counties.add(*counties)
    graph = build_graph(Project.objects.all())
    assert graph.number_of_nodes() == 4 and graph.number_of_edges() == 3  # path Beta–Alfa–Gamma–Delta
    by = {m.name: m for m in measures(graph)}
    assert by["Alfa"].projects == 2 and by["Alfa"].partners == 2 and by["Alfa"].counties_spanned == 2
    assert by["Alfa"].sectors_spanned == 3 and by["Delta"].sectors_spanned == 1
    assert by["Alfa"].degree_centrality == pytest.approx(2 / 3, abs=1e-4)
    assert by["Alfa"].betweenness == pytest.approx(2 / 3, abs=1e-4) and by["Beta"].betweenness == 0
    shares = portfolio_shares(Project.objects.all())
    assert shares["cross_sector"] == 2 and shares["multi_county"] == 1
    assert shares["cross_sector_share"] == pytest.approx(66.7) and shares["multi_county_share"] == pytest.approx(33.3)
    client.get(reverse("portfolio:network"))  # queues the network's build, which the task worker runs
    run_tasks()
    csv_text = client.get(reverse("portfolio:network-csv")).content.decode()
    assert csv_text.splitlines()[0] == "organisation_a,organisation_b,shared_projects,projects"
    assert "Alfa,Beta,1,P1" in csv_text and len(csv_text.splitlines()) == 4
    page = client.get(reverse("portfolio:network"), {"org": a.pk}).content.decode()
    assert "Gamma" in page and 'hx-get="' in page
    partial = client.get(
        reverse("portfolio:network-organisation", args=[a.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and "P2" in partial


def test_report_renders_pdf_and_docx(tmp_path, portfolio):
    pdf, docx_path = tmp_path / "r.pdf", tmp_path / "r.docx"
    call_command("report", "portfolio", "--from", "2021", "--to", "2025", "--format", "pdf", "--output", str(pdf))
    call_command(
        "report", "portfolio", "--from", "2021", "--to", "2025", "--format", "docx", "--output", str(docx_path)
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join("".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Uppföljning av beviljade projekt 2021–2025" in text.replace("– ", "–")
    assert "Life Science (Stockholm)" in text and "Per smart specialiseringsområde" in text
    from docx import Document

    doc = Document(docx_path)
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "Uppföljning av beviljade projekt 2021–2025" in body and "Per smart specialiseringsområde" in body
    assert "Life Science (Stockholm)" in cells and "6\u00a0000\u00a0000\u00a0kr" in cells
    assert doc.inline_shapes  # the charts


def test_orientation_suggests_underrepresented_areas_with_evidence(client, make_user, portfolio):
    portfolio.thematic_objective = "Att stärka forskning, teknisk utveckling och innovation"
    portfolio.save()
    client.force_login(make_user("ledamot", Role.MEMBER))
    response = client.get(reverse("portfolio:orientation"), {"mal": f"tm:{portfolio.thematic_objective}"})
    html = response.content.decode()
    assert "Hållbar produktion (Stockholm) är underrepresenterat inom målet: 0 projekt" in html
    assert "mot målet 15 %" in html
    assert client.get(reverse("portfolio:orientation")).status_code == 200
    client.logout()
    assert client.get(reverse("portfolio:orientation")).status_code in (302, 403)


def test_maturity_questionnaire_and_movement(client, make_user, demo):
    assert MaturityEvaluation.objects.filter(project__flagship=True).count() == 26
    ev = MaturityEvaluation.objects.order_by("id").first()
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    data = {
        "actor": ev.actor_id,
        "project": ev.project_id,
        "evaluated_on": "2024-05-01",
        "step": 4,
        "phase": 3,
        "ordering_capacity": 5,
        "receiving_capacity": 4,
        "influencing_capacity": 4,
        "resource_capacity": 5,
    }
    bad = client.post(reverse("portfolio:maturity-new"), {**data, "resource_capacity": 9})
    assert bad.status_code == 200 and MaturityEvaluation.objects.count() == 26
    assert client.post(reverse("portfolio:maturity-new"), data).status_code == 302
    page = client.get(reverse("portfolio:maturity"), {"aktor": ev.actor_id}).content.decode()
    assert "4. Samhandling" in page and "Förändring" in page and "+" in page


@pytest.mark.django_db
def test_dashboard_renders_in_english_after_choosing_the_language(client, portfolio):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    assert 'lang="en"' in html
    assert "Portfolio: granted projects" in html and "By objective" in html and "Amount granted" in html
    assert "Portföljen: beviljade projekt" not in html
