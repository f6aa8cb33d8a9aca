"""The import rules: one transaction, reports naming file/row/field, rejects, dry runs, idempotence, audit."""

import csv
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from samhandling.core.audit import trail
from samhandling.imports.models import ImportRun
from samhandling.projectbank.models import IndexState, ProjectFacet
from samhandling.projectbank.opendata import NAMES
from samhandling.projectbank.search import matching_sql
from samhandling.projectbank.services import FACET_COLUMNS, refresh_facets, reindex
from samhandling.projects.models import Organisation, Project


def art49_row(n, **values):
    row = dict.fromkeys(NAMES, "")
    row.update(
        source="ma-test",
        source_id=f"op-{n}",
        beneficiary_name=f"Stödmottagare {n} AB",
        operation_name=f"Insats {n}",
        purpose_and_achievements=f"Syfte med insats {n}.",
        start_date="2022-01-01",
        end_date="2024-12-31",
        total_cost="2000000.00",
        eu_amount="1000000.00",
        fund="ERUF",
        programme_period="2021",
        programme_region="SE11",
        cofinancing_rate="40.00",
        counties="01",
        municipalities="0180,0114",
        country="SE",
        status="ongoing",
    )
    row.update(values)
    return row


def write_art49(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=NAMES)
        writer.writeheader()
        writer.writerows(rows)
    return path


