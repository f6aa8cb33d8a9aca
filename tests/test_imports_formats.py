"""Each importer on the real files in shared/data/open: counts, sums per programme region, sampled fields."""

import csv
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from samhandling.imports.formats.dk_operations_csv import SEK_PER_DKK
from samhandling.imports.formats.fi_operations_csv import SEK_PER_EUR
from samhandling.imports.models import ImportRun
from samhandling.projectbank.search import matching_sql
from samhandling.projects.models import ContactPerson, Organisation, Project

OPEN = settings.SHARED_DIR / "data" / "open"
SE, DK, FI = (
    OPEN / "se-tillvaxtverket-eruf-2014-2020.json",
    OPEN / "dk-erdf-2014-2020.csv",
    OPEN / "fi-erdf-2014-2020.csv",
)
pytestmark = pytest.mark.skipif(not SE.exists(), reason="shared/data/open is not here")


def run(fmt, path, *args):
    call_command("import", fmt, str(path), *args)


def indexed(project_id) -> bool:
    """Whether the project bank's full-text index has a document for the project (either back end)."""
    sql = (
        "SELECT 1 FROM projectbank_search WHERE project_id = %s"
        if connection.vendor == "postgresql"
        else "SELECT 1 FROM projectbank_fts WHERE rowid = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [project_id])
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_tillvaxtverket_json_counts_sums_and_fields():
    run("tillvaxtverket-json", SE)
    records = json.loads(SE.read_text(encoding="utf-8"))
    projects = Project.objects.filter(source="tillvaxtverket")
    assert projects.count() == len(records) == 244
    # Sums per programme region equal the file's own sums (the national programme has no region).
    expected = defaultdict(int)
    for r in records:
        region = None if r["område"].startswith("Nationellt") else r["område"].replace(" med ", " och ")
        expected[region] += r["beviljat_belopp_sek"]
    actual = {
        row["programme_region__name"]: row["total"]
        for row in projects.values("programme_region__name").annotate(total=Sum("amount_granted"))
    }
    assert actual == {k: Decimal(v) for k, v in expected.items()}
    assert sum(actual.values()) == 2_947_012_413

    business = projects.get(source_id="20200040")
    assert business.name == "Business Värmland"
    assert business.applicant.name == "Stift Compare Karlstad Competence Area"
    assert business.amount_granted == Decimal("6000000.00")
    assert str(business.start_date) == "2015-01-01" and str(business.end_date) == "2017-12-31"
    assert business.fund.code == "ERUF" and business.period.start_year == 2014
    assert business.programme_region.code == "SE31"
    assert [c.name for c in business.counties.all()] == ["Värmlands län"]
    assert business.municipalities.count() == 16
    assert business.status == Project.Status.GRANTED
    assert business.thematic_objective.startswith("Att öka konkurrenskraften hos SMF")
    # The project leader is a contact person (personal data), and `UPPGIFT SAKNAS` is no contact at all.
    assert ContactPerson.objects.filter(project=business).values_list("name", flat=True).get() == "Emma Blom"
    assert ContactPerson.objects.filter(name__iexact="uppgift saknas").count() == 0
    assert ContactPerson.objects.filter(project__source="tillvaxtverket").count() == 244 - 27
    # `UpplandsVäsby` and `ÖstraGöinge` (spaces lost in the file) are found all the same.
    assert projects.filter(municipalities__name="Upplands Väsby").exists()
    assert projects.filter(municipalities__name="Östra Göinge").exists()
    # `¿` is gone: list bullets became dashes and quotes quotes.
    assert not projects.filter(summary__contains="¿").exists()
    assert projects.filter(summary__contains="”Tillväxtmotorn”").exists()
    # The search index is in step.
    assert all(indexed(pk) for pk in projects.values_list("pk", flat=True))
    if connection.vendor == "sqlite":
        sql, params = matching_sql("affärsmöjligheter Värmland")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert business.pk in {row[0] for row in cursor.fetchall()}
    assert ImportRun.objects.get().created == 244


@pytest.mark.django_db
def test_dk_operations_csv_amounts_dates_multiline_partners():
    run("dk-operations-csv", DK)
    with DK.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    projects = Project.objects.filter(source="dk-erhvervsstyrelsen")
    assert projects.count() == len(rows) == 107
    eu_dkk = sum(int(r["EU-medfinansiering / Union co-financing"].replace(".", "")) for r in rows)
    total = projects.aggregate(total=Sum("amount_granted"))["total"]
    assert abs(total - eu_dkk * SEK_PER_DKK) < Decimal("1.00") * len(rows)
    assert set(projects.values_list("country", flat=True)) == {"DK"}
    assert set(projects.values_list("fund__code", flat=True)) == {"ERUF", "ESF"}
    first = projects.get(name="Vækst 2.0")
    assert str(first.start_date) == "2014-04-24" and str(first.end_date) == "2017-02-28"
    assert first.total_cost == (Decimal(15_414_794) * SEK_PER_DKK).quantize(Decimal("0.01"))
    assert first.cofinancing_rate == Decimal("50.00")
    assert first.priority.startswith("2 Flere vækstvirksomheder. Udvikle")  # a multi-line cell on one line
    assert "\n" in first.summary  # descriptions keep their lines
    assert first.applicant.name.startswith("Væksthus")
    with_partner = [
        r
        for r in rows
        if "Designskolen Kolding" in [line.strip().rstrip(".") for line in r["Partere / Project partners"].splitlines()]
    ]
    assert projects.filter(partners__name="Designskolen Kolding").count() == len(with_partner) == 5
    assert (
        ContactPerson.objects.filter(project__source="dk-erhvervsstyrelsen", email__endswith="example.org").count()
        >= 107
    )
    # The four operations that share name, beneficiary and start date are still four projects.
    assert projects.filter(name="Scale-up Denmark").count() == 2


@pytest.mark.django_db
def test_fi_operations_csv_rejects_the_broken_date_and_keeps_the_rest(tmp_path):
    with pytest.raises(CommandError) as failed:
        run("fi-operations-csv", FI)
    assert "fi-erdf-2014-2020.csv, rad 148, fältet Aloituspvm" in str(failed.value)
    assert Project.objects.count() == 0 and Organisation.objects.count() == 0

    rejects = tmp_path / "rejects.csv"
    run("fi-operations-csv", FI, "--skip-invalid", str(rejects))
    projects = Project.objects.filter(source="fi-eura")
    assert projects.count() == 2880
    with rejects.open(encoding="utf-8") as fh:
        assert [row[:2] for row in csv.reader(fh)][1:] == [["148", "Aloituspvm"]]
    with FI.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["Koodi"] != "A70447"]
    granted_eur = sum(
        int(r["Myönnetty EU- ja valtion rahoitus"] or 0) for r in rows if r["Myönnetty EU- ja valtion rahoitus"].strip()
    )
    assert abs(projects.aggregate(t=Sum("amount_granted"))["t"] - granted_eur * SEK_PER_EUR) < len(rows)
    first = projects.get(source_id="A70301")
    assert str(first.start_date) == "2015-03-01" and str(first.end_date) == "2017-02-28"  # `1.3.2015`
    assert first.applicant.name == "Mikkelin Ammattikorkeakoulu Oy" and first.fund.code == "ERUF"
    assert first.status == Project.Status.ONGOING and first.country == "FI"
    assert projects.get(source_id="A70305").applicant is None  # no beneficiary name in the file
    assert projects.filter(fund__code="ESF").count() == 786
    assert not projects.filter(name__contains="¿").exists()
