"""Hostile input and what the product writes out (issue 19): formula injection in every CSV/XLSX download,
control characters, over-long text, open redirects, production settings, uploads, weak passwords."""

import csv
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from samhandling.access.roles import Role
from samhandling.projects.models import Organisation, Project

from test_imports_rules import art49_row, write_art49

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def csv_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


def xlsx_cells(data: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]


def assert_inert(cells_written):
    """No cell starts a formula; every hostile text is there, behind an apostrophe, without control characters."""
    for value in cells_written:
        assert not value.startswith(("=", "+", "@", "\t", "\r")) and not (
            value.startswith("-") and not value.lstrip("-").replace(".", "").isdigit()
        ), value
        assert "\x0b" not in value
    for formula in FORMULAS:
        assert "'" + formula in cells_written or formula.strip() in cells_written, formula


@pytest.fixture
def hostile_projects(db, tmp_path):
    """Public projects whose stored texts start like formulas and hold a control character (stored before
    input was checked, or by any path that missed it): every download must still be safe and must not fail."""
    rows = [art49_row(n) for n in range(len(FORMULAS))]
    call_command("import", "art49-csv", str(write_art49(tmp_path / "in.csv", rows)))
    for n, formula in enumerate(FORMULAS):
        project = Project.objects.get(source_id=f"op-{n}")
        Project.objects.filter(pk=project.pk).update(name=formula, summary="rad\x0bmed vertikal tab")
        Organisation.objects.filter(pk=project.applicant_id).update(name=formula)
    return Project.objects.filter(source_id__startswith="op-")


@pytest.mark.django_db
def test_open_data_csv_and_xlsx_downloads_are_inert(client, hostile_projects, run_tasks):
    client.get(reverse("projectbank:open-data-file", args=["csv"]))  # asks the task worker for the files
    run_tasks()
    response = client.get(reverse("projectbank:open-data-file", args=["csv"]))
    assert response.status_code == 200
    assert_inert(
        csv_cells(b"".join(response.streaming_content).decode() if response.streaming else response.content.decode())
    )
    response = client.get(reverse("projectbank:open-data-file", args=["xlsx"]))
    assert response.status_code == 200, "one stored control character must not break the public XLSX"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert_inert(xlsx_cells(data))


@pytest.mark.django_db
def test_network_csv_download_is_inert(client, hostile_projects, run_tasks):
    from samhandling.projects.models import Organisation as Org

    # two organisations working together, both named like formulas, make an edge in the network
    projects = list(hostile_projects)
    for project, partner in zip(projects, projects[1:] + projects[:1]):
        project.partners.add(Org.objects.get(pk=partner.applicant_id))
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(status=Project.Status.ONGOING)
    client.get(reverse("portfolio:network"))  # queues the network's build, which the task worker runs
    run_tasks()
    response = client.get(reverse("portfolio:network-csv"))
    assert response.status_code == 200
    written = csv_cells(response.content.decode())
    assert any(c.startswith("'=") for c in written) and not any(c.startswith("=") for c in written)


def test_every_writer_goes_through_the_one_cell_function():
    """No module writes CSV or XLSX rows except through samhandling.core.cells."""
    import pathlib

    root = pathlib.Path(__file__).parent.parent / "samhandling"
    offenders = [
        str(path)
        for path in root.rglob("*.py")
        if path.name != "cells.py"
        and (
            "csv.writer(" in (text := path.read_text())
            or "csv.DictWriter(" in text
            or ".append([" in text
            and "sheet" in text
        )
    ]
    assert offenders == []


# --- production settings ---------------------------------------------------------------------------------


