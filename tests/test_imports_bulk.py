"""The fast inserter writes what the ORM would read back, also when rows share one value object."""

import gc
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from test_imports_rules import art49_row, write_art49

from samhandling.imports import bulk, services
from samhandling.core.collector import BULK_THRESHOLD
from samhandling.imports.bulk import BulkInserter
from samhandling.portfolio.models import ProjectFigures
from samhandling.projectbank.models import ProjectFacet
from samhandling.projects.models import Organisation, Project


@pytest.mark.django_db
def test_rows_sharing_a_value_object_and_rows_with_their_own_are_each_stored_as_given():
    """A batch's time and a run's note are one object for every row and are adapted once; each row's own
    changes are its own."""
    shared_time, own_time = datetime(2026, 12, 6, 9, 30, tzinfo=UTC), datetime(2025, 1, 2, 3, 4, tzinfo=UTC)
    note = {"source": "import:art49-csv", "import_run": 7}
    content_type = ContentType.objects.get_for_model(Project)
    rows = [
        {
            "content_type_id": content_type.pk,
            "object_pk": str(n),
            "object_id": n,
            "object_repr": f"Insats {n}",
            "action": LogEntry.Action.CREATE,
            "changes": {"name": ["None", f"Insats {n}"]},
            "timestamp": own_time if n == 2 else shared_time,
            "additional_data": note,
        }
        for n in range(1, 5)
    ]
    ids = BulkInserter(LogEntry).insert(rows)
    stored = {e.pk: e for e in LogEntry.objects.filter(pk__in=ids)}
    for pk, n in zip(ids, range(1, 5)):
        entry = stored[pk]
        assert entry.changes == {"name": ["None", f"Insats {n}"]} and entry.additional_data == note
        assert entry.timestamp == (own_time if n == 2 else shared_time)


def _organisations(count: int, numbers: dict[int, str] | None = None) -> list[dict]:
    numbers = numbers or {}
    return [
        {"name": f"Förening {n}", "normalised_name": f"forening {n}", "org_number": numbers.get(n, f"802{n:07d}")}
        for n in range(count)
    ]


@contextmanager
def _inserts():
    """The INSERT statements run meanwhile: SQLite's own trace, since the fast inserter runs them past Django's
    cursor wrapper there (`bulk._executor`), Django's query log on PostgreSQL."""
    if connection.vendor != "sqlite":
        with CaptureQueriesContext(connection) as queries:
            run: list[str] = []
            yield run
        run += [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
        return
    connection.ensure_connection()
    run = []
    connection.connection.set_trace_callback(lambda sql: run.append(sql) if sql.startswith("INSERT") else None)
    try:
        yield run
    finally:
        connection.connection.set_trace_callback(None)


@pytest.mark.django_db
def test_rows_go_in_as_few_statements_as_the_sizes_allow_each_row_once_and_in_order():
    """1 075 rows: one statement of 1 000, one of 64, one of 8 and three of one; not a statement per row."""
    with _inserts() as inserts:
        ids = BulkInserter(Organisation).insert(_organisations(1075))
    assert [sql.count("), (") + 1 for sql in inserts] == [1000, 64, 8, 1, 1, 1]
    stored = list(Organisation.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "org_number"))
    assert stored == [(pk, f"802{n:07d}") for n, pk in enumerate(ids)]


@pytest.mark.django_db
def test_a_row_that_breaks_a_constraint_in_a_statement_of_many_leaves_nothing_behind():
    """SQLite's statements of many rows stop at the failing row (`OR FAIL`); the transaction takes the rows
    before it back, those of its own statement too."""
    before = Organisation.objects.count()
    rows = _organisations(1075, {1070: "8020000003"})  # row 3's number again, in a statement of 8
    with pytest.raises(IntegrityError), transaction.atomic():
        BulkInserter(Organisation).insert(rows)
    assert Organisation.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("valid", [True, False], ids=["kept", "refused"])
def test_an_import_holds_the_cycle_collector_back_while_it_writes_and_puts_it_back(tmp_path, monkeypatch, valid):
    seen = []
    write = services.Importer._write
    monkeypatch.setattr(
        services.Importer, "_write", lambda self, batch: (seen.append(gc.get_threshold()), write(self, batch))
    )
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    rows = [art49_row(1), art49_row(2, municipalities="0180" if valid else "9999")]
    try:
        call_command("import", "art49-csv", str(write_art49(tmp_path / "lista.csv", rows)))
    except CommandError:
        assert not valid
    assert (gc.get_threshold(), gc.get_freeze_count()) == (before, frozen)
    assert seen == ([(BULK_THRESHOLD, *before[1:])] if valid else [])


