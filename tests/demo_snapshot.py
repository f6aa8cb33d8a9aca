"""The demo (and other costly test data), loaded once per test process and written back into each test that
asks for it.

`samhandling demo` costs seconds of CPU (signed minutes, PDFs, a few hundred services calls), and some two
hundred tests ask for it; other fixtures load part of it and generate hundreds of projects. The first load on a
given database state runs the real code inside a savepoint, reads back every table it changed, the work it
queued for after the commit and what it returned, then rolls back. Every later load of the same name on the
same state deletes and re-inserts those tables' rows with plain SQL, queues the same work and returns a fresh
copy of the same objects, so the test sees exactly the rows, ids and sequences the real load would have left.

A copy is used only for the state it was taken from: the key is the name, the content of every table before the
load, the day (the demo's dates follow today) and the language. A test that wrote rows before the load gets a
real load. A transactional test's flush (which renumbers the content types and empties the geography) is
undone before the next test by writing back the migrated state (`read_state`, tests/conftest.py), so the
browser tests that follow one another load the demo from the copy too.
On PostgreSQL every load is a real one.
"""

import copy
import datetime
import hashlib
from typing import Callable, TypeVar

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone, translation

T = TypeVar("T")
_copies: dict[str, "DemoCopy"] = {}


class DemoCopy:
    def __init__(self, tables: dict, callbacks: list, result=None):
        self.tables = tables  # table -> (columns, rows) for every table the load changed
        self.callbacks = callbacks  # (func, robust) queued with transaction.on_commit by the load
        self.result = result  # what the load returned (model instances as they were when it returned)

    def write(self) -> None:
        quote = connection.ops.quote_name
        with transaction.atomic():
            with connection.cursor() as cursor:
                for table, (columns, rows) in self.tables.items():
                    cursor.execute(f"DELETE FROM {quote(table)}")
                    if rows:
                        names = ", ".join(quote(c) for c in columns)
                        marks = ", ".join(["%s"] * len(columns))
                        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
            for func, robust in self.callbacks:
                transaction.on_commit(func, robust=robust)


def read_state() -> DemoCopy:
    """Every table as it stands now, to be written back with `.write()`."""
    return _copy(_read_tables(with_rows=True), [])


def load_demo() -> None:
    """What `call_command("demo")` does, from a copy when one was taken on this same database state."""
    loaded("demo", lambda: call_command("demo", verbosity=0))


def loaded(name: str, load: Callable[[], T]) -> T:
    """What `load()` writes and returns, from the copy named `name` when one was taken on this same state."""
    if connection.vendor != "sqlite":
        return load()
    before = _read_tables()
    key = hashlib.sha256(
        repr((name, timezone.localdate(), translation.get_language(), sorted(before.items()))).encode()
    ).hexdigest()
    found = _copies.get(key)
    if found is None:
        found = _copies[key] = _take(before, load)
    found.write()
    return copy.deepcopy(found.result)


def _take(before: dict, load: Callable) -> DemoCopy:
    """Runs the load in a savepoint (a transaction in a transactional test), keeps what it changed, rolls back."""
    queued = len(connection.run_on_commit)
    with transaction.atomic():
        result = load()
        after = _read_tables(with_rows=True)
        callbacks = [(func, robust) for _sids, func, robust in connection.run_on_commit[queued:]]
        transaction.set_rollback(True)
    changed = {table: found for table, found in after.items() if before.get(table) != _digest(found[1])}
    return _copy(changed, callbacks, result)


def _copy(tables: dict, callbacks: list, result=None) -> DemoCopy:
    stored = {table: (columns, [tuple(map(_stored, row)) for row in rows]) for table, (columns, rows) in tables.items()}
    # SQLite moves a table's sequence up with every explicit id; its own values are written last.
    if "sqlite_sequence" in stored:
        stored["sqlite_sequence"] = stored.pop("sqlite_sequence")
    return DemoCopy(stored, callbacks, result)


def _tables(cursor) -> list[tuple[str, bool]]:
    """(name, is virtual) of every table whose rows the database keeps: not views, not a virtual table's own
    shadow tables, and of SQLite's own tables only the sequences."""
    cursor.execute("PRAGMA main.table_list")
    found = [(name, kind) for _schema, name, kind, *_rest in cursor.fetchall()]
    return [
        (name, kind == "virtual")
        for name, kind in found
        if kind in ("table", "virtual") and (not name.startswith("sqlite_") or name == "sqlite_sequence")
    ]


def _read_tables(with_rows: bool = False) -> dict:
    """table -> digest of its rows, or with_rows: table -> (columns, rows)."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table, virtual in _tables(cursor):
            cursor.execute(f"SELECT {'rowid, ' if virtual else ''}* FROM {quote(table)}")
            rows = cursor.fetchall()
            columns = [d[0] for d in cursor.description]
            found[table] = (columns, rows) if with_rows else _digest(rows)
    return found


def _stored(value):
    """The value as Django's SQLite back end stores it: dates and times are text that the connection's
    converters turn into Python objects when read."""
    return str(value) if isinstance(value, (datetime.date, datetime.time)) else value


def _digest(rows) -> str:
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