def _production(var, *args, key=None):
    """`samhandling ARGS` as production starts it, on a fresh data folder (not the checkout's, which may hold
    the demo)."""
    env = {
        "SAMHANDLING_PRODUCTION": "1",
        "DJANGO_SETTINGS_MODULE": "samhandling.settings",
        "PATH": os.environ["PATH"],
        "SAMHANDLING_VAR": str(var),
    }
    if key:
        env["SAMHANDLING_SECRET_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "samhandling", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _production(tmp_path, "check")
    assert result.returncode != 0
    assert "SAMHANDLING_SECRET_KEY" in result.stderr


def test_production_check_deploy_passes_clean(tmp_path):
    result = _production(tmp_path, "check", "--deploy", "--fail-level", "WARNING", key="k" * 10 + "-ZyX9_q2Lm" * 5)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- open redirect -----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    ["//evil.example/phish", "https://evil.example/", "/\\evil.example", "http:/evil.example", "javascript:alert(1)"],
)
def test_next_never_leads_off_the_site(client, make_user, target):
    client.force_login(make_user("ola", Role.APPLICANT))
    url = reverse("mobilisation:organisation") + "?next=" + target
    response = client.post(
        url, {"name": "Ola Egen Förening", "sector": Organisation.Sector.CIVIL_SOCIETY, "country": "SE"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mobilisation:ideas")


@pytest.mark.django_db
def test_next_on_the_site_is_followed(client, make_user):
    client.force_login(make_user("ola", Role.APPLICANT))
    url = reverse("mobilisation:organisation") + "?next=/ideer/ny/"
    response = client.post(
        url, {"name": "Ola Egen Förening", "sector": Organisation.Sector.CIVIL_SOCIETY, "country": "SE"}
    )
    assert response["Location"] == "/ideer/ny/"


# --- importers and restore: clear messages, nothing changed ------------------------------------------------


def _import_fails(path, *expected):
    from django.core.management.base import CommandError

    before = (Project.objects.count(), Organisation.objects.count())
    with pytest.raises(CommandError) as failed:
        call_command("import", "art49-csv", str(path))
    message = str(failed.value)
    for part in expected:
        assert part in message, message
    assert (Project.objects.count(), Organisation.objects.count()) == before
    return message


@pytest.mark.django_db
def test_import_of_invalid_utf8_names_file_row_and_field(tmp_path):
    path = write_art49(tmp_path / "latin1.csv", [art49_row(0), art49_row(1), art49_row(2)])
    data = path.read_bytes().replace(
        "Syfte med insats 1.".encode(), "Syfte med insats 1 \xe5\xe4\xf6.".encode("latin-1")
    )
    path.write_bytes(data)
    _import_fails(path, "latin1.csv", "rad 3", "purpose_and_achievements", "UTF-8")


@pytest.mark.django_db
@pytest.mark.parametrize("length", [131_073, 2_000_000])
def test_import_of_an_over_long_cell_names_file_row_and_field(tmp_path, length):
    rows = [art49_row(0), art49_row(1, purpose_and_achievements="å" * length)]
    message = _import_fails(write_art49(tmp_path / "lang.csv", rows), "lang.csv", "rad 3")
    assert "Traceback" not in message and "summary: högst 50\u00a0000 tecken" in message


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["operation_name", "purpose_and_achievements", "beneficiary_name", "partners"])
def test_import_refuses_control_characters_naming_the_field(tmp_path, column):
    rows = [art49_row(0), art49_row(1, **{column: "Insats\x0bmed styrtecken"})]
    _import_fails(write_art49(tmp_path / "ctl.csv", rows), "ctl.csv", "rad 3", "U+000B")


@pytest.mark.django_db
def test_import_rejects_file_neutralises_formulas(tmp_path):
    rows = [art49_row(0), art49_row(1, source_id='=HYPERLINK("http://evil.example")', end_date="2021-01-01")]
    rejects = tmp_path / "rejects.csv"
    call_command("import", "art49-csv", str(write_art49(tmp_path / "in.csv", rows)), "--skip-invalid", str(rejects))
    written = csv_cells(rejects.read_text(encoding="utf-8"))
    assert '\'=HYPERLINK("http://evil.example")' in written and not any(c.startswith("=") for c in written)


def test_restore_of_a_truncated_backup_is_a_clear_error_and_changes_nothing(tmp_path, migrated_sqlite):
    exe = os.path.join(os.path.dirname(sys.executable), "samhandling")
    db = migrated_sqlite(tmp_path / "db.sqlite3")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "SAMHANDLING_VAR": str(tmp_path)}

    def cli(*args):
        return subprocess.run([exe, *args], env=env, capture_output=True, text=True, timeout=300)

    assert cli("backup", str(tmp_path / "full.sqlite3")).returncode == 0
    data = (tmp_path / "full.sqlite3").read_bytes()
    (tmp_path / "cut.sqlite3").write_bytes(data[: len(data) // 3])
    before = (tmp_path / "db.sqlite3").read_bytes()
    result = cli("restore", "--force", str(tmp_path / "cut.sqlite3"))
    assert result.returncode != 0
    assert "cut.sqlite3" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert (tmp_path / "db.sqlite3").read_bytes() == before


# --- the text index: one long text cannot multiply its memory ------------------------------------------------


@pytest.mark.django_db
@pytest.mark.skipif(
    "sqlite" not in os.environ.get("DATABASE_URL", "sqlite"), reason="the in-memory index serves SQLite"
)
def test_longest_allowed_text_keeps_the_text_index_small():
    import numpy as np

    from samhandling.core.text import TEXT_MAX_LENGTH
    from samhandling.portfolio.textanalysis import MAX_WORD, tokens
    from samhandling.projectbank import loader, search, textindex

    words = [f"ord{n}" for n in range(700)]
    summary = " ".join(words)
    summary += " " + "a" * (TEXT_MAX_LENGTH - len(summary) - 1)
    assert len(summary) == TEXT_MAX_LENGTH
    assert max(map(len, tokens(summary))) <= MAX_WORD + 1
    search.index_rows([(1, "Ett projekt", summary, "Stödmottagare AB")])
    index = textindex.build(loader.DatabaseLoader().analysed_batches(), np.array([1], dtype=np.int64))
    assert len(index.term_numbers) >= 700
    size = sum(getattr(index, name).nbytes for name in textindex.ARRAYS)
    assert size < 64 * 1024, f"{size} bytes for one project of {len(index.term_numbers)} words"
    assert index.terms.nbytes < 10 * len(index.term_numbers) + 2 * MAX_WORD


# --- acting for an organisation needs someone to vouch -----------------------------------------------------


@pytest.fixture
def existing_organisation(db, make_user):
    """An organisation with a linked user, a private idea and a partner-search notice."""
    from samhandling.mobilisation.models import OrganisationUser, ProjectIdea

    organisation = Organisation.objects.create(name="Kommunen Som Finns", sector=Organisation.Sector.MUNICIPALITY)
    owner = make_user("agare", Role.APPLICANT)
    OrganisationUser.objects.create(user=owner, organisation=organisation)
    idea = ProjectIdea.objects.create(
        organisation=organisation, created_by=owner, title="Vår idé", description="Hemlig plan", is_public=False
    )
    return organisation, owner, idea


@pytest.mark.django_db
def test_naming_an_existing_organisation_does_not_let_anyone_act_for_it(client, make_user, existing_organisation):
    from samhandling.mobilisation.models import OrganisationUser

    organisation, _owner, idea = existing_organisation
    intruder = make_user("intrang", Role.APPLICANT)
    client.force_login(intruder)
    response = client.post(
        reverse("mobilisation:organisation"), {"name": "kommunen som finns", "sector": "municipality", "country": "SE"}
    )
    assert response.status_code == 302
    assert not OrganisationUser.objects.filter(user=intruder).exists()
    page = client.get(reverse("mobilisation:organisation")).content.decode()
    assert "väntar på godkännande" in page
    response = client.post(reverse("mobilisation:idea-edit", args=[idea.pk]), {"title": "Kapad", "description": "x"})
    assert response.status_code in (302, 403, 404)
    idea.refresh_from_db()
    assert idea.title == "Vår idé"
    # the intruder cannot approve their own request either
    own = intruder.organisation_requests.get()
    assert (
        client.post(reverse("mobilisation:link-request-decide", args=[own.pk]), {"decision": "approve"}).status_code
        == 404
    )
    assert not OrganisationUser.objects.filter(user=intruder).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("vouching", ["secretariat", "linked user"])
def test_the_secretariat_or_a_linked_user_approves_a_link_and_it_is_audited(
    client, make_user, existing_organisation, vouching
):
    from auditlog.models import LogEntry

    from samhandling.mobilisation.models import OrganisationLinkRequest, OrganisationUser
    from samhandling.mobilisation.services import link_user_to_organisation

    organisation, owner, _idea = existing_organisation
    newcomer = make_user("nykomling", Role.APPLICANT)
    _org, pending = link_user_to_organisation(newcomer, name="Kommunen Som Finns", sector="municipality")
    decider = make_user("sara", Role.SECRETARIAT) if vouching == "secretariat" else owner
    client.force_login(decider)
    page = client.get(reverse("mobilisation:link-requests")).content.decode()
    assert "nykomling" in page and "Kommunen Som Finns" in page
    response = client.post(reverse("mobilisation:link-request-decide", args=[pending.pk]), {"decision": "approve"})
    assert response.status_code == 302
    assert OrganisationUser.objects.get(user=newcomer).organisation == organisation
    pending.refresh_from_db()
    assert pending.status == OrganisationLinkRequest.Status.APPROVED and pending.decided_by == decider
    entry = LogEntry.objects.get_for_object(pending).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == decider


@pytest.mark.django_db
def test_refused_and_unrelated_deciders(client, make_user, existing_organisation):
    from samhandling.mobilisation.models import OrganisationUser
    from samhandling.mobilisation.services import link_user_to_organisation

    newcomer = make_user("nykomling", Role.APPLICANT)
    _org, pending = link_user_to_organisation(newcomer, name="Kommunen Som Finns", sector="municipality")
    client.force_login(make_user("annan", Role.APPLICANT))  # acts for no organisation, or another one
    assert "nykomling" not in client.get(reverse("mobilisation:link-requests")).content.decode()
    response = client.post(reverse("mobilisation:link-request-decide", args=[pending.pk]), {"decision": "approve"})
    assert response.status_code == 404
    client.force_login(make_user("sara", Role.SECRETARIAT))
    client.post(reverse("mobilisation:link-request-decide", args=[pending.pk]), {"decision": "refuse"})
    assert not OrganisationUser.objects.filter(user=newcomer).exists()
    pending.refresh_from_db()
    assert pending.status == "refused"


@pytest.mark.django_db
def test_a_new_organisation_is_the_users_own_at_once(client, make_user):
    from samhandling.mobilisation.models import OrganisationUser

    user = make_user("ny", Role.APPLICANT)
    client.force_login(user)
    client.post(
        reverse("mobilisation:organisation"), {"name": "Helt Ny Förening", "sector": "civil_society", "country": "SE"}
    )
    assert OrganisationUser.objects.get(user=user).organisation.name == "Helt Ny Förening"


# --- uploads: content must match the declared type ---------------------------------------------------------


@pytest.mark.django_db
def test_meeting_attachment_refuses_a_text_file_with_binary_content(client, make_user, demo):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from samhandling.partnership import services
    from samhandling.partnership.models import Meeting

    meeting = services.create_meeting(
        Meeting.objects.get(year=2026, number=1).partnership, date=date(2026, 4, 23), registry_number="RS 1"
    )
    item = services.add_item(meeting, title="Paragraf", matter="Text.")
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    url = f"/sammantraden/{meeting.year}/{meeting.number}/paragrafer/{item.pk}/attachment/"
    binary = SimpleUploadedFile("anteckning.txt", b"Inledning\n" + bytes(range(1, 9)) * 500)
    response = client.post(url, {"attachment-title": "Binär", "attachment-file": binary})
    assert response.status_code == 400 and "stämmer inte med filtypen .txt" in response.content.decode()
    assert not item.attachments.exists()
    response = client.post(
        url,
        {"attachment-title": "Text", "attachment-file": SimpleUploadedFile("anteckning.txt", "Åtgärder\n".encode())},
    )
    assert response.status_code in (200, 302) and item.attachments.count() == 1


# --- weak passwords ------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password", ["Sommar2026", "korvkorvkorv", "Hejsan123!", "Midsommar2025", "Kalleanka99", "password123"]
)
def test_weak_passwords_are_refused_when_an_administrator_creates_a_user(admin_client, password):
    from django.contrib.auth.models import User

    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "svag", "usable_password": "true", "password1": password, "password2": password},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="svag").exists()
    assert "för vanligt" in response.content.decode() or "vanligt" in response.content.decode()


