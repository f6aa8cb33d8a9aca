"""Open data: the Article 49(3) export (CLI and public downloads), Frictionless validation, round trip, privacy."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse
from frictionless import validate
from openpyxl import load_workbook

from samhandling.imports.models import ImportRun
from samhandling.projectbank import opendata
from samhandling.programmes.models import Fund
from samhandling.projects.models import ContactPerson, Organisation, Project

from test_imports_rules import art49_row, write_art49

SE_FILE = settings.SHARED_DIR / "data" / "open" / "se-tillvaxtverket-eruf-2014-2020.json"
SECRETS = ["Hemliga Hansson", "070-0000001", "hemlig@example.org", "Min hemliga kriterietext", "sokande-konto"]


@pytest.fixture
def projects(tmp_path):
    """Imported operations, one application and one draft, and personal data on all of them."""
    rows = [art49_row(n) for n in range(6)]
    rows[2].update(partners="Partner Ett AB\nPartner Två", counties="01,03", municipalities="0180,0380")
    rows[3].update(eu_amount="", total_cost="", start_date="", end_date="", cofinancing_rate="", status="completed")
    call_command("import", "art49-csv", str(write_art49(tmp_path / "in.csv", rows)))
    owner = User.objects.create_user(SECRETS[4])
    fund = Fund.objects.get(code="ERUF")
    for status in (Project.Status.SUBMITTED, Project.Status.DRAFT):
        Project.objects.create(
            name=f"Ansökan {status}", fund=fund, status=status, owner=owner, criterion_texts={"1": SECRETS[3]}
        )
    for project in Project.objects.all():
        ContactPerson.objects.create(project=project, name=SECRETS[0], phone=SECRETS[1], email=SECRETS[2])
    Project.objects.filter(source_id="op-0").update(owner=owner, criterion_texts={"1": SECRETS[3]})


def xlsx_text(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return "\n".join("\t".join("" if c is None else str(c) for c in row) for row in sheet.iter_rows(values_only=True))


@pytest.mark.django_db
def test_export_writes_valid_frictionless_data_with_the_article_49_fields(projects, tmp_path):
    out = tmp_path / "oppna-data"
    call_command("export", "--format", "csv,json", "--format", "xlsx", "--output", str(out))
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["format"] for r in descriptor["resources"]} == {"csv", "json", "xlsx"}
    with (out / "samhandling-projekt.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for field in (
        "beneficiary_name",
        "operation_name",
        "purpose_and_achievements",
        "start_date",
        "end_date",
        "total_cost",
        "fund",
        "specific_objective",
        "cofinancing_rate",
        "location_indicator",
        "country",
        "intervention_type",
        "last_updated",
        "source",
        "id",
        "source_id",
    ):
        assert field in rows[0]
    assert len(rows) == 6  # the application and the draft are not open data
    assert {r["status"] for r in rows} <= {"granted", "ongoing", "completed"}
    two = next(r for r in rows if r["source_id"] == "op-2")
    assert (two["partners"], two["counties"], two["municipalities"]) == (
        "Partner Ett AB\nPartner Två",
        "01,03",
        "0180,0380",
    )
    assert (two["eu_amount"], two["fund"], two["programme_region"], two["source"]) == (
        "1000000.00",
        "ERUF",
        "SE11",
        "ma-test",
    )
    json_rows = json.loads((out / "samhandling-projekt.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in json_rows] == [int(r["id"]) for r in rows]
    assert xlsx_text((out / "samhandling-projekt.xlsx").read_bytes()).count("\tInsats ") == 6


@pytest.mark.django_db
def test_no_personal_data_and_no_applications_in_any_export(projects, tmp_path, client, run_tasks):
    opendata.export(tmp_path)
    _prepare_downloads(client, run_tasks)
    texts = [(tmp_path / f"samhandling-projekt.{f}").read_text(encoding="utf-8") for f in ("csv", "json")]
    texts.append(xlsx_text((tmp_path / "samhandling-projekt.xlsx").read_bytes()))
    for fmt in ("csv", "json", "xlsx", "datapackage"):
        response = client.get(reverse("projectbank:open-data-file", args=[fmt]))
        assert response.status_code == 200
        data = b"".join(response.streaming_content) if response.streaming else response.content
        texts.append(xlsx_text(data) if fmt == "xlsx" else data.decode())
    texts.append(client.get(reverse("projectbank:open-data")).content.decode())
    for text in texts:
        for secret in SECRETS + ["Ansökan submitted", "Ansökan draft"]:
            assert secret not in text
    assert "Insats 1" in texts[0] and "Insats 1" in texts[3]


def _prepare_downloads(client, run_tasks):
    """The first download asks for the files, which the task worker writes (never the request)."""
    waiting = client.get(reverse("projectbank:open-data-file", args=["csv"]))
    assert waiting.status_code == 503 and "tas fram just nu" in waiting.content.decode()
    run_tasks()


@pytest.mark.django_db
def test_public_downloads(projects, client, run_tasks):
    _prepare_downloads(client, run_tasks)
    page = client.get(reverse("projectbank:open-data"))
    html = page.content.decode()
    assert page.status_code == 200 and "Filerna skrevs" in html
    for fmt in ("csv", "xlsx", "json", "datapackage"):
        assert reverse("projectbank:open-data-file", args=[fmt]) in html
    response = client.get(reverse("projectbank:open-data-file", args=["csv"]))
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert 'filename="samhandling-projekt.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 6
    package = client.get(reverse("projectbank:open-data-file", args=["datapackage"])).json()
    assert package["resources"][0]["path"] == "http://testserver" + reverse("projectbank:open-data-file", args=["csv"])
    assert client.get(reverse("projectbank:open-data-file", args=["exe"])).status_code == 404


@pytest.mark.django_db
def test_unknown_export_format_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Okänt format: pdf"):
        call_command("export", "--format", "csv,pdf", "--output", str(tmp_path))


def comparable(path):
    with path.open(encoding="utf-8") as fh:
        rows = [{k: v for k, v in r.items() if k not in ("id", "last_updated")} for r in csv.DictReader(fh)]
    return sorted(rows, key=lambda r: (r["source"], r["source_id"]))


@pytest.mark.django_db
def test_export_then_import_as_art49_gives_the_same_projects(projects, tmp_path):
    if SE_FILE.exists():
        call_command("import", "tillvaxtverket-json", str(SE_FILE))
    Project.objects.create(
        name="Eget projekt",
        fund=Fund.objects.get(code="ERUF"),
        status=Project.Status.GRANTED,
        applicant=Organisation.objects.create(name="Egen organisation"),
    )
    first = tmp_path / "first"
    opendata.export(first, ["csv"])
    exported = comparable(first / "samhandling-projekt.csv")
    count = Project.objects.count()

    # Into the same database: nothing new, nothing changed.
    call_command("import", "art49-csv", str(first / "samhandling-projekt.csv"))
    run = ImportRun.objects.order_by("id").last()
    assert (run.created, run.updated, run.unchanged) == (0, 0, len(exported))
    assert Project.objects.count() == count

    # Into an empty project bank: the same projects again.
    Project.objects.all().delete()
    Organisation.objects.all().delete()
    call_command("import", "art49-csv", str(first / "samhandling-projekt.csv"))
    second = tmp_path / "second"
    opendata.export(second, ["csv"])
    assert comparable(second / "samhandling-projekt.csv") == exported


@pytest.mark.django_db
def test_the_open_data_page_in_english(projects, client):
    html = client.get(reverse("projectbank:open-data"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open data: the project bank" in html and "6 granted, ongoing or completed projects" in html


@pytest.mark.django_db
def test_rows_walk_every_open_project_across_gaps_wider_than_a_chunk(projects, monkeypatch):
    """The export reads in id windows: windows with no project, or only drafts, are passed over, not ended on."""
    monkeypatch.setattr(opendata, "CHUNK", 2)
    expected = list(opendata.open_projects().order_by("id").values_list("id", flat=True))
    Project.objects.filter(id__in=expected[1:4]).delete()
    expected = expected[:1] + expected[4:]
    assert len(expected) >= 2
    assert [row["id"] for row in opendata.rows()] == expected
