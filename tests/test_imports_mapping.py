"""The 2021–2027 lists as users download them: any list through a mapping file (`samhandling import mapping`),
and the built-in mappings for Kohesio, Svenska ESF-rådet's project bank and keep.eu, with their partners,
organisations matched by number, the same operation in Kohesio and ESF-rådet kept as one project."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from samhandling.imports.models import ImportRun, MatchProposal
from samhandling.projects.models import Organisation, Participation, Project

SAMPLES = Path(__file__).parent / "data" / "imports"
SEK_PER_EUR = Decimal("11.4788")

MAPPING = """
[source]
format = "json"
fund = "ERUF"
programme_period = "2021-2027"
name = "interreg-lista"
unknown_objectives = "keep-code"

[project]
id = "{program}/{id}"
name = "projektnamn"
summary = "beskrivning"
start_date = "startdatum"
end_date = "slutdatum"
programme = "program"
specific_objective = "specifiktmal"
total_cost = "total"
eu_amount = "eu_stod"

[partner]
name = "organisationsnamn"
organisation_number = "orgnr"
role = "organisationsroll"
lead_when = ["LP"]
amount = "partnerbudget"
county = "nuts3"
country = "land"
"""


def partner_rows(changes=None):
    """Two projects, one row per partner (the issue's example mapping)."""
    base = {
        "program": "Interreg Aurora",
        "projektnamn": "Kall logistik",
        "beskrivning": "Logistik i kallt klimat.",
        "startdatum": "2023-01-01",
        "slutdatum": "2025-12-31",
        "specifiktmal": "RSO1.1",
        "total": "3000000",
        "eu_stod": "1950000",
    }
    rows = [
        {**base, "id": "A-1", "organisationsnamn": "Umeå universitet", "orgnr": "202100-2874",
         "organisationsroll": "LP", "partnerbudget": "1500000", "nuts3": "SE331", "land": "SE"},
        {**base, "id": "A-1", "organisationsnamn": "Oulun yliopisto", "orgnr": "",
         "organisationsroll": "PP", "partnerbudget": "1000000", "nuts3": "FI1D9", "land": "FI"},
        {**base, "id": "A-1", "organisationsnamn": "Region Västerbotten", "orgnr": "232100-0222",
         "organisationsroll": "PP", "partnerbudget": "500000", "nuts3": "Västerbottens län", "land": ""},
        {**base, "id": "A-2", "projektnamn": "Samiska språkcentrum", "specifiktmal": "4.6",
         "organisationsnamn": "Region Västerbotten", "orgnr": "232100-0222", "organisationsroll": "LP",
         "partnerbudget": "800000", "nuts3": "24", "land": "Sverige"},
    ]  # fmt: skip
    for (index, key), value in (changes or {}).items():
        rows[index][key] = value
    return rows


def write(tmp_path, rows, mapping=MAPPING, name="lista.json"):
    (tmp_path / "mappning.toml").write_text(mapping, encoding="utf-8")
    (tmp_path / name).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return str(tmp_path / "mappning.toml"), str(tmp_path / name)


def last_run():
    return ImportRun.objects.order_by("id").last()


@pytest.mark.django_db
def test_a_list_through_a_mapping_one_project_per_id_one_row_per_partner(tmp_path):
    call_command("import", "mapping", *write(tmp_path, partner_rows()))
    assert Project.objects.count() == 2
    project = Project.objects.get(source="interreg-lista", source_id="Interreg Aurora/A-1")
    assert (project.name, project.programme_name, project.objective_code) == (
        "Kall logistik",
        "Interreg Aurora",
        "RSO1.1",
    )
    assert (project.total_cost, project.amount_granted, project.fund.code, project.period.start_year) == (
        Decimal("3000000"),
        Decimal("1950000"),
        "ERUF",
        2021,
    )
    assert project.applicant.name == "Umeå universitet" and project.applicant.org_number == "202100-2874"
    assert sorted(project.partners.values_list("name", flat=True)) == ["Oulun yliopisto", "Region Västerbotten"]
    assert [c.code for c in project.counties.all()] == ["24"]
    parts = {p.organisation.name: p for p in project.participations.select_related("organisation", "county")}
    assert (parts["Umeå universitet"].role, parts["Umeå universitet"].amount, parts["Umeå universitet"].nuts3) == (
        "lead",
        Decimal("1500000"),
        "SE331",
    )
    oulu = parts["Oulun yliopisto"]
    assert (oulu.role, oulu.country, oulu.nuts3, oulu.county, oulu.organisation.country) == (
        "partner",
        "FI",
        "FI1D9",
        None,
        "FI",
    )
    assert parts["Region Västerbotten"].county.code == "24" and parts["Region Västerbotten"].country == "SE"
    second = Project.objects.get(source_id="Interreg Aurora/A-2")
    assert second.objective_code == "RSO4.6" and second.applicant == parts["Region Västerbotten"].organisation
    assert Organisation.objects.filter(name="Region Västerbotten").count() == 1
    run = last_run()
    assert (run.format, run.source, run.created, run.rejected) == ("mapping", "interreg-lista", 2, 0)


@pytest.mark.django_db
def test_re_running_a_mapping_never_duplicates_and_a_changed_partner_updates(tmp_path):
    paths = write(tmp_path, partner_rows())
    call_command("import", "mapping", *paths)
    call_command("import", "mapping", *paths)
    run = last_run()
    assert (run.created, run.updated, run.unchanged) == (0, 0, 2)
    assert (Project.objects.count(), Organisation.objects.count(), Participation.objects.count()) == (2, 3, 4)
    call_command("import", "mapping", *write(tmp_path, partner_rows({(1, "partnerbudget"): "1100000"})))
    run = last_run()
    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    assert Participation.objects.get(organisation__name="Oulun yliopisto").amount == Decimal("1100000")
    assert Participation.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mapping, message",
    [
        (MAPPING.replace('name = "projektnamn"', 'namn = "projektnamn"'), "project.namn: okänd nyckel"),
        (MAPPING + "\n[extra]\nx = 1\n", "extra: okänd sektion"),
        (MAPPING.replace('format = "json"', 'format = "pdf"'), "source.format: ”pdf” är inte ett av csv, xlsx, json"),
        (MAPPING.replace('lead_when = ["LP"]', "lead_when = 3"), "partner.lead_when: ska vara en lista"),
        (MAPPING.replace('total_cost = "total"', 'total_cost = "totalt"'), "project.total_cost: kolumnen ”totalt”"),
        (MAPPING.replace('id = "{program}/{id}"', 'id = "{program}/{nr}"'), "project.id: kolumnen ”nr”"),
        (MAPPING.replace('fund = "ERUF"', 'fund = "XYZ"'), "source.fund: okänd fond"),
        ("[source\nformat=", "inte giltig TOML"),
        (MAPPING.replace('unknown_objectives = "keep-code"', ""), "rad 1, fältet specifiktmal: okänt specifikt mål"),
    ],
)
def test_a_wrong_mapping_is_refused_naming_the_key_and_nothing_is_stored(tmp_path, mapping, message):
    with pytest.raises(CommandError) as failed:
        call_command("import", "mapping", *write(tmp_path, partner_rows(), mapping=mapping))
    assert "inget sparades" in str(failed.value) and message in str(failed.value)
    assert not Project.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        ({(2, "partnerbudget"): "en miljon"}, "rad 3, fältet partnerbudget: ”en miljon” är inte ett tal"),
        ({(3, "specifiktmal"): "forskning"}, "rad 4, fältet specifiktmal: ”forskning” är inget specifikt mål"),
        ({(1, "nuts3"): "Atlantis"}, "rad 2, fältet nuts3: ”Atlantis” är inget län"),
        ({(1, "land"): "Ruritanien"}, "rad 2, fältet land: okänt land"),
        ({(0, "orgnr"): "202100-2875"}, "rad 1, fältet orgnr: Organisationsnumret 202100-2875 har fel kontrollsiffra"),
        ({(1, "organisationsroll"): "LP"}, "rad 2, fältet organisationsroll: projektet har redan en huvudpart"),
        ({(3, "id"): "A-1", (3, "program"): "Interreg Aurora"}, "rad 4, fältet orgnr"),
        ({(0, "startdatum"): "1 januari"}, "rad 1, fältet startdatum: ”1 januari” är inte ett datum"),
        ({(3, "projektnamn"): "x\x07y"}, "rad 4, fältet projektnamn: texten innehåller ett otillåtet styrtecken"),
    ],
)
def test_an_unparseable_value_is_refused_naming_row_and_column(tmp_path, change, message):
    rows = partner_rows(change)
    if (3, "id") in change:  # Region Västerbotten twice in one project
        rows[2]["orgnr"] = rows[3]["orgnr"] = ""
        rows[3]["organisationsroll"], rows[3]["land"] = "PP", "SE"
        message = "rad 4, fältet organisationsnamn: ”Region Västerbotten” står två gånger i projektet"
    with pytest.raises(CommandError) as failed:
        call_command("import", "mapping", *write(tmp_path, rows))
    assert message in str(failed.value)
    assert not Project.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_projects_rows_must_follow_each_other(tmp_path):
    rows = partner_rows()
    rows.append({**rows[0], "organisationsnamn": "Sent tillagd AB", "orgnr": "", "organisationsroll": "PP"})
    with pytest.raises(CommandError) as failed:
        call_command("import", "mapping", *write(tmp_path, rows))
    assert "rad 5, fältet {program}/{id}: projektet ”Interreg Aurora/A-1” har rader på flera ställen" in str(
        failed.value
    )


