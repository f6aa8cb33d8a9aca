"""2021–2027 specific objectives (RSO/ESO codes) and intervention fields as facets where people reach them:
the project bank's page and API, a project's page, open data (with its datapackage.json) and the dashboard."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse


from samhandling.programmes import demo as programmes_demo
from samhandling.programmes.models import Fund, InterventionField, SpecificObjective
from samhandling.projects.models import Project


@pytest.fixture
def projects(db):
    programmes_demo.load()
    so_11 = SpecificObjective.objects.get(fund__code="ERUF", code="1.1")
    so_26 = SpecificObjective.objects.get(fund__code="ERUF", code="2.6")
    fund = Fund.objects.get(code="ERUF")
    made = {}
    for key, objective, field, amount, status in [
        ("a", so_11, "013", 1_000_000, Project.Status.GRANTED),
        ("b", so_11, "013", 2_000_000, Project.Status.ONGOING),
        ("c", so_26, "075", 3_000_000, Project.Status.COMPLETED),
        ("draft", so_26, "075", 9_000_000, Project.Status.SUBMITTED),
    ]:
        made[key] = Project.objects.create(
            name=f"Projekt {key}",
            fund=fund,
            objective=objective,
            intervention_field=InterventionField.objects.get(code=field),
            amount_granted=Decimal(amount),
            start_date=date(2023, 1, 1),
            status=status,
        )
    return made


def _facet(body, name):
    return {o["value"]: o["count"] for o in body["facets"][name]}


def test_api_counts_and_filters_by_specific_objective_and_intervention_field(client, projects):
    body = client.get("/api/v1/projects").json()
    assert _facet(body, "specific_objective") == {"RSO1.1": 2, "RSO2.6": 1}
    assert _facet(body, "intervention") == {"013": 2, "075": 1}  # the application is not public
    narrowed = client.get("/api/v1/projects", {"specific_objective": "RSO1.1"}).json()
    assert {r["id"] for r in narrowed["results"]} == {projects["a"].pk, projects["b"].pk}
    by_field = client.get("/api/v1/projects", {"intervention": "075"}).json()
    assert [r["id"] for r in by_field["results"]] == [projects["c"].pk]
    known_but_unused = client.get("/api/v1/projects", {"intervention": "001"}).json()
    assert known_but_unused["count"] == 0
    assert client.get("/api/v1/projects", {"intervention": "999"}).status_code == 404
    detail = client.get(f"/api/v1/projects/{projects['a'].pk}").json()
    assert (detail["specific_objective_code"], detail["intervention_field"]) == ("RSO1.1", "013")


def test_search_page_offers_both_facets_and_a_project_shows_them(client, projects):
    html = client.get("/projekt/").content.decode()
    assert "Interventionsområde" in html and "Specifikt mål 2021–2027" in html
    assert "013 Digitalisering av små och medelstora företag" in html
    html = client.get("/projekt/", {"specific_objective": "RSO2.6"}).content.decode()
    assert "Projekt c" in html and "Projekt a" not in html
    page = client.get(reverse("projectbank:project", args=[projects["c"].pk])).content.decode()
    assert "RSO2.6" in page and "075 Miljövänliga produktionsprocesser" in page


def test_a_change_of_intervention_field_moves_the_counts(client, projects):
    project = projects["a"]
    project.intervention_field = InterventionField.objects.get(code="075")
    project.save()
    body = client.get("/api/v1/projects").json()
    assert _facet(body, "intervention") == {"013": 1, "075": 2}


def test_open_data_carries_the_codes_and_describes_them(client, projects, run_tasks):
    client.get(reverse("projectbank:open-data-file", args=["csv"]))  # queues the files' build
    run_tasks()  # the background worker writes them
    response = client.get(reverse("projectbank:open-data-file", args=["csv"]))
    rows = {r["operation_name"]: r for r in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))}
    assert set(rows) == {"Projekt a", "Projekt b", "Projekt c"}
    assert (rows["Projekt c"]["specific_objective_code"], rows["Projekt c"]["intervention_field"]) == ("RSO2.6", "075")
    assert rows["Projekt c"]["intervention_field_name"].startswith("Miljövänliga produktionsprocesser")
    package = client.get(reverse("projectbank:open-data-file", args=["datapackage"])).json()
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert "RSO" in fields["specific_objective_code"]["description"]
    assert "bilaga I" in fields["intervention_field"]["description"]
    json_rows = json.loads(b"".join(client.get(reverse("projectbank:open-data-file", args=["json"])).streaming_content))
    assert {r["intervention_field"] for r in json_rows} == {"013", "075"}


def test_dashboard_tables_per_specific_objective_and_intervention_field(client, projects):
    by_key = client.get(reverse("portfolio:dashboard")).context["by_key"]
    rso = {r.label.split()[0]: (r.count, r.amount) for r in by_key["rso"].rows}
    assert rso == {"RSO1.1": (2, Decimal("3000000.00")), "RSO2.6": (1, Decimal("3000000.00"))}
    fields = {r.label.split()[0]: r.count for r in by_key["intervention"].rows}
    assert fields == {"013": 2, "075": 1}
    html = client.get(reverse("portfolio:dashboard")).content.decode()
    assert "Per interventionsområde" in html
    assert client.get(reverse("portfolio:chart", args=["intervention"])).status_code == 200


def test_imported_operations_carry_both_facets(client, tmp_path, db):
    """The importer resolves an intervention field from the code its file gives (Kohesio writes "13.0") and the
    facet rows it writes in bulk carry both facets, as single saves do."""
    from django.core.management import call_command

    from test_imports_rules import art49_row, write_art49

    programmes_demo.load()
    rows = [
        art49_row(1, intervention_type="13.0", specific_objective="1.1"),
        art49_row(2, intervention_type="075 Miljövänliga processer", specific_objective="2.6"),
        art49_row(3, intervention_type="Fritext utan kod"),
    ]
    call_command("import", "art49-csv", str(write_art49(tmp_path / "in.csv", rows)))
    fields = dict(Project.objects.values_list("source_id", "intervention_field__code"))
    assert fields == {"op-1": "013", "op-2": "075", "op-3": None}
    body = client.get("/api/v1/projects").json()
    assert _facet(body, "intervention") == {"013": 1, "075": 1}
    assert _facet(body, "specific_objective") == {"RSO1.1": 1, "RSO2.6": 1}


def test_in_english_the_facets_carry_the_english_names(client, projects):
    """Reference data has English names (Annex I, the regulations' objectives, the funds): an English reader
    gets them in the facets of the page and the API; the Swedish page keeps the Swedish ones."""
    client.cookies["django_language"] = "en"
    html = client.get("/projekt/").content.decode()
    assert "013 Digitising small and medium-sized enterprises" in html and "013 Digitalisering av små" not in html
    assert "RSO2.6 Promoting the transition to a circular" in html
    assert "ERUF – European Regional Development Fund" in html
    labels = {o["value"]: o["label"] for o in client.get("/api/v1/projects").json()["facets"]["intervention"]}
    assert labels["075"].startswith("075 Environmentally friendly production processes")
    client.cookies["django_language"] = "sv"
    assert "013 Digitalisering av små och medelstora företag" in client.get("/projekt/").content.decode()


def test_in_english_the_dashboard_names_the_objectives_and_fields_in_english(client, projects):
    client.cookies["django_language"] = "en"
    by_key = client.get(reverse("portfolio:dashboard")).context["by_key"]
    assert "RSO2.6 Promoting the transition to a circular and resource-efficient economy" in [
        r.label for r in by_key["rso"].rows
    ]
    assert any(r.label.startswith("013 Digitising small") for r in by_key["intervention"].rows)
    assert "1.1 Research and innovation" in [r.label for r in by_key["objective"].rows]