def snapshot():
    """What an import may change (the import history itself aside)."""
    return (
        Project.objects.count(),
        Organisation.objects.count(),
        LogEntry.objects.exclude(content_type=ContentType.objects.get_for_model(ImportRun)).count(),
        sorted(Project.objects.values_list("source_id", "name", "amount_granted")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, value, message",
    [
        ("eu_amount", "sju miljoner", "”sju miljoner” är inte ett tal"),
        ("start_date", "31.02.2022", "är inte ett datum"),
        ("operation_name", "", "värde saknas"),
        ("fund", "XYZ", "okänd fond"),
        ("municipalities", "9999", "okänd kommun"),
        ("cofinancing_rate", "140", "ligger inte mellan 0 och 100"),
        ("beneficiary_name", "x" * 301, "högst 300 tecken"),
        ("source_id", "x" * 129, "högst 128 tecken"),
        ("status", "draft", "är inte beviljat, pågående eller avslutat"),
    ],
)
def test_an_invalid_row_aborts_the_import_and_names_file_row_and_field(tmp_path, field, value, message):
    write_art49(tmp_path / "good.csv", [art49_row(1)])
    call_command("import", "art49-csv", str(tmp_path / "good.csv"))
    before = snapshot()
    path = write_art49(tmp_path / "lista.csv", [art49_row(2), art49_row(3, **{field: value}), art49_row(4)])
    with pytest.raises(CommandError) as failed:
        call_command("import", "art49-csv", str(path))
    report = str(failed.value)
    assert f"lista.csv, rad 3, fältet {field}" in report and message in report and "inget sparades" in report
    assert snapshot() == before
    assert ImportRun.objects.filter(status=ImportRun.Status.FAILED, file_name="lista.csv").exists()


@pytest.mark.django_db
def test_skip_invalid_keeps_the_valid_rows_and_writes_the_rejects_with_reasons(tmp_path):
    path = write_art49(
        tmp_path / "lista.csv",
        [art49_row(1), art49_row(2, total_cost="7,5 miljoner"), art49_row(3), art49_row(4, counties="Atlantis")],
    )
    rejects = tmp_path / "avvisade.csv"
    call_command("import", "art49-csv", str(path), "--skip-invalid", str(rejects))
    assert sorted(Project.objects.values_list("source_id", flat=True)) == ["op-1", "op-3"]
    with rejects.open(encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["rad", "fält", "fel", "source_id"]
    assert [line[:2] for line in lines[1:]] == [["3", "total_cost"], ["5", "counties"]]
    assert "Atlantis" in lines[2][2]
    run = ImportRun.objects.get()
    assert (run.rows, run.created, run.rejected) == (4, 2, 2)


@pytest.mark.django_db
def test_dry_run_stores_nothing(tmp_path, capsys):
    path = write_art49(tmp_path / "lista.csv", [art49_row(n) for n in range(5)])
    call_command("import", "art49-csv", str(path), "--dry-run")
    assert "Provkörning, inget sparades. 5 rader: 5 nya" in capsys.readouterr().out
    assert Project.objects.count() == Organisation.objects.count() == ImportRun.objects.count() == 0


@pytest.mark.django_db
def test_reimport_changes_nothing_and_a_changed_row_updates_the_project_and_is_audited(tmp_path, make_user):
    rows = [art49_row(n) for n in range(3)]
    path = write_art49(tmp_path / "lista.csv", rows)
    call_command("import", "art49-csv", str(path))
    before = snapshot()
    call_command("import", "art49-csv", str(path))
    assert snapshot() == before
    assert ImportRun.objects.order_by("id").last().unchanged == 3

    make_user("handlaggare")
    rows[1].update(eu_amount="1250000.00", municipalities="0180", operation_name="Insats 1, förlängd")
    write_art49(path, rows)
    call_command("import", "art49-csv", str(path), "--actor", "handlaggare")
    project = Project.objects.get(source_id="op-1")
    assert project.amount_granted == Decimal("1250000.00") and project.name == "Insats 1, förlängd"
    assert [m.code for m in project.municipalities.all()] == ["0180"]
    assert Project.objects.count() == 3
    entry = trail("projects.project", project.pk).first()
    assert entry.action == LogEntry.Action.UPDATE and entry.actor.username == "handlaggare"
    assert entry.changes["amount_granted"] == ["1000000.00", "1250000.00"]
    assert entry.changes["name"] == ["Insats 1", "Insats 1, förlängd"]
    assert "municipalities" in entry.changes
    run = ImportRun.objects.order_by("id").last()
    assert (run.updated, run.unchanged, run.by.username) == (1, 2, "handlaggare")
    assert (
        LogEntry.objects.filter(
            action=LogEntry.Action.UPDATE,
            content_type=ContentType.objects.get_for_model(Project),
            object_pk__in=[str(pk) for pk in Project.objects.exclude(pk=project.pk).values_list("pk", flat=True)],
        ).count()
        == 0
    )


def facets():
    return sorted(
        ProjectFacet.objects.values_list(*(c.removesuffix("_id") if c == "project_id" else c for c in FACET_COLUMNS))
    )


@pytest.mark.django_db
def test_imported_and_updated_projects_are_in_the_project_banks_facets_and_full_text_index(tmp_path):
    """The import writes facet and search rows itself: they must be what a full rebuild from the projects gives."""
    rows = [art49_row(1), art49_row(2, purpose_and_achievements="Bredbandet byggs ut.", counties="01,03")]
    path = write_art49(tmp_path / "lista.csv", rows)
    version = IndexState.objects.values_list("version", flat=True).first()
    call_command("import", "art49-csv", str(path))
    assert IndexState.objects.values_list("version", flat=True).first() != version
    imported = facets()
    assert len(imported) == 2
    refresh_facets()
    assert facets() == imported
    rows[0].update(eu_amount="5.00", municipalities="0114", purpose_and_achievements="Kompetensen höjs.")
    write_art49(path, rows)
    call_command("import", "art49-csv", str(path))
    updated = facets()
    refresh_facets()
    assert facets() == updated and updated != imported
    one = Project.objects.get(source_id="op-1")
    assert ProjectFacet.objects.get(project=one).amount_ore == 500

    def found(q):
        sql, params = matching_sql(q)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return sorted(
                Project.objects.filter(id__in=[r[0] for r in cursor.fetchall()]).values_list("source_id", flat=True)
            )

    assert found("bredband") == ["op-2"] and found("kompetens") == ["op-1"] and found("syfte") == []
    reindex()
    assert found("bredband") == ["op-2"] and found("kompetens") == ["op-1"] and found("insats") == ["op-1", "op-2"]


@pytest.mark.django_db
def test_the_same_id_twice_in_one_file_is_refused(tmp_path):
    path = write_art49(tmp_path / "lista.csv", [art49_row(1), art49_row(1)])
    with pytest.raises(CommandError, match="rad 3, fältet source_id"):
        call_command("import", "art49-csv", str(path))
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_a_truncated_json_file_is_refused(tmp_path):
    path = tmp_path / "trasig.json"
    path.write_text(
        '[{"ärende-id": "1", "projektnamn": "A", "stödmottagare": "B", "beviljat_belopp_sek": 1}, {"ärende',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="trasig.json, rad -"):
        call_command("import", "tillvaxtverket-json", str(path))
    assert Project.objects.count() == 0


@pytest.mark.django_db
def test_csv_rows_are_numbered_as_records_and_a_row_with_too_many_cells_is_refused(tmp_path):
    """Blank lines are skipped without counting, a short row's missing cells are empty, an overlong row is named."""
    path = write_art49(tmp_path / "lista.csv", [art49_row(1), art49_row(2)])
    lines = path.read_text(encoding="utf-8").splitlines()
    short = ",".join(lines[2].split(",")[: NAMES.index("counties")])  # op-2 without counties and what follows
    path.write_text("\n".join([lines[0], lines[1], "", short, lines[2] + ",extra"]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("import", "art49-csv", str(path))
    assert "lista.csv, rad 4, fältet -: raden har fler fält än rubrikraden" in str(failed.value)
    rejects = tmp_path / "avvisade.csv"
    call_command("import", "art49-csv", str(path), "--skip-invalid", str(rejects))
    assert Project.objects.get(source_id="op-2").counties.count() == 0
    assert Project.objects.count() == 2