def _indexes() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        return cursor.fetchall()


def _project_indexes() -> set[str]:
    return {name for name, table, _sql in _indexes() if table == Project._meta.db_table}


@pytest.fixture
def deferring(monkeypatch):
    """Imports in batches of one row that defer their indexes from the first row on; returns the list of the
    project table's index names seen after each batch."""
    monkeypatch.setattr(services, "BATCH", 1)
    monkeypatch.setattr(bulk, "DEFER_INDEXES_FROM_ROWS", 1)
    seen: list[set[str]] = []
    write = services.Importer._write
    monkeypatch.setattr(
        services.Importer, "_write", lambda self, batch: (write(self, batch), seen.append(_project_indexes()))
    )
    return seen


sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="indexes are deferred on SQLite only (PostgreSQL would lock the tables)"
)


@sqlite_only
@pytest.mark.django_db
def test_a_large_import_writes_without_secondary_indexes_and_builds_them_again_as_they_were(tmp_path, deferring):
    before = _indexes()
    call_command("import", "art49-csv", str(write_art49(tmp_path / "lista.csv", [art49_row(n) for n in range(3)])))
    assert _indexes() == before
    assert "uniq_project_source_id" in deferring[0]  # unique indexes keep the write correct: they stay
    assert {"project_call", "project_owner", "project_strand"} <= deferring[0]  # partial ones hold no import
    assert deferring[0] < _project_indexes() and deferring[0] == deferring[-1]
    applicant = Project.objects.get(source_id="op-1").applicant
    assert Project.objects.filter(applicant=applicant).count() == 1  # the rebuilt index answers


@sqlite_only
@pytest.mark.django_db
def test_a_refused_import_gets_its_indexes_back_with_the_rollback(tmp_path, deferring):
    before, projects = _indexes(), Project.objects.count()
    rows = [art49_row(1), art49_row(2), art49_row(3, municipalities="9999")]
    with pytest.raises(CommandError):
        call_command("import", "art49-csv", str(write_art49(tmp_path / "lista.csv", rows)))
    assert deferring and deferring[0] < _project_indexes()  # they were dropped while it wrote
    assert _indexes() == before and Project.objects.count() == projects


@sqlite_only
@pytest.mark.django_db
def test_an_import_smaller_than_the_table_keeps_its_indexes(tmp_path, deferring):
    call_command("import", "art49-csv", str(write_art49(tmp_path / "a.csv", [art49_row(n) for n in range(4)])))
    deferring.clear()
    before = _project_indexes()
    call_command("import", "art49-csv", str(write_art49(tmp_path / "b.csv", [art49_row(n) for n in range(10, 12)])))
    assert deferring == [before, before]


@sqlite_only
@pytest.mark.django_db
def test_the_statistics_of_an_analysed_database_come_back_with_the_indexes(tmp_path, deferring):
    """DROP INDEX deletes an index's rows of sqlite_stat1, which the query planner reads."""
    call_command("import", "art49-csv", str(write_art49(tmp_path / "a.csv", [art49_row(n) for n in range(3)])))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx")
        before = cursor.fetchall()
        assert any(idx == "projects_project_applicant_id_a3316b82" for _tbl, idx, _stat in before)
        call_command("import", "art49-csv", str(write_art49(tmp_path / "b.csv", [art49_row(n) for n in range(10, 20)])))
        assert deferring[-1] < _project_indexes()
        cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx")
        assert cursor.fetchall() == before


@pytest.mark.django_db
def test_an_imports_facet_and_figure_rows_go_in_as_statements_of_many_rows(tmp_path):
    """70 projects: a statement of 64 rows and six of one into each table, where executemany ran 70."""
    rows = [art49_row(n) for n in range(70)]
    with _inserts() as inserts:
        call_command("import", "art49-csv", str(write_art49(tmp_path / "lista.csv", rows)))
    for table in (ProjectFacet._meta.db_table, ProjectFigures._meta.db_table):
        into = [sql for sql in inserts if f"INTO {table} " in sql]
        assert [sql.count("), (") + 1 for sql in into] == [64, 1, 1, 1, 1, 1, 1], table
    ids = Project.objects.filter(source_id__startswith="op-").values_list("pk", flat=True)
    assert ProjectFacet.objects.filter(project_id__in=ids).count() == 70
    assert ProjectFigures.objects.filter(project_id__in=ids).count() == 70
