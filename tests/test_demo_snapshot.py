"""The tests' copy of the demo (tests/demo_snapshot.py) leaves the database as `samhandling demo` does."""

import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction

import demo_snapshot


def _state():
    """Every table's rows (in rowid order), and the work queued for after the commit."""
    tables = demo_snapshot._read_tables(with_rows=True)
    queued = [repr(func) for _sids, func, _robust in connection.run_on_commit]
    return {table: rows for table, (_columns, rows) in tables.items()}, queued


def _in_savepoint(load):
    with transaction.atomic():
        load()
        state = _state()
        transaction.set_rollback(True)
    return state


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the copy is used on SQLite only")
def test_the_copy_of_the_demo_leaves_what_the_command_leaves(db, monkeypatch):
    """Same tables, rows, ids and sequences; of the values, those that two real loads agree on (not the
    moment of loading: timestamps, and signatures over them)."""
    _in_savepoint(demo_snapshot.load_demo)  # takes the copy for this state if no earlier test has
    real, again = (_in_savepoint(lambda: call_command("demo", verbosity=0)) for _ in range(2))

    monkeypatch.setattr(demo_snapshot, "call_command", lambda *a, **kw: pytest.fail("the copy was not used"))
    copied = _in_savepoint(demo_snapshot.load_demo)
    assert copied[1] == real[1] and len(real[1]) > 0  # the e-mails the demo queues for delivery
    assert copied[0].keys() == real[0].keys()
    for table, rows in real[0].items():
        assert len(copied[0][table]) == len(rows), table
        for row, other, copy in zip(rows, again[0][table], copied[0][table]):
            row, other, copy = (_unstamped(r) for r in (row, other, copy))
            assert [c for a, b, c in zip(row, other, copy) if a == b] == [a for a, b in zip(row, other) if a == b]
    assert len(real[0]["partnership_meeting"]) > 0 and len(real[0]["sqlite_sequence"]) > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the copy is used on SQLite only")
def test_a_test_that_wrote_rows_first_gets_a_real_load(db, make_user, monkeypatch):
    make_user("forst")
    loads = []
    real_command = demo_snapshot.call_command
    monkeypatch.setattr(demo_snapshot, "call_command", lambda *a, **kw: loads.append(a) or real_command(*a, **kw))
    demo_snapshot.load_demo()
    assert loads == [("demo",)]
    from django.contrib.auth.models import User

    assert User.objects.filter(username="forst").exists() and User.objects.filter(username="demo-admin").exists()


def _unstamped(row):
    """The row with the minute of loading written into a text (an import's name, "… (2026-12-06 09:30)") left
    out: the copy was taken at another minute than the real loads it is compared with."""
    return [re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "…", v) if isinstance(v, str) else v for v in row]
