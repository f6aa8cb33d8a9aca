"""The dashboard's running sums stay equal to a fresh count through every kind of write that moves them."""

from collections import defaultdict
from decimal import Decimal

import pytest

from samhandling.programmes.models import RegulationObjective
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from test_imports_rules import art49_row, write_art49

from samhandling.portfolio import selectors, summary
from samhandling.portfolio.models import FigureSum, ProjectLabel, SmartSpecialisationArea, Theme
from samhandling.programmes.models import Fund
from samhandling.projectbank.synthetic import Generator
from samhandling.projects.models import County, Municipality, Organisation, Project

S = Organisation.Sector


def sum_rows():
    return sorted(FigureSum.objects.values_list("dimension", "value", "year", "projects", "amount_ore"))


def assert_same_as_rebuilt():
    """The sums kept up change by change equal the sums counted afresh from every project."""
    kept = sum_rows()
    with transaction.atomic():
        summary.refresh()
        rebuilt = sum_rows()
        transaction.set_rollback(True)
    assert kept == rebuilt


def counted(year_from=None, year_to=None) -> dict[str, dict[str, tuple[int, Decimal]]]:
    """Every dashboard table counted project by project from the ORM: the oracle."""
    out = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
    bands = [str(label) for _upper, label in summary.SIZE_BANDS]
    projects = (
        selectors.granted_projects(year_from, year_to)
        .select_related("objective__regulation_objective", "applicant", "intervention_field")
        .prefetch_related("counties", "municipalities", "portfolio_labels__area", "portfolio_labels__theme")
    )
    for p in projects:
        amount = p.amount_granted or Decimal(0)
        day = p.decision_date or p.start_date
        labels = [lab for lab in p.portfolio_labels.all() if lab.status != ProjectLabel.Status.REJECTED]
        keys = [
            ("objective", f"{p.objective.code} {p.objective.name}" if p.objective else p.thematic_objective),
            ("sector", str(S(p.applicant.sector).label) if p.applicant and p.applicant.sector else ""),
            (
                "size",
                ""
                if p.amount_granted is None
                else bands[sum(p.amount_granted >= u for u, _l in summary.SIZE_BANDS if u)],
            ),
            ("year", str(day.year) if day else ""),
        ]
        keys += [("county", c.name) for c in p.counties.all()] or [("county", "")]
        keys += [("municipality", m.name) for m in p.municipalities.all()] or [("municipality", "")]
        keys += [("area", str(lab.area)) for lab in labels if lab.kind == "area"]
        keys += [("theme", lab.theme.name) for lab in labels if lab.kind == "theme"]
        regulation = p.objective.regulation_objective if p.objective else None
        chosen = next((lab.value for lab in labels if lab.kind == "specific"), "")
        regulation = regulation or RegulationObjective.objects.filter(code=chosen).first()
        keys.append(("rso", f"{regulation.code} {regulation.name}" if regulation else ""))
        field = p.intervention_field
        keys.append(("intervention", f"{field.code} {field.name}" if field else ""))
        for dimension, label in keys:
            entry = out[dimension][label or "Uppgift saknas"]
            entry[0] += 1
            entry[1] += amount
    return {d: {label: tuple(v) for label, v in rows.items()} for d, rows in out.items()}


def shown(year_from=None, year_to=None):
    data = selectors.figures(year_from, year_to)
    return data, {t.key: {r.label: (r.count, r.amount) for r in t.rows} for t in data.tables if t.rows}


@pytest.fixture
def changed(demo, tmp_path):
    """The demo portfolio after one of every kind of write, each followed by the check against a rebuild."""
    assert_same_as_rebuilt()
    fund = Fund.objects.get(code="ERUF")
    stockholm, uppsala = County.objects.get(code="01"), County.objects.get(code="03")
    applicant = Organisation.objects.create(name="Summabolaget AB", sector=S.COMPANY)
    p = Project.objects.create(
        name="Två län",
        fund=fund,
        status=Project.Status.GRANTED,
        applicant=applicant,
        amount_granted=Decimal("1234567.89"),
        decision_date="2019-05-02",
        thematic_objective="Att främja hållbara transporter",
    )
    p.counties.add(stockholm, uppsala)
    p.municipalities.add(*Municipality.objects.filter(code__in=("0180", "0380")))
    no_amount = Project.objects.create(
        name="Belopp saknas", fund=fund, status=Project.Status.ONGOING, start_date="2022-02-01"
    )
    assert_same_as_rebuilt()
    area = SmartSpecialisationArea.objects.order_by("id").first()
    label = ProjectLabel.objects.create(project=p, kind="area", area=area, confidence=0.8)
    ProjectLabel.objects.create(
        project=no_amount, kind="theme", theme=Theme.objects.order_by("id").first(), confidence=0.5
    )
    assert_same_as_rebuilt()
    label.status = ProjectLabel.Status.REJECTED
    label.save()
    applicant.sector = S.UNIVERSITY
    applicant.save()
    uppsala.projects.clear()  # from the county's side: every project in Uppsala län loses the link
    assert_same_as_rebuilt()
    p.status = Project.Status.SUBMITTED  # out of the granted portfolio …
    p.save()
    assert_same_as_rebuilt()
    p.status = Project.Status.COMPLETED  # … and back
    p.save()
    Project.objects.filter(name="Belopp saknas").delete()
    assert_same_as_rebuilt()
    path = write_art49(tmp_path / "lista.csv", [art49_row(n) for n in range(3)])
    call_command("import", "art49-csv", str(path))
    write_art49(path, [art49_row(0, counties="03", eu_amount="9000000.00"), *(art49_row(n) for n in (1, 2))])
    call_command("import", "art49-csv", str(path))  # one project updated in bulk: amount and county
    assert_same_as_rebuilt()
    Generator(seed=7).generate(40, batch_size=16)
    assert_same_as_rebuilt()
    return p


def test_sums_follow_every_write_and_equal_a_fresh_count(changed):
    data, tables = shown()
    oracle = counted()
    assert tables == oracle
    granted = selectors.granted_projects()  # the partnership's own: its programme region and projects without one
    assert data.count == granted.count() == sum(n for n, _a in oracle["size"].values())
    assert data.amount == sum(p.amount_granted or 0 for p in granted)
    assert tables["objective"]["Att främja hållbara transporter"] == (1, Decimal("1234567.89"))
    assert tables["sector"][str(S.UNIVERSITY.label)][0] >= 1
    assert "Uppsala län" in tables["county"]  # the updated import row moved there


@pytest.mark.parametrize("year_from, year_to", [(2019, 2019), (None, 2020), (2021, None), (2015, 2023)])
def test_a_year_range_sums_the_same_as_filtering_the_projects(changed, year_from, year_to):
    data, tables = shown(year_from, year_to)
    assert tables == counted(year_from, year_to)
    assert data.count == selectors.granted_projects(year_from, year_to).count()


def test_the_first_request_after_a_change_shows_it(client, changed):
    """No cache in between: the sums are written in the same transaction as the project."""

    def county_rows():
        rows = client.get(reverse("portfolio:dashboard")).context["by_key"]["county"].rows
        return {r.label: (r.count, r.amount) for r in rows}

    before = county_rows()
    changed.counties.add(County.objects.get(code="03"))
    n, amount = before.get("Uppsala län", (0, Decimal(0)))
    assert county_rows()["Uppsala län"] == (n + 1, amount + Decimal("1234567.89"))
