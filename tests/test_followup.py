"""Indicators (targets per programme and partnership, projects' planned and achieved values) and money
followed through (dated cumulative snapshots), as the secretariat, the public and open data reach them."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.partnership.models import Partnership
from samhandling.programmes import demo as programmes_demo
from samhandling.programmes.models import (
    FinancialSnapshot,
    Indicator,
    IndicatorTarget,
    ProjectIndicatorValue,
    SpecificObjective,
)
from samhandling.projects.models import ProgrammeRegion, Project

URL = "/portfoljen/indikatorer/"


@pytest.fixture
def setup(db, make_user):
    programmes_demo.load()
    so = SpecificObjective.objects.get(fund__code="ERUF", code="1.1")
    project = Project.objects.create(
        name="Testbädd för material",
        fund=so.fund,
        objective=so,
        status=Project.Status.GRANTED,
        amount_granted=Decimal(2_000_000),
        decision_date=date(2025, 5, 1),
    )
    stockholm = Partnership.objects.create(
        name="Strategiska partnerskapet Stockholm", programme_region=ProgrammeRegion.objects.get(code="SE11")
    )
    elsewhere = Partnership.objects.create(
        name="Partnerskapet i Övre Norrland", programme_region=ProgrammeRegion.objects.get(code="SE33")
    )
    user = make_user("sekr", Role.SECRETARIAT)
    return {"so": so, "project": project, "stockholm": stockholm, "elsewhere": elsewhere, "user": user}


def _post(client, action, **fields):
    return client.post(URL, {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}})


def test_indicator_list_is_loaded_with_units_and_objectives(db):
    rco01 = Indicator.objects.get(code="RCO01")
    assert (rco01.kind, rco01.unit, rco01.name_en) == ("output", "företag", "Enterprises supported")
    assert "RSO1.1" in set(rco01.objectives.values_list("code", flat=True))
    assert Indicator.objects.get(code="RCR01").kind == "result"
    assert Indicator.objects.filter(code__startswith="EECO").exists()


def test_targets_values_and_overview(client, setup):
    client.force_login(setup["user"])
    rco01, rcr01 = Indicator.objects.get(code="RCO01"), Indicator.objects.get(code="RCR01")
    so = setup["so"]
    assert _post(client, "target", indicator=rco01.pk, objective=so.pk, target="40", year=2029).status_code == 302
    response = _post(
        client, "target", indicator=rco01.pk, objective=so.pk, partnership=setup["stockholm"].pk, target="25", year=2029
    )
    assert response.status_code == 302
    _post(client, "target", indicator=rco01.pk, objective=so.pk, target="50", year=2029)  # replaces the first
    assert IndicatorTarget.objects.get(indicator=rco01, partnership=None).target == Decimal("50.00")
    assert IndicatorTarget.objects.count() == 2
    target = IndicatorTarget.objects.get(indicator=rco01, partnership=None)
    assert LogEntry.objects.get_for_object(target).filter(actor=setup["user"]).count() == 2
    project = setup["project"]
    assert _post(client, "value", project=project.pk, indicator=rco01.pk, planned="12").status_code == 302
    assert _post(client, "value", project=project.pk, indicator=rco01.pk, achieved="5").status_code == 302
    assert _post(client, "value", project=project.pk, indicator=rcr01.pk, planned="3.5").status_code == 302
    value = ProjectIndicatorValue.objects.get(project=project, indicator=rco01)
    assert (value.planned, value.achieved) == (Decimal("12.00"), Decimal("5.00"))

    dashboard = client.get(reverse("portfolio:dashboard"))
    group = next(g for g in dashboard.context["indicators"] if g.objective == so)
    rows = {r.indicator.code: (r.target, r.planned, r.achieved) for r in group.rows}
    assert rows == {
        "RCO01": (Decimal("50.00"), Decimal("12.00"), Decimal("5.00")),
        "RCR01": (None, Decimal("3.50"), Decimal("0.00")),
    }
    html = dashboard.content.decode()
    assert "Indikatorer per specifikt mål" in html and "RCO01 Företag som får stöd" in html and "10 %" in html

    data = client.get(reverse("projectbank:open-data-file", args=["indikatorer"])).content.decode()
    found = {(r["partnership"], r["indicator"]): r for r in csv.DictReader(io.StringIO(data))}
    assert (found[("", "RCO01")]["target"], found[("", "RCO01")]["planned"]) == ("50.00", "12.00")
    assert found[("Strategiska partnerskapet Stockholm", "RCO01")]["target"] == "25.00"
    assert found[("", "RCO01")]["specific_objective_code"] == "RSO1.1"


@pytest.mark.parametrize(
    ("action", "fields", "message"),
    [
        ("target", {"indicator": "RCO18", "target": "10"}, "Indikatorn RCO18 hör inte till specifikt mål RSO1.1"),
        ("target", {"indicator": "RCO01", "target": "-1"}, "Målvärde"),
        ("target", {"indicator": "RCO01", "target": "10", "partnership": "elsewhere"}, "annat programområde"),
        ("target", {"indicator": "RCO01", "target": "=1+1"}, "Målvärde"),
        ("value", {"indicator": "RCO01", "project": "999999"}, "inget beviljat projekt"),
        ("value", {"indicator": "RCO01", "project": "own"}, "Ange planerat eller uppnått värde"),
        ("value", {"indicator": "RCO18", "project": "own", "planned": "1"}, "hör inte till specifikt mål"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(client, setup, action, fields, message):
    client.force_login(setup["user"])
    fields = dict(fields)
    fields["indicator"] = Indicator.objects.get(code=fields["indicator"]).pk
    if fields.get("partnership") == "elsewhere":
        fields["partnership"] = setup["elsewhere"].pk
    if fields.get("project") == "own":
        fields["project"] = setup["project"].pk
    if action == "target":
        fields.update(objective=setup["so"].pk, year=2029)
    response = _post(client, action, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IndicatorTarget.objects.exists() and not ProjectIndicatorValue.objects.exists()


def test_only_the_secretariat_sets_targets(client, setup, make_user):
    client.force_login(make_user("ledamot", Role.MEMBER))
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code in (302, 403)


def test_money_snapshots_by_command_as_a_time_series_and_open_data(client, setup):
    call_command("money_snapshot", "--date", "2025-06-30")
    call_command("money_snapshot", "--date", "2026-03-01", "--paid", "ERUF:1.1=1500000")
    call_command("money_snapshot", "--date", "2026-03-01", "--paid", "ERUF:1.1=1500000")  # the same day again
    call_command("money_snapshot", "--date", "2026-03-01", "--partnership", "Strategiska partnerskapet Stockholm")
    so = setup["so"]
    points = FinancialSnapshot.objects.filter(objective=so, partnership=None).order_by("date")
    assert [(p.date, p.planned, p.decided, p.paid, p.projects) for p in points] == [
        (date(2025, 6, 30), Decimal("150000000.00"), Decimal("0.00"), None, 1),
        (date(2026, 3, 1), Decimal("150000000.00"), Decimal("120000000.00"), Decimal("1500000.00"), 1),
    ]
    new = FinancialSnapshot.objects.get(objective__code="1.7", date=date(2026, 3, 1), partnership=None)
    assert new.planned == Decimal("34500000.00")
    assert FinancialSnapshot.objects.filter(partnership=setup["stockholm"]).count() == 8
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    assert "Ekonomi över tid per specifikt mål" in html and "2025-06-30" in html and "uppgift saknas" in html
    data = client.get(reverse("projectbank:open-data-file", args=["ekonomi"])).content.decode()
    rows = [r for r in csv.DictReader(io.StringIO(data)) if r["specific_objective"] == "1.1" and not r["partnership"]]
    assert [(r["date"], r["decided"], r["paid"]) for r in rows] == [
        ("2025-06-30", "0.00", ""),
        ("2026-03-01", "120000000.00", "1500000.00"),
    ]
    package = client.get(reverse("projectbank:open-data-file", args=["datapackage"])).json()
    money = next(r for r in package["resources"] if r["name"] == "ekonomi")
    assert {f["name"] for f in money["schema"]["fields"]} >= {"date", "planned", "decided", "paid"}
    assert all(f["description"] for f in money["schema"]["fields"])


@pytest.mark.parametrize(
    "args",
    [["--date", "30/6/2025"], ["--paid", "ERUF:9.9=1"], ["--paid", "ERUF:1.1=abc"], ["--partnership", "Okänt"]],
)
def test_money_snapshot_refuses_bad_arguments(setup, args):
    with pytest.raises(CommandError):
        call_command("money_snapshot", *args)
    assert not FinancialSnapshot.objects.exists()


def test_report_carries_indicators_and_money(setup, tmp_path):
    from docx import Document

    call_command("money_snapshot", "--date", "2026-03-01")
    out = tmp_path / "r.docx"
    call_command("report", "portfolio", "--from", "2021", "--to", "2026", "--format", "docx", "--output", str(out))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Indikatorer per specifikt mål" in text and "Ekonomi över tid per specifikt mål" in text