@pytest.mark.django_db
def test_the_same_mapping_reads_csv_and_xlsx(tmp_path):
    rows = partner_rows()
    csv_mapping = MAPPING.replace('format = "json"', 'format = "csv"\ndelimiter = ";"')
    header = list(rows[0])
    lines = [";".join(header)] + [";".join(r[h] for h in header) for r in rows]
    mapping, data = write(tmp_path, [], mapping=csv_mapping, name="x.json")
    (tmp_path / "lista.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("import", "mapping", mapping, str(tmp_path / "lista.csv"))
    assert Project.objects.count() == 2 and Participation.objects.count() == 4

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Blad1"
    sheet.append(header)
    for r in rows:
        sheet.append([float(r[h]) if h in ("total", "partnerbudget") else r[h] for h in header])
    workbook.save(tmp_path / "lista.xlsx")
    xlsx_mapping = MAPPING.replace('format = "json"', 'format = "xlsx"\nsheet = "Blad1"')
    mapping, _data = write(tmp_path, [], mapping=xlsx_mapping, name="x.json")
    call_command("import", "mapping", mapping, str(tmp_path / "lista.xlsx"))
    run = last_run()
    assert (run.created, run.updated, run.unchanged) == (0, 0, 2)  # the same projects, read from XLSX
    wrong_sheet = MAPPING.replace('format = "json"', 'format = "xlsx"\nsheet = "Blad9"')
    mapping, _data = write(tmp_path, [], mapping=wrong_sheet, name="x.json")
    with pytest.raises(CommandError, match="source.sheet: bladet ”Blad9” finns inte"):
        call_command("import", "mapping", mapping, str(tmp_path / "lista.xlsx"))


@pytest.mark.django_db
def test_kohesio_csv(tmp_path):
    call_command("import", "kohesio-csv", str(SAMPLES / "kohesio-se-2021-2027.csv"))
    assert Project.objects.filter(source="kohesio").count() == 3
    building = Project.objects.get(source_id="2021SE16RFPR001_20358123")
    assert building.intervention_type == "117"  # written "117.0"
    assert building.total_cost == (Decimal("1200000.00") * SEK_PER_EUR).quantize(Decimal("0.01"))
    assert building.cofinancing_rate == Decimal("40.00") and building.programme_name == "2021SE16RFPR001"
    assert building.applicant.name == "Region Stockholm" and building.applicant.org_number == "232100-0016"
    assert list(building.partners.values_list("org_number", flat=True)) == ["202100-3062"]
    youth = Project.objects.get(source_id="2021SE05SFPR001_2023/00412")
    assert (youth.fund.code, youth.intervention_type, youth.period.start_year) == ("ESF+", "136", 2021)
    assert Project.objects.get(source_id="2021SE16RFPR003_20361877").intervention_type == "077"
    call_command("import", "kohesio-csv", str(SAMPLES / "kohesio-se-2021-2027.csv"))
    assert (last_run().created, last_run().unchanged) == (0, 3)


@pytest.mark.django_db
def test_esf_project_bank_csv():
    call_command("import", "esf-csv", str(SAMPLES / "esf-projektbank.csv"))
    project = Project.objects.get(source="esf-radet", source_id="2023/00412")
    assert (
        project.summary == "Unga vuxna i Söderort får coachning & praktik.\n– Kartläggning\n– Praktik hos arbetsgivare"
    )
    assert (project.total_cost, project.amount_granted, project.cofinancing_rate) == (
        Decimal("12500000"),
        Decimal("7500000"),
        Decimal("60.00"),
    )
    assert (project.objective_code, project.intervention_type, project.fund.code) == ("ESO4.1", "136", "ESF+")
    assert project.priority.startswith("Programområde B") and project.applicant.org_number == "212000-0142"


@pytest.mark.django_db
@pytest.mark.parametrize("order", [("esf-csv", "kohesio-csv"), ("kohesio-csv", "esf-csv")])
def test_an_operation_in_both_kohesio_and_esf_is_one_project(order):
    files = {"esf-csv": "esf-projektbank.csv", "kohesio-csv": "kohesio-se-2021-2027.csv"}
    for fmt in order:
        call_command("import", fmt, str(SAMPLES / files[fmt]))
    assert Project.objects.count() == 3 + 2 - 1
    youth = Project.objects.get(name="Unga vuxna till arbete i Söderort")
    assert youth.source == ("esf-radet" if order[0] == "esf-csv" else "kohesio")
    assert Organisation.objects.filter(org_number="212000-0142").count() == 1
    for fmt in order:  # both again: nothing new
        call_command("import", fmt, str(SAMPLES / files[fmt]))
        assert last_run().created == 0
    assert Project.objects.count() == 4


@pytest.mark.django_db
def test_keep_eu_xlsx_with_partners():
    call_command("import", "keep-xlsx", str(SAMPLES / "keep-interreg.xlsx"))
    assert Project.objects.filter(source="keep-eu").count() == 3
    project = Project.objects.get(source_id="Interreg Aurora/ARCTIC-H2")
    assert (project.programme_name, project.objective_code, project.start_date.isoformat()) == (
        "Interreg Aurora",
        "RSO1.1",
        "2023-05-01",
    )
    assert project.amount_granted == (Decimal("1592500") * SEK_PER_EUR).quantize(Decimal("0.01"))
    parts = {p.organisation.name: p for p in project.participations.select_related("organisation")}
    assert set(parts) == {"Luleå tekniska universitet", "Oulun yliopisto", "Troms og Finnmark fylkeskommune"}
    lead = parts["Luleå tekniska universitet"]
    assert (lead.role, lead.organisation.pic, lead.county.code, lead.nuts3) == ("lead", "999897627", "25", "SE332")
    assert project.applicant == lead.organisation
    assert (parts["Troms og Finnmark fylkeskommune"].country, parts["Oulun yliopisto"].nuts3) == ("NO", "FI1D9")
    assert parts["Oulun yliopisto"].amount == (Decimal("850000") * SEK_PER_EUR).quantize(Decimal("0.01"))
    care = Project.objects.get(source_id="Interreg Central Baltic/BALTIC-CARE")
    assert (care.applicant.name, care.applicant.country, care.country) == ("Tallinna Ülikool", "EE", "EE")
    call_command("import", "keep-xlsx", str(SAMPLES / "keep-interreg.xlsx"))
    assert (last_run().created, last_run().unchanged) == (0, 3)


@pytest.mark.django_db
def test_organisations_are_matched_by_number_first_and_by_name_only_as_a_proposal(tmp_path):
    by_number = Organisation.objects.create(name="Umeå univ.", org_number="202100-2874")
    same_name = Organisation.objects.create(name="Region Västerbotten")
    call_command("import", "mapping", *write(tmp_path, partner_rows()))
    project = Project.objects.get(source_id="Interreg Aurora/A-1")
    assert project.applicant == by_number  # the number, whatever the name
    region = Organisation.objects.get(org_number="232100-0222")
    assert region != same_name and region.name == "Region Västerbotten"
    proposal = MatchProposal.objects.get(candidate=same_name)
    assert (proposal.new_organisation, proposal.score) == (region, Decimal("100.0"))
    # Confirmed: the known organisation takes the number and the projects; the next run finds it by number.
    from samhandling.imports.organisations import confirm

    confirm(proposal, None)
    same_name.refresh_from_db()
    assert same_name.org_number == "232100-0222"
    assert Participation.objects.filter(organisation=same_name).count() == 2
    call_command("import", "mapping", *write(tmp_path, partner_rows()))
    assert (last_run().created, last_run().updated, last_run().unchanged) == (0, 0, 2)
    assert not Organisation.objects.filter(pk=region.pk).exists()


@pytest.fixture
def secretariat(client, make_user, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(make_user("sekr", "secretariat"))
    return client


def test_a_mapping_upload_in_the_browser_is_checked_then_imported(secretariat, tmp_path, run_tasks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from samhandling.imports.models import ImportUpload

    data = json.dumps(partner_rows({(3, "partnerbudget"): "åtta"}), ensure_ascii=False).encode()
    response = secretariat.post(
        reverse("imports:upload"),
        {
            "format": "mapping",
            "file": SimpleUploadedFile("lista.json", data),
            "mapping": SimpleUploadedFile("mappning.toml", MAPPING.encode()),
        },
    )
    assert response.status_code == 302
    upload = ImportUpload.objects.get()
    run_tasks()  # the check
    status = secretariat.get(reverse("imports:upload-status", args=[upload.pk])).content.decode()
    assert "partnerbudget" in status and "”åtta” är inte ett tal" in status and not Project.objects.exists()
    secretariat.post(reverse("imports:upload-start", args=[upload.pk]))
    run_tasks()  # the import: the valid project is kept, the other written to the rejects
    assert list(Project.objects.values_list("source_id", flat=True)) == ["Interreg Aurora/A-1"]
    assert Participation.objects.count() == 3 and ImportRun.objects.get().by.username == "sekr"


@pytest.mark.parametrize(
    "mapping, data_name, message",
    [
        (None, "lista.json", "Ladda upp mappningsfilen"),
        (MAPPING.replace("[partner]", "[partners]"), "lista.json", "partners: okänd sektion"),
        (MAPPING, "lista.csv", "läses från en .json-fil"),
    ],
)
def test_a_wrong_mapping_upload_is_refused_on_the_form(secretariat, mapping, data_name, message):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from samhandling.imports.models import ImportUpload

    post = {"format": "mapping", "file": SimpleUploadedFile(data_name, b"[]")}
    if mapping is not None:
        post["mapping"] = SimpleUploadedFile("mappning.toml", mapping.encode())
    response = secretariat.post(reverse("imports:upload"), post)
    assert response.status_code == 400 and message in response.content.decode()
    assert not ImportUpload.objects.exists()


def test_keep_eu_upload_in_the_browser(secretariat, run_tasks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from samhandling.imports.models import ImportUpload

    data = (SAMPLES / "keep-interreg.xlsx").read_bytes()
    form = secretariat.get(reverse("imports:upload")).content.decode()
    assert "keep.eu" in form and "Kohesio" in form and "ESF-rådets projektbank" in form
    response = secretariat.post(
        reverse("imports:upload"), {"format": "keep-xlsx", "file": SimpleUploadedFile("keep.xlsx", data)}
    )
    assert response.status_code == 302
    run_tasks()
    upload = ImportUpload.objects.get()
    secretariat.post(reverse("imports:upload-start", args=[upload.pk]))
    run_tasks()
    upload.refresh_from_db()
    assert upload.status == "done" and Project.objects.filter(source="keep-eu").count() == 3