@pytest.mark.django_db
def test_a_strong_password_is_accepted(admin_client):
    from django.contrib.auth.models import User

    password = "Tromb0n-lykta-fiskare"
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "stark", "usable_password": "true", "password1": password, "password2": password},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="stark").check_password(password)


# --- length limits and control characters on every path in ---------------------------------------------------


@pytest.mark.django_db
def test_api_refuses_over_long_and_control_text_and_takes_the_longest_allowed(client, demo, make_user, open_call):
    from samhandling.core.text import TEXT_MAX_LENGTH

    call = open_call(number=9)
    client.force_login(make_user("api", Role.APPLICANT))
    before = Project.objects.count()

    def post(**fields):
        return client.post("/api/v1/applications", {"call_id": call.pk, **fields}, content_type="application/json")

    refused = post(name="N" * 1_000_000)
    assert refused.status_code in (400, 422) and "name" in str(refused.json())
    refused = post(name="Projekt", summary="å" * (TEXT_MAX_LENGTH + 1))
    assert refused.status_code == 400 and "högst 50\u00a0000 tecken" in refused.json()["errors"]["summary"][0]
    refused = post(name="Projekt\x0bmed styrtecken")
    assert refused.status_code == 400 and "U+000B" in refused.json()["errors"]["name"][0]
    refused = post(name="Projekt", applicant_name="Org" * 200)
    assert refused.status_code == 400 and "applicant_name" in refused.json()["errors"]
    refused = post(name="Projekt", criterion_texts={"1": "x\x1by"})
    assert refused.status_code == 400 and "U+001B" in str(refused.json()["errors"])
    assert Project.objects.count() == before
    name = "N" * Project._meta.get_field("name").max_length
    accepted = post(name=name, summary="å" * TEXT_MAX_LENGTH)
    assert accepted.status_code == 201, accepted.content[:500]
    assert len(Project.objects.get(pk=accepted.json()["id"]).summary) == TEXT_MAX_LENGTH


