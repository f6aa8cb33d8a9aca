"""A large file is read ahead by a worker process (imports.ahead): the import is the same as read in place."""

import csv
import multiprocessing
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from test_imports_rules import art49_row, write_art49

from samhandling.imports import ahead as ahead_module
from samhandling.imports import services
from samhandling.imports.formats.base import RowError
from samhandling.projectbank import search
from samhandling.projects.models import Project


@pytest.fixture
def read_ahead(monkeypatch):
    """Every file read ahead, and each use of the worker counted."""
    used = []

    def counting(items, **kwargs):
        used.append(1)
        return ahead_module.ahead(items, **kwargs)

    monkeypatch.setattr(services, "READ_AHEAD_FROM_BYTES", 0)
    monkeypatch.setattr(services, "ahead", counting)
    return used


@pytest.mark.django_db
def test_a_file_read_ahead_keeps_its_rows_rejects_and_search_text(tmp_path, read_ahead):
    rows = [art49_row(n, purpose_and_achievements=f"Vätgasdriven färja nummer {n}.") for n in range(1200)]
    rows[700] = art49_row(700, total_cost="7,5 miljoner")
    path = write_art49(tmp_path / "lista.csv", rows)
    rejects = tmp_path / "avvisade.csv"
    call_command("import", "art49-csv", str(path), "--skip-invalid", str(rejects))
    assert read_ahead
    assert Project.objects.count() == 1199 and not Project.objects.filter(source_id="op-700").exists()
    with rejects.open(encoding="utf-8") as fh:
        assert [line[:2] for line in list(csv.reader(fh))[1:]] == [["702", "total_cost"]]
    sql, params = search.matching_sql("vätgasdriven färja")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert len(cursor.fetchall()) == 1199


@pytest.mark.django_db
def test_an_invalid_row_read_ahead_stops_the_run_naming_row_and_field(tmp_path, read_ahead):
    path = write_art49(tmp_path / "lista.csv", [art49_row(1), art49_row(2, municipalities="9999"), art49_row(3)])
    with pytest.raises(CommandError) as failed:
        call_command("import", "art49-csv", str(path))
    assert read_ahead and "lista.csv, rad 3, fältet municipalities" in str(failed.value)
    assert Project.objects.count() == 0


def rows_then(failure):
    yield from range(1100)
    raise failure


def test_the_workers_error_is_raised_where_the_reading_stands():
    got = []
    with pytest.raises(RowError) as failed:
        for item in ahead_module.ahead(rows_then(RowError("fund", "okänd fond")), chunk=100):
            got.append(item)
    assert got == list(range(1100)) and (failed.value.field, failed.value.message) == ("fund", "okänd fond")


def test_a_read_error_in_the_worker_reaches_the_reader():
    """An OSError of the file's own (not the pipe's) is the reader's to report, not a reason to go quiet."""
    with pytest.raises(OSError, match="disken svarar inte"):
        list(ahead_module.ahead(rows_then(OSError("disken svarar inte")), chunk=100))


def dying():
    yield "första"
    os._exit(3)


def test_a_worker_that_dies_ends_the_reading_with_an_error_not_a_wait():
    reading = ahead_module.ahead(dying(), chunk=1)
    assert next(reading) == "första"
    with pytest.raises(ahead_module.ReaderDied):
        next(reading)


@pytest.mark.django_db
def test_an_import_whose_reader_dies_is_refused_with_a_message_and_keeps_nothing(tmp_path, monkeypatch):
    def dies(items, **kwargs):
        yield from ()
        raise ahead_module.ReaderDied("killed")

    monkeypatch.setattr(services, "READ_AHEAD_FROM_BYTES", 0)
    monkeypatch.setattr(services, "ahead", dies)
    path = write_art49(tmp_path / "lista.csv", [art49_row(1)])
    with pytest.raises(CommandError, match="lista.csv: läsningen av filen avbröts oväntat"):
        call_command("import", "art49-csv", str(path))
    assert Project.objects.count() == 0


class Unsendable(Exception):
    def __init__(self, a, b):
        super().__init__(f"{a}/{b}")


def test_an_error_that_cannot_be_sent_arrives_as_its_text():
    with pytest.raises(RuntimeError, match="Unsendable: x/y"):
        list(ahead_module.ahead(rows_then(Unsendable("x", "y"))))


def test_a_reader_that_stops_early_leaves_no_worker_behind():
    reading = ahead_module.ahead(iter(range(10**7)), chunk=10)
    assert next(reading) == 0
    reading.close()
    assert multiprocessing.active_children() == []


def test_a_record_with_its_participants_arrives_as_it_was_sent():
    from datetime import date
    from decimal import Decimal

    from samhandling.imports.formats.base import Participant, Record

    record = Record(
        source_id="P1",
        name="Insats",
        fund="ERUF",
        amount_granted=Decimal("10.50"),
        start_date=date(2024, 1, 1),
        participants=[Participant(name="Lead AB", lead=True, amount=Decimal("5"))],
    )
    assert list(ahead_module.ahead([record, record], chunk=1)) == [record, record]