@pytest.mark.django_db
def test_web_application_form_names_the_field_over_its_limit(client, demo, make_user, open_call):
    from samhandling.core.text import TEXT_MAX_LENGTH

    call = open_call(number=9)
    client.force_login(make_user("webb", Role.APPLICANT))
    before = Project.objects.count()
    url = reverse("calls:apply", args=[call.pk])
    response = client.post(url, {"name": "Projekt", "summary": "å" * (TEXT_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert "Sammanfattning: högst 50\u00a0000 tecken" in response.content.decode()
    response = client.post(url, {"name": "Projekt\x07"})
    assert response.status_code == 400 and "U+0007" in response.content.decode()
    assert Project.objects.count() == before
    response = client.post(url, {"name": "Projekt", "summary": "å" * TEXT_MAX_LENGTH})
    assert response.status_code == 302 and Project.objects.count() == before + 1


@pytest.mark.django_db
def test_admin_refuses_control_characters_naming_the_field(admin_client):
    response = admin_client.post(
        "/admin/projects/organisation/add/", {"name": "Bolaget\x0b AB", "sector": "company", "country": "SE"}
    )
    assert response.status_code == 200 and "U+000B" in response.content.decode()
    assert not Organisation.objects.filter(name__startswith="Bolaget").exists()


@pytest.mark.django_db
def test_services_cannot_store_what_the_forms_refuse(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        Organisation.objects.create(name="Bolaget\x0b AB")
    assert "name" in refused.value.message_dict
    with pytest.raises(ValidationError):
        Organisation.objects.create(name="x" * 301)


@pytest.mark.django_db
def test_import_report_with_a_quoted_control_character_is_stored(tmp_path):
    message = _import_fails(
        write_art49(tmp_path / "belopp.csv", [art49_row(0, eu_amount="sju\x0bmiljoner")]), "belopp.csv"
    )
    assert "eu_amount" in message and "\x0b" not in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, expected",
    [
        ('[{"id": "A-1", "name": "Projekt \xe5"}]'.encode("latin-1"), "rad 1: filen är inte UTF-8"),
        (b'[{"id": "A-1",\n "name": ]', "rad 2, kolumn"),
        (b"[1, 2]", "Rad 1: en ansökan ska vara ett JSON-objekt"),
        (b'[{"id": "A-1", "call": 12, "name": "x"}]', "Rad 1"),
        (b'[{"id": "A-1", "call": "ESF+ 2026:1", "name": "Projekt\\u000b"}]', "Rad 1"),
    ],
)
def test_applications_import_of_a_broken_file_is_a_clear_error(tmp_path, content, expected):
    from django.core.management.base import CommandError

    path = tmp_path / "ansokningar.json"
    path.write_bytes(content)
    before = Project.objects.count()
    with pytest.raises(CommandError) as failed:
        call_command("applications", "import", str(path))
    assert expected in str(failed.value) and "Traceback" not in str(failed.value)
    assert Project.objects.count() == before


@pytest.mark.django_db
def test_open_data_csv_with_neutralised_cells_imports_back_unchanged(hostile_projects, tmp_path):
    from samhandling.imports.models import ImportRun
    from samhandling.projectbank import opendata

    Project.objects.filter(pk__in=hostile_projects.values("pk")).update(summary="Syfte utan styrtecken")
    for project in hostile_projects.select_related("applicant"):
        if project.name[0] in "\t\r":  # leading whitespace is trimmed by every importer: not a formula matter
            Project.objects.filter(pk=project.pk).update(name=f"Vanligt namn {project.pk}")
            project.applicant.name = f"Vanlig organisation {project.pk}"
        project.applicant.save()  # the organisation's normalised name follows its name
    opendata.export(tmp_path, ["csv"])
    assert "'=HYPERLINK" in (tmp_path / "samhandling-projekt.csv").read_text(encoding="utf-8")
    names = sorted(hostile_projects.values_list("name", flat=True))
    call_command("import", "art49-csv", str(tmp_path / "samhandling-projekt.csv"))
    run = ImportRun.objects.order_by("id").last()
    assert (run.created, run.updated) == (0, 0)
    assert sorted(hostile_projects.values_list("name", flat=True)) == names
